// typegrad/ops/pow.hpp: powers.
//
// pow(x, n_c) with an integer exponent known at compile time is computed by
// multiplications (repeated squaring) and differentiated as n x^(n-1); pow(x, 0_c)
// is 1_c and pow(x, 1_c) is x. pow(x, y) with a run-time exponent uses std::pow.
//
// Conventions for pow(a, b) with a run-time exponent:
//   d/da = b a^(b-1), except 0 when b == 0 (pow(a, 0) is the constant 1, even at a = 0);
//   d/db = log(a) a^b, except 0 when a == 0 (the limit from the right for b > 0);
//   for a < 0, d/db is nan (log of a negative number), whatever b is.
#pragma once

#include <cmath>
#include <cstdint>

#include "../core/apply.hpp"
#include "arithmetic.hpp"
#include "exp_log.hpp"
#include "select.hpp"

namespace typegrad {

namespace detail {
template <std::intmax_t N, class T>
TYPEGRAD_HOST_DEVICE constexpr T int_power(T const& a) {
    if constexpr (N < 0)
        return T(1) / int_power<-N>(a);
    else if constexpr (N == 0)
        return T(1);
    else if constexpr (N == 1)
        return a;
    else if constexpr (N % 2 == 0) {
        T const half = int_power<N / 2>(a);
        return half * half;
    } else
        return int_power<N - 1>(a) * a;
}
}  // namespace detail

namespace ops {
template <std::intmax_t N>
struct int_pow_op {
    static constexpr char const* name = "pow";
    static constexpr std::intmax_t exponent = N;
    template <class A>
    TYPEGRAD_HOST_DEVICE static constexpr auto value(A const& a) { return detail::int_power<N>(a); }
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, Y const&);
};

struct pow_op {
    static constexpr char const* name = "pow";
    template <class A, class B>
    TYPEGRAD_HOST_DEVICE static auto value(A const& a, B const& b) { using std::pow; return pow(a, b); }
    template <class A, class B, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, B const& b, Y const& y);
};
}  // namespace ops

namespace ops {
struct square_op {
    static constexpr char const* name = "square";
    template <class A>
    TYPEGRAD_HOST_DEVICE static constexpr auto value(A const& a) { return a * a; }
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, Y const&) {
        return typegrad::partials(static_const<2>{} * a);
    }
};
}  // namespace ops

/// x * x, differentiated as 2x.
template <class X>
    requires typegrad_expression_or_number<X>
TYPEGRAD_HOST_DEVICE constexpr auto square(X const& x) { return detail::apply<ops::square_op>(x); }

/// a^b. An integer exponent known at compile time (`pow(x, 3_c)`) becomes multiplications.
template <class A, class B>
    requires(typegrad_expression_or_number<A> && typegrad_expression_or_number<B>)
TYPEGRAD_HOST_DEVICE constexpr auto pow(A const& a, B const& b) {
    if constexpr (static_constant<B> && !static_constant<A>) {
        if constexpr (B::den == 1 && B::num == 0 && symbolic<A>)
            return static_const<1>{};
        else if constexpr (B::den == 1 && B::num == 1 && symbolic<A>)
            return a;
        else if constexpr (B::den == 1 && symbolic<A>)
            return detail::apply<ops::int_pow_op<B::num>>(a);
        else if constexpr (B::den == 1 && scalar<A>)
            return detail::int_power<B::num>(detail::as<detail::promoted<A>>(a));
        else
            return detail::apply<ops::pow_op>(a, b);
    } else
        return detail::apply<ops::pow_op>(a, b);
}

template <std::intmax_t N>
template <class A, class Y>
TYPEGRAD_HOST_DEVICE constexpr auto ops::int_pow_op<N>::partials(A const& a, Y const&) {
    return typegrad::partials(static_const<N>{} * typegrad::pow(a, static_const<N - 1>{}));
}

template <class A, class B, class Y>
TYPEGRAD_HOST_DEVICE constexpr auto ops::pow_op::partials(A const& a, B const& b, Y const& y) {
    return typegrad::partials(
        typegrad::select(b == static_const<0>{}, static_const<0>{}, b * typegrad::pow(a, b - static_const<1>{})),
        typegrad::select(a == static_const<0>{}, static_const<0>{}, typegrad::log(a) * y));
}

}  // namespace typegrad
