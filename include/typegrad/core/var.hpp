// typegrad/core/var.hpp: input variables.
#pragma once

#include <cstddef>
#include <tuple>
#include <utility>

#include "expression.hpp"
#include "fixed_string.hpp"

namespace typegrad {

/// Input slot I of the inputs handed over at evaluation, with an optional name.
template <std::size_t I, class Name = name_tag<>>
struct var {
    static constexpr bool is_typegrad_expression = true;
    static constexpr std::size_t slot = I;
    using name = Name;

    // `e = e + x` in a loop: never valid (see TYPEGRAD_FIXED_GRAPH_MESSAGE).
    template <class E>
        requires(expression<E> && !std::is_same_v<E, var>)
    TYPEGRAD_HOST_DEVICE constexpr var& operator=(E const&) {
        static_assert(sizeof(E) == 0, TYPEGRAD_FIXED_GRAPH_MESSAGE);
        return *this;
    }
};

template <class T>
struct is_var : std::false_type {};
template <std::size_t I, class Name>
struct is_var<var<I, Name>> : std::true_type {};

/// An input variable expression.
template <class T>
concept variable = is_var<std::remove_cvref_t<T>>::value;

/// `auto [x, y] = tg::vars<2>();` gives inputs 0 and 1.
template <std::size_t N>
constexpr auto vars() {
    return []<std::size_t... I>(std::index_sequence<I...>) { return std::tuple<var<I>...>{}; }(std::make_index_sequence<N>{});
}

/// `auto [x1, x2] = tg::vars<"x1", "x2">();` gives inputs 0 and 1 with names for printing.
template <fixed_string... Names>
    requires(sizeof...(Names) > 0)
constexpr auto vars() {
    return []<std::size_t... I>(std::index_sequence<I...>) {
        return std::tuple{var<I, decltype(detail::make_name_tag<Names>())>{}...};
    }(std::make_index_sequence<sizeof...(Names)>{});
}

/// `auto x1 = tg::named<0, "x1">();` gives input 0 named "x1".
template <std::size_t I, fixed_string Name>
constexpr auto named() {
    return var<I, decltype(detail::make_name_tag<Name>())>{};
}

}  // namespace typegrad
