// typegrad/exec/contraction.hpp: how the array executors take tg::dot out of an
// expression before the element-wise passes.
//
// Each distinct dot node becomes a new input variable (slots N, N+1, ... after the
// N inputs); the executor fills those slots with the sums and, in reverse, sends
// their adjoints back along the contracted axis. The rest of the expression is then
// an ordinary element-wise expression that every mode handles.
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>

#include "../core/graph.hpp"
#include "../core/var.hpp"
#include "../ops/contraction.hpp"

namespace typegrad::detail {

template <class Acc, class Entries>
struct collect_dots;
template <class Acc>
struct collect_dots<Acc, type_list<>> {
    using type = Acc;
};
template <class... Ds, class E, class... Es>
struct collect_dots<type_list<Ds...>, type_list<E, Es...>>
    : collect_dots<std::conditional_t<is_dot_node<typename E::node>, type_list<Ds..., typename E::node>,
                                      type_list<Ds...>>,
                   type_list<Es...>> {};

/// The distinct dot nodes of an expression (or outputs pack), in topological order.
template <class E>
using dots_of = typename collect_dots<type_list<>, typename graph<E>::entries>::type;

template <class D>
struct dot_operands;
template <class A, class B>
struct dot_operands<node<ops::dot_op, A, B>> {
    static constexpr std::size_t a = A::slot;
    static constexpr std::size_t b = B::slot;
};

/// Slots of the operands of each dot: {a0, b0, a1, b1, ...}.
template <class Dots>
struct dot_slots;
template <class... Ds>
struct dot_slots<type_list<Ds...>> {
    static constexpr std::array<std::size_t, 2 * sizeof...(Ds)> value = [] {
        std::array<std::size_t, 2 * sizeof...(Ds)> s{};
        std::size_t k = 0;
        ((s[k++] = dot_operands<Ds>::a, s[k++] = dot_operands<Ds>::b), ...);
        return s;
    }();
};

template <std::size_t Base, class Dots, class E>
constexpr auto replace_dots(E const& e);

template <std::size_t Base, class Dots, class Op, class... Cs, std::size_t... I>
constexpr auto replace_dots_in_node(node<Op, Cs...> const& n, std::index_sequence<I...>) {
    return make_node<Op>(replace_dots<Base, Dots>(n.template child<I>())...);
}

template <class Dots, class D>
struct dot_position;
template <class... Ds, class D>
struct dot_position<type_list<Ds...>, D> {
    static constexpr std::size_t value = index_of<index_map<Ds...>, D>;
};

/// E with every dot node replaced by var<Base + its position in Dots>.
template <std::size_t Base, class Dots, class E>
constexpr auto replace_dots(E const& e) {
    if constexpr (Dots::size == 0)
        return e;
    else if constexpr (is_dot_node<E>)
        return var<Base + dot_position<Dots, E>::value>{};
    else if constexpr (is_node<E>::value)
        return replace_dots_in_node<Base, Dots>(e, std::make_index_sequence<E::arity>{});
    else
        return e;
}

/// Which input slots the (dot-free) expression reads element by element.
template <class Entries, std::size_t N>
struct slots_used;
template <class... Es, std::size_t N>
struct slots_used<type_list<Es...>, N> {
    static constexpr std::array<bool, N == 0 ? 1 : N> value = [] {
        std::array<bool, N == 0 ? 1 : N> u{};
        // A void-typed fold: nvcc warns about a discarded bool.
        ((is_var<typename Es::node>::value && var_slot_count<typename Es::node>::value - 1 < N
              ? void(u[var_slot_count<typename Es::node>::value - 1] = true)
              : void()),
         ...);
        return u;
    }();
};

}  // namespace typegrad::detail
