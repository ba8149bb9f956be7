// typegrad/modes/forward.hpp: forward mode (tangents pushed with the values), and tg::jvp.
//
// Tangents live in a compile-time-sized local table, one row per node and one
// lane per direction. Two seedings:
// - unit lanes (the gradient): lane l is the derivative along input l; a lane of a
//   node that cannot depend on input l is never computed, and the seeds are the
//   exact constant 1, so the compiler multiplies by nothing;
// - dense lanes (directional derivatives): every lane of an active node is
//   computed from the user's direction vectors.
// Each tangent is the sum, over operands that carry derivatives, of the rule's
// partial times the operand's tangent. No zero is ever added or multiplied.
#pragma once

#include <array>
#include <cstddef>
#include <utility>

#include "outputs.hpp"
#include "plan.hpp"
#include "values.hpp"

namespace typegrad {

namespace detail {

struct term_list {
    std::size_t operand[max_arity]{};
    std::size_t count = 0;
};

/// The operands whose bit is set in mask, in order.
constexpr term_list terms_of(std::size_t mask) {
    term_list t{};
    for (std::size_t i = 0; i < max_arity; ++i)
        if ((mask >> i) & 1u) t.operand[t.count++] = i;
    return t;
}

// The tangent of one lane: the sum, over the operands in Mask, of the partial times
// the operand's tangent in that lane (operand order; no zero is ever added).
template <std::size_t Mask, class T, std::size_t L, class P, std::size_t... J>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr T lane_sum_of(P const& p, T const (*tans)[L], std::size_t lane,
                                                             child_positions const c, std::index_sequence<J...>) {
    constexpr term_list terms = terms_of(Mask);
    return (... + scale(get<terms.operand[J]>(p), tans[c[terms.operand[J]]][lane]));
}

template <std::size_t Mask, class T, std::size_t L, class P>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr T lane_sum(P const& p, T const (*tans)[L], std::size_t lane,
                                                          child_positions const c) {
    return lane_sum_of<Mask>(p, tans, lane, c, std::make_index_sequence<terms_of(Mask).count>{});
}

/// lane_masks<G, T, L>[k][l]: the operands of node k whose tangent enters lane l
/// (0: node k cannot depend on input l, and the lane is never computed).
template <class G, class T, std::size_t L>
inline constexpr auto lane_masks = [] {
    std::array<std::array<std::size_t, L>, G::size> m{};
    for (std::size_t k = 0; k < G::size; ++k)
        for (std::size_t l = 0; l < L; ++l)
            for (std::size_t i = 0; i < G::shapes[k].arity; ++i)
                if (plan<G, T>.carries[k][i] && depends<G, T>(G::shapes[k].child[i], l)) m[k][l] |= std::size_t{1} << i;
    return m;
}();

/// What a node's step with unit lanes is keyed on: its operation and its lane masks.
template <class S, class LaneMasks>
struct unit_key {};
/// An input's unit lane.
template <std::size_t Slot>
struct unit_var_key {};

template <class G, class T, std::size_t K, std::size_t L, class Lanes = std::make_index_sequence<L>>
struct unit_key_of;
template <class G, class T, std::size_t K, std::size_t L, std::size_t... Lane>
struct unit_key_of<G, T, K, L, std::index_sequence<Lane...>> {
    using type = std::conditional_t<
        G::shapes[K].is_var, std::conditional_t<(G::shapes[K].slot < L), unit_var_key<G::shapes[K].slot>, no_step>,
        std::conditional_t<(G::shapes[K].arity > 0 && plan<G, T>.active[K]),
                           unit_key<typename G::template step_at<K>, std::index_sequence<lane_masks<G, T, L>[K][Lane]...>>,
                           no_step>>;
};

template <std::size_t Mask, class T, std::size_t L, class P>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int unit_lane(P const& p, T (*tans)[L], std::size_t k, std::size_t lane,
                                                             child_positions const c) {
    if constexpr (Mask != 0) tans[k][lane] = lane_sum<Mask>(p, tans, lane, c);
    return 0;
}

template <std::size_t... M, class T, std::size_t L, class P, std::size_t... Lane>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void unit_lanes(P const& p, T (*tans)[L], std::size_t k,
                                                               child_positions const c, std::index_sequence<Lane...>) {
    [[maybe_unused]] int const order[] = {0, unit_lane<M>(p, tans, k, Lane, c)...};
}

template <class T, std::size_t L, class S, std::size_t... M>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int unit_step(T const* vals, T (*tans)[L], std::size_t k,
                                                             child_positions const c,
                                                             unit_key<S, std::index_sequence<M...>>) {
    if constexpr (owns_steps<typename S::op>)
        S::op::template unit_tangents<M...>(vals, tans, k, c);
    else {
        auto const p = node_partials<S>(vals, k, c);
        unit_lanes<M...>(p, tans, k, c, std::make_index_sequence<sizeof...(M)>{});
    }
    return 0;
}
template <class T, std::size_t L, std::size_t Slot>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int unit_step(T const*, T (*tans)[L], std::size_t k, child_positions,
                                                             unit_var_key<Slot>) {
    tans[k][Slot] = T(1);
    return 0;
}
template <class T, std::size_t L>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int unit_step(T const*, T (*)[L], std::size_t, child_positions, no_step) {
    return 0;
}

template <class G, class T, std::size_t L, std::size_t... K>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void unit_pass(T const* vals, T (*tans)[L], std::index_sequence<K...>) {
    [[maybe_unused]] int const order[] = {
        0, unit_step(vals, tans, K, G::shapes[K].child, typename unit_key_of<G, T, K, L>::type{})...};
}

/// Values and unit-lane tangents: lane l of node k is d(node k)/d(input l).
template <class G, class T, std::size_t L, class E>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void forward_unit(E const& root, T const* in, T* vals, T (*tans)[L]) {
    detail::compute_values<G>(root, in, vals);
    unit_pass<G, T>(vals, tans, std::make_index_sequence<G::size>{});
}

/// What a node's step with dense lanes is keyed on: every lane sums the operands that carry.
template <class S, std::size_t Carries>
struct dense_key {};
template <std::size_t Slot>
struct dense_var_key {};

template <class G, class T, std::size_t K>
using dense_key_of = std::conditional_t<
    G::shapes[K].is_var, dense_var_key<G::shapes[K].slot>,
    std::conditional_t<(G::shapes[K].arity > 0 && plan<G, T>.active[K]),
                       dense_key<typename G::template step_at<K>, operand_mask(plan<G, T>.carries[K])>, no_step>>;

template <class T, std::size_t L, std::size_t N, class S, std::size_t Carries>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int dense_step(T const* vals, std::array<T, N> const*, T (*tans)[L],
                                                              std::size_t k, child_positions const c,
                                                              dense_key<S, Carries>) {
    if constexpr (owns_steps<typename S::op>)
        S::op::template dense_tangents<Carries>(vals, tans, k, c);
    else {
        auto const p = node_partials<S>(vals, k, c);
        for (std::size_t l = 0; l < L; ++l) tans[k][l] = lane_sum<Carries>(p, tans, l, c);
    }
    return 0;
}
template <class T, std::size_t L, std::size_t N, std::size_t Slot>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int dense_step(T const*, std::array<T, N> const* dirs, T (*tans)[L],
                                                              std::size_t k, child_positions, dense_var_key<Slot>) {
    for (std::size_t l = 0; l < L; ++l) tans[k][l] = dirs[l][Slot];
    return 0;
}
template <class T, std::size_t L, std::size_t N>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int dense_step(T const*, std::array<T, N> const*, T (*)[L], std::size_t,
                                                              child_positions, no_step) {
    return 0;
}

template <class G, class T, std::size_t L, std::size_t N, std::size_t... K>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void dense_pass(T const* vals, std::array<T, N> const* dirs,
                                                               T (*tans)[L], std::index_sequence<K...>) {
    [[maybe_unused]] int const order[] = {
        0, dense_step(vals, dirs, tans, K, G::shapes[K].child, dense_key_of<G, T, K>{})...};
}

/// Values and L directional derivatives at once: dirs[l] is the direction of lane l.
template <class G, class T, std::size_t L, std::size_t N, class E>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void forward_dense(E const& root, T const* in,
                                                                  std::array<T, N> const* dirs, T* vals, T (*tans)[L]) {
    detail::compute_values<G>(root, in, vals);
    dense_pass<G, T, L>(vals, dirs, tans, std::make_index_sequence<G::size>{});
}

}  // namespace detail

/// The value and directional derivative of a scalar function at a point along a direction.
template <class T>
struct jvp_result {
    T value;
    T tangent;
};

/// The values of several outputs and their derivatives along a direction (J v).
template <class T, std::size_t M>
struct jvp_outputs_result {
    std::array<T, M> value;
    std::array<T, M> tangent;
};

namespace detail {
template <bool Active, std::size_t Pos, class T, std::size_t L>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr T output_tangent(T const (*tans)[L]) {
    if constexpr (Active)
        return tans[Pos][0];
    else
        return T(0);
}

template <class G, class T, std::size_t L, std::size_t M, std::size_t... J>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void output_tangents(T const (*tans)[L], std::array<T, M>& out,
                                                                    std::index_sequence<J...>) {
    [[maybe_unused]] int const order[] = {
        0, (out[J] = output_tangent<plan<G, T>.active[G::outputs[J]], G::outputs[J]>(tans), 0)...};
}

template <class F, std::size_t N>
constexpr bool is_vector_function() {
    return several_outputs_at<F, N>();
}
}  // namespace detail

/// Forward mode, one pass: `auto [v, dv] = tg::jvp(f, std::array{1.5, 0.5}, std::array{1.0, 0.0});`
/// For a function with several outputs, v and dv are arrays (J v).
template <class F, class A, class B, std::size_t N>
TYPEGRAD_HOST_DEVICE constexpr auto jvp(F const& f, std::array<A, N> const& point, std::array<B, N> const& direction) {
    auto const x = detail::make_point(point);
    using T = typename decltype(x)::value_type;
    std::array<T, N> d{};
    for (std::size_t i = 0; i < N; ++i) d[i] = static_cast<T>(direction[i]);
    if constexpr (detail::is_vector_function<F, N>()) {
        auto const outs = detail::to_outputs<N>(f);
        using P = std::remove_cvref_t<decltype(outs)>;
        using G = graph<P>;
        static_assert(detail::check_inputs<G, N>());
        constexpr std::size_t M = detail::output_count<P>;
        T vals[G::size];
        T tans[G::size][1];
        detail::forward_dense<G, T, 1>(outs, x.data(), &d, vals, tans);
        jvp_outputs_result<T, M> r{};
        for (std::size_t j = 0; j < M; ++j) r.value[j] = vals[G::outputs[j]];
        detail::output_tangents<G, T>(tans, r.tangent, std::make_index_sequence<M>{});
        return r;
    } else {
        auto const e = detail::to_expression<N>(f);
        using G = graph<std::remove_cvref_t<decltype(e)>>;
        static_assert(detail::check_inputs<G, N>());
        T vals[G::size];
        T tans[G::size][1];
        detail::forward_dense<G, T, 1>(e, x.data(), &d, vals, tans);
        if constexpr (detail::plan<G, T>.active[G::root])
            return jvp_result<T>{vals[G::root], tans[G::root][0]};
        else
            return jvp_result<T>{vals[G::root], T(0)};
    }
}

}  // namespace typegrad
