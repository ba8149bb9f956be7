// typegrad/modes/dual.hpp: a forward-mode number with N tangent lanes.
//
// dual<T, N> carries a value and N directional derivatives. Every operation on
// it is computed by the operation's own rule (value and partials from ops/), so
// no derivative is written twice. Its use here: the reverse pass is generic in
// its number type, so running it on duals is forward-over-reverse, which gives
// Hessians and Hessian-vector products.
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "../core/constant.hpp"
#include "../core/expression.hpp"
#include "../core/tuple.hpp"
#include "plan.hpp"
#include "../ops/arithmetic.hpp"

namespace typegrad {

/// A value with N tangent lanes; arithmetic and functions follow typegrad's rules.
template <class T, std::size_t N>
struct dual {
    T v{};
    std::array<T, N> t{};

    constexpr dual() = default;
    TYPEGRAD_HOST_DEVICE constexpr dual(T value) : v(value) {}  // NOLINT: a constant has zero tangents
    TYPEGRAD_HOST_DEVICE constexpr dual(T value, std::array<T, N> const& tangents) : v(value), t(tangents) {}
    template <class U>
        requires(std::is_arithmetic_v<U> && !std::is_same_v<U, T>)
    TYPEGRAD_HOST_DEVICE constexpr dual(U value) : v(static_cast<T>(value)) {}  // NOLINT
    TYPEGRAD_HOST_DEVICE constexpr explicit operator bool() const { return v != T(0); }

    friend TYPEGRAD_HOST_DEVICE constexpr bool operator<(dual const& a, dual const& b) { return a.v < b.v; }
    friend TYPEGRAD_HOST_DEVICE constexpr bool operator>(dual const& a, dual const& b) { return a.v > b.v; }
    friend TYPEGRAD_HOST_DEVICE constexpr bool operator<=(dual const& a, dual const& b) { return a.v <= b.v; }
    friend TYPEGRAD_HOST_DEVICE constexpr bool operator>=(dual const& a, dual const& b) { return a.v >= b.v; }
    friend TYPEGRAD_HOST_DEVICE constexpr bool operator==(dual const& a, dual const& b) { return a.v == b.v; }
    friend TYPEGRAD_HOST_DEVICE constexpr bool operator!=(dual const& a, dual const& b) { return a.v != b.v; }
};

template <class T, std::size_t N>
struct is_scalar<dual<T, N>> : std::true_type {};

namespace detail {

template <class T, std::size_t N, class P, std::size_t I, class... Ds>
TYPEGRAD_HOST_DEVICE constexpr void add_lane_terms(dual<T, N>& r, P const& p, Ds const&... ds) {
    if constexpr (!static_value<std::remove_cvref_t<decltype(get<I>(p))>, 0>) {
        auto const& operand = std::get<I>(std::tie(ds...));
        for (std::size_t l = 0; l < N; ++l) r.t[l] += scale(get<I>(p), operand.t[l]);
    }
}

/// Op applied to duals: value by the rule, tangents as partials times operand tangents.
template <class Op, class T, std::size_t N, class... Ds>
TYPEGRAD_HOST_DEVICE constexpr dual<T, N> dual_apply(Ds const&... ds) {
    T const y = as<T>(Op::value(ds.v...));
    auto const p = Op::partials(ds.v..., y);
    dual<T, N> r(y);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (add_lane_terms<T, N, decltype(p), I>(r, p, ds...), ...);
    }(std::index_sequence_for<Ds...>{});
    return r;
}

}  // namespace detail

template <class T, std::size_t N>
TYPEGRAD_HOST_DEVICE constexpr dual<T, N> operator+(dual<T, N> const& a, dual<T, N> const& b) {
    return detail::dual_apply<ops::add, T, N>(a, b);
}
template <class T, std::size_t N>
TYPEGRAD_HOST_DEVICE constexpr dual<T, N> operator-(dual<T, N> const& a, dual<T, N> const& b) {
    return detail::dual_apply<ops::subtract, T, N>(a, b);
}
template <class T, std::size_t N>
TYPEGRAD_HOST_DEVICE constexpr dual<T, N> operator*(dual<T, N> const& a, dual<T, N> const& b) {
    return detail::dual_apply<ops::multiply, T, N>(a, b);
}
template <class T, std::size_t N>
TYPEGRAD_HOST_DEVICE constexpr dual<T, N> operator/(dual<T, N> const& a, dual<T, N> const& b) {
    return detail::dual_apply<ops::divide, T, N>(a, b);
}
template <class T, std::size_t N>
TYPEGRAD_HOST_DEVICE constexpr dual<T, N> operator-(dual<T, N> const& a) {
    return detail::dual_apply<ops::negate, T, N>(a);
}
template <class T, std::size_t N>
TYPEGRAD_HOST_DEVICE constexpr dual<T, N>& operator+=(dual<T, N>& a, dual<T, N> const& b) {
    return a = a + b;
}
// A plain number next to a dual is a constant.
template <class T, std::size_t N, class U>
    requires std::is_arithmetic_v<U>
TYPEGRAD_HOST_DEVICE constexpr dual<T, N> operator+(dual<T, N> const& a, U b) { return a + dual<T, N>(b); }
template <class T, std::size_t N, class U>
    requires std::is_arithmetic_v<U>
TYPEGRAD_HOST_DEVICE constexpr dual<T, N> operator+(U a, dual<T, N> const& b) { return dual<T, N>(a) + b; }
template <class T, std::size_t N, class U>
    requires std::is_arithmetic_v<U>
TYPEGRAD_HOST_DEVICE constexpr dual<T, N> operator-(dual<T, N> const& a, U b) { return a - dual<T, N>(b); }
template <class T, std::size_t N, class U>
    requires std::is_arithmetic_v<U>
TYPEGRAD_HOST_DEVICE constexpr dual<T, N> operator-(U a, dual<T, N> const& b) { return dual<T, N>(a) - b; }
template <class T, std::size_t N, class U>
    requires std::is_arithmetic_v<U>
TYPEGRAD_HOST_DEVICE constexpr dual<T, N> operator*(dual<T, N> const& a, U b) { return a * dual<T, N>(b); }
template <class T, std::size_t N, class U>
    requires std::is_arithmetic_v<U>
TYPEGRAD_HOST_DEVICE constexpr dual<T, N> operator*(U a, dual<T, N> const& b) { return dual<T, N>(a) * b; }
template <class T, std::size_t N, class U>
    requires std::is_arithmetic_v<U>
TYPEGRAD_HOST_DEVICE constexpr dual<T, N> operator/(dual<T, N> const& a, U b) { return a / dual<T, N>(b); }
template <class T, std::size_t N, class U>
    requires std::is_arithmetic_v<U>
TYPEGRAD_HOST_DEVICE constexpr dual<T, N> operator/(U a, dual<T, N> const& b) { return dual<T, N>(a) / b; }

// Every operation (exp, sin, a user's lgamma, ...) on duals is the operation's own rule,
// through the one customisation point all operations consult (core/operation.hpp).
template <class T, std::size_t N>
struct number_rule<dual<T, N>> {
    template <class Op, class... D>
    TYPEGRAD_HOST_DEVICE static constexpr dual<T, N> apply(D const&... d) {
        return detail::dual_apply<Op, T, N>(d...);
    }
};

}  // namespace typegrad
