// typegrad/exec/program/pointwise.hpp: tg::map of an element-wise function, every
// output and (on request) every element-wise partial derivative in one loop.
//
// A function without array operations is one region over its inputs (broadcast
// together, as NumPy does for a ufunc); each element runs the scalar value pass, or
// the pointwise Jacobian (forward or reverse, chosen as tg::jacobian chooses), and its
// results are written in place where the destination is contiguous, else scattered.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../../modes/jacobian.hpp"
#include "region.hpp"

namespace typegrad::detail::program {

/// The shape all inputs broadcast to; names the first input that does not fit.
template <class... A, std::size_t... I>
dims broadcast_inputs(std::tuple<A...> const& in, std::index_sequence<I...>) {
    dims const shapes[] = {array_shape(std::get<I>(in))..., dims{}};
    dims it;
    for (std::size_t i = 0; i < sizeof...(A); ++i) {
        dims r;
        if (i == 0)
            it = shapes[0];
        else if (try_broadcast(it, shapes[i], r))
            it = r;
        else
            throw std::invalid_argument("typegrad: the inputs cannot be broadcast together: input " +
                                        std::to_string(i) + " has shape " + to_string(shapes[i]) +
                                        ", and the inputs before it broadcast to " + to_string(it));
    }
    return it;
}

/// Which of the K destinations (M values, then M x N partials) are arrays, not tg::skip.
template <class V, class... Rows>
struct pointwise_wanted {
    static constexpr std::size_t M = std::tuple_size_v<V>;
    static constexpr std::size_t K = M + (sizeof...(Rows) > 0 ? M * (std::tuple_size_v<Rows> + ... + 0) / sizeof...(Rows) : 0);
    static constexpr auto value = [] {
        std::array<bool, K == 0 ? 1 : K> w{};
        std::size_t k = 0;
        [&]<std::size_t... J>(std::index_sequence<J...>) {
            ((w[k++] = is_array_sink<std::tuple_element_t<J, V>>), ...);
        }(std::make_index_sequence<M>{});
        [[maybe_unused]] auto row = [&]<class Row, std::size_t... I>(std::type_identity<Row>, std::index_sequence<I...>) {
            ((w[k++] = is_array_sink<std::tuple_element_t<I, Row>>), ...);
        };
        (row(std::type_identity<Rows>{}, std::make_index_sequence<std::tuple_size_v<Rows>>{}), ...);
        return w;
    }();
};

template <class Wanted, class T, class Vals, std::size_t... I>
TYPEGRAD_INLINE void store_values(T* const* dst, std::ptrdiff_t l, Vals const& v, std::index_sequence<I...>) {
    ((Wanted::value[I] ? void(dst[I][l] = v[I]) : void()), ...);
}
template <class Wanted, std::size_t M, class T, class Jac, std::size_t... I>
TYPEGRAD_INLINE void store_partials(T* const* dst, std::ptrdiff_t l, Jac const& j, std::index_sequence<I...>) {
    ((Wanted::value[M + I] ? void(dst[M + I][l] = j.data[I]) : void()), ...);
}

template <class Pack, class V, class... Rows, class... A>
void run_pointwise(cpu_options o, Pack const& pack, partial_sinks<V, Rows...> const& sinks, std::tuple<A...> const& in) {
    constexpr std::size_t N = sizeof...(A);
    using T = computation_type<A...>;
    using G = graph<Pack>;
    constexpr std::size_t M = output_count<Pack>;
    static_assert(G::slots <= N,
                  "typegrad: the expression uses an input variable whose index is not less than the number of "
                  "inputs given; pass one input (number or array) per input variable");
    static_assert(std::tuple_size_v<V> == M,
                  "typegrad: tg::map needs one output (an array or tg::skip) per output of the function");
    constexpr std::size_t rows = sizeof...(Rows);
    static_assert(rows == 0 || rows == M, "typegrad: give the partials of every output of the function, one row each");
    static_assert((row_has_size<Rows, N>() && ...),
                  "typegrad: each row of partials needs one entry (an array or tg::skip) per input");
    constexpr bool partials_wanted = rows > 0;
    using wanted = pointwise_wanted<V, Rows...>;
    constexpr std::size_t K = wanted::K;

    check_thread_count(o.threads);
    validate_call(in, sinks);  // every array: null data, extents, strides, overlap (exec/validate.hpp)
    dims const it = broadcast_inputs(in, std::index_sequence_for<A...>{});
    (void)checked_size(it);
    check_map_sinks<T>(sinks, it);  // everything is checked before anything is written
    if (it.size() == 0) return;

    map_targets<T, K> targets{};
    targets = targets_of<T, K>(sinks.values, it, 0, targets, std::make_index_sequence<M>{});
    if constexpr (partials_wanted) {
        std::size_t base = M;
        std::apply([&](auto const&... row) {
            ((targets = targets_of<T, K>(row, it, base, targets, std::make_index_sequence<N>{}), base += N), ...);
        }, sinks.rows);
    }
    auto const r = make_region(pack, in, it);
    using R = std::remove_cvref_t<decltype(r)>;
    std::ptrdiff_t const count = it.size();
    std::ptrdiff_t const chunks = (count + chunk_size - 1) / chunk_size;
    for_each_chunk(chunks, o, [&](std::ptrdiff_t c) {
        T in_buf[R::width][block_size];
        T out_buf[K == 0 ? 1 : K][block_size];
        std::ptrdiff_t const end = std::min(count, (c + 1) * chunk_size);
        for (std::ptrdiff_t e0 = c * chunk_size; e0 < end; e0 += block_size) {
            std::ptrdiff_t const n = std::min(block_size, end - e0);
            T const* src[R::width] = {};
            r.stage(e0, n, in_buf, src);
            // Contiguous destinations are written in place; the others go through a buffer.
            T* dst[K == 0 ? 1 : K];
            for (std::size_t k = 0; k < K; ++k)
                dst[k] = wanted::value[k] && !targets.strided[k] ? targets.data[k] + e0 : out_buf[k];
            // Elements are independent: outputs may be the inputs themselves (in place) but
            // must not partly overlap them, so the loop may run as vectors.
            auto const nums = R::numbers(src);
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC ivdep
#endif
            for (std::ptrdiff_t l = 0; l < n; ++l) {
                auto const p = R::point(nums, src, l);
                if constexpr (!partials_wanted) {
                    T vals[G::size];
                    compute_values<G>(pack, p.data(), vals);
                    store_values<wanted>(dst, l, output_values<G, T, M>(vals), std::make_index_sequence<M>{});
                } else {
                    auto const j = jacobian_at<automatic>(pack, p);
                    store_values<wanted>(dst, l, j.value, std::make_index_sequence<M>{});
                    store_partials<wanted, M>(dst, l, j.jacobian, std::make_index_sequence<M * N>{});
                }
            }
            for (std::size_t k = 0; k < K; ++k)
                if (wanted::value[k] && targets.strided[k]) scatter(targets.data[k], targets.w[k], it, e0, n, out_buf[k]);
        }
    });
}

}  // namespace typegrad::detail::program
