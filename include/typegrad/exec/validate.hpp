// typegrad/exec/validate.hpp: the checks every array argument of an executor call passes
// on entry, before anything is read or written.
//
// Every array, however it was made (tg::view, an aggregate-built tg::array_ref, std::span,
// std::vector, Eigen through interop/eigen.hpp):
//   - has a data pointer unless it has no elements;
//   - has no negative extent, and no negative stride on an axis of more than one element;
//   - has an element count, and a memory span (first to last element), that fit
//     std::ptrdiff_t and the address space.
// Every array written (an output, a partial, a gradient: a "sink"):
//   - has no two elements in the same memory (no stride 0 on an axis of more than one
//     element, no other self-overlap);
//   - shares no memory with another sink;
//   - shares no memory with an input, except that an output or a partial may be exactly an
//     input (same address, element size, extents and strides: tg::map in place). A gradient
//     shares memory with no input at all: the reductions zero and accumulate gradient arrays
//     (an input tg::dot contracts, an input the expression does not use) while inputs are
//     still to be read, so even the exact input would be read after it was overwritten.
// A pair is compared by its address ranges first; only pairs whose ranges meet get the finer
// test (exec/overlap.hpp: which elements meet). Messages are put into words only when a
// check fails.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../config.hpp"
#include "array_ref.hpp"
#include "overlap.hpp"

namespace typegrad::detail {

enum class argument_kind : unsigned char { input, output, partial, gradient };

/// Which argument of a call it is: put into words ("input 2", "output 0", "the partial of
/// output 0 with respect to input 1", "the gradient of input 1") only for a message.
struct argument_label {
    argument_kind kind = argument_kind::input;
    std::size_t index = 0;  // the input, the output, or the input whose gradient it is
    std::size_t wrt = 0;    // a partial: the input it is taken with respect to
};

inline std::string to_string(argument_label const& l) {
    switch (l.kind) {
        case argument_kind::input: return "input " + std::to_string(l.index);
        case argument_kind::output: return "output " + std::to_string(l.index);
        case argument_kind::partial:
            return "the partial of output " + std::to_string(l.index) + " with respect to input " +
                   std::to_string(l.wrt);
        case argument_kind::gradient: return "the gradient of input " + std::to_string(l.index);
    }
    return "an argument";
}

/// Whether an array written may be exactly one of the inputs.
enum class in_place : unsigned char { refused, allowed };

/// One array argument as the checks see it: its memory and layout, its element type erased.
/// Made by describe(), which checks the array on its own first. Only the first `rank`
/// extents and strides are meaningful.
/// (No default member values: describe() sets every field, and an executor's array of them
/// costs nothing to declare.)
struct array_argument {
    void const* data;
    std::size_t element_size;
    std::size_t rank;
    std::ptrdiff_t extent[max_rank];
    std::ptrdiff_t stride[max_rank];
    argument_label label;
    in_place alias;
    // Found by describe():
    std::uintptr_t lo, hi;  // its bytes, [lo, hi) (empty when it has no elements)
    std::ptrdiff_t elements;
    bool nested;  // no two of its elements can share memory (each axis steps past the later ones)
};

namespace validate_detail {

/// "(2, 3)": extents or strides, as NumPy prints shapes.
inline std::string numbers(std::ptrdiff_t const* v, std::size_t rank) {
    std::string r = "(";
    for (std::size_t k = 0; k < rank; ++k) r += (k > 0 ? ", " : "") + std::to_string(v[k]);
    return r + (rank == 1 ? ",)" : ")");
}

[[noreturn]] inline void fail(argument_label const& l, std::string const& problem) {
    throw std::invalid_argument("typegrad: " + to_string(l) + " " + problem);
}

[[noreturn]] inline void fail_layout(array_argument const& a, char const* problem) {
    fail(a.label, std::string(problem) + " (extents " + numbers(a.extent, a.rank) + ", strides " +
                      numbers(a.stride, a.rank) + ")");
}

/// What is wrong with one array on its own.
enum class array_problem { negative_extent, negative_stride, count_overflows, offset_overflows, null_data,
                           beyond_address_space, zero_stride };

/// The message of an array_problem (out of line: the checks' fast path stays small).
[[noreturn]] TYPEGRAD_COLD inline void fail_array(array_argument const& a, array_problem p, std::size_t axis) {
    std::string const at = " on axis " + std::to_string(axis);
    switch (p) {
        case array_problem::negative_extent:
            fail(a.label, "has a negative extent (" + std::to_string(a.extent[axis]) + ")" + at + "; extents " +
                              numbers(a.extent, a.rank));
        case array_problem::negative_stride:
            fail(a.label, "has a negative stride (" + std::to_string(a.stride[axis]) + ")" + at +
                              "; negative strides are not supported (view the elements in increasing order)");
        case array_problem::count_overflows:
            fail(a.label, "has extents " + numbers(a.extent, a.rank) +
                              ", whose product (the element count) overflows std::ptrdiff_t");
        case array_problem::offset_overflows:
            fail_layout(a, "has a last element whose offset (extents times strides) overflows std::ptrdiff_t");
        case array_problem::null_data: {
            std::ptrdiff_t n = 1;
            for (std::size_t k = 0; k < a.rank; ++k) n *= a.extent[k];
            fail(a.label, "has a null data pointer but " + std::to_string(n) + " elements (extents " +
                              numbers(a.extent, a.rank) + ")");
        }
        case array_problem::beyond_address_space: fail_layout(a, "has a last element beyond the address space");
        case array_problem::zero_stride:
            fail(a.label, "has stride 0" + at + " (extent " + std::to_string(a.extent[axis]) +
                              "): several results would be written to one element");
    }
    fail(a.label, "is not a valid array");
}

/// The most bytes an array may span: a quarter of std::ptrdiff_t's range, so that the
/// overlap test's offsets (of two arrays whose ranges meet) cannot overflow; no machine has
/// that much memory.
inline constexpr std::ptrdiff_t max_span_bytes = std::numeric_limits<std::ptrdiff_t>::max() / 4;

/// Checks the layout of one array on its own and records where its bytes lie and whether its
/// elements are nested. R (the rank) and W (the element size) are compile-time, so that the
/// loops unroll and the bounds fold.
template <std::size_t R, std::size_t W>
constexpr void check_layout(array_argument& a) {
    std::ptrdiff_t n = 1, span = 0;  // elements, and the offset of the last one (in elements)
    bool empty = false, count_overflow = false, offset_overflow = false;
    for (std::size_t k = 0; k != R; ++k) {  // != : nvcc warns of `< 0` for rank 0
        std::ptrdiff_t const e = a.extent[k], s = a.stride[k];
        if (e <= 1) {
            if (e < 0) fail_array(a, array_problem::negative_extent, k);
            empty = empty || e == 0;
            continue;
        }
        if (s < 0) fail_array(a, array_problem::negative_stride, k);
        std::ptrdiff_t step = 0;
        count_overflow = __builtin_mul_overflow(n, e, &n) || count_overflow;
        offset_overflow = __builtin_mul_overflow(e - 1, s, &step) || __builtin_add_overflow(span, step, &span) ||
                          offset_overflow;
    }
    a.lo = a.hi = 0;
    a.elements = 0;
    a.nested = true;
    if (empty) return;  // no elements: any pointer, no memory
    if (count_overflow) fail_array(a, array_problem::count_overflows, 0);
    if (offset_overflow) fail_array(a, array_problem::offset_overflows, 0);
    if (a.data == nullptr) fail_array(a, array_problem::null_data, 0);
    constexpr auto width = static_cast<std::ptrdiff_t>(W);
    auto const lo = reinterpret_cast<std::uintptr_t>(a.data);
    if (span > max_span_bytes / width - 1) fail_array(a, array_problem::beyond_address_space, 0);
    auto const bytes = static_cast<std::uintptr_t>((span + 1) * width);
    if (lo > std::numeric_limits<std::uintptr_t>::max() - bytes) fail_array(a, array_problem::beyond_address_space, 0);
    a.lo = lo;
    a.hi = lo + bytes;
    a.elements = n;
    // Nested from the last axis to the first (row-major layouts and their slices); others
    // (column-major, transposed, stretched) get the general self-overlap test.
    std::ptrdiff_t covered = 1;  // in elements
    for (std::size_t k = R; k-- > 0;) {
        if (a.extent[k] <= 1) continue;
        a.nested = a.nested && a.stride[k] >= covered;
        covered += (a.extent[k] - 1) * a.stride[k];
    }
}

}  // namespace validate_detail

/// Fills `d`, the description of one array argument of a call, after checking the array on
/// its own: a data pointer unless it has no elements, no negative extent, no negative stride
/// on an axis of more than one element, an element count and a span that fit. Throws
/// std::invalid_argument naming `label` otherwise.
template <class T, std::size_t R>
constexpr void describe_into(array_argument& d, array_ref<T, R> const& a, argument_label label, in_place alias) {
    d.data = a.data;
    d.element_size = sizeof(T);
    d.rank = R;
    for (std::size_t k = 0; k != R; ++k) {
        d.extent[k] = a.extent[k];
        d.stride[k] = a.stride[k];
    }
    d.label = label;
    d.alias = alias;
    validate_detail::check_layout<R, sizeof(T)>(d);
}
/// A number written through a pointer (a scalar input's gradient): an array of rank 0.
template <class T>
constexpr void describe_into(array_argument& d, T* p, argument_label label, in_place alias) {
    d.data = p;
    d.element_size = sizeof(T);
    d.rank = 0;
    d.label = label;
    d.alias = alias;
    validate_detail::check_layout<0, sizeof(T)>(d);
}
/// The same, returned.
template <class A>
constexpr array_argument describe(A const& a, argument_label label, in_place alias = in_place::refused) {
    array_argument d;
    describe_into(d, a, label, alias);
    return d;
}

namespace validate_detail {

using overlap::byte_set;
using overlap::meet;

/// The byte set of an array, relative to `origin` (axes of one element or stride 0 dropped).
inline byte_set byte_set_of(array_argument const& a, std::uintptr_t origin) {
    byte_set s;
    s.base = static_cast<std::ptrdiff_t>(reinterpret_cast<std::uintptr_t>(a.data) - origin);
    s.width = static_cast<std::ptrdiff_t>(a.element_size);
    for (std::size_t k = 0; k < a.rank; ++k)
        if (a.extent[k] > 1 && a.stride[k] != 0) {
            s.extent[s.rank] = a.extent[k];
            s.stride[s.rank] = a.stride[k] * s.width;
            ++s.rank;
        }
    return s;
}

/// True when a and b are the same array: address, element size, extents and the strides
/// of every axis that has more than one element.
inline bool same_array(array_argument const& a, array_argument const& b) {
    if (a.data != b.data || a.element_size != b.element_size || a.rank != b.rank) return false;
    for (std::size_t k = 0; k < a.rank; ++k)
        if (a.extent[k] != b.extent[k] || (a.extent[k] > 1 && a.stride[k] != b.stride[k])) return false;
    return true;
}

/// Finer work is bounded by a few times the elements involved (the call itself costs that).
inline std::ptrdiff_t work_budget(std::ptrdiff_t elements) { return 4096 + 4 * elements; }

/// Whether the address ranges of two arrays meet (arrays without elements meet nothing).
constexpr bool ranges_meet(array_argument const& a, array_argument const& b) {
    return a.lo < b.hi && b.lo < a.hi;
}

/// Whether the elements of a and b (whose address ranges meet) share memory.
inline meet elements_meet(array_argument const& a, array_argument const& b) {
    std::uintptr_t const origin = a.lo < b.lo ? a.lo : b.lo;
    std::ptrdiff_t budget = work_budget(a.elements < b.elements ? a.elements : b.elements);
    return overlap::intersect(byte_set_of(a, origin), byte_set_of(b, origin), budget);
}

[[noreturn]] TYPEGRAD_COLD inline void fail_overlap(array_argument const& sink, array_argument const& other, meet m,
                                                    char const* rule) {
    fail(sink.label, std::string(m == meet::unknown ? "may share memory with " : "shares memory with ") +
                         to_string(other.label) + "; " + rule +
                         (m == meet::unknown ? " (typegrad could not rule the overlap out with its bounded test)" : ""));
}

/// The general test of an array written whose layout is not nested: stride 0, or any other
/// way two of its elements share memory.
TYPEGRAD_COLD inline void check_self_overlap(array_argument const& s) {
    for (std::size_t k = 0; k < s.rank; ++k)
        if (s.extent[k] > 1 && s.stride[k] == 0) fail_array(s, array_problem::zero_stride, k);
    std::ptrdiff_t budget = work_budget(s.elements);
    meet const m = overlap::self_intersect(byte_set_of(s, s.lo), budget);
    if (m != meet::no)
        fail_layout(s, m == meet::yes ? "overlaps itself: several of its elements share memory, so several results "
                                        "would be written to one place"
                                      : "may overlap itself (typegrad could not rule it out with its bounded test)");
}

/// Sink s against input x, whose address ranges meet.
TYPEGRAD_COLD inline void check_sink_input(array_argument const& s, array_argument const& x) {
    if (s.alias == in_place::allowed && same_array(s, x)) return;
    meet const m = elements_meet(s, x);
    if (m == meet::no) return;
    fail_overlap(s, x, m,
                 s.alias == in_place::allowed
                     ? "an output may be exactly an input (the same data, element type, extents and strides: "
                       "computed in place) but must not share only part of its memory, or the same memory in another "
                       "order"
                     : "a gradient must not share memory with any input (the reduction writes it while the inputs are "
                       "still being read)");
}

/// Sinks s and t, whose address ranges meet.
TYPEGRAD_COLD inline void check_sink_sink(array_argument const& s, array_argument const& t) {
    meet const m = same_array(s, t) ? meet::yes : elements_meet(s, t);
    if (m == meet::no) return;
    fail_overlap(s, t, m, "every array written needs memory of its own (give each output, partial and gradient a "
                          "separate array)");
}

}  // namespace validate_detail

/// The one entry: the overlap rules over every array of one call, inputs (read) and sinks
/// (written), each made by describe() (which has checked it on its own). Throws
/// std::invalid_argument naming the argument and the problem. No allocation and no message
/// building unless it throws; on the common call (every sink nested, no two address ranges
/// meeting) it is a few comparisons per pair. An executor calls it once per call, before it
/// reads or writes anything.
inline void validate_arrays(std::span<array_argument const> inputs, std::span<array_argument const> sinks) {
    using namespace validate_detail;
    for (std::size_t j = 0; j < sinks.size(); ++j) {
        array_argument const& s = sinks[j];
        if (s.elements == 0) continue;
        if (!s.nested) check_self_overlap(s);
        for (array_argument const& x : inputs)
            if (ranges_meet(s, x)) check_sink_input(s, x);
        for (std::size_t k = 0; k < j; ++k)
            if (ranges_meet(s, sinks[k])) check_sink_sink(s, sinks[k]);
    }
}

/// Rejects a thread count that means nothing (0 takes the default).
inline void check_thread_count(int threads) {
    if (threads < 0)
        throw std::invalid_argument("typegrad: cpu_options::threads is " + std::to_string(threads) +
                                    "; give a positive number of threads, or 0 for the default");
}

// ---------------------------------------------------------------------------------------
// The executors' call: inputs as converted (a std::tuple of array_refs) and sinks as
// stored (tg::map's partial_sinks, or tg::sum's std::tuple of gradient entries).

template <class S>
inline constexpr std::size_t sink_array_count = std::is_same_v<S, skip_t> ? 0 : 1;

template <class S>
constexpr void add_sink(array_argument* out, std::size_t& n, S const& s, argument_label label, in_place alias) {
    if constexpr (!std::is_same_v<S, skip_t>) describe_into(out[n++], s, label, alias);
}

template <class Tuple>
struct tuple_sink_count;
template <class... S>
struct tuple_sink_count<std::tuple<S...>> {
    static constexpr std::size_t value = (std::size_t(0) + ... + sink_array_count<S>);
};

template <class Rows>
struct rows_sink_count;
template <class... R>
struct rows_sink_count<std::tuple<R...>> {
    static constexpr std::size_t value = (std::size_t(0) + ... + tuple_sink_count<R>::value);
};

/// Arrays written by a call: a std::tuple of gradient entries, or a partial_sinks (values and rows).
template <class Sinks>
struct sink_list {
    static constexpr std::size_t count = tuple_sink_count<Sinks>::value;
    static constexpr void collect(Sinks const& sinks, array_argument* out, std::size_t& n) {
        std::apply([&](auto const&... s) {
            std::size_t i = 0;
            (add_sink(out, n, s, argument_label{argument_kind::gradient, i++, 0}, in_place::refused), ...);
        }, sinks);
    }
};
template <class Sinks>
    requires requires { typename Sinks::is_partial_sinks; }
struct sink_list<Sinks> {
    using values_t = decltype(Sinks::values);
    using rows_t = decltype(Sinks::rows);
    static constexpr std::size_t count = tuple_sink_count<values_t>::value + rows_sink_count<rows_t>::value;
    static constexpr void collect(Sinks const& sinks, array_argument* out, std::size_t& n) {
        std::apply([&](auto const&... v) {
            std::size_t j = 0;
            (add_sink(out, n, v, argument_label{argument_kind::output, j++, 0}, in_place::allowed), ...);
        }, sinks.values);
        std::size_t j = 0;
        std::apply([&](auto const&... row) {
            ((std::apply([&](auto const&... d) {
                  std::size_t i = 0;
                  (add_sink(out, n, d, argument_label{argument_kind::partial, j, i++}, in_place::allowed), ...);
              }, row),
              ++j),
             ...);
        }, sinks.rows);
    }
};

/// Checks every array of one executor call (see validate_arrays).
template <class... A, class Sinks>
void validate_call(std::tuple<A...> const& inputs, Sinks const& sinks) {
    constexpr std::size_t N = sizeof...(A), K = sink_list<Sinks>::count;
    array_argument in[N == 0 ? 1 : N], out[K == 0 ? 1 : K];
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (describe_into(in[I], std::get<I>(inputs), argument_label{argument_kind::input, I, 0}, in_place::refused), ...);
    }(std::index_sequence_for<A...>{});
    std::size_t k = 0;
    sink_list<Sinks>::collect(sinks, out, k);
    validate_arrays(std::span<array_argument const>(in, N), std::span<array_argument const>(out, k));
}

}  // namespace typegrad::detail
