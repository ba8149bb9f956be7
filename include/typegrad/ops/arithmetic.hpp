// typegrad/ops/arithmetic.hpp: + - * / and unary minus.
//
// Each operation is one rule: `value` on numbers and `partials`, the local
// derivatives with respect to each operand given the operands and the result y.
// Partials are written with typegrad's own functions and constants so the same
// text works on numbers (forward and reverse passes) and on expressions.
//
// Construction folds compile-time constants (2_c * 3_c is 6_c) and drops
// identities (x * 1_c is x, x + 0_c is x, x * 0_c is 0_c). The last one is a
// symbolic identity: it holds for finite x, so `x * 0_c` is 0 even where x is
// inf or nan. Run-time numbers are never folded this way.
#pragma once

#include <utility>

#include "../core/apply.hpp"

namespace typegrad {

namespace ops {
struct add {
    static constexpr char const* name = "+";
    template <class A, class B>
    TYPEGRAD_HOST_DEVICE static constexpr auto value(A const& a, B const& b) { return a + b; }
    template <class A, class B, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const&, B const&, Y const&) {
        return typegrad::partials(static_const<1>{}, static_const<1>{});
    }
};

struct subtract {
    static constexpr char const* name = "-";
    template <class A, class B>
    TYPEGRAD_HOST_DEVICE static constexpr auto value(A const& a, B const& b) { return a - b; }
    template <class A, class B, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const&, B const&, Y const&) {
        return typegrad::partials(static_const<1>{}, static_const<-1>{});
    }
};

struct multiply {
    static constexpr char const* name = "*";
    template <class A, class B>
    TYPEGRAD_HOST_DEVICE static constexpr auto value(A const& a, B const& b) { return a * b; }
    // d(ab) = b da + a db
    template <class A, class B, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, B const& b, Y const&) {
        return typegrad::partials(b, a);
    }
};

struct divide {
    static constexpr char const* name = "/";
    template <class A, class B>
    TYPEGRAD_HOST_DEVICE static constexpr auto value(A const& a, B const& b) { return a / b; }
    // d(a/b) = da / b - (a/b) db / b; at b = 0 the IEEE infinities and nans stand.
    template <class A, class B, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const&, B const& b, Y const& y) {
        return typegrad::partials(static_const<1>{} / b, -y / b);
    }
};

struct negate {
    static constexpr char const* name = "neg";
    template <class A>
    TYPEGRAD_HOST_DEVICE static constexpr auto value(A const& a) { return -a; }
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const&, Y const&) {
        return typegrad::partials(static_const<-1>{});
    }
};
}  // namespace ops

namespace ops {
struct select;
}
template <class C, class A, class B>
TYPEGRAD_HOST_DEVICE constexpr auto select(C const& c, A const& a, B const& b);

namespace detail {
// select(c, 1_c, 0_c) or select(c, 0_c, 1_c): a mask, as a derivative of select or relu.
template <class E>
concept is_mask = std::is_same_v<typename node_op<std::remove_cvref_t<E>>::type, ops::select> &&
                  static_constant<decltype(std::declval<E const&>().template child<1>())> &&
                  static_constant<decltype(std::declval<E const&>().template child<2>())> &&
                  (std::remove_cvref_t<decltype(std::declval<E const&>().template child<1>())>::num +
                       std::remove_cvref_t<decltype(std::declval<E const&>().template child<2>())>::num ==
                   1) &&
                  std::remove_cvref_t<decltype(std::declval<E const&>().template child<1>())>::den == 1 &&
                  std::remove_cvref_t<decltype(std::declval<E const&>().template child<2>())>::den == 1;

// mask * e chooses e or 0 instead of multiplying, so 0 * inf in the branch not taken stays 0.
template <class M, class E>
TYPEGRAD_HOST_DEVICE constexpr auto apply_mask(M const& m, E const& e) {
    if constexpr (static_value<decltype(m.template child<1>()), 1>)
        return typegrad::select(m.template child<0>(), e, static_const<0>{});
    else
        return typegrad::select(m.template child<0>(), static_const<0>{}, e);
}

template <class E>
concept is_negation = std::is_same_v<typename node_op<std::remove_cvref_t<E>>::type, ops::negate>;

}  // namespace detail

template <class A, class B>
    requires((expression<A> || expression<B>) && typegrad_expression_or_number<A> && typegrad_expression_or_number<B>)
TYPEGRAD_HOST_DEVICE constexpr auto operator+(A const& a, B const& b) {
    if constexpr (static_constant<A> && static_constant<B>)
        return ratio<A::num * B::den + B::num * A::den, A::den * B::den>{};
    else if constexpr (static_value<A, 0> && symbolic<B>)
        return b;
    else if constexpr (static_value<B, 0> && symbolic<A>)
        return a;
    else if constexpr (detail::is_negation<B> && expression<A>)
        return a - b.template child<0>();
    else
        return detail::apply<ops::add>(a, b);
}

template <class A>
    requires expression<A>
TYPEGRAD_HOST_DEVICE constexpr auto operator-(A const& a) {
    if constexpr (static_constant<A>)
        return ratio<-A::num, A::den>{};
    else if constexpr (detail::is_negation<A>)
        return a.template child<0>();
    else
        return detail::apply<ops::negate>(a);
}

template <class A, class B>
    requires((expression<A> || expression<B>) && typegrad_expression_or_number<A> && typegrad_expression_or_number<B>)
TYPEGRAD_HOST_DEVICE constexpr auto operator-(A const& a, B const& b) {
    if constexpr (static_constant<A> && static_constant<B>)
        return ratio<A::num * B::den - B::num * A::den, A::den * B::den>{};
    else if constexpr (static_value<A, 0> && symbolic<B>)
        return -b;
    else if constexpr (static_value<B, 0> && symbolic<A>)
        return a;
    else if constexpr (detail::is_negation<B> && expression<A>)
        return a + b.template child<0>();
    else
        return detail::apply<ops::subtract>(a, b);
}

template <class A, class B>
    requires((expression<A> || expression<B>) && typegrad_expression_or_number<A> && typegrad_expression_or_number<B>)
TYPEGRAD_HOST_DEVICE constexpr auto operator*(A const& a, B const& b) {
    if constexpr (static_constant<A> && static_constant<B>)
        return ratio<A::num * B::num, A::den * B::den>{};
    else if constexpr ((static_value<A, 0> && symbolic<B>) || (static_value<B, 0> && symbolic<A>))
        return static_const<0>{};
    else if constexpr (static_value<A, 1> && symbolic<B>)
        return b;
    else if constexpr (static_value<B, 1> && symbolic<A>)
        return a;
    else if constexpr (static_value<A, -1> && symbolic<B>)
        return -b;
    else if constexpr (static_value<B, -1> && symbolic<A>)
        return -a;
    else if constexpr (detail::is_mask<A> && symbolic<B>)
        return detail::apply_mask(a, b);
    else if constexpr (detail::is_mask<B> && symbolic<A>)
        return detail::apply_mask(b, a);
    else
        return detail::apply<ops::multiply>(a, b);
}

template <class A, class B>
    requires((expression<A> || expression<B>) && typegrad_expression_or_number<A> && typegrad_expression_or_number<B>)
TYPEGRAD_HOST_DEVICE constexpr auto operator/(A const& a, B const& b) {
    static_assert(!static_value<B, 0>, "typegrad: division by the compile-time constant zero");
    if constexpr (static_value<B, 0>)
        return static_const<0>{};  // after the static_assert: no cascade of further errors
    else if constexpr (static_constant<A> && static_constant<B>)
        return ratio<A::num * B::den, A::den * B::num>{};
    else if constexpr (static_value<B, 1> && symbolic<A>)
        return a;
    else if constexpr (static_value<A, 0> && symbolic<B>)
        return static_const<0>{};
    else
        return detail::apply<ops::divide>(a, b);
}

}  // namespace typegrad
