// typegrad/ops/hyperbolic.hpp: sinh, cosh, tanh.
#pragma once

#include <cmath>

#include "../core/apply.hpp"
#include "arithmetic.hpp"

namespace typegrad {

namespace ops {
struct sinh_op {
    static constexpr char const* name = "sinh";
    template <class A>
    TYPEGRAD_HOST_DEVICE static auto value(A const& a) { using std::sinh; return sinh(a); }
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, Y const&) {
        using std::cosh;
        return typegrad::partials(cosh(a));
    }
};

struct cosh_op {
    static constexpr char const* name = "cosh";
    template <class A>
    TYPEGRAD_HOST_DEVICE static auto value(A const& a) { using std::cosh; return cosh(a); }
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, Y const&) {
        using std::sinh;
        return typegrad::partials(sinh(a));
    }
};

struct tanh_op {
    static constexpr char const* name = "tanh";
    template <class A>
    TYPEGRAD_HOST_DEVICE static auto value(A const& a) { using std::tanh; return tanh(a); }
    // tanh' = 1 - tanh^2
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const&, Y const& y) {
        return typegrad::partials(static_const<1>{} - y * y);
    }
};
}  // namespace ops

/// Hyperbolic sine.
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto sinh(X const& x) { return detail::apply<ops::sinh_op>(x); }
/// Hyperbolic cosine.
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto cosh(X const& x) { return detail::apply<ops::cosh_op>(x); }
/// Hyperbolic tangent.
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto tanh(X const& x) { return detail::apply<ops::tanh_op>(x); }

}  // namespace typegrad
