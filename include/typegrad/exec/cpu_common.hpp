// typegrad/exec/cpu_common.hpp: what tg::map, tg::sum and tg::mean share on the CPU.
//
// One pass over memory computes values and derivatives together; nothing is
// allocated per node. The elements (in the order of the broadcast shape) are cut
// into chunks of a fixed size, and each chunk into blocks: a block's inputs are read
// (in place where they lie contiguously, otherwise gathered into a small buffer),
// the scalar passes run element by element over plain arrays (which the compiler
// vectorises), and the results are written or accumulated. Chunks may run on
// several threads (OpenMP, when the program is compiled with it); a reduction adds
// each chunk's part in a fixed order and the chunks' parts in chunk order, so the
// result is bit-identical for any thread count.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#if TYPEGRAD_HAS_OPENMP
#include <omp.h>
#endif

#include "../config.hpp"
#include "../modes/gradient.hpp"
#include "../modes/jacobian.hpp"
#include "../modes/outputs.hpp"
#include "../modes/values.hpp"
#include "arguments.hpp"
#include "contraction.hpp"

namespace typegrad {

/// Options of the CPU executor: `tg::map(tg::cpu_options{.threads = 4}, f, ...)`.
struct cpu_options {
    /// Threads to run on when compiled with OpenMP; 0 takes OpenMP's default. Without
    /// OpenMP every call is serial. Results do not depend on this number.
    int threads = 0;
};

namespace detail {

/// Elements per block (buffers of this many values live on the stack).
inline constexpr std::ptrdiff_t block_size = 256;
/// Elements per chunk: fixed, so that reductions do not depend on the thread count.
inline constexpr std::ptrdiff_t chunk_size = 64 * block_size;
/// Partial sums kept side by side within a chunk (lets the additions vectorise).
inline constexpr std::size_t lane_count = 8;

inline namespace TYPEGRAD_THREADS_NAMESPACE {

inline int thread_count([[maybe_unused]] cpu_options o) {
#if TYPEGRAD_HAS_OPENMP
    return o.threads > 0 ? o.threads : omp_get_max_threads();
#else
    return 1;
#endif
}

template <class Body>
void for_each_chunk(std::ptrdiff_t chunks, cpu_options o, Body const& body) {
#if TYPEGRAD_HAS_OPENMP
    int const t = thread_count(o);
#pragma omp parallel for schedule(static) num_threads(t) if (t > 1 && chunks > 1)
    for (std::ptrdiff_t c = 0; c < chunks; ++c) body(c);
#else
    (void)o;
    for (std::ptrdiff_t c = 0; c < chunks; ++c) body(c);
#endif
}

}  // namespace TYPEGRAD_THREADS_NAMESPACE

/// Sums lane_count partial sums in a fixed order (pairwise).
template <class T>
constexpr T combine_lanes(T const (&lane)[lane_count]) {
    return ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
}

/// Adds v[0..n) to the lanes: element l to lane l mod lane_count.
template <class T>
inline void add_to_lanes(T (&lane)[lane_count], T const* v, std::ptrdiff_t n) {
    std::ptrdiff_t l = 0;
    for (; l + std::ptrdiff_t(lane_count) <= n; l += lane_count)
        for (std::size_t k = 0; k < lane_count; ++k) lane[k] += v[l + k];
    for (std::size_t k = 0; l < n; ++l, ++k) lane[k] += v[l];
}

/// The function as a tg::outputs pack over N inputs (one expression is a pack of one).
template <std::size_t N, class F>
constexpr auto output_pack(F const& f) {
    decltype(auto) r = function_body<N>(f);
    using R = std::remove_cvref_t<decltype(r)>;
    static_assert(expression<R> || scalar<R> || is_vector_function_result<R> || std::is_same_v<R, uncallable_function>,
                  "typegrad: the callable must return a number, a typegrad expression or several of them");
    if constexpr (is_vector_function_result<R>)
        return as_outputs(r);
    else if constexpr (expression<R> || scalar<R>)
        return typegrad::outputs(as_expression(r));
    else
        return typegrad::outputs(static_const<0>{});
}

/// What the executors know about the expression at compile time.
template <class Pack, std::size_t N>
struct array_problem {
    using dots = dots_of<Pack>;
    static constexpr std::size_t dot_count = dots::size;
    /// Inputs, then one slot per dot value.
    static constexpr std::size_t slots = N + dot_count;
    using pack = std::remove_cvref_t<decltype(replace_dots<N, dots>(std::declval<Pack const&>()))>;
    using graph_type = graph<pack>;
    static constexpr std::size_t outputs = output_count<pack>;
    static constexpr auto dot_slot = dot_slots<dots>::value;
    static constexpr auto used = slots_used<typename graph_type::entries, N>::value;

    static constexpr bool contracted(std::size_t i) {
        for (std::size_t s : dot_slot)
            if (s == i) return true;
        return false;
    }
    static constexpr bool check() {
        static_assert(graph<Pack>::slots <= N,
                      "typegrad: the expression uses an input variable whose index is not less than the number "
                      "of inputs given; pass one input (number or array) per input variable");
        constexpr bool mixed = [] {
            for (std::size_t i = 0; i < N; ++i)
                if (used[i] && contracted(i)) return true;
            return false;
        }();
        static_assert(!mixed,
                      "typegrad: an input that tg::dot contracts is an array with one axis more than the elements; "
                      "it cannot also be used element by element");
        return true;
    }
};

/// Run-time layout: the iteration shape and how every input is walked.
template <std::size_t N, std::size_t D>
struct array_layout {
    dims it;
    std::ptrdiff_t count = 0;
    walk in[N == 0 ? 1 : N];
    std::ptrdiff_t contracted_length[D == 0 ? 1 : D] = {};
};

template <class Problem, class... A, std::size_t... I>
array_layout<sizeof...(A), Problem::dot_count> make_layout(std::tuple<A...> const& in, std::index_sequence<I...>) {
    constexpr std::size_t N = sizeof...(A);
    array_layout<N, Problem::dot_count> L;
    dims const full[] = {array_shape(std::get<I>(in))..., dims{}};
    std::ptrdiff_t const* strides[] = {std::get<I>(in).stride.data()..., nullptr};
    dims elem[N == 0 ? 1 : N];
    for (std::size_t i = 0; i < N; ++i) {
        elem[i] = full[i];
        if (Problem::contracted(i)) {
            if (full[i].rank == 0)
                throw std::invalid_argument("typegrad: tg::dot contracts the last axis of " +
                                            argument_name("input", i) + ", which is a number, not an array");
            elem[i].rank -= 1;
        }
    }
    dims it;
    std::size_t first = N;
    for (std::size_t i = 0; i < N; ++i) {
        if (first == N) {
            it = elem[i];
            first = i;
        } else {
            dims r;
            if (!try_broadcast(it, elem[i], r))
                throw std::invalid_argument(
                    "typegrad: the inputs cannot be broadcast together: " + argument_name("input", i) +
                    " has shape " + to_string(elem[i]) + (Problem::contracted(i) ? " (without its contracted axis)" : "") +
                    ", and the inputs before it broadcast to " + to_string(it));
            it = r;
        }
    }
    L.it = it;
    L.count = checked_size(it);
    for (std::size_t i = 0; i < N; ++i) {
        L.in[i] = make_walk(it, elem[i], strides[i]);
        if (Problem::contracted(i)) L.in[i].contracted_stride = strides[i][full[i].rank - 1];
    }
    for (std::size_t d = 0; d != Problem::dot_count; ++d) {  // != : nvcc warns of `< 0`
        std::size_t const a = Problem::dot_slot[2 * d], b = Problem::dot_slot[2 * d + 1];
        std::ptrdiff_t const ka = full[a].extent[full[a].rank - 1], kb = full[b].extent[full[b].rank - 1];
        if (ka != kb)
            throw std::invalid_argument("typegrad: tg::dot contracts the last axes of " + argument_name("input", a) +
                                        " (shape " + to_string(full[a]) + ") and " + argument_name("input", b) +
                                        " (shape " + to_string(full[b]) + "), whose lengths differ");
        L.contracted_length[d] = ka;
    }
    return L;
}

/// Reads input values for a block of elements: in place when possible, else gathered.
template <class T, class A>
T const* stage_input(A const& a, walk const& w, dims const& it, std::ptrdiff_t e0, std::ptrdiff_t n, T* buffer) {
    using E = element_of<A>;
    if constexpr (A::rank == 0) {
        // A number: the element loop reads it at index 0 (see point_at).
        if constexpr (std::is_same_v<E, T>)
            return a.data;
        buffer[0] = static_cast<T>(a.data[0]);
        return buffer;
    }
    if constexpr (std::is_same_v<E, T>)
        if (w.flat) return a.data + e0;
    if (w.scalar) {
        T const v = static_cast<T>(a.data[0]);
        for (std::ptrdiff_t l = 0; l < n; ++l) buffer[l] = v;
    } else if (w.flat) {
        for (std::ptrdiff_t l = 0; l < n; ++l) buffer[l] = static_cast<T>(a.data[e0 + l]);
    } else {
        offset_counter c(it, w, e0);
        for (std::ptrdiff_t l = 0; l < n; ++l, c.advance(it, w)) buffer[l] = static_cast<T>(a.data[c.offset]);
    }
    return buffer;
}

/// Writes a block's results, kept in a buffer, to a destination walked with gaps or in another order.
template <class T>
void scatter(T* data, walk const& w, dims const& it, std::ptrdiff_t e0, std::ptrdiff_t n, T const* buffer) {
    if (w.flat) {
        for (std::ptrdiff_t l = 0; l < n; ++l) data[e0 + l] = buffer[l];
        return;
    }
    offset_counter c(it, w, e0);
    for (std::ptrdiff_t l = 0; l < n; ++l, c.advance(it, w)) data[c.offset] = buffer[l];
}

/// The walk of an array shaped like `s` with its own strides over the iteration.
template <class T, std::size_t R>
walk sink_walk(array_ref<T, R> const& a, dims const& it, std::size_t rank = R) {
    dims s = array_shape(a, rank);
    return make_walk(it, s, a.stride.data());
}

}  // namespace detail
}  // namespace typegrad

namespace typegrad::detail {

// Sinks of tg::map (outputs and element-wise partials) and of gradients, shared by the
// CPU and CUDA executors.

template <class Row, std::size_t N>
constexpr bool row_has_size() {
    return std::tuple_size_v<Row> == N;
}

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
    check_sink<T>(s, array_shape(input), {argument_kind::gradient, i, 0},
                  "the gradient of an input has the input's shape");
    return 0;
}

}  // namespace typegrad::detail
