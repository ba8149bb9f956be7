// typegrad/exec/cpu_reduce.hpp: tg::sum and tg::mean over elements, with the gradient
// by reverse mode in the same loop.
//
//   double L = tg::sum(loss, x, w, 0.5);                          // the value
//   double L = tg::sum(loss, tg::gradient_to(gx, gw, gb), x, w, b); // and dL/d(every input)
//
// The gradient entry of an input has that input's shape: an array input that is not
// broadcast gets one adjoint per element; a scalar input (a number, T&) or a
// broadcast array gets the adjoints summed over the elements it was stretched over.
// An input contracted by tg::dot gets the adjoints sent back along its last axis.
#pragma once

#include "cpu_common.hpp"

namespace typegrad {
namespace detail {

/// How one input's gradient is formed.
enum class gradient_kind {
    none,    // not wanted (tg::skip), or the input is not used
    direct,  // one adjoint per element of the input: written in place
    lanes,   // a single number: summed in lanes per chunk
    buffer,  // a broadcast array: summed into a buffer per chunk
};

template <class S>
std::ptrdiff_t sink_size(S const& s) {
    if constexpr (is_skip<S>)
        return 0;
    else if constexpr (std::is_pointer_v<S>)
        return 1;
    else
        return s.size();
}

template <class T, class S>
T* sink_data(S const& s) {
    if constexpr (is_skip<S>)
        return nullptr;
    else if constexpr (std::is_pointer_v<S>)
        return s;
    else {
        static_assert(std::is_same_v<typename S::value_type, T>);
        return s.data;
    }
}

template <class T, class S, class A>
int check_gradient_sink(S const& s, A const& input, std::size_t i) {
    check_sink<T>(s, array_shape(input), {argument_kind::gradient, i, 0}, "the gradient of an input has the input's shape");
    return 0;
}

/// Run-time plan of the gradient of every input.
template <class T, std::size_t N>
struct gradient_targets {
    gradient_kind kind[N == 0 ? 1 : N] = {};
    T* data[N == 0 ? 1 : N] = {};
    std::ptrdiff_t size[N == 0 ? 1 : N] = {};
    walk w[N == 0 ? 1 : N];           // the gradient array's walk over the iteration
    std::ptrdiff_t buffer_at[N == 0 ? 1 : N] = {};  // offset of its part in a chunk's buffer
};

/// The walk of a gradient array over the iteration (without its contracted axis, if any).
template <class S>
walk sink_walk_of(S const& s, dims const& it, bool contracted) {
    if constexpr (is_array_sink<S>) {
        if (contracted && S::rank == 0) return walk{};
        return sink_walk(s, it, contracted ? S::rank - 1 : S::rank);
    } else
        return walk{};
}

/// Adds ubar[l] * other(l, k) to target at the gradient array's element (l, k).
template <class T, class E>
void send_back(T* target, walk const& tw, dims const& it, std::ptrdiff_t e0, std::ptrdiff_t n, T const* ubar,
               E const* other, walk const& ow, std::ptrdiff_t const* ooff, std::ptrdiff_t K, std::ptrdiff_t* toff) {
    with_reader_kind(kind_of(ow), [&](auto ko) {
        operand_reader<decltype(ko)::value, E> const r{other, e0, ooff, ow.contracted_stride};
        if (tw.scalar) {
            // One gradient row for the whole block (w in w^T X): summed in lanes.
            for (std::ptrdiff_t k = 0; k < K; ++k) {
                T lane[lane_count] = {};
                std::ptrdiff_t l = 0;
                for (; l + std::ptrdiff_t(lane_count) <= n; l += lane_count)
                    for (std::size_t q = 0; q < lane_count; ++q)
                        lane[q] += ubar[l + q] * static_cast<T>(r(l + q, k));
                for (std::size_t q = 0; l < n; ++l, ++q) lane[q] += ubar[l] * static_cast<T>(r(l, k));
                target[k] += combine_lanes(lane);
            }
        } else {
            offsets_of(it, tw, e0, n, toff);
            for (std::ptrdiff_t l = 0; l < n; ++l)
                for (std::ptrdiff_t k = 0; k < K; ++k) target[toff[l] + k] += ubar[l] * static_cast<T>(r(l, k));
        }
    });
}

template <class P, std::size_t Dot, class T, std::size_t N, class... A>
int dot_adjoint(std::tuple<A...> const& in, array_layout<sizeof...(A), P::dot_count> const& L,
                gradient_targets<T, N> const& g, std::ptrdiff_t e0, std::ptrdiff_t n, T const* ubar,
                std::ptrdiff_t (*offsets)[block_size], std::ptrdiff_t* toff, T* part) {
    constexpr std::size_t a = P::dot_slot[2 * Dot], b = P::dot_slot[2 * Dot + 1];
    std::ptrdiff_t const K = L.contracted_length[Dot];
    auto target = [&](std::size_t i) {
        return g.kind[i] == gradient_kind::direct ? g.data[i] : part + g.buffer_at[i];
    };
    if (g.kind[a] != gradient_kind::none)
        send_back(target(a), g.w[a], L.it, e0, n, ubar, std::get<b>(in).data, L.in[b], offsets[2 * Dot + 1], K, toff);
    if (g.kind[b] != gradient_kind::none)
        send_back(target(b), g.w[b], L.it, e0, n, ubar, std::get<a>(in).data, L.in[a], offsets[2 * Dot], K, toff);
    return 0;
}

template <class P, class T, std::size_t N, class... A, std::size_t... Dot>
void dot_adjoints(std::tuple<A...> const& in, array_layout<sizeof...(A), P::dot_count> const& L,
                  gradient_targets<T, N> const& g, std::ptrdiff_t e0, std::ptrdiff_t n, T (*ubar)[block_size],
                  std::ptrdiff_t (*offsets)[block_size], std::ptrdiff_t* toff, T* part, std::index_sequence<Dot...>) {
    [[maybe_unused]] int const order[] = {0, dot_adjoint<P, Dot>(in, L, g, e0, n, ubar[Dot], offsets, toff, part)...};
}

template <bool Mean, class E, class... S, class... A>
auto run_reduce_checked(cpu_options o, E const& e, std::tuple<S...> const& sinks, std::tuple<A...> const& in) {
    constexpr std::size_t N = sizeof...(A);
    using P = array_problem<E, N>;
    static_assert(P::check());
    using T = computation_type<A...>;
    constexpr std::size_t D = P::dot_count;
    constexpr std::size_t Sl = P::slots;
    constexpr bool gradient_wanted = sizeof...(S) > 0;
    static_assert(!gradient_wanted || sizeof...(S) == N,
                  "typegrad: tg::gradient_to needs one entry (an array, a number or tg::skip) per input");

    auto const L = make_layout<P>(in, std::index_sequence_for<A...>{});
    gradient_targets<T, N> g{};
    if constexpr (gradient_wanted) {
        // everything is checked before anything is written
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            [[maybe_unused]] int const order[] = {
                0, check_gradient_sink<T>(std::get<I>(sinks), std::get<I>(in), I)...};
            ((g.data[I] = sink_data<T>(std::get<I>(sinks)), g.size[I] = sink_size(std::get<I>(sinks))), ...);
        }(std::index_sequence_for<A...>{});
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((g.kind[I] = is_skip<S> ? gradient_kind::none
                          : !P::used[I] && !P::contracted(I) ? gradient_kind::none
                          : g.size[I] == 1 && !P::contracted(I) ? gradient_kind::lanes
                          : P::contracted(I)
                              ? (g.size[I] / std::max<std::ptrdiff_t>(1, std::get<I>(in).extent[A::rank - 1]) == L.count
                                     ? gradient_kind::direct
                                     : gradient_kind::buffer)
                          : g.size[I] == L.count ? gradient_kind::direct
                                                 : gradient_kind::buffer),
             ...);
            ((g.w[I] = is_array_sink<S> ? sink_walk_of(std::get<I>(sinks), L.it, P::contracted(I)) : walk{}), ...);
        }(std::index_sequence_for<A...>{});
        // Inputs not used get a zero gradient; contracted arrays written in place are accumulated into.
        for (std::size_t i = 0; i < N; ++i) {
            bool const zero = g.data[i] && (g.kind[i] == gradient_kind::none ||
                                            (g.kind[i] == gradient_kind::direct && P::contracted(i)));
            if (zero) std::fill(g.data[i], g.data[i] + g.size[i], T(0));
        }
    }

    std::ptrdiff_t const chunks = (L.count + chunk_size - 1) / chunk_size;
    // Per chunk: its value, a number per lanes-gradient, a buffer part per buffer-gradient.
    std::ptrdiff_t per_chunk = 1 + static_cast<std::ptrdiff_t>(N);
    for (std::size_t i = 0; i < N; ++i)
        if (g.kind[i] == gradient_kind::buffer) {
            g.buffer_at[i] = per_chunk;
            per_chunk += g.size[i];
        }
    std::vector<T> parts(static_cast<std::size_t>(chunks * per_chunk), T(0));
    T const scale = Mean ? T(1) / static_cast<T>(L.count) : T(1);

    static constexpr auto fixed = fixed_slots<Sl, A...>();
    static constexpr auto read = read_slots<P, N>();
    auto const expr = replace_dots<N, typename P::dots>(e);
    using G = typename P::graph_type;

    for_each_chunk(chunks, o, [&](std::ptrdiff_t c) {
        T* const part = parts.data() + c * per_chunk;
        T in_buf[Sl == 0 ? 1 : Sl][block_size];
        T value_buf[block_size];
        T adj_buf[Sl == 0 ? 1 : Sl][block_size];
        std::ptrdiff_t offsets[2 * D + 1][block_size];
        std::ptrdiff_t sink_off[block_size];
        T value_lanes[lane_count] = {};
        T grad_lanes[N == 0 ? 1 : N][lane_count] = {};
        std::ptrdiff_t const end = std::min(L.count, (c + 1) * chunk_size);
        for (std::ptrdiff_t e0 = c * chunk_size; e0 < end; e0 += block_size) {
            std::ptrdiff_t const n = std::min(block_size, end - e0);
            T const* src[Sl == 0 ? 1 : Sl] = {};
            stage_inputs(in, read.data(), L.in, L.it, e0, n, in_buf, src, std::index_sequence_for<A...>{});
            if constexpr (D > 0) {
                dots_for_block<P>(in, L, e0, n, in_buf + N, offsets, std::make_index_sequence<D>{});
                for (std::size_t d = N; d < Sl; ++d) src[d] = in_buf[d];
            }
            if constexpr (!gradient_wanted) {
                for (std::ptrdiff_t l = 0; l < n; ++l) {
                    auto const p = point_at<T, read, fixed>(src, l, std::make_index_sequence<Sl>{});
                    T vals[G::size];
                    compute_values<G>(expr, p.data(), vals);
                    value_buf[l] = vals[G::root];
                }
            } else {
                T* adj[Sl == 0 ? 1 : Sl];
                for (std::size_t i = 0; i < Sl; ++i)
                    adj[i] = i < N && g.kind[i] == gradient_kind::direct && !P::contracted(i) ? g.data[i] + e0
                                                                                            : adj_buf[i];
                // Elements are independent, and gradient arrays do not overlap the inputs.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC ivdep
#endif
                for (std::ptrdiff_t l = 0; l < n; ++l) {
                    auto const p = point_at<T, read, fixed>(src, l, std::make_index_sequence<Sl>{});
                    auto const r = gradient_at<reverse>(expr, p);
                    value_buf[l] = r.value;
                    for (std::size_t i = 0; i < Sl; ++i)
                        if (read[i]) adj[i][l] = r.gradient[i] * scale;
                }
                for (std::size_t i = 0; i < N; ++i) {
                    if (P::contracted(i) || !P::used[i]) continue;
                    if (g.kind[i] == gradient_kind::lanes)
                        add_to_lanes(grad_lanes[i], adj_buf[i], n);
                    else if (g.kind[i] == gradient_kind::buffer) {
                        T* const buf = part + g.buffer_at[i];
                        offset_counter oc(L.it, g.w[i], e0);
                        for (std::ptrdiff_t l = 0; l < n; ++l, oc.advance(L.it, g.w[i])) buf[oc.offset] += adj_buf[i][l];
                    }
                }
                if constexpr (D > 0)
                    dot_adjoints<P>(in, L, g, e0, n, adj_buf + N, offsets, sink_off, part,
                                    std::make_index_sequence<D>{});
            }
            add_to_lanes(value_lanes, value_buf, n);
        }
        part[0] = combine_lanes(value_lanes);
        for (std::size_t i = 0; i < N; ++i)
            if (g.kind[i] == gradient_kind::lanes) part[1 + i] = combine_lanes(grad_lanes[i]);
    });

    // The chunks' parts, added in chunk order.
    T total = T(0);
    for (std::ptrdiff_t c = 0; c < chunks; ++c) total += parts[static_cast<std::size_t>(c * per_chunk)];
    if constexpr (gradient_wanted) {
        for (std::size_t i = 0; i < N; ++i) {
            if (g.kind[i] == gradient_kind::lanes) {
                T s = T(0);
                for (std::ptrdiff_t c = 0; c < chunks; ++c) s += parts[static_cast<std::size_t>(c * per_chunk) + 1 + i];
                g.data[i][0] = s;
            } else if (g.kind[i] == gradient_kind::buffer) {
                for (std::ptrdiff_t q = 0; q < g.size[i]; ++q) {
                    T s = T(0);
                    for (std::ptrdiff_t c = 0; c < chunks; ++c)
                        s += parts[static_cast<std::size_t>(c * per_chunk + g.buffer_at[i] + q)];
                    g.data[i][q] = s;
                }
            }
        }
    }
    return total * scale;
}

/// A gradient array with gaps or another order (a column-major Eigen matrix, a strided
/// view) is computed into contiguous storage and copied into it afterwards.
template <class T, class S>
struct staged_sink {
    S target;
    std::vector<T> storage;
    bool staged = false;

    explicit staged_sink(S const& s) : target(s) {
        if constexpr (is_array_sink<S>)
            if (!s.contiguous()) {
                storage.resize(static_cast<std::size_t>(s.size()));
                staged = true;
            }
    }
    S sink() {
        if constexpr (is_array_sink<S>)
            if (staged) return S{storage.data(), target.extent, row_major_strides(target.extent)};
        return target;
    }
    void copy_back() const {
        if constexpr (is_array_sink<S>) {
            if (!staged || storage.empty()) return;
            dims const shape = array_shape(target);
            scatter(target.data, sink_walk(target, shape), shape, 0, target.size(), storage.data());
        }
    }
};

template <bool Mean, class E, class... S, class... A>
auto run_reduce(cpu_options o, E const& e, std::tuple<S...> const& sinks, std::tuple<A...> const& in) {
    static_assert(sizeof...(S) == 0 || sizeof...(S) == sizeof...(A),
                  "typegrad: tg::gradient_to needs one entry (an array, a number or tg::skip) per input");
    check_thread_count(o.threads);
    validate_call(in, sinks);  // every array: null data, extents, strides, overlap (exec/validate.hpp)
    if constexpr (sizeof...(S) == 0)
        return run_reduce_checked<Mean>(o, e, sinks, in);
    else if constexpr (sizeof...(S) == sizeof...(A)) {
        using T = computation_type<A...>;
        auto staged = std::apply([](auto const&... s) { return std::tuple{staged_sink<T, S>(s)...}; }, sinks);
        auto const value = run_reduce_checked<Mean>(
            o, e, std::apply([](auto&... s) { return std::tuple{s.sink()...}; }, staged), in);
        std::apply([](auto const&... s) { (s.copy_back(), ...); }, staged);
        return value;
    } else
        return computation_type<A...>(0);  // after the static_assert: no cascade of further errors
}

}  // namespace detail

/// The sum of f over the elements of the (broadcast) inputs.
template <class F, class... In>
auto sum(cpu_options const& options, F const& f, In const&... in) {
    auto const e = detail::to_expression<sizeof...(In)>(f);
    return detail::run_reduce<false>(options, e, std::tuple<>{}, std::tuple{detail::to_input(in)...});
}
/// The sum of f and its gradient with respect to every input, written to `gradient`.
template <class F, class... S, class... In>
auto sum(cpu_options const& options, F const& f, gradient_sinks<S...> const& gradient, In const&... in) {
    auto const e = detail::to_expression<sizeof...(In)>(f);
    return detail::run_reduce<false>(options, e, gradient.sinks, std::tuple{detail::to_input(in)...});
}
/// The mean of f over the elements (NaN when there are none).
template <class F, class... In>
auto mean(cpu_options const& options, F const& f, In const&... in) {
    auto const e = detail::to_expression<sizeof...(In)>(f);
    return detail::run_reduce<true>(options, e, std::tuple<>{}, std::tuple{detail::to_input(in)...});
}
/// The mean of f and its gradient with respect to every input.
template <class F, class... S, class... In>
auto mean(cpu_options const& options, F const& f, gradient_sinks<S...> const& gradient, In const&... in) {
    auto const e = detail::to_expression<sizeof...(In)>(f);
    return detail::run_reduce<true>(options, e, gradient.sinks, std::tuple{detail::to_input(in)...});
}

template <class F, class... In>
    requires(!std::is_same_v<std::remove_cvref_t<F>, cpu_options>)
auto sum(F const& f, In const&... in) {
    return sum(cpu_options{}, f, in...);
}
template <class F, class... S, class... In>
    requires(!std::is_same_v<std::remove_cvref_t<F>, cpu_options>)
auto sum(F const& f, gradient_sinks<S...> const& gradient, In const&... in) {
    return sum(cpu_options{}, f, gradient, in...);
}
template <class F, class... In>
    requires(!std::is_same_v<std::remove_cvref_t<F>, cpu_options>)
auto mean(F const& f, In const&... in) {
    return mean(cpu_options{}, f, in...);
}
template <class F, class... S, class... In>
    requires(!std::is_same_v<std::remove_cvref_t<F>, cpu_options>)
auto mean(F const& f, gradient_sinks<S...> const& gradient, In const&... in) {
    return mean(cpu_options{}, f, gradient, in...);
}

/// The reductions tg::map_reduce takes: `tg::map_reduce(tg::reduction::mean, f, ...)`.
namespace reduction {
struct sum_t {};
struct mean_t {};
inline constexpr sum_t sum{};
inline constexpr mean_t mean{};
}  // namespace reduction

namespace detail {
template <class R>
inline constexpr bool is_reduction =
    std::is_same_v<std::remove_cvref_t<R>, reduction::sum_t> || std::is_same_v<std::remove_cvref_t<R>, reduction::mean_t>;
}  // namespace detail

/// tg::sum or tg::mean named by a reduction tag; the rest of the arguments as theirs
/// (a tg::gradient_to, if any, then the inputs).
template <class R, class F, class... Rest>
    requires detail::is_reduction<R>
auto map_reduce(cpu_options const& options, R, F const& f, Rest const&... rest) {
    if constexpr (std::is_same_v<std::remove_cvref_t<R>, reduction::sum_t>)
        return sum(options, f, rest...);
    else
        return mean(options, f, rest...);
}
template <class R, class F, class... Rest>
    requires detail::is_reduction<R>
auto map_reduce(R r, F const& f, Rest const&... rest) {
    return map_reduce(cpu_options{}, r, f, rest...);
}

}  // namespace typegrad
