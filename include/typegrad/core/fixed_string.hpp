// typegrad/core/fixed_string.hpp: names of variables and intermediates as types.
//
// A name is written as a string template argument (`tg::vars<"x1", "x2">()`) but
// stored in expression types as a `name_tag<'x', '1'>` character pack: nvcc's
// kernel stub generator cannot spell class-type template arguments, so no
// expression type may contain one (not even through an alias).
#pragma once

#include <cstddef>
#include <string_view>
#include <utility>

namespace typegrad {

/// A string usable as a template argument; only ever used to build a name_tag.
template <std::size_t N>
struct fixed_string {
    char data[N]{};
    static constexpr std::size_t length = N - 1;
    constexpr fixed_string(char const (&s)[N]) {
        for (std::size_t i = 0; i < N; ++i) data[i] = s[i];
    }
};

/// A name as a type. The empty name means "unnamed".
template <char... Cs>
struct name_tag {
    static constexpr char chars[sizeof...(Cs) + 1] = {Cs..., '\0'};
    static constexpr std::string_view view() { return {chars, sizeof...(Cs)}; }
    static constexpr bool empty = sizeof...(Cs) == 0;
};

namespace detail {
template <fixed_string S>
constexpr auto make_name_tag() {
    return []<std::size_t... I>(std::index_sequence<I...>) {
        return name_tag<S.data[I]...>{};
    }(std::make_index_sequence<S.length>{});
}
}  // namespace detail

}  // namespace typegrad
