// typegrad/modes/values.hpp: the value pass, and tg::value.
#pragma once

#include <array>
#include <cstddef>
#include <utility>

#include "../core/graph.hpp"
#include "../core/operation.hpp"
#include "constants.hpp"
#include "inputs.hpp"

namespace typegrad {

namespace detail {

// Every pass has one function per graph that expands over the positions, and
// per-node steps keyed on small types: the operation (op_step<Op, arity>) or the
// leaf, the position and the child positions. No step carries the graph type, so
// instantiation names stay short and their number grows with the nodes, not with
// the nodes squared. Passes expand over nodes in array initialisers, not fold
// expressions: the elements are evaluated in order, and compilers do not limit
// their count (clang limits nested fold parentheses to 256).

/// A step that does nothing (a leaf in a pass that skips leaves, a node no seed reaches).
struct no_step {};

// ---------------------------------------------------------------------------
// The value pass.

template <class S, class T, std::size_t... I>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr auto op_value(T const* vals, child_positions const c,
                                                             std::index_sequence<I...>) {
    return S::op::value(vals[c[I]]...);
}

/// vals[k] for step S: an operation of the values at c, an input, or a constant.
template <class S, class T>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int value_step(T const* in, T const* rc, T* vals, std::size_t k,
                                                              child_positions const c, std::size_t constant) {
    if constexpr (is_op_step<S>) {
        if constexpr (owns_steps<typename S::op>)
            S::op::values(vals, k, c);
        else
            vals[k] = as<T>(op_value<S>(vals, c, std::make_index_sequence<S::arity>{}));
    }
    else if constexpr (is_var<S>::value)
        vals[k] = in[S::slot];
    else if constexpr (static_constant<S>)
        vals[k] = S::template as<T>();
    else
        vals[k] = rc[constant];
    return 0;
}

template <class G, class T, std::size_t... K>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void values_from(T const* rc, T const* in, T* vals,
                                                                std::index_sequence<K...>) {
    [[maybe_unused]] int const order[] = {0, value_step<typename G::template step_at<K>>(
                                                 in, rc, vals, K, G::shapes[K].child, G::walk::table.node[K].constant)...};
}

template <class G, class T, class E, std::size_t... K>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void compute_values_of(E const& root, T const* in, T* vals,
                                                                      std::index_sequence<K...> order) {
    T rc[G::constants == 0 ? 1 : G::constants];
    if constexpr (G::constants > 0) detail::load_all<G>(root, rc, typename constant_blocks<G>::type{});
    values_from<G>(rc, in, vals, order);
}

/// The value pass with the run-time numbers already loaded (a loop body, evaluated at
/// every step from numbers its loop holds in the graph).
template <class G, class T>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void compute_values_with(T const* rc, T const* in, T* vals) {
    values_from<G>(rc, in, vals, std::make_index_sequence<G::size>{});
}

/// Values of every node in topological order: each distinct node computed once.
template <class G, class T, class E>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void compute_values(E const& root, T const* in, T* vals) {
    compute_values_of<G>(root, in, vals, std::make_index_sequence<G::size>{});
}

template <class S, class T, std::size_t... I>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr auto op_partials(T const* vals, std::size_t k, child_positions const c,
                                                                std::index_sequence<I...>) {
    return S::op::partials(vals[c[I]]..., vals[k]);
}

/// The local partials of node k (step S, children at c), from the values.
template <class S, class T>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr auto node_partials(T const* vals, std::size_t k,
                                                                  child_positions const c) {
    return op_partials<S>(vals, k, c, std::make_index_sequence<S::arity>{});
}

// A deduced return type, so that the body (and its check for several outputs) is
// instantiated wherever tg::value is named, -fsyntax-only included.
template <class F, class T, std::size_t N>
TYPEGRAD_HOST_DEVICE constexpr auto value_at(F const& f, std::array<T, N> const& point) {
    auto const e = detail::to_expression<N>(f);
    using G = graph<std::remove_cvref_t<decltype(e)>>;
    static_assert(check_inputs<G, N>());
    T vals[G::size];
    detail::compute_values<G>(e, point.data(), vals);
    return T(vals[G::root]);
}

}  // namespace detail

/// The value of f at a point: `tg::value(f, 1.5, 0.5)` or `tg::value(f, std::array{1.5, 0.5})`.
template <class F, class... Args>
TYPEGRAD_HOST_DEVICE constexpr auto value(F const& f, Args const&... args) {
    using point_type = decltype(detail::make_point(args...));
    // Here, in the body of a function with a deduced type, so that every compiler checks it
    // even when it only checks syntax (it once returned the last output alone).
    static_assert(!detail::several_outputs_at<F, std::tuple_size_v<point_type>>(),
                  "typegrad: this function has several outputs; use tg::jacobian, tg::vjp or tg::jvp for it");
    return detail::value_at(f, detail::make_point(args...));
}

}  // namespace typegrad
