// typegrad/ops/exp_log.hpp: exp, log, log1p, expm1, sqrt, cbrt.
//
// Conventions at the domain edges (IEEE arithmetic, nothing clamped):
//   log(0) = -inf and log'(0) = +inf. log of a negative number is nan; its derivative
//   is still the formula 1/x (finite), as in PyTorch and JAX, so check the value.
//   log1p'(-1) = +inf.
//   sqrt'(0) = +inf (1 / (2 sqrt 0)); sqrt of a negative number is nan.
//   cbrt'(0) = +inf; cbrt is defined (and differentiable) for negative numbers.
//   At -0.0 the sign of zero stands: sqrt'(-0.0) = log'(-0.0) = -inf.
#pragma once

#include <cmath>

#include "../core/apply.hpp"
#include "arithmetic.hpp"

namespace typegrad {

namespace ops {
struct exp_op {
    static constexpr char const* name = "exp";
    template <class A>
    TYPEGRAD_HOST_DEVICE static auto value(A const& a) { using std::exp; return exp(a); }
    // (e^a)' = e^a, the result itself.
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const&, Y const& y) { return typegrad::partials(y); }
};

struct log_op {
    static constexpr char const* name = "log";
    template <class A>
    TYPEGRAD_HOST_DEVICE static auto value(A const& a) { using std::log; return log(a); }
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, Y const&) {
        return typegrad::partials(static_const<1>{} / a);
    }
};

struct log1p_op {
    static constexpr char const* name = "log1p";
    template <class A>
    TYPEGRAD_HOST_DEVICE static auto value(A const& a) { using std::log1p; return log1p(a); }
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, Y const&) {
        return typegrad::partials(static_const<1>{} / (static_const<1>{} + a));
    }
};

struct expm1_op {
    static constexpr char const* name = "expm1";
    template <class A>
    TYPEGRAD_HOST_DEVICE static auto value(A const& a) { using std::expm1; return expm1(a); }
    // (e^a - 1)' = e^a = y + 1
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const&, Y const& y) {
        return typegrad::partials(y + static_const<1>{});
    }
};

struct sqrt_op {
    static constexpr char const* name = "sqrt";
    template <class A>
    TYPEGRAD_HOST_DEVICE static auto value(A const& a) { using std::sqrt; return sqrt(a); }
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const&, Y const& y) {
        return typegrad::partials(ratio<1, 2>{} / y);
    }
};

struct cbrt_op {
    static constexpr char const* name = "cbrt";
    template <class A>
    TYPEGRAD_HOST_DEVICE static auto value(A const& a) { using std::cbrt; return cbrt(a); }
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const&, Y const& y) {
        return typegrad::partials(ratio<1, 3>{} / (y * y));
    }
};
}  // namespace ops

/// e^x.
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto exp(X const& x) { return detail::apply<ops::exp_op>(x); }
/// Natural logarithm; log'(0) = +inf.
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto log(X const& x) { return detail::apply<ops::log_op>(x); }
/// log(1 + x), accurate for small x.
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto log1p(X const& x) { return detail::apply<ops::log1p_op>(x); }
/// e^x - 1, accurate for small x.
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto expm1(X const& x) { return detail::apply<ops::expm1_op>(x); }
/// Square root; sqrt'(0) = +inf.
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto sqrt(X const& x) { return detail::apply<ops::sqrt_op>(x); }
/// Cube root; cbrt'(0) = +inf.
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto cbrt(X const& x) { return detail::apply<ops::cbrt_op>(x); }

}  // namespace typegrad
