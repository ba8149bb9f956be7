// typegrad/exec/cuda/map.hpp: tg::cuda::map, element-wise values and partials on the GPU.
//
//   tg::cuda::map(f, y, x, 2.0);                                    // y = f(x, 2), one thread per element
//   tg::cuda::map(f, tg::with_partials(y, dy_dx, tg::skip), x, a);  // and dy/dx in the same kernel
//   tg::cuda::map(tg::cuda::options{.stream = s}, g, std::tie(y1, y2), x, a);
//
// The same calls as tg::map on the CPU, with device arrays (tg::cuda::buffer,
// thrust::device_vector, tg::view of a device pointer and extents) and host numbers.
// Asynchronous: the kernel is queued on the stream and the call returns.
#pragma once

#include "common.hpp"

namespace typegrad::cuda {
namespace detail {

template <class T, std::size_t N, std::size_t K>
struct map_args {
    dims it;
    std::ptrdiff_t count = 0;
    walk in[N == 0 ? 1 : N];
    T* out[K == 0 ? 1 : K] = {};  // null: not wanted
    walk out_w[K == 0 ? 1 : K];
};

template <class G, std::size_t J, class T, class Args>
__device__ __forceinline__ void store_value(Args const& a, T const* vals, std::ptrdiff_t e) {
    constexpr std::size_t node = G::outputs[J];
    if (a.out[J]) a.out[J][element_offset(a.it, a.out_w[J], e)] = vals[node];
}

template <class G, class T, class Args, std::size_t... J>
__device__ __forceinline__ void store_values(Args const& a, T const* vals, std::ptrdiff_t e,
                                             std::index_sequence<J...>) {
    (store_value<G, J>(a, vals, e), ...);
}

template <class P, class G, class T, std::size_t M, bool Partials, class Pack, class Ins, std::size_t N, std::size_t K>
__global__ void map_kernel(Pack pack, Ins ins, map_args<T, N, K> a) {
    std::ptrdiff_t const stride = std::ptrdiff_t(gridDim.x) * blockDim.x;
    for (std::ptrdiff_t e = std::ptrdiff_t(blockIdx.x) * blockDim.x + threadIdx.x; e < a.count; e += stride) {
        auto const p = load_point<T, P>(ins, a.in, a.it, e, std::make_index_sequence<N>{});
        T vals[G::size];
        if constexpr (!Partials) {
            typegrad::detail::compute_values<G>(pack, p.data(), vals);
            store_values<G>(a, vals, e, std::make_index_sequence<M>{});
        } else {
            // The passes of tg::jacobian, element by element: forward with one lane per
            // input when n <= m, else one reverse sweep per output over one value pass.
            matrix<T, M, N> jac{};
            if constexpr (std::is_same_v<chosen_mode<N, M>, forward>) {
                T tans[G::size][N == 0 ? 1 : N];
                typegrad::detail::forward_unit<G, T, (N == 0 ? 1 : N)>(pack, p.data(), vals, tans);
                typegrad::detail::forward_rows<G, T>(tans, jac, std::make_index_sequence<M>{});
            } else {
                typegrad::detail::compute_values<G>(pack, p.data(), vals);
                T adj[G::size];
                typegrad::detail::reverse_rows<G, T>(vals, adj, jac, std::make_index_sequence<M>{});
            }
            store_values<G>(a, vals, e, std::make_index_sequence<M>{});
            for (std::size_t j = 0; j < M; ++j)
                for (std::size_t i = 0; i < N; ++i) {
                    T* const d = a.out[M + j * N + i];
                    if (d) d[element_offset(a.it, a.out_w[M + j * N + i], e)] = jac(j, i);
                }
        }
    }
}

template <class T, class S>
int collect_target(S const& s, dims const& it, std::string const& what, T*& data, walk& w) {
    if constexpr (typegrad::detail::is_array_sink<S>) {
        require_device_array(s, what);
        data = s.size() > 0 ? s.data : nullptr;
        w = typegrad::detail::sink_walk(s, it);
    }
    return 0;
}

template <class Pack, class V, class... R, class... X>
void run_map(options const& o, Pack const& pack, partial_sinks<V, R...> const& sinks, X const&... x) {
    namespace td = typegrad::detail;
    constexpr std::size_t N = sizeof...(X);
    auto const in = std::tuple{td::to_input(x)...};
    using P = td::array_problem<Pack, N>;
    static_assert(P::check());
    static_assert(P::dot_count == 0,
                  "typegrad: tg::cuda::map does not evaluate tg::dot; use the CPU executor (tg::map) for "
                  "expressions with contractions");
    using T = td::computation_type<decltype(td::to_input(std::declval<X const&>()))...>;
    static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>,
                  "typegrad: the CUDA executor computes in float or double");
    constexpr std::size_t M = P::outputs;
    constexpr std::size_t rows = sizeof...(R);
    static_assert(std::tuple_size_v<V> == M,
                  "typegrad: tg::cuda::map needs one output (an array or tg::skip) per output of the function");
    static_assert(rows == 0 || rows == M, "typegrad: give the partials of every output of the function, one row each");
    static_assert((td::row_has_size<R, N>() && ...),
                  "typegrad: each row of partials needs one entry (an array or tg::skip) per input");
    constexpr bool partials_wanted = rows > 0;
    constexpr std::size_t K = M + (partials_wanted ? M * N : 0);

    // Host checks first (the CPU executor's): shapes of inputs and outputs.
    td::validate_call(in, sinks);  // every array: null data, extents, strides, overlap
    auto const L = td::make_layout<P>(in, std::index_sequence_for<X...>{});
    td::check_map_sinks<T>(sinks, L.it);
    if (L.count == 0) return;
    // Then the device: present, and every array in its memory.
    require_device();
    require_device_inputs(std::index_sequence_for<X...>{}, x...);
    map_args<T, N, K> a{};
    a.it = L.it;
    a.count = L.count;
    for (std::size_t i = 0; i < N; ++i) a.in[i] = L.in[i];
    [&]<std::size_t... J>(std::index_sequence<J...>) {
        [[maybe_unused]] int const order[] = {
            0, collect_target<T>(std::get<J>(sinks.values), L.it, td::argument_name("output", J), a.out[J],
                                 a.out_w[J])...};
    }(std::make_index_sequence<M>{});
    if constexpr (partials_wanted) {
        std::size_t j = 0;
        std::apply([&](auto const&... row) {
            ((std::apply([&](auto const&... d) {
                  std::size_t i = 0;
                  ([&] {
                      std::size_t const k = M + j * N + i;
                      collect_target<T>(d, L.it,
                                        "the partial of output " + std::to_string(j) + " with respect to input " +
                                            std::to_string(i),
                                        a.out[k], a.out_w[k]);
                      ++i;
                  }(),
                   ...);
              }, row),
              ++j),
             ...);
        }, sinks.rows);
    }
    auto const ins = typegrad::tuple<decltype(device_input_of(x))...>{{{device_input_of(x)}...}};
    auto const expr = pack;
    using G = typename P::graph_type;
    map_kernel<P, G, T, M, partials_wanted><<<grid_for(L.count, block_threads), block_threads, 0, o.stream>>>(expr, ins, a);
    check(cudaGetLastError(), "the launch of tg::cuda::map's kernel");
}

}  // namespace detail

/// Evaluates f element by element over the (broadcast) inputs into `out` on the GPU:
/// an array, a std::tuple of arrays for several outputs, or tg::with_partials(...).
template <class F, class Out, class... In>
void map(options const& o, F const& f, Out&& out, In const&... in) {
    auto const pack = typegrad::detail::output_pack<sizeof...(In)>(f);
    detail::run_map(o, pack, typegrad::detail::to_map_sinks(std::forward<Out>(out)), in...);
}
/// The same, queued on `stream`.
template <class F, class Out, class... In>
void map(cudaStream_t stream, F const& f, Out&& out, In const&... in) {
    map(options{.stream = stream}, f, std::forward<Out>(out), in...);
}
template <class F, class Out, class... In>
    requires(!std::is_same_v<std::remove_cvref_t<F>, options> && !std::is_same_v<std::remove_cvref_t<F>, cudaStream_t>)
void map(F const& f, Out&& out, In const&... in) {
    map(options{}, f, std::forward<Out>(out), in...);
}

}  // namespace typegrad::cuda
