// typegrad/core/type_list.hpp: plain type lists, a key-to-position map, index subsets.
//
// Whole-graph algorithms run over hundreds of node types, so they use packs,
// fold expressions and constexpr data rather than Hana algorithms (DESIGN.md
// measured 9-18x slower compiles with Hana there).
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

namespace typegrad::detail {

template <class... Ts>
struct type_list {
    static constexpr std::size_t size = sizeof...(Ts);
};

template <class T>
struct type_tag {};

// Position lookup: a map from key to index. Each key contributes one non-template
// overload of `position`; looking a key up is overload resolution, which compares
// types by identity. (Deducing I from a base index_tag<Key, I> instead made g++
// compare nested key types structurally: exponential in depth for shared DAGs.)
template <class Key, std::size_t I>
struct index_tag {
    static constexpr std::size_t position(type_tag<Key>*) { return I; }
};

template <class Keys, class Seq>
struct index_map_impl;
template <class... Keys, std::size_t... I>
struct index_map_impl<type_list<Keys...>, std::index_sequence<I...>> : index_tag<Keys, I>... {
    using index_tag<Keys, I>::position...;
};

template <class... Keys>
using index_map = index_map_impl<type_list<Keys...>, std::make_index_sequence<sizeof...(Keys)>>;

template <class Map, class Key>
inline constexpr std::size_t index_of = Map::position(static_cast<type_tag<Key>*>(nullptr));

template <class>
inline constexpr bool dependent_false = false;

/// A subset of the indices 0..N-1 as constexpr data; subset_sequence turns it into an
/// index_sequence (a pack to expand over only the chosen indices).
template <std::size_t N>
struct index_subset {
    std::array<std::size_t, N == 0 ? 1 : N> index{};
    std::size_t count = 0;
};

template <std::size_t N>
constexpr index_subset<N> subset_where(std::array<bool, N> const& chosen) {
    index_subset<N> s{};
    for (std::size_t i = 0; i < N; ++i)
        if (chosen[i]) s.index[s.count++] = i;
    return s;
}

template <auto S, class Seq = std::make_index_sequence<S.count>>
struct subset_sequence;
template <auto S, std::size_t... J>
struct subset_sequence<S, std::index_sequence<J...>> {
    using type = std::index_sequence<S.index[J]...>;
};

}  // namespace typegrad::detail
