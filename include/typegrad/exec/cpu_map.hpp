// typegrad/exec/cpu_map.hpp: tg::map, element-wise values and partials in one pass.
//
//   tg::map(f, y, x, 2.0);                                   // y = f(x, 2) element by element
//   tg::map(f, tg::with_partials(y, dy_dx, tg::skip), x, a); // and dy/dx in the same loop
//   tg::map(g, std::tie(y1, y2), x, a);                      // several outputs
//
// Inputs broadcast as in NumPy; every output must have the broadcast shape (and the
// computation's element type). All shapes are checked before anything is written.
#pragma once

#include "cpu_common.hpp"

namespace typegrad {
namespace detail {

template <class Out>
auto to_map_sinks(Out&& out) {
    using O = std::remove_cvref_t<Out>;
    if constexpr (requires { typename O::is_partial_sinks; })
        return O(out);
    else
        return partial_sinks<decltype(to_sink_row(std::forward<Out>(out)))>{to_sink_row(std::forward<Out>(out)), {}};
}

template <class T, class S>
void check_map_sink(S const& s, dims const& it, argument_label const& what) {
    static_assert(!std::is_pointer_v<S>, "typegrad: tg::map writes arrays; a number cannot receive its results");
    check_sink<T>(s, it, what, "the shape the inputs broadcast to");
}

/// Per-output run-time handles: where a block's results go and how they are scattered.
template <class T, std::size_t K>
struct map_targets {
    T* data[K == 0 ? 1 : K] = {};
    walk w[K == 0 ? 1 : K];
    bool strided[K == 0 ? 1 : K] = {};
};

template <class T, class S>
int set_target(S const& s, dims const& it, T*& data, walk& w, bool& strided) {
    if constexpr (is_array_sink<S>) {
        data = s.data;
        w = sink_walk(s, it);
        strided = !w.flat;
    }
    return 0;
}

template <class T, std::size_t K, class Tuple, std::size_t... J>
map_targets<T, K> targets_of(Tuple const& sinks, dims const& it, std::size_t base, map_targets<T, K> t,
                             std::index_sequence<J...>) {
    [[maybe_unused]] int const order[] = {
        0, set_target<T>(std::get<J>(sinks), it, t.data[base + J], t.w[base + J], t.strided[base + J])...};
    return t;
}

template <class T, class V, class... R>
void check_map_sinks(partial_sinks<V, R...> const& s, dims const& it) {
    std::apply([&](auto const&... v) {
        std::size_t j = 0;
        (check_map_sink<T>(v, it, {argument_kind::output, j++, 0}), ...);
    }, s.values);
    std::size_t j = 0;
    std::apply([&](auto const&... row) {
        ((std::apply([&](auto const&... d) {
              std::size_t i = 0;
              (check_map_sink<T>(d, it, {argument_kind::partial, j, i++}), ...);
          }, row),
          ++j),
         ...);
    }, s.rows);
}

template <class Row, std::size_t N>
constexpr bool row_has_size() {
    return std::tuple_size_v<Row> == N;
}

template <class Pack, class V, class... R, class... A>
void run_map(cpu_options o, Pack const& pack, partial_sinks<V, R...> const& sinks, std::tuple<A...> const& in) {
    constexpr std::size_t N = sizeof...(A);
    using P = array_problem<Pack, N>;
    static_assert(P::check());
    using T = computation_type<A...>;
    constexpr std::size_t M = P::outputs;
    constexpr std::size_t S = P::slots;
    constexpr std::size_t rows = sizeof...(R);
    static_assert(std::tuple_size_v<V> == M,
                  "typegrad: tg::map needs one output (an array or tg::skip) per output of the function");
    static_assert(rows == 0 || rows == M, "typegrad: give the partials of every output of the function, one row each");
    static_assert((row_has_size<R, N>() && ...),
                  "typegrad: each row of partials needs one entry (an array or tg::skip) per input");
    constexpr bool partials_wanted = rows > 0;
    static_assert(!partials_wanted || P::dot_count == 0,
                  "typegrad: tg::map does not give element-wise partials of an expression with tg::dot (they are "
                  "arrays); differentiate a loss with tg::sum or tg::mean");

    check_thread_count(o.threads);
    validate_call(in, sinks);  // every array: null data, extents, strides, overlap (exec/validate.hpp)
    auto const L = make_layout<P>(in, std::index_sequence_for<A...>{});
    check_map_sinks<T>(sinks, L.it);  // everything is checked before anything is written
    if (L.count == 0) return;

    constexpr std::size_t K = M + (partials_wanted ? M * N : 0);
    map_targets<T, K> targets{};
    targets = targets_of<T, K>(sinks.values, L.it, 0, targets, std::make_index_sequence<M>{});
    if constexpr (partials_wanted) {
        std::size_t base = M;
        std::apply([&](auto const&... row) {
            ((targets = targets_of<T, K>(row, L.it, base, targets, std::make_index_sequence<N>{}), base += N), ...);
        }, sinks.rows);
    }
    static constexpr auto wanted = [] {
        std::array<bool, K == 0 ? 1 : K> w{};
        std::size_t k = 0;
        [&]<std::size_t... J>(std::index_sequence<J...>) {
            ((w[k++] = is_array_sink<std::tuple_element_t<J, V>>), ...);
        }(std::make_index_sequence<M>{});
        if constexpr (partials_wanted) {
            auto row = [&]<class Row, std::size_t... I>(std::type_identity<Row>, std::index_sequence<I...>) {
                ((w[k++] = is_array_sink<std::tuple_element_t<I, Row>>), ...);
            };
            (row(std::type_identity<R>{}, std::make_index_sequence<N>{}), ...);
        }
        return w;
    }();
    static constexpr auto partial_wanted = [] {
        std::array<bool, M * N == 0 ? 1 : M * N> w{};
        if constexpr (partials_wanted)
            for (std::size_t k = 0; k < M * N; ++k) w[k] = wanted[M + k];
        return w;
    }();
    static constexpr auto fixed = fixed_slots<S, A...>();
    static constexpr auto read = read_slots<P, N>();

    auto const expr = replace_dots<N, typename P::dots>(pack);
    using G = typename P::graph_type;
    std::ptrdiff_t const chunks = (L.count + chunk_size - 1) / chunk_size;
    for_each_chunk(chunks, o, [&](std::ptrdiff_t c) {
        T in_buf[S == 0 ? 1 : S][block_size];
        T out_buf[K == 0 ? 1 : K][block_size];
        std::ptrdiff_t offsets[2 * P::dot_count + 1][block_size];
        std::ptrdiff_t const end = std::min(L.count, (c + 1) * chunk_size);
        for (std::ptrdiff_t e0 = c * chunk_size; e0 < end; e0 += block_size) {
            std::ptrdiff_t const n = std::min(block_size, end - e0);
            T const* src[S == 0 ? 1 : S] = {};
            stage_inputs(in, read.data(), L.in, L.it, e0, n, in_buf, src, std::index_sequence_for<A...>{});
            if constexpr (P::dot_count > 0) {
                dots_for_block<P>(in, L, e0, n, in_buf + N, offsets, std::make_index_sequence<P::dot_count>{});
                for (std::size_t d = N; d < S; ++d) src[d] = in_buf[d];
            }
            // Contiguous destinations are written in place; the others go through a buffer.
            T* dst[K == 0 ? 1 : K];
            for (std::size_t k = 0; k < K; ++k)
                dst[k] = wanted[k] && !targets.strided[k] ? targets.data[k] + e0 : out_buf[k];
            // Elements are independent: outputs may be the inputs themselves (in place) but
            // must not partly overlap them, so the loop may run as vectors.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC ivdep
#endif
            for (std::ptrdiff_t l = 0; l < n; ++l) {
                auto const p = point_at<T, read, fixed>(src, l, std::make_index_sequence<S>{});
                if constexpr (!partials_wanted) {
                    T vals[G::size];
                    compute_values<G>(expr, p.data(), vals);
                    store_at<wanted>(dst, l, output_values<G, T, M>(vals), std::make_index_sequence<M>{});
                } else {
                    auto const r = jacobian_at<automatic>(expr, p);
                    store_at<wanted>(dst, l, r.value, std::make_index_sequence<M>{});
                    store_at<partial_wanted>(dst + M, l, r.jacobian.data, std::make_index_sequence<M * N>{});
                }
            }
            for (std::size_t k = 0; k < K; ++k)
                if (wanted[k] && targets.strided[k]) scatter(targets.data[k], targets.w[k], L.it, e0, n, out_buf[k]);
        }
    });
}

}  // namespace detail

/// Evaluates f element by element over the (broadcast) inputs into `out`: an array,
/// a std::tuple of arrays for several outputs, or tg::with_partials(...).
template <class F, class Out, class... In>
void map(cpu_options const& options, F const& f, Out&& out, In const&... in) {
    auto inputs = std::tuple{detail::to_input(in)...};
    auto const pack = detail::output_pack<sizeof...(In)>(f);
    detail::run_map(options, pack, detail::to_map_sinks(std::forward<Out>(out)), inputs);
}

template <class F, class Out, class... In>
    requires(!std::is_same_v<std::remove_cvref_t<F>, cpu_options>)
void map(F const& f, Out&& out, In const&... in) {
    map(cpu_options{}, f, std::forward<Out>(out), in...);
}

}  // namespace typegrad
