// typegrad/core/type_list.hpp: plain type lists and constant-time membership tests.
//
// Whole-graph algorithms run over hundreds of node types, so they use packs and
// fold expressions rather than Hana algorithms (DESIGN.md measured 9-18x slower
// compiles with Hana there). Membership uses base-class lookup, which compilers
// answer without walking the pack element by element.
#pragma once

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

// A set of distinct types as bases: `contains` is a base-of test.
template <class... Ts>
struct type_set : type_tag<Ts>... {};

template <class List, class T>
struct list_contains;
template <class... Ts, class T>
struct list_contains<type_list<Ts...>, T> : std::is_base_of<type_tag<T>, type_set<Ts...>> {};

template <class List, class T>
struct list_append;
template <class... Ts, class T>
struct list_append<type_list<Ts...>, T> {
    using type = type_list<Ts..., T>;
};

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

}  // namespace typegrad::detail
