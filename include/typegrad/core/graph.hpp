// typegrad/core/graph.hpp: the expression type as a DAG with a topological order.
//
// A post-order depth-first walk over the expression type that skips nodes it has
// already seen gives every distinct node once, children before parents. Every
// pass (value, tangent, adjoint) runs over this order; values live in one flat
// array indexed by it, so there is no recursion at run time and no tape.
//
// Which nodes are "the same": an empty type holds no run-time data, so two
// subtrees of the same empty type are the same computation and are keyed by type.
// A node that holds run-time constants is keyed by its path from the root, so two
// such nodes are never merged because their types agree (`x*2.0` and `x*3.0` have
// one type); users share them explicitly with `tg::let`, whose node is keyed by
// its type (name included).
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "expression.hpp"
#include "type_list.hpp"
#include "var.hpp"

namespace typegrad::detail {

/// A visited node with the path (child indices from the root) of its first occurrence.
template <class Node, class Path, std::size_t Pos = 0>
struct graph_entry {
    using node = Node;
    using path = Path;
    static constexpr std::size_t pos = Pos;
};

template <class N>
struct op_shares_by_type : std::false_type {};
template <class Op, class... Cs>
    requires requires { Op::shared_by_type; }
struct op_shares_by_type<node<Op, Cs...>> : std::bool_constant<Op::shared_by_type> {};

template <class N, class Path>
using node_key = std::conditional_t<std::is_empty_v<N> || op_shares_by_type<N>::value, N, graph_entry<N, Path>>;

template <class Path, std::size_t I>
struct path_append;
template <std::size_t... P, std::size_t I>
struct path_append<std::index_sequence<P...>, I> {
    using type = std::index_sequence<P..., I>;
};

template <class Entries, class Keys>
struct walk_state {
    using entries = Entries;
    using keys = Keys;
};

template <class State, class N, class Path, bool Seen = list_contains<typename State::keys, node_key<N, Path>>::value>
struct visit;

template <class State, class Path, class Children, std::size_t I>
struct visit_children {
    using type = State;
};
template <class State, class Path, class C, class... Rest, std::size_t I>
struct visit_children<State, Path, type_list<C, Rest...>, I> {
    using after_first = typename visit<State, C, typename path_append<Path, I>::type>::type;
    using type = typename visit_children<after_first, Path, type_list<Rest...>, I + 1>::type;
};

template <class State, class N, class Path>
struct visit<State, N, Path, true> {
    using type = State;
};
template <class State, class N, class Path>
struct visit<State, N, Path, false> {
    using after = typename visit_children<State, Path, typename children_of<N>::type, 0>::type;
    using type = walk_state<typename list_append<typename after::entries, graph_entry<N, Path>>::type,
                            typename list_append<typename after::keys, node_key<N, Path>>::type>;
};

}  // namespace typegrad::detail

namespace typegrad::ops {
/// Several outputs of one function: the graph walk visits the forest of its
/// children together (sharing what they share); the pack itself is no node of it.
struct outputs {
    static constexpr char const* name = "outputs";
};
}  // namespace typegrad::ops

namespace typegrad::detail {

template <class E>
struct graph_state {
    using type = typename visit<walk_state<type_list<>, type_list<>>, E, std::index_sequence<>>::type;
};
template <class... Es>
struct graph_state<node<ops::outputs, Es...>> {
    using type =
        typename visit_children<walk_state<type_list<>, type_list<>>, std::index_sequence<>, type_list<Es...>, 0>::type;
};

template <class Map, class E>
struct output_positions {
    static constexpr std::array<std::size_t, 1> value{index_of<Map, node_key<E, std::index_sequence<>>>};
};
template <class Map, class... Es>
struct output_positions<Map, node<ops::outputs, Es...>> {
    static constexpr auto value = []<std::size_t... J>(std::index_sequence<J...>) {
        return std::array<std::size_t, sizeof...(Es)>{index_of<Map, node_key<Es, std::index_sequence<J>>>...};
    }(std::index_sequence_for<Es...>{});
};

template <class Entries, class Seq>
struct number_entries;
template <class... Es, std::size_t... K>
struct number_entries<type_list<Es...>, std::index_sequence<K...>> {
    using type = type_list<graph_entry<typename Es::node, typename Es::path, K>...>;
};

template <class Keys>
struct key_index_map;
template <class... Keys>
struct key_index_map<type_list<Keys...>> {
    using type = index_map<Keys...>;
};

template <class E>
struct var_slot_count {
    static constexpr std::size_t value = 0;
};
template <std::size_t I, class Name>
struct var_slot_count<var<I, Name>> {
    static constexpr std::size_t value = I + 1;
};

template <class Entries>
struct max_slots;
template <class... Es>
struct max_slots<type_list<Es...>> {
    static constexpr std::size_t value = [] {
        std::size_t m = 0;
        for (std::size_t c : {std::size_t{0}, var_slot_count<typename Es::node>::value...})
            if (c > m) m = c;
        return m;
    }();
};

// Entry K by overload resolution on its position (no deduction of E; see index_map).
template <std::size_t K, class E>
struct pos_tag {
    static E entry(std::integral_constant<std::size_t, K>*);
};
template <class Entries>
struct entry_index_impl;
template <class... Es>
struct entry_index_impl<type_list<Es...>> : pos_tag<Es::pos, Es>... {
    using pos_tag<Es::pos, Es>::entry...;
};
template <class Entries>
using entry_index = entry_index_impl<Entries>;

/// The most operands an operation may have (select has three, tg::concat up to eight).
inline constexpr std::size_t max_arity = 8;

/// What the passes need to know about one entry, as plain constexpr data.
struct entry_shape {
    std::size_t arity = 0;
    std::array<std::size_t, max_arity> child{};
    bool is_var = false;
    std::size_t slot = 0;
};

template <class Map, class N, class Path>
struct shape_of {
    static constexpr entry_shape value = [] {
        entry_shape s{};
        if constexpr (is_var<N>::value) {
            s.is_var = true;
            s.slot = N::slot;
        } else if constexpr (is_node<N>::value) {
            static_assert(N::arity <= max_arity, "typegrad operations take at most eight operands");
            s.arity = N::arity;
            [&]<class... Cs, std::size_t... I>(type_list<Cs...>, std::index_sequence<I...>) {
                ((s.child[I] = index_of<Map, node_key<Cs, typename path_append<Path, I>::type>>), ...);
            }(typename N::children{}, std::make_index_sequence<N::arity>{});
        }
        return s;
    }();
};

}  // namespace typegrad::detail

namespace typegrad {

/// The graph of expression type E (or of the outputs of a tg::outputs pack): its
/// distinct nodes in topological order.
template <class E>
struct graph {
    using state = typename detail::graph_state<E>::type;
    /// graph_entry<Node, Path, Pos>..., children before parents; the root is last.
    using entries = typename detail::number_entries<typename state::entries,
                                                    std::make_index_sequence<state::entries::size>>::type;
    using key_map = typename detail::key_index_map<typename state::keys>::type;

    /// Number of distinct nodes (shared subexpressions counted once).
    static constexpr std::size_t size = entries::size;
    static constexpr std::size_t root = size - 1;
    /// Positions of the outputs: the root, or each output of a tg::outputs pack.
    static constexpr auto outputs = detail::output_positions<key_map, E>::value;
    /// One more than the highest input slot used.
    static constexpr std::size_t slots = detail::max_slots<entries>::value;

    /// The entry at position K (constant-time lookup).
    template <std::size_t K>
    using entry_at =
        decltype(detail::entry_index<entries>::entry(static_cast<std::integral_constant<std::size_t, K>*>(nullptr)));

    static constexpr auto shapes = []<class... Es>(detail::type_list<Es...>) {
        return std::array<detail::entry_shape, sizeof...(Es)>{
            detail::shape_of<key_map, typename Es::node, typename Es::path>::value...};
    }(entries{});
};

/// Number of distinct nodes of an expression: its size as a DAG.
template <class E>
inline constexpr std::size_t node_count = graph<std::remove_cvref_t<E>>::size;

namespace detail {
/// The node object at a path from the root (by value: nodes are small, leaves smaller).
template <class N>
TYPEGRAD_HOST_DEVICE constexpr auto at_path(N const& n, std::index_sequence<>) {
    return n;
}
template <class N, std::size_t P, std::size_t... Rest>
TYPEGRAD_HOST_DEVICE constexpr auto at_path(N const& n, std::index_sequence<P, Rest...>) {
    return at_path(n.template child<P>(), std::index_sequence<Rest...>{});
}
}  // namespace detail

}  // namespace typegrad
