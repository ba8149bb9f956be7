// typegrad/exec/cuda/reduce.hpp: tg::cuda::sum and tg::cuda::mean, with the gradient by
// reverse mode in the same kernel.
//
//   double L = tg::cuda::sum(loss, x, w, 0.5);
//   double L = tg::cuda::mean(loss, tg::gradient_to(gx, gw, gb), x, w, b);
//   double L = tg::cuda::sum(tg::cuda::options{.deterministic = true}, loss, ...);
//
// The same calls and gradient shapes as tg::sum / tg::mean on the CPU. Each thread
// computes its elements' values and adjoints; an input with one adjoint per element
// gets it written in place; the value and the gradients of scalar inputs are summed
// per tile of a fixed size with cub::BlockReduce; a broadcast array input's adjoints
// are summed per gradient entry.
//
// Default: each tile's sums are added atomically to the results (one kernel; the
// order of the additions varies, so float results may differ in the last bits run to
// run). options.deterministic: tiles' sums are stored and summed by
// cub::DeviceReduce::Sum (run-to-run deterministic), broadcast gradients through a
// stored adjoint array summed in a fixed order per entry: results are bit-identical
// run to run on the same device. Both wait for the stream: the value is a host number.
#pragma once

#include <cub/block/block_reduce.cuh>
#include <cub/device/device_reduce.cuh>

#include "common.hpp"

namespace typegrad::cuda {
namespace detail {

/// Elements per thread and tile of the reduction kernel; fixed, so that the tiles'
/// sums do not depend on the device or the grid.
inline constexpr int items_per_thread = 4;
inline constexpr std::ptrdiff_t tile_size = std::ptrdiff_t(block_threads) * items_per_thread;

template <class T, std::size_t N>
struct reduce_args {
    dims it;
    std::ptrdiff_t count = 0;
    walk in[N == 0 ? 1 : N];
    T scale = T(1);
    T* direct[N == 0 ? 1 : N] = {};  // one adjoint per element, written at the gradient's walk
    walk direct_w[N == 0 ? 1 : N];
    bool lanes[N == 0 ? 1 : N] = {};  // summed per tile (a scalar input)
    T* spread[N == 0 ? 1 : N] = {};   // broadcast input: atomics into the gradient, or (deterministic) one adjoint per element
    walk spread_w[N == 0 ? 1 : N];
    bool deterministic = false;
    T* parts = nullptr;  // deterministic: parts[k * tiles + tile]; else accumulators parts[k]
    std::ptrdiff_t tiles = 0;
};

template <std::size_t I, class T, class Args>
__device__ __forceinline__ void route_adjoint(Args const& a, T g, T* acc, std::ptrdiff_t e) {
    if (a.direct[I])
        a.direct[I][element_offset(a.it, a.direct_w[I], e)] = g;
    else if (a.lanes[I])
        acc[1 + I] += g;
    else if (a.spread[I]) {
        if (a.deterministic)
            a.spread[I][e] = g;
        else
            atomicAdd(a.spread[I] + element_offset(a.it, a.spread_w[I], e), g);
    }
}

template <class P, class T, class Args, class R, std::size_t... I>
__device__ __forceinline__ void route_adjoints(Args const& a, R const& r, T* acc, std::ptrdiff_t e,
                                               std::index_sequence<I...>) {
    ([&] {
        if constexpr (P::used[I]) route_adjoint<I>(a, r.gradient[I] * a.scale, acc, e);
    }(),
     ...);
}

template <class P, class G, class T, bool Gradient, class Expr, class Ins, std::size_t N>
__global__ void __launch_bounds__(block_threads) reduce_kernel(Expr expr, Ins ins, reduce_args<T, N> a) {
    using block_reduce = cub::BlockReduce<T, block_threads>;
    __shared__ typename block_reduce::TempStorage temp;
    for (std::ptrdiff_t tile = blockIdx.x; tile < a.tiles; tile += gridDim.x) {
        T acc[1 + N] = {};
        for (int j = 0; j < items_per_thread; ++j) {
            std::ptrdiff_t const e = tile * tile_size + std::ptrdiff_t(j) * block_threads + threadIdx.x;
            if (e >= a.count) break;
            auto const p = load_point<T, P>(ins, a.in, a.it, e, std::make_index_sequence<N>{});
            if constexpr (!Gradient) {
                T vals[G::size];
                typegrad::detail::compute_values<G>(expr, p.data(), vals);
                acc[0] += vals[G::root];
            } else {
                auto const r = typegrad::detail::gradient_at<reverse>(expr, p);
                acc[0] += r.value;
                route_adjoints<P>(a, r, acc, e, std::make_index_sequence<N>{});
            }
        }
        for (std::size_t k = 0; k < 1 + N; ++k) {
            if (k > 0 && !a.lanes[k - 1]) continue;
            T const total = block_reduce(temp).Sum(acc[k]);
            __syncthreads();
            if (threadIdx.x == 0) {
                if (a.deterministic)
                    a.parts[std::ptrdiff_t(k) * a.tiles + tile] = total;
                else
                    atomicAdd(a.parts + k, total);
            }
        }
    }
}

/// How a broadcast input's gradient entry q gathers its adjoints: the iteration
/// dimensions the input has (kept) and those it is stretched over.
struct spread_plan {
    int kept_rank = 0, stretched_rank = 0;
    std::ptrdiff_t kept_step[max_rank] = {}, kept_extent[max_rank] = {}, kept_stride[max_rank] = {};
    std::ptrdiff_t stretched_extent[max_rank] = {}, stretched_stride[max_rank] = {};
    std::ptrdiff_t entries = 0, per_entry = 1;
};

inline spread_plan make_spread_plan(dims const& it, walk const& gw, std::ptrdiff_t entries) {
    spread_plan s;
    s.entries = entries;
    std::ptrdiff_t stride = 1;
    std::ptrdiff_t it_stride[max_rank] = {};
    for (std::size_t d = it.rank; d-- > 0;) {
        it_stride[d] = stride;
        stride *= it.extent[d];
    }
    for (std::size_t d = 0; d < it.rank; ++d) {
        if (it.extent[d] == 1) continue;
        if (gw.step[d] != 0) {
            s.kept_step[s.kept_rank] = gw.step[d];
            s.kept_extent[s.kept_rank] = it.extent[d];
            s.kept_stride[s.kept_rank++] = it_stride[d];
        } else {
            s.stretched_extent[s.stretched_rank] = it.extent[d];
            s.stretched_stride[s.stretched_rank++] = it_stride[d];
            s.per_entry *= it.extent[d];
        }
    }
    return s;
}

/// g[q] = the sum, in a fixed order, of the adjoints of the elements that read entry q.
template <class T>
__global__ void __launch_bounds__(block_threads) spread_kernel(T const* adj, T* g, spread_plan s) {
    using block_reduce = cub::BlockReduce<T, block_threads>;
    __shared__ typename block_reduce::TempStorage temp;
    for (std::ptrdiff_t q = blockIdx.x; q < s.entries; q += gridDim.x) {
        std::ptrdiff_t base = 0;
        for (int d = 0; d < s.kept_rank; ++d) base += (q / s.kept_step[d]) % s.kept_extent[d] * s.kept_stride[d];
        T acc = T(0);
        for (std::ptrdiff_t r = threadIdx.x; r < s.per_entry; r += block_threads) {
            std::ptrdiff_t e = base, rest = r;
            for (int d = s.stretched_rank; d-- > 0;) {
                e += rest % s.stretched_extent[d] * s.stretched_stride[d];
                rest /= s.stretched_extent[d];
            }
            acc += adj[e];
        }
        T const total = block_reduce(temp).Sum(acc);
        __syncthreads();
        if (threadIdx.x == 0) g[q] = total;
    }
}

template <class T, class S>
void zero_fill(S const& s, cudaStream_t stream) {
    if constexpr (typegrad::detail::is_array_sink<S>) {
        if (s.size() > 0)
            check(cudaMemsetAsync(s.data, 0, static_cast<std::size_t>(s.size()) * sizeof(T), stream), "cudaMemsetAsync");
    } else if constexpr (std::is_pointer_v<S>)
        *s = T(0);
}

template <bool Mean, class E, class... S, class... X>
auto run_reduce(options const& o, E const& expr, std::tuple<S...> const& sinks, X const&... x) {
    namespace td = typegrad::detail;
    using gk = td::gradient_kind;
    constexpr std::size_t N = sizeof...(X);
    auto const in = std::tuple{td::to_input(x)...};
    using P = td::array_problem<E, N>;
    static_assert(P::check());
    static_assert(P::dot_count == 0,
                  "typegrad: tg::cuda::sum and tg::cuda::mean do not evaluate tg::dot; use the CPU executor "
                  "(tg::sum, tg::mean) for expressions with contractions");
    using T = td::computation_type<decltype(td::to_input(std::declval<X const&>()))...>;
    static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>,
                  "typegrad: the CUDA executor computes in float or double");
    constexpr bool gradient_wanted = sizeof...(S) > 0;
    static_assert(!gradient_wanted || sizeof...(S) == N,
                  "typegrad: tg::gradient_to needs one entry (an array, a number or tg::skip) per input");
    cudaStream_t const stream = o.stream;

    // Host checks first (the CPU executor's): the inputs broadcast, each gradient has its input's shape.
    td::validate_call(in, sinks);  // every array: null data, extents, strides, overlap
    auto const L = td::make_layout<P>(in, std::index_sequence_for<X...>{});
    gk kind[N == 0 ? 1 : N] = {};
    if constexpr (gradient_wanted) {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            [[maybe_unused]] int const order[] = {0, td::check_gradient_sink<T>(std::get<I>(sinks), std::get<I>(in), I)...};
            ((kind[I] = td::is_skip<S> || !P::used[I]       ? gk::none
                        : td::sink_size(std::get<I>(sinks)) == 1 ? gk::lanes
                        : td::sink_size(std::get<I>(sinks)) == L.count ? gk::direct
                                                                       : gk::buffer),
             ...);
        }(std::index_sequence_for<X...>{});
    }
    T const scale = Mean ? T(1) / static_cast<T>(L.count) : T(1);
    if (L.count == 0) {
        // Nothing to add: the value is 0 (the mean NaN) and every gradient is zero.
        if constexpr (gradient_wanted) {
            bool const any_array = (td::is_array_sink<S> || ...);
            if (any_array) require_device();
            [&]<std::size_t... I>(std::index_sequence<I...>) {
                (zero_fill<T>(std::get<I>(sinks), stream), ...);
            }(std::index_sequence_for<X...>{});
            if (any_array) check(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
        }
        return T(0) * scale;
    }
    // Then the device: present, and every array in its memory.
    require_device();
    require_device_inputs(std::index_sequence_for<X...>{}, x...);
    if constexpr (gradient_wanted) {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ([&] {
                if constexpr (td::is_array_sink<S>)
                    require_device_array(std::get<I>(sinks), "the gradient of input " + std::to_string(I));
            }(), ...);
        }(std::index_sequence_for<X...>{});
    }

    reduce_args<T, N> a{};
    a.it = L.it;
    a.count = L.count;
    for (std::size_t i = 0; i < N; ++i) a.in[i] = L.in[i];
    a.scale = scale;
    a.deterministic = o.deterministic;
    a.tiles = (L.count + tile_size - 1) / tile_size;

    // Scratch: tiles' parts (or accumulators), then the results, then stored adjoints.
    std::size_t const parts = o.deterministic ? (1 + N) * static_cast<std::size_t>(a.tiles) : 1 + N;
    std::size_t adjoint_arrays = 0;
    if (o.deterministic)
        for (std::size_t i = 0; i < N; ++i) adjoint_arrays += kind[i] == gk::buffer;
    std::size_t temp_bytes = 0;
    if (o.deterministic)
        check(cub::DeviceReduce::Sum(nullptr, temp_bytes, static_cast<T const*>(nullptr), static_cast<T*>(nullptr),
                                     a.tiles, stream),
              "cub::DeviceReduce::Sum (temporary storage size)");
    std::size_t const temp_at = ((parts + 1 + N + adjoint_arrays * static_cast<std::size_t>(L.count)) * sizeof(T) + 255) / 256 * 256;
    scratch mem(temp_at + temp_bytes, stream);
    a.parts = mem.as<T>();
    T* const results = o.deterministic ? a.parts + parts : a.parts;
    T* next_adjoints = a.parts + parts + 1 + N;
    if (!o.deterministic) check(cudaMemsetAsync(a.parts, 0, (1 + N) * sizeof(T), stream), "cudaMemsetAsync");

    if constexpr (gradient_wanted) {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ([&] {
                auto const& s = std::get<I>(sinks);
                if constexpr (td::is_array_sink<S>) {
                    walk const w = td::sink_walk(s, L.it);
                    switch (kind[I]) {
                        case gk::none: zero_fill<T>(s, stream); break;
                        case gk::direct: a.direct[I] = s.data; a.direct_w[I] = w; break;
                        case gk::lanes: a.lanes[I] = true; break;
                        case gk::buffer:
                            a.spread_w[I] = w;
                            if (o.deterministic) {
                                a.spread[I] = next_adjoints;
                                next_adjoints += L.count;
                            } else {
                                zero_fill<T>(s, stream);
                                a.spread[I] = s.data;
                            }
                            break;
                    }
                } else if constexpr (std::is_pointer_v<S>) {
                    a.lanes[I] = kind[I] == gk::lanes;
                    if (kind[I] == gk::none) *s = T(0);
                }
            }(), ...);
        }(std::index_sequence_for<X...>{});
    }

    auto const ins = typegrad::tuple<decltype(device_input_of(x))...>{{{device_input_of(x)}...}};
    using G = typename P::graph_type;
    reduce_kernel<P, G, T, gradient_wanted><<<grid_for(a.tiles, 1), block_threads, 0, stream>>>(expr, ins, a);
    check(cudaGetLastError(), "the launch of tg::cuda::sum's kernel");

    if (o.deterministic) {
        for (std::size_t k = 0; k < 1 + N; ++k) {
            if (k > 0 && !a.lanes[k - 1]) continue;
            std::size_t bytes = temp_bytes;
            check(cub::DeviceReduce::Sum(reinterpret_cast<char*>(mem.as<T>()) + temp_at, bytes,
                                         a.parts + k * static_cast<std::size_t>(a.tiles), results + k, a.tiles, stream),
                  "cub::DeviceReduce::Sum");
        }
        if constexpr (gradient_wanted) {
            [&]<std::size_t... I>(std::index_sequence<I...>) {
                ([&] {
                    if constexpr (td::is_array_sink<S>)
                        if (kind[I] == gk::buffer) {
                            auto const& s = std::get<I>(sinks);
                            spread_plan const plan = make_spread_plan(L.it, a.spread_w[I], s.size());
                            spread_kernel<<<grid_for(s.size(), 1), block_threads, 0, stream>>>(a.spread[I], s.data, plan);
                            check(cudaGetLastError(), "the launch of tg::cuda::sum's broadcast-gradient kernel");
                        }
                }(), ...);
            }(std::index_sequence_for<X...>{});
        }
    }
    // Scalar gradients that live in device arrays are copied there; the rest comes to the host.
    if constexpr (gradient_wanted) {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ([&] {
                if constexpr (td::is_array_sink<S>)
                    if (kind[I] == gk::lanes)
                        check(cudaMemcpyAsync(std::get<I>(sinks).data, results + 1 + I, sizeof(T),
                                              cudaMemcpyDeviceToDevice, stream),
                              "cudaMemcpyAsync (device to device)");
            }(), ...);
        }(std::index_sequence_for<X...>{});
    }
    T host[1 + N] = {};
    check(cudaMemcpyAsync(host, results, (1 + N) * sizeof(T), cudaMemcpyDeviceToHost, stream),
          "cudaMemcpyAsync (device to host)");
    check(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
    if constexpr (gradient_wanted) {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ([&] {
                if constexpr (std::is_pointer_v<S>)
                    if (kind[I] == gk::lanes) *std::get<I>(sinks) = host[1 + I];
            }(), ...);
        }(std::index_sequence_for<X...>{});
    }
    return host[0] * scale;
}

}  // namespace detail

/// The sum of f over the elements of the (broadcast) inputs, computed on the GPU.
template <class F, class... In>
auto sum(options const& o, F const& f, In const&... in) {
    auto const e = typegrad::detail::to_expression<sizeof...(In)>(f);
    return detail::run_reduce<false>(o, e, std::tuple<>{}, in...);
}
/// The sum of f and its gradient with respect to every input, written to `gradient`.
template <class F, class... S, class... In>
auto sum(options const& o, F const& f, gradient_sinks<S...> const& gradient, In const&... in) {
    auto const e = typegrad::detail::to_expression<sizeof...(In)>(f);
    return detail::run_reduce<false>(o, e, gradient.sinks, in...);
}
/// The mean of f over the elements (NaN when there are none).
template <class F, class... In>
auto mean(options const& o, F const& f, In const&... in) {
    auto const e = typegrad::detail::to_expression<sizeof...(In)>(f);
    return detail::run_reduce<true>(o, e, std::tuple<>{}, in...);
}
/// The mean of f and its gradient with respect to every input.
template <class F, class... S, class... In>
auto mean(options const& o, F const& f, gradient_sinks<S...> const& gradient, In const&... in) {
    auto const e = typegrad::detail::to_expression<sizeof...(In)>(f);
    return detail::run_reduce<true>(o, e, gradient.sinks, in...);
}

template <class F>
concept not_options = !std::is_same_v<std::remove_cvref_t<F>, options> &&
                      !std::is_same_v<std::remove_cvref_t<F>, cudaStream_t>;

template <not_options F, class... In>
auto sum(F const& f, In const&... in) {
    return sum(options{}, f, in...);
}
template <not_options F, class... S, class... In>
auto sum(F const& f, gradient_sinks<S...> const& gradient, In const&... in) {
    return sum(options{}, f, gradient, in...);
}
template <not_options F, class... In>
auto mean(F const& f, In const&... in) {
    return mean(options{}, f, in...);
}
template <not_options F, class... S, class... In>
auto mean(F const& f, gradient_sinks<S...> const& gradient, In const&... in) {
    return mean(options{}, f, gradient, in...);
}
/// The same, queued on `stream` (the call waits for it, as it returns a host value).
template <class F, class... In>
auto sum(cudaStream_t stream, F const& f, In const&... in) {
    return sum(options{.stream = stream}, f, in...);
}
template <class F, class... In>
auto mean(cudaStream_t stream, F const& f, In const&... in) {
    return mean(options{.stream = stream}, f, in...);
}

}  // namespace typegrad::cuda
