// typegrad/ops/piecewise.hpp: abs, min, max, relu: functions with kinks.
//
// Conventions at the kinks (each a valid subgradient):
//   abs'(0) = 0 (the sign function, sign(0) = 0);
//   relu'(0) = 0; relu(nan) = nan with derivative 0;
//   min and max at a tie a == b give each operand half: d min(a, b) = (da + db) / 2,
//   so min(x, x) has derivative 1 as it should.
#pragma once

#include <cmath>

#include "../core/apply.hpp"
#include "arithmetic.hpp"
#include "select.hpp"

namespace typegrad {

namespace ops {
struct abs_op {
    static constexpr char const* name = "abs";
    template <class A>
    TYPEGRAD_HOST_DEVICE static auto value(A const& a) { using std::abs; return abs(a); }
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, Y const&) {
        return typegrad::partials(typegrad::select(
            a > static_const<0>{}, static_const<1>{},
            typegrad::select(a < static_const<0>{}, static_const<-1>{}, static_const<0>{})));
    }
};

struct relu_op {
    static constexpr char const* name = "relu";
    template <class A>
    TYPEGRAD_HOST_DEVICE static constexpr A value(A const& a) { return a < A(0) ? A(0) : a; }
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, Y const&) {
        return typegrad::partials(typegrad::select(a > static_const<0>{}, static_const<1>{}, static_const<0>{}));
    }
};

// The share of the derivative an operand of min/max gets: 1 if it wins, 1/2 at a tie.
template <class Win, class Tie>
TYPEGRAD_HOST_DEVICE constexpr auto winner_share(Win const& wins, Tie const& tie) {
    return typegrad::select(wins, static_const<1>{}, typegrad::select(tie, ratio<1, 2>{}, static_const<0>{}));
}

struct min_op {
    static constexpr char const* name = "min";
    template <class A, class B>
    TYPEGRAD_HOST_DEVICE static constexpr auto value(A const& a, B const& b) { return b < a ? b : a; }
    template <class A, class B, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, B const& b, Y const&) {
        return typegrad::partials(winner_share(a < b, a == b), winner_share(b < a, a == b));
    }
};

struct max_op {
    static constexpr char const* name = "max";
    template <class A, class B>
    TYPEGRAD_HOST_DEVICE static constexpr auto value(A const& a, B const& b) { return a < b ? b : a; }
    template <class A, class B, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, B const& b, Y const&) {
        return typegrad::partials(winner_share(b < a, a == b), winner_share(a < b, a == b));
    }
};
}  // namespace ops

/// |x|; abs'(0) = 0.
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto abs(X const& x) { return detail::apply<ops::abs_op>(x); }
/// max(x, 0); relu'(0) = 0.
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto relu(X const& x) { return detail::apply<ops::relu_op>(x); }
/// The smaller of a and b; at a tie each gets half the derivative.
template <class A, class B>
    requires(typegrad_expression_or_number<A> && typegrad_expression_or_number<B>)
TYPEGRAD_HOST_DEVICE constexpr auto min(A const& a, B const& b) { return detail::apply<ops::min_op>(a, b); }
/// The larger of a and b; at a tie each gets half the derivative.
template <class A, class B>
    requires(typegrad_expression_or_number<A> && typegrad_expression_or_number<B>)
TYPEGRAD_HOST_DEVICE constexpr auto max(A const& a, B const& b) { return detail::apply<ops::max_op>(a, b); }

}  // namespace typegrad
