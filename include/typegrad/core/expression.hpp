// typegrad/core/expression.hpp: what an expression is, and the node that joins them.
//
// An expression is a tree of small structs whose type is the computational graph.
// Children are stored by value, never by reference, so `auto y = x * 2.0;` cannot
// dangle. A child of empty type is not stored at all (it is rebuilt as `C{}` on
// access), so an expression without run-time constants is itself an empty type.
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include "../config.hpp"
#include "type_list.hpp"

namespace typegrad {

// Said when an expression is assigned one of another type, as in `e = e + x` in a loop.
#define TYPEGRAD_FIXED_GRAPH_MESSAGE                                                                               \
    "typegrad: an expression's type is its graph, so it cannot be assigned an expression of another type (as in " \
    "e = e + x in a loop): the size of a graph is fixed by its type. For a sum over a run-time count, bind an "   \
    "array to a variable and use tg::sum (array programs); for a fixed count, fold over a std::index_sequence"

/// True for typegrad expression types (nodes and leaves).
template <class T>
concept expression = requires { std::remove_cvref_t<T>::is_typegrad_expression; };

/// A user scalar type opts in to being evaluated through typegrad by specialising this.
template <class T>
struct is_scalar : std::is_arithmetic<T> {};
template <>
struct is_scalar<bool> : std::false_type {};

/// A plain number: an arithmetic type (not bool) or a registered scalar type.
template <class T>
concept scalar = is_scalar<std::remove_cvref_t<T>>::value;

namespace detail {

template <std::size_t I, class C, bool Empty = std::is_empty<C>::value>
struct child_store {
    C stored;
    constexpr child_store() = default;
    TYPEGRAD_HOST_DEVICE constexpr explicit child_store(C const& c) : stored(c) {}
    TYPEGRAD_HOST_DEVICE constexpr C const& get() const { return stored; }
};

// Empty children take no space: the node rebuilds them on access.
template <std::size_t I, class C>
struct child_store<I, C, true> {
    constexpr child_store() = default;
    TYPEGRAD_HOST_DEVICE constexpr explicit child_store(C const&) {}
    TYPEGRAD_HOST_DEVICE constexpr C get() const { return C{}; }
};

// An operation with run-time parameters (slice bounds, reshape extents) is stored in
// its node; an empty one (every scalar operation) takes no space and is rebuilt.
template <class Op, bool Empty = std::is_empty_v<Op>>
struct op_store {
    Op stored_op;
    constexpr op_store() = default;
    TYPEGRAD_HOST_DEVICE constexpr explicit op_store(Op const& op) : stored_op(op) {}
    TYPEGRAD_HOST_DEVICE constexpr Op const& get_op() const { return stored_op; }
};
template <class Op>
struct op_store<Op, true> {
    constexpr op_store() = default;
    TYPEGRAD_HOST_DEVICE constexpr explicit op_store(Op const&) {}
    TYPEGRAD_HOST_DEVICE constexpr Op get_op() const { return Op{}; }
};

template <class Seq, class... Cs>
struct child_stores;
template <std::size_t... I, class... Cs>
struct child_stores<std::index_sequence<I...>, Cs...> : child_store<I, Cs>... {
    constexpr child_stores() = default;
    TYPEGRAD_HOST_DEVICE constexpr explicit child_stores(Cs const&... cs) : child_store<I, Cs>(cs)... {}
};

}  // namespace detail

/// An operation `Op` applied to child expressions. `Op` holds the rule: its value
/// and its local partial derivatives (or, for an array operation, its adjoint rule),
/// read by every mode. An `Op` with data members (its parameters) is stored in the node.
template <class Op, class... Cs>
struct node : detail::op_store<Op>, detail::child_stores<std::index_sequence_for<Cs...>, Cs...> {
    static_assert((expression<Cs> && ...), "every operand of a typegrad node must be a typegrad expression");
    static constexpr bool is_typegrad_expression = true;
    using op = Op;
    using children = detail::type_list<Cs...>;
    static constexpr std::size_t arity = sizeof...(Cs);

    constexpr node() = default;
    TYPEGRAD_HOST_DEVICE constexpr explicit node(Cs const&... cs)
        : detail::op_store<Op>(Op{}), detail::child_stores<std::index_sequence_for<Cs...>, Cs...>(cs...) {}
    TYPEGRAD_HOST_DEVICE constexpr node(Op const& o, Cs const&... cs)
        : detail::op_store<Op>(o), detail::child_stores<std::index_sequence_for<Cs...>, Cs...>(cs...) {}

    /// The operation with its parameters (a copy of Op{} when it has none).
    TYPEGRAD_HOST_DEVICE constexpr decltype(auto) operation() const { return this->get_op(); }

    template <std::size_t I>
    TYPEGRAD_HOST_DEVICE constexpr decltype(auto) child() const {
        using C = std::tuple_element_t<I, std::tuple<Cs...>>;
        return static_cast<detail::child_store<I, C> const&>(*this).get();
    }

    // Misuse caught with one sentence: `if (x > 0)` in a generic callable, and `e = e + x` in a
    // loop. Neither is ever valid; these exist only to say so.
    TYPEGRAD_HOST_DEVICE constexpr explicit operator bool() const {
        static_assert(sizeof(Op) == 0,
                      "typegrad: an expression is not a bool: a comparison of expressions (x > 0) is itself an "
                      "expression, so if, ?:, && and || cannot branch on it; write tg::select(condition, a, b)");
        return false;
    }
    template <class E>
        requires(expression<E> && !std::is_same_v<E, node>)
    TYPEGRAD_HOST_DEVICE constexpr node& operator=(E const&) {
        static_assert(sizeof(E) == 0, TYPEGRAD_FIXED_GRAPH_MESSAGE);
        return *this;
    }
};

namespace detail {
template <class T>
struct is_node : std::false_type {};
template <class Op, class... Cs>
struct is_node<node<Op, Cs...>> : std::true_type {};

template <class T>
struct children_of {
    using type = type_list<>;
};
template <class Op, class... Cs>
struct children_of<node<Op, Cs...>> {
    using type = type_list<Cs...>;
};
}  // namespace detail

/// A leaf is an expression with no children: an input variable or a constant.
template <class T>
concept leaf = expression<T> && !detail::is_node<std::remove_cvref_t<T>>::value;

/// Builds the node for `Op` over the given (already expression) operands.
template <class Op, class... Cs>
TYPEGRAD_HOST_DEVICE constexpr node<Op, Cs...> make_node(Cs const&... cs) {
    return node<Op, Cs...>(cs...);
}
/// Builds the node of an operation that carries parameters.
template <class Op, class... Cs>
TYPEGRAD_HOST_DEVICE constexpr node<Op, Cs...> make_node_with(Op const& op, Cs const&... cs) {
    return node<Op, Cs...>(op, cs...);
}

}  // namespace typegrad

namespace typegrad::detail {
/// The operation of a node type (void for leaves).
template <class T>
struct node_op {
    using type = void;
};
template <class Op, class... Cs>
struct node_op<node<Op, Cs...>> {
    using type = Op;
};
}  // namespace typegrad::detail
