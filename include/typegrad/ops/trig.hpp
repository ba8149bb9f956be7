// typegrad/ops/trig.hpp: sin, cos, tan, asin, acos, atan, atan2.
//
// Conventions: asin'(±1) and acos'(±1) are ±inf (1 / sqrt(0)); outside [-1, 1]
// value and derivative are nan. atan2(a, b) has no derivative at the origin;
// typegrad returns 0 for both partials there.
#pragma once

#include <cmath>

#include "../core/apply.hpp"
#include "arithmetic.hpp"
#include "exp_log.hpp"
#include "select.hpp"
#include "special.hpp"

namespace typegrad {

namespace ops {
struct sin_op {
    static constexpr char const* name = "sin";
    template <class A>
    TYPEGRAD_HOST_DEVICE static auto value(A const& a) { using std::sin; return sin(a); }
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, Y const&) {
        using std::cos;
        return typegrad::partials(cos(a));
    }
};

struct cos_op {
    static constexpr char const* name = "cos";
    template <class A>
    TYPEGRAD_HOST_DEVICE static auto value(A const& a) { using std::cos; return cos(a); }
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, Y const&) {
        using std::sin;
        return typegrad::partials(-sin(a));
    }
};

struct tan_op {
    static constexpr char const* name = "tan";
    template <class A>
    TYPEGRAD_HOST_DEVICE static auto value(A const& a) { using std::tan; return tan(a); }
    // tan' = 1 + tan^2
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const&, Y const& y) {
        return typegrad::partials(static_const<1>{} + y * y);
    }
};

struct asin_op {
    static constexpr char const* name = "asin";
    template <class A>
    TYPEGRAD_HOST_DEVICE static auto value(A const& a) { using std::asin; return asin(a); }
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, Y const&) {
        return typegrad::partials(static_const<1>{} / typegrad::sqrt(static_const<1>{} - a * a));
    }
};

struct acos_op {
    static constexpr char const* name = "acos";
    template <class A>
    TYPEGRAD_HOST_DEVICE static auto value(A const& a) { using std::acos; return acos(a); }
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, Y const&) {
        return typegrad::partials(static_const<-1>{} / typegrad::sqrt(static_const<1>{} - a * a));
    }
};

struct atan_op {
    static constexpr char const* name = "atan";
    template <class A>
    TYPEGRAD_HOST_DEVICE static auto value(A const& a) { using std::atan; return atan(a); }
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, Y const&) {
        return typegrad::partials(static_const<1>{} / (static_const<1>{} + a * a));
    }
};

struct atan2_op {
    static constexpr char const* name = "atan2";
    template <class A, class B>
    TYPEGRAD_HOST_DEVICE static auto value(A const& a, B const& b) { using std::atan2; return atan2(a, b); }
    // d atan2(a, b) = (b da - a db) / (a^2 + b^2), with a^2 + b^2 = h^2 for h = hypot(a, b)
    // so that it neither underflows nor overflows; 0 at the origin by convention.
    template <class A, class B, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, B const& b, Y const&) {
        auto const h = typegrad::hypot(a, b);
        return typegrad::partials(typegrad::select(h == static_const<0>{}, static_const<0>{}, b / h / h),
                                  typegrad::select(h == static_const<0>{}, static_const<0>{}, -a / h / h));
    }
};
}  // namespace ops

/// Sine.
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto sin(X const& x) { return detail::apply<ops::sin_op>(x); }
/// Cosine.
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto cos(X const& x) { return detail::apply<ops::cos_op>(x); }
/// Tangent.
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto tan(X const& x) { return detail::apply<ops::tan_op>(x); }
/// Arc sine; derivative ±inf at ±1.
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto asin(X const& x) { return detail::apply<ops::asin_op>(x); }
/// Arc cosine; derivative -inf at ±1.
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto acos(X const& x) { return detail::apply<ops::acos_op>(x); }
/// Arc tangent.
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto atan(X const& x) { return detail::apply<ops::atan_op>(x); }
/// The angle of the point (b, a): atan2(a, b); both partials are 0 at the origin.
template <class A, class B>
    requires(typegrad_expression_or_number<A> && typegrad_expression_or_number<B>)
TYPEGRAD_HOST_DEVICE constexpr auto atan2(A const& a, B const& b) { return detail::apply<ops::atan2_op>(a, b); }

}  // namespace typegrad
