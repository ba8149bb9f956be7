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

template <class G, class T, class Seeds, std::size_t K, std::size_t I, class P>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int push_adjoint(P const& p, T* adj) {
    if constexpr (plan<G, T>.carries[K][I]) {
        constexpr std::size_t c = G::shapes[K].child[I];
        T contribution{};
        if constexpr (reverse_plan<G, T, Seeds>.shielded[K])
            contribution = masked_scale(get<I>(p), adj[K]);
        else
            contribution = scale(get<I>(p), adj[K]);
        if constexpr (reverse_plan<G, T, Seeds>.first[K][I])
            adj[c] = contribution;
        else
            adj[c] += contribution;
    }
    return 0;
}

template <class G, class T, class Seeds, std::size_t K, class P, std::size_t... I>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void push_adjoints(P const& p, T* adj, std::index_sequence<I...>) {
    [[maybe_unused]] int const order[] = {0, push_adjoint<G, T, Seeds, K, I>(p, adj)...};
}

template <class G, class T, class Seeds, std::size_t K>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int reverse_step(T const* vals, T* adj) {
    if constexpr (G::shapes[K].arity > 0 && reverse_plan<G, T, Seeds>.received[K]) {
        auto const p = partials_at<G, K>(vals);
        push_adjoints<G, T, Seeds, K>(p, adj, std::make_index_sequence<G::shapes[K].arity>{});
    }
    return 0;
}

template <class G, class T, class Seeds, std::size_t... J>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void reverse_sweep_of(T const* vals, T* adj, std::index_sequence<J...>) {
    [[maybe_unused]] int const order[] = {0, reverse_step<G, T, Seeds, G::size - 1 - J>(vals, adj)...};
}

/// Adjoints of every node reached from the seeds; the caller has set adj at each seed.
template <class G, class T, class Seeds>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void reverse_sweep(T const* vals, T* adj) {
    reverse_sweep_of<G, T, Seeds>(vals, adj, std::make_index_sequence<G::size>{});
}

template <class G, class T, class Seeds, std::size_t K, std::size_t N>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int gather_step(T const* adj, std::array<T, N>& g) {
    if constexpr (G::shapes[K].is_var && reverse_plan<G, T, Seeds>.received[K]) {
        if constexpr (reverse_plan<G, T, Seeds>.first_var_of_slot[K])
            g[G::shapes[K].slot] = adj[K];
        else
            g[G::shapes[K].slot] += adj[K];
    }
    return 0;
}

template <class G, class T, class Seeds, std::size_t N, std::size_t... K>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void gather_of(T const* adj, std::array<T, N>& g,
                                                              std::index_sequence<K...>) {
    [[maybe_unused]] int const order[] = {0, gather_step<G, T, Seeds, K>(adj, g)...};
}

/// Gathers input adjoints into the gradient (an input used under several names sums).
template <class G, class T, class Seeds, std::size_t N>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr std::array<T, N> gather_gradient(T const* adj) {
    std::array<T, N> g{};
    gather_of<G, T, Seeds>(adj, g, std::make_index_sequence<G::size>{});
    return g;
}

}  // namespace typegrad::detail
