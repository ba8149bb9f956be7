// typegrad/ops/special.hpp: hypot and erf.
//
// Convention: hypot(a, b) has no derivative at the origin; both partials are 0 there.
#pragma once

#include <cmath>

#include "../core/apply.hpp"
#include "arithmetic.hpp"
#include "exp_log.hpp"
#include "select.hpp"

namespace typegrad {

namespace ops {
struct hypot_op {
    static constexpr char const* name = "hypot";
    template <class A, class B>
    TYPEGRAD_HOST_DEVICE static auto value(A const& a, B const& b) { using std::hypot; return hypot(a, b); }
    // d sqrt(a^2 + b^2) = (a da + b db) / y
    template <class A, class B, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, B const& b, Y const& y) {
        return typegrad::partials(typegrad::select(y == static_const<0>{}, static_const<0>{}, a / y),
                                  typegrad::select(y == static_const<0>{}, static_const<0>{}, b / y));
    }
};

struct erf_op {
    static constexpr char const* name = "erf";
    template <class A>
    TYPEGRAD_HOST_DEVICE static auto value(A const& a) { using std::erf; return erf(a); }
    // erf' = 2 / sqrt(pi) e^(-a^2)
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, Y const&) {
        constexpr double two_over_sqrt_pi = 1.12837916709551257389615890312154517;
        return typegrad::partials(two_over_sqrt_pi * typegrad::exp(-(a * a)));
    }
};
}  // namespace ops

/// sqrt(a^2 + b^2) without overflow; both partials are 0 at the origin.
template <class A, class B>
    requires(typegrad_expression_or_number<A> && typegrad_expression_or_number<B>)
TYPEGRAD_HOST_DEVICE constexpr auto hypot(A const& a, B const& b) { return detail::apply<ops::hypot_op>(a, b); }
/// The error function.
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto erf(X const& x) { return detail::apply<ops::erf_op>(x); }

}  // namespace typegrad
