// typegrad/modes/jacobian.hpp: Jacobians, vector-Jacobian and Jacobian-vector
// products of functions with several outputs.
//
// Forward vector mode pushes n tangent lanes (one per input) through one pass;
// reverse mode runs m adjoint sweeps (one per output) over one shared value pass.
// Forward costs about n times a value pass, reverse about m times, so the
// automatic choice (made at compile time) is forward when n <= m, else reverse.
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "../core/matrix.hpp"
#include "forward.hpp"
#include "inputs.hpp"
#include "outputs.hpp"
#include "reverse.hpp"

namespace typegrad {

/// Mode tag: let typegrad choose forward or reverse from the numbers of inputs and outputs.
struct automatic {};

/// The mode the automatic choice takes for n inputs and m outputs.
template <std::size_t N, std::size_t M>
using chosen_mode = std::conditional_t<(N <= M), forward, reverse>;

/// Values of the m outputs and the m x n Jacobian: J(i, j) = d output_i / d input_j.
template <class T, std::size_t M, std::size_t N>
struct jacobian_result {
    std::array<T, M> value;
    matrix<T, M, N> jacobian;
};

/// Values of the m outputs and w^T J, the gradient of sum_i w_i output_i.
template <class T, std::size_t M, std::size_t N>
struct vjp_result {
    std::array<T, M> value;
    std::array<T, N> gradient;
};


namespace detail {

// The node of output J as a constant: device code may read a constexpr scalar, but not
// index the host array G::outputs at run time.
template <class G, std::size_t J>
inline constexpr std::size_t output_node = G::outputs[J];

template <class G, class T, std::size_t... J>
TYPEGRAD_HOST_DEVICE constexpr std::array<T, sizeof...(J)> output_values_of(T const* vals, std::index_sequence<J...>) {
    return {vals[output_node<G, J>]...};
}

template <class G, class T, std::size_t M>
TYPEGRAD_HOST_DEVICE constexpr std::array<T, M> output_values(T const* vals) {
    return output_values_of<G, T>(vals, std::make_index_sequence<M>{});
}

template <bool Depends, std::size_t Pos, std::size_t Lane, class T, std::size_t L>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr T jacobian_entry(T const (*tans)[L]) {
    if constexpr (Depends)
        return tans[Pos][Lane];
    else
        return T(0);
}

// Entry J of the row-major Jacobian is output J / N along lane J % N.
template <class G, class T, std::size_t M, std::size_t N, std::size_t L, std::size_t... J>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void forward_rows(T const (*tans)[L], matrix<T, M, N>& j,
                                                                 std::index_sequence<J...>) {
    [[maybe_unused]] int const order[] = {
        0, (j.data[J] = jacobian_entry<depends<G, T>(G::outputs[J / N], J % N), G::outputs[J / N], J % N>(tans), 0)...};
}

template <class G, class T, std::size_t Out, std::size_t M, std::size_t N>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int reverse_row(T const* vals, T* adj, matrix<T, M, N>& j) {
    constexpr std::size_t p = G::outputs[Out];
    using seeds = std::index_sequence<p>;
    if constexpr (plan<G, T>.active[p]) adj[p] = T(1);
    reverse_sweep<G, T, seeds>(vals, adj);
    std::array<T, N> const row = gather_gradient<G, T, seeds, N>(adj);
    for (std::size_t c = 0; c < N; ++c) j(Out, c) = row[c];
    return 0;
}

template <class G, class T, std::size_t M, std::size_t N, std::size_t... Out>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void reverse_rows(T const* vals, T* adj, matrix<T, M, N>& j,
                                                                 std::index_sequence<Out...>) {
    [[maybe_unused]] int const order[] = {0, reverse_row<G, T, Out>(vals, adj, j)...};
}

template <class Mode, class F, class T, std::size_t N>
constexpr auto jacobian_at(F const& f, std::array<T, N> const& x) {
    static_assert(mode<Mode> || std::is_same_v<Mode, automatic>,
                  "typegrad: the mode must be tg::forward, tg::reverse or tg::automatic");
    auto const outs = detail::to_outputs<N>(f);
    using P = std::remove_cvref_t<decltype(outs)>;
    using G = graph<P>;
    static_assert(check_inputs<G, N>());
    constexpr std::size_t M = output_count<P>;
    using chosen = std::conditional_t<std::is_same_v<Mode, automatic>, chosen_mode<N, M>, Mode>;
    jacobian_result<T, M, N> r{};
    T vals[G::size];
    if constexpr (std::is_same_v<chosen, forward>) {
        constexpr std::size_t L = N == 0 ? 1 : N;
        T tans[G::size][L];
        detail::forward_unit<G, T, L>(outs, x.data(), vals, tans);
        forward_rows<G, T>(tans, r.jacobian, std::make_index_sequence<M * N>{});
    } else {
        detail::compute_values<G>(outs, x.data(), vals);
        T adj[G::size];
        reverse_rows<G, T>(vals, adj, r.jacobian, std::make_index_sequence<M>{});
    }
    r.value = output_values<G, T, M>(vals);
    return r;
}

// Output J's weight goes to its node; an output listed twice gets the sum.
template <std::size_t M>
constexpr bool first_of_output(std::array<std::size_t, M> const& outputs, std::size_t j) {
    for (std::size_t i = 0; i < j; ++i)
        if (outputs[i] == outputs[j]) return false;
    return true;
}

template <bool Active, bool First, std::size_t J, std::size_t Pos, class T, class W, std::size_t M>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int seed_output(std::array<W, M> const& weights, T* adj) {
    if constexpr (Active) {
        if constexpr (First)
            adj[Pos] = static_cast<T>(weights[J]);
        else
            adj[Pos] += static_cast<T>(weights[J]);
    }
    return 0;
}

template <class G, class T, class W, std::size_t M, std::size_t... J>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void seed_outputs(std::array<W, M> const& weights, T* adj,
                                                                 std::index_sequence<J...>) {
    [[maybe_unused]] int const order[] = {
        0, seed_output<plan<G, T>.active[G::outputs[J]], first_of_output(G::outputs, J), J, G::outputs[J]>(weights, adj)...};
}

template <class G, class Seq>
struct all_outputs;
template <class G, std::size_t... J>
struct all_outputs<G, std::index_sequence<J...>> {
    using type = std::index_sequence<G::outputs[J]...>;
};

}  // namespace detail

/// Values and Jacobian of a function with several outputs (tg::outputs(...), a
/// std::tuple of expressions, or a callable returning one). Mode: tg::automatic
/// (default), tg::forward (one pass, n lanes) or tg::reverse (m sweeps).
template <class Mode = automatic, class F, class... Args>
constexpr auto jacobian(F const& f, Args const&... args) {
    return detail::jacobian_at<Mode>(f, detail::make_point(args...));
}

/// Values and w^T J in one reverse sweep seeded with the weights w at the outputs.
template <class F, class A, class W, std::size_t N, std::size_t M>
constexpr auto vjp(F const& f, std::array<A, N> const& point, std::array<W, M> const& weights) {
    auto const x = detail::make_point(point);
    using T = typename decltype(x)::value_type;
    auto const outs = detail::to_outputs<N>(f);
    using P = std::remove_cvref_t<decltype(outs)>;
    using G = graph<P>;
    static_assert(detail::check_inputs<G, N>());
    static_assert(detail::output_count<P> == M, "typegrad: vjp needs one weight per output of the function");
    using seeds = typename detail::all_outputs<G, std::make_index_sequence<M>>::type;
    T vals[G::size];
    detail::compute_values<G>(outs, x.data(), vals);
    T adj[G::size];
    detail::seed_outputs<G, T>(weights, adj, std::make_index_sequence<M>{});
    detail::reverse_sweep<G, T, seeds>(vals, adj);
    return vjp_result<T, M, N>{detail::output_values<G, T, M>(vals), detail::gather_gradient<G, T, seeds, N>(adj)};
}

}  // namespace typegrad
