// typegrad/core/graph.hpp: the expression type as a DAG with a topological order.
//
// A post-order depth-first walk over the expression that skips nodes it has
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
//
// Compile cost grows with the number of nodes, not its square. The walk is one
// constexpr function over per-type descriptions (graph_walk.hpp); node types and
// paths per position come from the parent each node was first reached from; and
// passes key their per-node steps on step_at<K> (the operation and its arity) with
// the child positions as values, so no function is instantiated per node with the
// graph in its name (names of O(n) characters for O(n) functions made g++ spend
// seconds naming them).
#pragma once

#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "constant.hpp"
#include "expression.hpp"
#include "graph_walk.hpp"
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

template <class N, class Path>
using node_key = std::conditional_t<keyed_by_type<N>::value, N, graph_entry<N, Path>>;

template <class Path, std::size_t I>
struct path_append;
template <std::size_t... P, std::size_t I>
struct path_append<std::index_sequence<P...>, I> {
    using type = std::index_sequence<P..., I>;
};

template <class N, std::size_t I>
struct child_type_of;
template <class Op, class... Cs, std::size_t I>
struct child_type_of<node<Op, Cs...>, I> {
    using type = std::tuple_element_t<I, std::tuple<Cs...>>;
};
template <class N, std::size_t I>
using child_type = typename child_type_of<N, I>::type;

// The node type and path at position K, from the parent the walk first reached it from.
template <class E, std::size_t K, std::size_t Parent = graph_walk<E>::table.node[K].parent,
          std::size_t Index = graph_walk<E>::table.node[K].index>
struct node_at {
    using type = child_type<typename node_at<E, Parent>::type, Index>;
    using path = typename path_append<typename node_at<E, Parent>::path, Index>::type;
};
template <class E, std::size_t K, std::size_t Index>
    requires(roots_of<E>::pack)
struct node_at<E, K, npos, Index> {
    using type = child_type<E, Index>;
    using path = std::index_sequence<Index>;
};
template <class E, std::size_t K, std::size_t Index>
    requires(!roots_of<E>::pack)
struct node_at<E, K, npos, Index> {
    using type = E;
    using path = std::index_sequence<>;
};

template <class E, class Seq>
struct entry_list;
template <class E, std::size_t... K>
struct entry_list<E, std::index_sequence<K...>> {
    using type = type_list<graph_entry<typename node_at<E, K>::type, typename node_at<E, K>::path, K>...>;
    using keys = type_list<node_key<typename node_at<E, K>::type, typename node_at<E, K>::path>...>;
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

/// The child positions of a node (unused ones are 0). Passes hand them to a node's
/// step as a value, so the step is instantiated once per operation; after inlining
/// every index is a constant. (Its subscript is forced inline: std::array's is not,
/// and thousands of uninlined calls made g++'s inliner heuristics quadratic.)
struct child_positions {
    std::size_t at[max_arity]{};
    TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr std::size_t operator[](std::size_t i) const { return at[i]; }
};

/// What the passes need to know about one entry, as plain constexpr data.
struct entry_shape {
    std::size_t arity = 0;
    child_positions child{};
    bool is_var = false;
    std::size_t slot = 0;
};

/// A node's operation with its arity: what a pass's per-node step is keyed on, so
/// that step instantiations are named by the operation, not by the node type.
template <class Op, std::size_t Arity>
struct op_step {
    using op = Op;
    static constexpr std::size_t arity = Arity;
};

template <class N>
struct step_of {
    using type = N;  // a leaf stands for itself
};
template <class Op, class... Cs>
struct step_of<node<Op, Cs...>> {
    using type = op_step<Op, sizeof...(Cs)>;
};

template <class T>
inline constexpr bool is_op_step = false;
template <class Op, std::size_t A>
inline constexpr bool is_op_step<op_step<Op, A>> = true;

template <class Shapes, std::size_t K, class Seq>
struct children_seq_of;
template <class Shapes, std::size_t K, std::size_t... I>
struct children_seq_of<Shapes, K, std::index_sequence<I...>> {
    using type = std::index_sequence<Shapes::shapes[K].child[I]...>;
};

}  // namespace typegrad::detail

namespace typegrad {

/// The graph of expression type E (or of the outputs of a tg::outputs pack): its
/// distinct nodes in topological order.
template <class E>
struct graph {
    using walk = detail::graph_walk<E>;

    /// Number of distinct nodes (shared subexpressions counted once).
    static constexpr std::size_t size = walk::size;
    static constexpr std::size_t root = size - 1;
    /// Positions of the outputs: the root, or each output of a tg::outputs pack.
    static constexpr auto outputs = walk::table.outputs;
    /// One more than the highest input slot used.
    static constexpr std::size_t slots = walk::table.slots;
    /// Run-time numbers held by the nodes (each distinct leaf once).
    static constexpr std::size_t constants = walk::table.constants;

    /// The node type at position K.
    template <std::size_t K>
    using node_at = typename detail::node_at<E, K>::type;
    /// The entry at position K: graph_entry<node, path of its first occurrence, K>.
    template <std::size_t K>
    using entry_at = detail::graph_entry<node_at<K>, typename detail::node_at<E, K>::path, K>;
    /// What a pass's step at position K is keyed on: op_step<Op, arity>, or the leaf type.
    template <std::size_t K>
    using step_at = typename detail::step_of<node_at<K>>::type;
    /// The child positions of entry K as a sequence.
    template <std::size_t K>
    using children_at = typename detail::children_seq_of<graph, K, std::make_index_sequence<walk::table.node[K].arity>>::type;

    /// graph_entry<Node, Path, Pos>..., children before parents; the root is last.
    using entries = typename detail::entry_list<E, std::make_index_sequence<size>>::type;
    using key_map = typename detail::key_index_map<typename detail::entry_list<E, std::make_index_sequence<size>>::keys>::type;

    static constexpr std::array<detail::entry_shape, size> shapes = [] {
        std::array<detail::entry_shape, size> s{};
        for (std::size_t k = 0; k < size; ++k) {
            auto const& w = walk::table.node[k];
            s[k].arity = w.arity;
            for (std::size_t i = 0; i < detail::max_arity; ++i) s[k].child.at[i] = w.child[i];
            s[k].is_var = w.is_var;
            s[k].slot = w.slot;
        }
        return s;
    }();
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
    return detail::at_path(n.template child<P>(), std::index_sequence<Rest...>{});
}
}  // namespace detail

}  // namespace typegrad
