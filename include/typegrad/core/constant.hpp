// typegrad/core/constant.hpp: constants in expressions.
//
// Two kinds. A compile-time rational `static_const<N, D>` (written `2_c`) is part
// of the type: it folds away in arithmetic and lets rules state structural zeros
// and ones that every mode skips at compile time. A run-time constant
// `runtime_const<T>` holds a number in the node, so the expression stops being
// an empty type.
#pragma once

#include <cstdint>
#include <numeric>
#include <type_traits>

#include "../config.hpp"
#include "expression.hpp"

namespace typegrad {

/// The exact rational N/D known at compile time (kept in lowest terms, D > 0).
template <std::intmax_t N, std::intmax_t D = 1>
struct static_const {
    static_assert(D > 0, "a compile-time constant needs a positive denominator");
    static_assert(std::gcd(N, D) == 1, "compile-time constants are kept in lowest terms; use tg::ratio<N, D>");
    static constexpr bool is_typegrad_expression = true;
    static constexpr std::intmax_t num = N;
    static constexpr std::intmax_t den = D;

    template <class T>
    TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE static constexpr T as() {
        if constexpr (D == 1)
            return static_cast<T>(N);
        else
            return static_cast<T>(N) / static_cast<T>(D);
    }
};

namespace detail {
constexpr std::intmax_t abs_int(std::intmax_t v) { return v < 0 ? -v : v; }
template <std::intmax_t N, std::intmax_t D>
struct make_ratio {
    static constexpr std::intmax_t g = std::gcd(abs_int(N), abs_int(D));
    static constexpr std::intmax_t s = D < 0 ? -1 : 1;
    using type = static_const<s * N / (g == 0 ? 1 : g), s * D / (g == 0 ? 1 : g)>;
};
}  // namespace detail

/// The compile-time rational N/D in lowest terms.
template <std::intmax_t N, std::intmax_t D = 1>
using ratio = typename detail::make_ratio<N, D>::type;

/// A compile-time constant as a value: `tg::constant<2>`.
template <std::intmax_t N, std::intmax_t D = 1>
inline constexpr ratio<N, D> constant{};

template <class T>
struct is_static_const : std::false_type {};
template <std::intmax_t N, std::intmax_t D>
struct is_static_const<static_const<N, D>> : std::true_type {};

/// A compile-time constant expression (`2_c`).
template <class T>
concept static_constant = is_static_const<std::remove_cvref_t<T>>::value;

/// A compile-time constant that is the integer I.
template <class T, std::intmax_t I>
concept static_value = static_constant<T> && std::remove_cvref_t<T>::num == I && std::remove_cvref_t<T>::den == 1;

/// A number held in the expression at run time (from `x * 2.0` and the like).
template <class T>
struct runtime_const {
    static constexpr bool is_typegrad_expression = true;
    T value;
};

namespace literals {
namespace detail {
template <char... Cs>
constexpr std::intmax_t parse_integer() {
    std::intmax_t v = 0;
    for (char c : {Cs...}) {
        if (c == '\'') continue;
        if (c < '0' || c > '9') throw "typegrad: _c literals are decimal integers; write 3_c / 2_c for 1.5";
        v = v * 10 + (c - '0');
    }
    return v;
}
}  // namespace detail

/// `2_c` is the compile-time constant 2; it folds away in arithmetic.
template <char... Cs>
constexpr auto operator""_c() {
    static_assert((((Cs >= '0' && Cs <= '9') || Cs == '\'') && ...),
                  "typegrad: only decimal integers are _c literals; write a ratio of two, 3_c / 2_c, for 1.5");
    if constexpr ((((Cs >= '0' && Cs <= '9') || Cs == '\'') && ...))
        return static_const<detail::parse_integer<Cs...>()>{};
    else
        return static_const<0>{};  // after the static_assert: no cascade of further errors
}
}  // namespace literals

/// A partial derivative that is exactly 1 or 0 and masks: 0 times an infinite or
/// nan derivative is 0. select and relu give these, so a branch not taken passes
/// no derivative at all, not 0 * inf = nan.
struct indicator {
    bool on;
};

namespace detail {
/// Converts a partial, a constant or a number to the evaluation type T.
template <class T, class P>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr T as(P const& p) {
    if constexpr (static_constant<P>)
        return P::template as<T>();
    else if constexpr (std::is_same_v<P, indicator>)
        return p.on ? T(1) : T(0);
    else
        return static_cast<T>(p);
}
}  // namespace detail

}  // namespace typegrad
