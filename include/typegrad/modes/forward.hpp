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

inline constexpr std::size_t any_lane = static_cast<std::size_t>(-1);

struct term_list {
    std::array<std::size_t, max_arity> operand{};
    std::size_t count = 0;
};

// Operands of entry K whose tangent enters lane `Lane` (any_lane: every active lane).
template <class G, class T, std::size_t K, std::size_t Lane>
inline constexpr term_list forward_terms = [] {
    term_list t{};
    for (std::size_t i = 0; i < G::shapes[K].arity; ++i) {
        std::size_t const c = G::shapes[K].child[i];
        if (plan<G, T>.carries[K][i] && (Lane == any_lane || depends<G, T>(c, Lane))) t.operand[t.count++] = i;
    }
    return t;
}();

template <class G, class T, std::size_t K, std::size_t Lane, std::size_t L, class P, std::size_t... J>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr T tangent_sum_of(P const& p, T const (*tans)[L], std::size_t lane,
                                                                std::index_sequence<J...>) {
    constexpr term_list terms = forward_terms<G, T, K, Lane>;
    return (... + scale(get<terms.operand[J]>(p), tans[G::shapes[K].child[terms.operand[J]]][lane]));
}

template <class G, class T, std::size_t K, std::size_t Lane, std::size_t L, class P>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr T tangent_sum(P const& p, T const (*tans)[L], std::size_t lane) {
    return tangent_sum_of<G, T, K, Lane>(p, tans, lane,
                                         std::make_index_sequence<forward_terms<G, T, K, Lane>.count>{});
}

template <class G, class T, std::size_t K, std::size_t Lane, std::size_t L, class P>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int unit_lane_step(P const& p, T (*tans)[L]) {
    if constexpr (depends<G, T>(K, Lane)) tans[K][Lane] = tangent_sum<G, T, K, Lane>(p, tans, Lane);
    return 0;
}

template <class G, class T, std::size_t K, std::size_t L, class P, std::size_t... Lane>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void unit_lanes(P const& p, T (*tans)[L], std::index_sequence<Lane...>) {
    [[maybe_unused]] int const order[] = {0, unit_lane_step<G, T, K, Lane>(p, tans)...};
}

template <class G, class T, std::size_t K, std::size_t L>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int unit_step(T const* vals, T (*tans)[L]) {
    constexpr entry_shape s = G::shapes[K];
    if constexpr (s.is_var) {
        if constexpr (s.slot < L) tans[K][s.slot] = T(1);
    } else if constexpr (s.arity > 0 && plan<G, T>.active[K]) {
        auto const p = partials_at<G, K>(vals);
        unit_lanes<G, T, K>(p, tans, std::make_index_sequence<L>{});
    }
    return 0;
}

template <class G, class T, std::size_t L, std::size_t... K>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void unit_pass(T const* vals, T (*tans)[L], std::index_sequence<K...>) {
    [[maybe_unused]] int const order[] = {0, unit_step<G, T, K>(vals, tans)...};
}

/// Values and unit-lane tangents: lane l of node k is d(node k)/d(input l).
template <class G, class T, std::size_t L, class E>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void forward_unit(E const& root, T const* in, T* vals, T (*tans)[L]) {
    compute_values<G>(root, in, vals);
    unit_pass<G, T>(vals, tans, std::make_index_sequence<G::size>{});
}

template <class G, class T, std::size_t K, std::size_t L, std::size_t N>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int dense_step(T const* vals, std::array<T, N> const* dirs,
                                                              T (*tans)[L]) {
    constexpr entry_shape s = G::shapes[K];
    if constexpr (s.is_var) {
        for (std::size_t l = 0; l < L; ++l) tans[K][l] = dirs[l][s.slot];
    } else if constexpr (s.arity > 0 && plan<G, T>.active[K]) {
        auto const p = partials_at<G, K>(vals);
        for (std::size_t l = 0; l < L; ++l) tans[K][l] = tangent_sum<G, T, K, any_lane>(p, tans, l);
    }
    return 0;
}

template <class G, class T, std::size_t L, std::size_t N, std::size_t... K>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void dense_pass(T const* vals, std::array<T, N> const* dirs,
                                                               T (*tans)[L], std::index_sequence<K...>) {
    [[maybe_unused]] int const order[] = {0, dense_step<G, T, K, L>(vals, dirs, tans)...};
}

/// Values and L directional derivatives at once: dirs[l] is the direction of lane l.
template <class G, class T, std::size_t L, std::size_t N, class E>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void forward_dense(E const& root, T const* in,
                                                                  std::array<T, N> const* dirs, T* vals, T (*tans)[L]) {
    compute_values<G>(root, in, vals);
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
template <class G, class T, std::size_t J, std::size_t L>
TYPEGRAD_HOST_DEVICE constexpr T output_tangent(T const (*tans)[L]) {
    if constexpr (plan<G, T>.active[G::outputs[J]])
        return tans[G::outputs[J]][0];
    else
        return T(0);
}

template <class G, class T, std::size_t L, std::size_t M, std::size_t... J>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void output_tangents(T const (*tans)[L], std::array<T, M>& out,
                                                                    std::index_sequence<J...>) {
    [[maybe_unused]] int const order[] = {0, (out[J] = output_tangent<G, T, J>(tans), 0)...};
}

template <class F, class Seq>
struct result_with_vars;
template <class F, std::size_t... I>
struct result_with_vars<F, std::index_sequence<I...>> {
    using type = std::remove_cvref_t<std::invoke_result_t<F const&, var<I>...>>;
};

template <class F, std::size_t N>
constexpr bool is_vector_function() {
    if constexpr (is_vector_function_result<F>)
        return true;
    else if constexpr (expression<F>)
        return false;
    else if constexpr (invocable_with_vars<F, std::make_index_sequence<N>>::value)
        return is_vector_function_result<typename result_with_vars<F, std::make_index_sequence<N>>::type>;
    else
        return false;
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
