// typegrad/modes/gradient.hpp: tg::gradient in either mode.
#pragma once

#include <array>
#include <cstddef>

#include "forward.hpp"
#include "inputs.hpp"
#include "reverse.hpp"

namespace typegrad {

/// A value and its gradient: `auto [v, g] = tg::gradient(f, x, y);`, g[i] = df/dx_i.
template <class T, std::size_t N>
struct gradient_result {
    T value;
    std::array<T, N> gradient;
};

namespace detail {

template <bool Depends, std::size_t Lane, class T, std::size_t L>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr T lane_result(T const (&root_tangents)[L]) {
    if constexpr (Depends)
        return root_tangents[Lane];
    else
        return T(0);
}

template <class G, class T, std::size_t L, std::size_t... Lane>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr std::array<T, sizeof...(Lane)> lane_results(
    T const (&root_tangents)[L], std::index_sequence<Lane...>) {
    return {lane_result<depends<G, T>(G::root, Lane), Lane>(root_tangents)...};
}

template <class Mode, class F, class T, std::size_t N>
TYPEGRAD_HOST_DEVICE constexpr gradient_result<T, N> gradient_at(F const& f, std::array<T, N> const& x) {
    static_assert(mode<Mode>, "typegrad: the mode must be tg::forward or tg::reverse");
    auto const& e = detail::to_expression<N>(f);
    using G = graph<std::remove_cvref_t<decltype(e)>>;
    static_assert(check_inputs<G, N>());
    T vals[G::size];
    if constexpr (std::is_same_v<Mode, reverse>) {
        using seeds = std::index_sequence<G::root>;
        detail::compute_values<G>(e, x.data(), vals);
        T adj[G::size];
        if constexpr (plan<G, T>.active[G::root]) adj[G::root] = T(1);
        reverse_sweep<G, T, seeds>(vals, adj);
        return {vals[G::root], gather_gradient<G, T, seeds, N>(adj)};
    } else {
        T tans[G::size][N == 0 ? 1 : N];
        detail::forward_unit<G, T, (N == 0 ? 1 : N)>(e, x.data(), vals, tans);
        return {vals[G::root], lane_results<G, T>(tans[G::root], std::make_index_sequence<N>{})};
    }
}

}  // namespace detail

/// Value and gradient of f at a point. Reverse mode by default (one sweep for all
/// inputs); `tg::gradient<tg::forward>(...)` pushes one tangent lane per input.
template <class Mode = reverse, class F, class... Args>
TYPEGRAD_HOST_DEVICE constexpr auto gradient(F const& f, Args const&... args) {
    return detail::gradient_at<Mode>(f, detail::make_point(args...));
}

}  // namespace typegrad
