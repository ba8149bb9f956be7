// typegrad/core/tuple.hpp: a small trivially copyable tuple usable in device code.
//
// std::tuple is not guaranteed trivially copyable and its functions are not
// marked for the device, and Hana's function objects are host globals under nvcc,
// so run-time values (partials, results) travel in this one.
#pragma once

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../config.hpp"

namespace typegrad {

namespace detail {
template <std::size_t I, class T>
struct tuple_leaf {
    T value;
};

template <class Seq, class... Ts>
struct tuple_base;
template <std::size_t... I, class... Ts>
struct tuple_base<std::index_sequence<I...>, Ts...> : tuple_leaf<I, Ts>... {};

template <std::size_t I, class T>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr T const& leaf_get(tuple_leaf<I, T> const& l) {
    return l.value;
}
template <std::size_t I, class T>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr T& leaf_get(tuple_leaf<I, T>& l) {
    return l.value;
}
}  // namespace detail

/// An aggregate tuple: `tuple<double, float>{1.0, 2.f}`; get<I>(t); structured bindings work.
template <class... Ts>
struct tuple : detail::tuple_base<std::index_sequence_for<Ts...>, Ts...> {
    static constexpr std::size_t size = sizeof...(Ts);
};

template <class... Ts>
tuple(Ts...) -> tuple<Ts...>;

template <std::size_t I, class... Ts>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr decltype(auto) get(tuple<Ts...> const& t) {
    return detail::leaf_get<I>(t);
}
template <std::size_t I, class... Ts>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr decltype(auto) get(tuple<Ts...>& t) {
    return detail::leaf_get<I>(t);
}

/// Builds a tuple of the local partial derivatives of an operation (one per operand).
template <class... Ts>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr tuple<Ts...> partials(Ts const&... ps) {
    return tuple<Ts...>{{{ps}...}};
}

}  // namespace typegrad

template <class... Ts>
struct std::tuple_size<typegrad::tuple<Ts...>> : std::integral_constant<std::size_t, sizeof...(Ts)> {};
template <std::size_t I, class... Ts>
struct std::tuple_element<I, typegrad::tuple<Ts...>> : std::tuple_element<I, std::tuple<Ts...>> {};
