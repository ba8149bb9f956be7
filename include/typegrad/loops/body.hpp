// typegrad/loops/body.hpp: a loop body as a type.
//
// The step callable is called once, when the loop is built, with placeholder
// variables for the state. What it returns is an expression of the placeholders,
// of outer variables and of run-time numbers. It is rewritten so that the
// placeholders become inputs 0..K-1 and the outer variables inputs K..K+F-1 (in
// the order they first occur): the body is then an ordinary expression with
// several outputs, run by the ordinary passes at every step. Its run-time numbers
// stay where they are; the loop keeps a copy of them in the graph (fori.hpp).
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include "../core/expression.hpp"
#include "../core/graph.hpp"
#include "../core/node_desc.hpp"
#include "../core/type_list.hpp"
#include "../core/var.hpp"
#include "../modes/outputs.hpp"

namespace typegrad::detail {

/// Where the placeholder slots of a loop start: far above any user's slot, and apart
/// for loops nested in one another (tg::d inside a body tells variables by slot).
template <class Tag>
inline constexpr std::size_t placeholder_base = (std::size_t{1} << 24) + (type_hash<Tag>() % 65521u) * 16u;

template <std::size_t I>
using state_name = std::conditional_t<(I < 10), name_tag<'s', static_cast<char>('0' + I % 10)>,
                                      name_tag<'s', static_cast<char>('0' + I / 10 % 10), static_cast<char>('0' + I % 10)>>;

/// Placeholder I of the loop named Tag: the state the step is called with.
template <class Tag, std::size_t I>
using placeholder = var<placeholder_base<Tag> + I, state_name<I>>;

template <class Tag, std::size_t K, class V>
inline constexpr bool is_own_placeholder = false;
template <class Tag, std::size_t K, std::size_t S, class Name>
inline constexpr bool is_own_placeholder<Tag, K, var<S, Name>> =
    S >= placeholder_base<Tag> && S < placeholder_base<Tag> + K && std::is_same_v<Name, state_name<S - placeholder_base<Tag>>>;

/// The outer variables of a raw body (graph G0): each distinct one once, in graph order.
template <class G0, class Tag, std::size_t K>
struct free_variables {
    static constexpr auto set = [] {
        std::array<bool, G0::size> chosen{};
        [&]<std::size_t... P>(std::index_sequence<P...>) {
            ((chosen[P] = G0::shapes[P].is_var && !is_own_placeholder<Tag, K, typename G0::template node_at<P>>), ...);
        }(std::make_index_sequence<G0::size>{});
        return subset_where<G0::size>(chosen);
    }();
    template <class Seq>
    struct list_of;
    template <std::size_t... P>
    struct list_of<std::index_sequence<P...>> {
        using type = type_list<typename G0::template node_at<P>...>;
    };
    using type = typename list_of<typename subset_sequence<set>::type>::type;
};

template <class V, class List>
struct type_position;
template <class V, class... Vs>
struct type_position<V, type_list<Vs...>> {
    static constexpr std::size_t value = [] {
        bool const same[] = {std::is_same_v<V, Vs>..., false};
        std::size_t i = 0;
        while (i < sizeof...(Vs) && !same[i]) ++i;
        return i;
    }();
};

/// The input slot a variable takes in the rewritten body.
template <class Tag, std::size_t K, class Free>
struct body_slots {
    template <class V>
    static constexpr std::size_t of() {
        if constexpr (is_own_placeholder<Tag, K, V>)
            return V::slot - placeholder_base<Tag>;
        else
            return K + type_position<V, Free>::value;
    }
};

template <class Map, class E>
struct rewritten {
    using type = E;  // constants (compile-time or run-time) stay
};
template <class Map, std::size_t S, class Name>
struct rewritten<Map, var<S, Name>> {
    using type = var<Map::template of<var<S, Name>>(), Name>;
};
template <class Map, class Op, class... Cs>
struct rewritten<Map, node<Op, Cs...>> {
    using type = node<Op, typename rewritten<Map, Cs>::type...>;
};

template <class Map, class E>
constexpr auto rewrite(E const& e);

template <class Map, class E, std::size_t... I>
constexpr auto rewrite_node(E const& e, std::index_sequence<I...>) {
    using R = typename rewritten<Map, E>::type;
    return R(e.operation(), detail::rewrite<Map>(e.template child<I>())...);
}

/// The body with its variables renumbered (empty subtrees are rebuilt, never walked).
template <class Map, class E>
constexpr auto rewrite(E const& e) {
    using R = typename rewritten<Map, E>::type;
    if constexpr (std::is_empty_v<R>)
        return R{};
    else if constexpr (leaf<E>)
        return e;
    else
        return detail::rewrite_node<Map>(e, std::make_index_sequence<E::arity>{});
}

/// The step's result as a pack of outputs (one expression, a tuple, an array or a pack).
template <class R>
constexpr auto step_outputs(R const& r) {
    if constexpr (is_vector_function_result<R>)
        return detail::as_outputs(r);
    else
        return typegrad::outputs(detail::as_expression(r));
}

}  // namespace typegrad::detail
