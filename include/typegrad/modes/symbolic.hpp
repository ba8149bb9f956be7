// typegrad/modes/symbolic.hpp: symbolic derivatives; tg::d(f, x) is itself an expression.
//
// The derivative of a node is the sum over its operands of the rule's partial
// (the same `partials` the numeric modes call, here applied to expressions, with
// the node itself as the result y) times the operand's derivative. Construction
// simplifies as it builds (0_c * a is 0_c, 1_c * a is a, a + 0_c is a, constants
// fold), so derivatives of variables that do not occur vanish at compile time
// and second and higher derivatives are derivatives of derivatives. Subtrees of
// empty type stay shared by type, so evaluation computes each once.
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include "../core/constant.hpp"
#include "../core/expression.hpp"
#include "../core/graph.hpp"
#include "../core/tuple.hpp"
#include "../core/var.hpp"
#include "../ops/arithmetic.hpp"

namespace typegrad {

namespace detail {

template <std::size_t Slot, class E>
TYPEGRAD_HOST_DEVICE constexpr auto derivative(E const& e);

template <std::size_t Slot, class E, std::size_t... I>
TYPEGRAD_HOST_DEVICE constexpr auto node_derivative(E const& e, std::index_sequence<I...>) {
    auto const p = E::op::partials(e.template child<I>()..., e);
    return (static_const<0>{} + ... + (get<I>(p) * derivative<Slot>(e.template child<I>())));
}

template <std::size_t Slot, class E>
TYPEGRAD_HOST_DEVICE constexpr auto derivative(E const& e) {
    if constexpr (is_var<E>::value)
        return static_const<(E::slot == Slot) ? 1 : 0>{};
    else if constexpr (leaf<E>)
        return static_const<0>{};
    else
        return node_derivative<Slot>(e, std::make_index_sequence<E::arity>{});
}

}  // namespace detail

/// The derivative of expression f with respect to input variable x, as an
/// expression: print it, evaluate it, or differentiate it again.
template <class F, class X>
TYPEGRAD_HOST_DEVICE constexpr auto d(F const& f, X const&) {
    static_assert(expression<F>, "typegrad: d(f, x) differentiates a typegrad expression; build f from tg::vars");
    static_assert(!std::is_same_v<typename detail::node_op<F>::type, ops::outputs>,
                  "typegrad: d(f, x) takes one expression; differentiate each output of a tg::outputs pack");
    static_assert(variable<X>,
                  "typegrad: d(f, x) differentiates with respect to an input variable; the second argument "
                  "must be a tg::var");
    if constexpr (expression<F> && variable<X> && !std::is_same_v<typename detail::node_op<F>::type, ops::outputs>)
        return detail::derivative<std::remove_cvref_t<X>::slot>(f);
    else
        return static_const<0>{};
}

}  // namespace typegrad
