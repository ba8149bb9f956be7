// typegrad/ops/select.hpp: comparisons and select(cond, a, b).
//
// Comparisons of expressions are nodes whose value is 1 (true) or 0 (false) and
// whose derivative is zero everywhere (the partials are the compile-time 0_c, so
// every mode skips them). `select(c, a, b)` is `c ? a : b` inside an expression:
// the derivative flows only into the branch taken; the condition gets none.
// This is how control flow that depends on run-time values is written.
#pragma once

#include "../core/apply.hpp"

namespace typegrad {

namespace ops {
template <class Compare>
struct comparison {
    template <class A, class B>
    TYPEGRAD_HOST_DEVICE static constexpr bool value(A const& a, B const& b) {
        return Compare::test(a, b);
    }
    template <class A, class B, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const&, B const&, Y const&) {
        return typegrad::partials(static_const<0>{}, static_const<0>{});
    }
};
struct less : comparison<less> {
    static constexpr char const* name = "<";
    template <class A, class B>
    TYPEGRAD_HOST_DEVICE static constexpr bool test(A const& a, B const& b) { return a < b; }
};
struct less_equal : comparison<less_equal> {
    static constexpr char const* name = "<=";
    template <class A, class B>
    TYPEGRAD_HOST_DEVICE static constexpr bool test(A const& a, B const& b) { return a <= b; }
};
struct greater : comparison<greater> {
    static constexpr char const* name = ">";
    template <class A, class B>
    TYPEGRAD_HOST_DEVICE static constexpr bool test(A const& a, B const& b) { return a > b; }
};
struct greater_equal : comparison<greater_equal> {
    static constexpr char const* name = ">=";
    template <class A, class B>
    TYPEGRAD_HOST_DEVICE static constexpr bool test(A const& a, B const& b) { return a >= b; }
};
struct equal : comparison<equal> {
    static constexpr char const* name = "==";
    template <class A, class B>
    TYPEGRAD_HOST_DEVICE static constexpr bool test(A const& a, B const& b) { return a == b; }
};
struct not_equal : comparison<not_equal> {
    static constexpr char const* name = "!=";
    template <class A, class B>
    TYPEGRAD_HOST_DEVICE static constexpr bool test(A const& a, B const& b) { return a != b; }
};

struct select {
    static constexpr char const* name = "select";
    // A condition value is true when it is non-zero (comparisons give 1 or 0).
    template <class C, class A, class B>
    TYPEGRAD_HOST_DEVICE static constexpr auto value(C const& c, A const& a, B const& b) {
        return static_cast<bool>(c) ? a : b;
    }
    template <class C, class A, class B, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(C const& c, A const&, B const&, Y const&);
};
}  // namespace ops

namespace detail {
template <class Op, class A, class B>
TYPEGRAD_HOST_DEVICE constexpr auto compare(A const& a, B const& b) {
    if constexpr (static_constant<A> && static_constant<B>)
        return Op::test(A::num * B::den, B::num * A::den);
    else if constexpr (static_constant<A> && scalar<B>)
        return Op::test(A::template as<promoted<B>>(), b);
    else if constexpr (scalar<A> && static_constant<B>)
        return Op::test(a, B::template as<promoted<A>>());
    else
        return detail::apply<Op>(a, b);
}
}  // namespace detail

template <class A, class B>
    requires((expression<A> || expression<B>) && typegrad_expression_or_number<A> && typegrad_expression_or_number<B>)
TYPEGRAD_HOST_DEVICE constexpr auto operator<(A const& a, B const& b) { return detail::compare<ops::less>(a, b); }
template <class A, class B>
    requires((expression<A> || expression<B>) && typegrad_expression_or_number<A> && typegrad_expression_or_number<B>)
TYPEGRAD_HOST_DEVICE constexpr auto operator<=(A const& a, B const& b) {
    return detail::compare<ops::less_equal>(a, b);
}
template <class A, class B>
    requires((expression<A> || expression<B>) && typegrad_expression_or_number<A> && typegrad_expression_or_number<B>)
TYPEGRAD_HOST_DEVICE constexpr auto operator>(A const& a, B const& b) { return detail::compare<ops::greater>(a, b); }
template <class A, class B>
    requires((expression<A> || expression<B>) && typegrad_expression_or_number<A> && typegrad_expression_or_number<B>)
TYPEGRAD_HOST_DEVICE constexpr auto operator>=(A const& a, B const& b) {
    return detail::compare<ops::greater_equal>(a, b);
}
template <class A, class B>
    requires((expression<A> || expression<B>) && typegrad_expression_or_number<A> && typegrad_expression_or_number<B>)
TYPEGRAD_HOST_DEVICE constexpr auto operator==(A const& a, B const& b) { return detail::compare<ops::equal>(a, b); }
template <class A, class B>
    requires((expression<A> || expression<B>) && typegrad_expression_or_number<A> && typegrad_expression_or_number<B>)
TYPEGRAD_HOST_DEVICE constexpr auto operator!=(A const& a, B const& b) {
    return detail::compare<ops::not_equal>(a, b);
}

/// `c ? a : b`. On numbers (c a bool or a number, non-zero meaning true) it is
/// the plain choice (select(c, 1_c, 0_c) is a masking tg::indicator); if c, a or
/// b is an expression it is an expression whose derivative flows only into the
/// branch taken.
template <class C, class A, class B>
TYPEGRAD_HOST_DEVICE constexpr auto select(C const& c, A const& a, B const& b) {
    if constexpr (symbolic<C> || symbolic<A> || symbolic<B>) {
        static_assert(!std::is_same_v<C, bool>,
                      "typegrad: select with a plain bool condition cannot choose between expressions; "
                      "write the condition as an expression (a comparison such as x > 0)");
        return detail::apply<ops::select>(c, a, b);
    } else {
        static_assert(operand<A> && operand<B> && (operand<C> || std::is_same_v<C, bool>),
                      "typegrad: select takes a condition (bool, number or expression) and two numbers or "
                      "expressions");
        if constexpr (static_value<A, 1> && static_value<B, 0>)
            return indicator{static_cast<bool>(c)};
        else if constexpr (static_value<A, 0> && static_value<B, 1>)
            return indicator{!static_cast<bool>(c)};
        else {
            using T = detail::number_type<A, B>;
            return static_cast<bool>(c) ? detail::as<T>(a) : detail::as<T>(b);
        }
    }
}

template <class C, class A, class B, class Y>
TYPEGRAD_HOST_DEVICE constexpr auto ops::select::partials(C const& c, A const&, B const&, Y const&) {
    return typegrad::partials(static_const<0>{}, typegrad::select(c, static_const<1>{}, static_const<0>{}),
                              typegrad::select(c, static_const<0>{}, static_const<1>{}));
}

}  // namespace typegrad
