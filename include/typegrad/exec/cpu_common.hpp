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

#if defined(_OPENMP)
#include <omp.h>
#endif

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

inline int thread_count([[maybe_unused]] cpu_options o) {
#if defined(_OPENMP)
    return o.threads > 0 ? o.threads : omp_get_max_threads();
#else
    return 1;
#endif
}

template <class Body>
void for_each_chunk(std::ptrdiff_t chunks, cpu_options o, Body const& body) {
#if defined(_OPENMP)
    int const t = thread_count(o);
#pragma omp parallel for schedule(static) num_threads(t) if (t > 1 && chunks > 1)
    for (std::ptrdiff_t c = 0; c < chunks; ++c) body(c);
#else
    (void)o;
    for (std::ptrdiff_t c = 0; c < chunks; ++c) body(c);
#endif
}

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
    if constexpr (is_outputs<F>::value)
        return f;
    else if constexpr (expression<F>)
        return typegrad::outputs(f);
    else if constexpr (is_vector_function_result<F>)
        return as_outputs(f);
    else {
        static_assert(invocable_with_vars<F, std::make_index_sequence<N>>::value,
                      "typegrad: the function cannot be called with as many typegrad variables as there are "
                      "inputs; give one input (number or array) per parameter of the callable");
        if constexpr (invocable_with_vars<F, std::make_index_sequence<N>>::value) {
            auto const r = [&]<std::size_t... I>(std::index_sequence<I...>) {
                return f(var<I>{}...);
            }(std::make_index_sequence<N>{});
            using R = std::remove_cvref_t<decltype(r)>;
            static_assert(expression<R> || scalar<R> || is_vector_function_result<R>,
                          "typegrad: the callable must return a number, a typegrad expression or several of them");
            if constexpr (is_vector_function_result<R>)
                return as_outputs(r);
            else if constexpr (expression<R> || scalar<R>)
                return typegrad::outputs(as_expression(r));
            else
                return typegrad::outputs(static_const<0>{});
        } else
            return typegrad::outputs(static_const<0>{});
    }
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
    offset_counter c(it, w, e0);
    for (std::ptrdiff_t l = 0; l < n; ++l, c.advance(it, w)) data[c.offset] = buffer[l];
}

/// The walk of an array shaped like `s` with its own strides over the iteration.
template <class T, std::size_t R>
walk sink_walk(array_ref<T, R> const& a, dims const& it, std::size_t rank = R) {
    dims s = array_shape(a, rank);
    return make_walk(it, s, a.stride.data());
}

/// Reads element (l, k) of a dot operand within a block starting at e0.
enum class operand_kind { flat, scalar, general };
template <operand_kind K, class E>
struct operand_reader {
    E const* p;
    std::ptrdiff_t e0;
    std::ptrdiff_t const* off;
    std::ptrdiff_t cs;
    TYPEGRAD_INLINE E operator()(std::ptrdiff_t l, std::ptrdiff_t k) const {
        if constexpr (K == operand_kind::flat)
            return p[e0 + l + k * cs];
        else if constexpr (K == operand_kind::scalar)
            return p[k * cs];
        else
            return p[off[l] + k * cs];
    }
};

inline operand_kind kind_of(walk const& w) {
    return w.flat ? operand_kind::flat : w.scalar ? operand_kind::scalar : operand_kind::general;
}

template <class Fn>
void with_reader_kind(operand_kind k, Fn const& fn) {
    switch (k) {
        case operand_kind::flat: fn(std::integral_constant<operand_kind, operand_kind::flat>{}); break;
        case operand_kind::scalar: fn(std::integral_constant<operand_kind, operand_kind::scalar>{}); break;
        default: fn(std::integral_constant<operand_kind, operand_kind::general>{}); break;
    }
}

/// off[l]: the offset of element e0 + l of a walk.
inline void offsets_of(dims const& it, walk const& w, std::ptrdiff_t e0, std::ptrdiff_t n, std::ptrdiff_t* off) {
    offset_counter c(it, w, e0);
    for (std::ptrdiff_t l = 0; l < n; ++l, c.advance(it, w)) off[l] = c.offset;
}

/// The offsets a dot operand's reader needs (none for flat and scalar walks).
inline void fill_offsets(dims const& it, walk const& w, std::ptrdiff_t e0, std::ptrdiff_t n, std::ptrdiff_t* off) {
    if (!w.flat && !w.scalar) offsets_of(it, w, e0, n, off);
}

/// u[l] = sum_k a(l, k) b(l, k), k ascending, for one block.
template <class T, class EA, class EB>
void dot_block(T* u, EA const* pa, walk const& wa, std::ptrdiff_t const* offa, EB const* pb, walk const& wb,
               std::ptrdiff_t const* offb, std::ptrdiff_t e0, std::ptrdiff_t n, std::ptrdiff_t K) {
    for (std::ptrdiff_t l = 0; l < n; ++l) u[l] = T(0);
    with_reader_kind(kind_of(wa), [&](auto ka) {
        with_reader_kind(kind_of(wb), [&](auto kb) {
            operand_reader<decltype(ka)::value, EA> const ra{pa, e0, offa, wa.contracted_stride};
            operand_reader<decltype(kb)::value, EB> const rb{pb, e0, offb, wb.contracted_stride};
            for (std::ptrdiff_t k = 0; k < K; ++k)
                for (std::ptrdiff_t l = 0; l < n; ++l) u[l] += static_cast<T>(ra(l, k)) * static_cast<T>(rb(l, k));
        });
    });
}

}  // namespace detail
}  // namespace typegrad

namespace typegrad::detail {

template <class T, class... A, std::size_t... I>
void stage_inputs(std::tuple<A...> const& in, bool const* read, walk const* walks, dims const& it, std::ptrdiff_t e0,
                  std::ptrdiff_t n, T (*buffer)[block_size], T const** src, std::index_sequence<I...>) {
    ((src[I] = read[I] ? stage_input(std::get<I>(in), walks[I], it, e0, n, buffer[I]) : nullptr), ...);
}

/// The values of dot D for a block, into u; the operands' offsets are left in offa and offb.
template <class P, std::size_t D, class T, class... A>
int dot_for_block(std::tuple<A...> const& in, array_layout<sizeof...(A), P::dot_count> const& L, std::ptrdiff_t e0,
                  std::ptrdiff_t n, T* u, std::ptrdiff_t* offa, std::ptrdiff_t* offb) {
    constexpr std::size_t a = P::dot_slot[2 * D], b = P::dot_slot[2 * D + 1];
    fill_offsets(L.it, L.in[a], e0, n, offa);
    fill_offsets(L.it, L.in[b], e0, n, offb);
    dot_block(u, std::get<a>(in).data, L.in[a], offa, std::get<b>(in).data, L.in[b], offb, e0, n,
              L.contracted_length[D]);
    return 0;
}

template <class P, class T, class... A, std::size_t... D>
void dots_for_block(std::tuple<A...> const& in, array_layout<sizeof...(A), P::dot_count> const& L, std::ptrdiff_t e0,
                    std::ptrdiff_t n, T (*u)[block_size], std::ptrdiff_t (*offsets)[block_size],
                    std::index_sequence<D...>) {
    [[maybe_unused]] int const order[] = {
        0, dot_for_block<P, D>(in, L, e0, n, u[D], offsets[2 * D], offsets[2 * D + 1])...};
}

/// The point of element l: the slots it reads (Read, known at compile time; others 0).
/// Written as a fold, not a loop, so that the element loop around it has no inner loop.
/// Fixed[I]: slot I is a number, read at index 0 for every element.
template <class T, auto Read, auto Fixed, std::size_t... I>
TYPEGRAD_INLINE std::array<T, sizeof...(I)> point_at(T const* const* src, std::ptrdiff_t l, std::index_sequence<I...>) {
    return {(Read[I] ? src[I][Fixed[I] ? 0 : l] : T(0))...};
}

/// Which slots the element loop reads: the inputs the expression uses, then every dot value.
template <class Problem, std::size_t N>
constexpr std::array<bool, Problem::slots == 0 ? 1 : Problem::slots> read_slots() {
    std::array<bool, Problem::slots == 0 ? 1 : Problem::slots> r{};
    for (std::size_t i = 0; i < N; ++i) r[i] = Problem::used[i];
    for (std::size_t d = N; d < Problem::slots; ++d) r[d] = true;
    return r;
}

/// Which slots are numbers (inputs of rank 0): S slots, the first ones the inputs.
template <std::size_t S, class... A>
constexpr std::array<bool, S == 0 ? 1 : S> fixed_slots() {
    std::array<bool, S == 0 ? 1 : S> f{};
    std::size_t i = 0;
    ((f[i++] = A::rank == 0), ...);
    return f;
}

/// Stores values[I] to dst[I][l] where Wanted[I].
template <auto Wanted, class T, class V, std::size_t... I>
TYPEGRAD_INLINE void store_at(T* const* dst, std::ptrdiff_t l, V const& values, std::index_sequence<I...>) {
    [[maybe_unused]] int const order[] = {0, (Wanted[I] ? (dst[I][l] = values[I], 0) : 0)...};
}

}  // namespace typegrad::detail
