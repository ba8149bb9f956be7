// typegrad/modes/reverse.hpp: reverse mode (adjoints swept back over the graph).
//
// Values go forward, then adjoints go backward in reverse topological order in a
// compile-time-sized local array: no tape, no heap. Where a node feeds several
// others (a shared subexpression) its adjoint gathers every contribution; the
// first contribution assigns and the rest add, as in hand-written code. A sweep
// starts from a set of seed nodes whose adjoints the caller has set (the root
// with 1 for a gradient; each output with its weight for a vector-Jacobian
// product), so several sweeps can share one value pass. Below a select, where a
// branch not taken has an adjoint of exactly 0, contributions are masked so that
// 0 times an infinite partial stays 0 (known at compile time: only such nodes pay).
#pragma once

#include <array>
#include <cstddef>
#include <utility>

#include "plan.hpp"
#include "values.hpp"

namespace typegrad::detail {

/// What a node's step in a sweep is keyed on: its operation, whether its
/// contributions are masked, which operands receive one and which of those assign.
template <class S, bool Shielded, std::size_t Carries, std::size_t First>
struct reverse_key {};

template <class G, class T, class Seeds, std::size_t K>
using reverse_key_of = std::conditional_t<
    (G::shapes[K].arity > 0 && reverse_plan<G, T, Seeds>.received[K]),
    reverse_key<typename G::template step_at<K>, reverse_plan<G, T, Seeds>.shielded[K],
                operand_mask(plan<G, T>.carries[K]), operand_mask(reverse_plan<G, T, Seeds>.first[K])>,
    no_step>;

template <bool Carry, bool First, bool Shielded, class T, class P>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int push_adjoint(P const& p, T* adj, std::size_t k, std::size_t c) {
    if constexpr (Carry && Shielded) {
        if constexpr (First)
            adj[c] = masked_scale(p, adj[k]);
        else
            adj[c] += masked_scale(p, adj[k]);
    } else if constexpr (Carry) {
        if constexpr (First)
            adj[c] = scale(p, adj[k]);
        else
            adj[c] += scale(p, adj[k]);
    }
    return 0;
}

template <bool Shielded, std::size_t Carries, std::size_t First, class T, class P, std::size_t... I>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void push_adjoints(P const& p, T* adj, std::size_t k,
                                                                  child_positions const c, std::index_sequence<I...>) {
    [[maybe_unused]] int const order[] = {
        0, push_adjoint<((Carries >> I) & 1u) != 0, ((First >> I) & 1u) != 0, Shielded>(get<I>(p), adj, k, c[I])...};
}

template <class T, class S, bool Shielded, std::size_t Carries, std::size_t First>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int reverse_step(T const* vals, T* adj, std::size_t k,
                                                                child_positions const c,
                                                                reverse_key<S, Shielded, Carries, First>) {
    if constexpr (owns_steps<typename S::op>)
        S::op::template adjoints<Carries, First>(vals, adj, k, c);
    else {
        auto const p = node_partials<S>(vals, k, c);
        push_adjoints<Shielded, Carries, First>(p, adj, k, c, std::make_index_sequence<S::arity>{});
    }
    return 0;
}
template <class T>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int reverse_step(T const*, T*, std::size_t, child_positions, no_step) {
    return 0;
}

template <class G, class T, class Seeds, std::size_t... J>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void reverse_sweep_of(T const* vals, T* adj, std::index_sequence<J...>) {
    constexpr std::size_t last = G::size - 1;
    [[maybe_unused]] int const order[] = {
        0, reverse_step(vals, adj, last - J, G::shapes[last - J].child, reverse_key_of<G, T, Seeds, last - J>{})...};
}

/// Adjoints of every node reached from the seeds; the caller has set adj at each seed.
template <class G, class T, class Seeds>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void reverse_sweep(T const* vals, T* adj) {
    reverse_sweep_of<G, T, Seeds>(vals, adj, std::make_index_sequence<G::size>{});
}

/// An input's adjoint into its gradient entry: assigned by the first input of its slot.
template <bool Received, bool First, class T, std::size_t N>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int gather_step(T const* adj, std::array<T, N>& g, std::size_t k,
                                                               std::size_t slot) {
    if constexpr (Received && First)
        g[slot] = adj[k];
    else if constexpr (Received)
        g[slot] += adj[k];
    return 0;
}

template <class G, class T, class Seeds, std::size_t N, std::size_t... K>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void gather_of(T const* adj, std::array<T, N>& g,
                                                              std::index_sequence<K...>) {
    [[maybe_unused]] int const order[] = {
        0, gather_step<G::shapes[K].is_var && reverse_plan<G, T, Seeds>.received[K],
                       reverse_plan<G, T, Seeds>.first_var_of_slot[K]>(adj, g, K, G::shapes[K].slot)...};
}

/// Gathers input adjoints into the gradient (an input used under several names sums).
template <class G, class T, class Seeds, std::size_t N>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr std::array<T, N> gather_gradient(T const* adj) {
    std::array<T, N> g{};
    gather_of<G, T, Seeds>(adj, g, std::make_index_sequence<G::size>{});
    return g;
}

}  // namespace typegrad::detail
