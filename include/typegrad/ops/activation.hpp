// typegrad/ops/activation.hpp: sigmoid and softplus.
#pragma once

#include <cmath>

#include "../core/apply.hpp"
#include "arithmetic.hpp"

namespace typegrad {

namespace ops {
struct sigmoid_op {
    static constexpr char const* name = "sigmoid";
    // 1 / (1 + e^-a): no overflow trouble, e^-a = inf just gives 0.
    template <class A>
    TYPEGRAD_HOST_DEVICE static A value(A const& a) {
        using std::exp;
        return A(1) / (A(1) + exp(-a));
    }
    // s' = s (1 - s)
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const&, Y const& y) {
        return typegrad::partials(y * (static_const<1>{} - y));
    }
};

struct softplus_op;
}  // namespace ops

/// The logistic function 1 / (1 + e^-x).
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto sigmoid(X const& x) { return detail::apply<ops::sigmoid_op>(x); }

namespace ops {
struct softplus_op {
    static constexpr char const* name = "softplus";
    // log(1 + e^a) written as max(a, 0) + log1p(e^-|a|) so that large a does not overflow.
    template <class A>
    TYPEGRAD_HOST_DEVICE static A value(A const& a) {
        using std::abs;
        using std::exp;
        using std::log1p;
        return (a > A(0) ? a : A(0)) + log1p(exp(-abs(a)));
    }
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, Y const&) {
        return typegrad::partials(typegrad::sigmoid(a));
    }
};
}  // namespace ops

/// log(1 + e^x), stable for large |x|; its derivative is sigmoid(x).
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto softplus(X const& x) { return detail::apply<ops::softplus_op>(x); }

}  // namespace typegrad
