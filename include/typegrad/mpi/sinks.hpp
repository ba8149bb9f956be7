// typegrad/mpi/sinks.hpp: gradient sinks as runs of a packed buffer.
//
// A sink (what tg::gradient_to stores: tg::skip, a pointer to a number, an array_ref) takes
// no, one, or size() consecutive numbers of the buffer a collective sends, in sink order.
// An evaluation writes straight into the buffer (buffer_sink: a row-major array_ref over its
// run), and only the combined result is copied into the caller's sinks (unpack), so a call
// that fails writes nothing the caller sees.
#pragma once

#include <cstddef>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../exec/arguments.hpp"
#include "../exec/cpu_common.hpp"  // sink_size: how many numbers a sink takes
#include "../ops/array_operation.hpp"

namespace typegrad::mpi::detail {

using typegrad::detail::is_skip;

/// What a sink is, for the shape check and its message.
enum class sink_kind : std::int64_t { skip = 0, number = 1, array = 2 };

struct sink_shape {
    sink_kind kind = sink_kind::skip;
    std::int64_t rank = 0;
    std::int64_t extent[max_rank] = {};
};

template <class S>
sink_shape shape_of(S const& s) {
    sink_shape r;
    if constexpr (is_skip<S>) {
    } else if constexpr (std::is_pointer_v<S>) {
        r.kind = sink_kind::number;
    } else {
        r.kind = sink_kind::array;
        r.rank = static_cast<std::int64_t>(S::rank);
        for (std::size_t d = 0; d != S::rank; ++d) r.extent[d] = s.extent[d];
    }
    return r;
}

/// The element type a sink receives (void for tg::skip).
template <class S>
struct sink_value {
    using type = void;
};
template <class T>
struct sink_value<T*> {
    using type = std::remove_cv_t<T>;
};
template <class T, std::size_t R>
struct sink_value<array_ref<T, R>> {
    using type = std::remove_cv_t<T>;
};

/// The sink over `at` that an evaluation writes instead of `s`: same kind and shape, row-major.
template <class T, class S>
auto buffer_sink(S const& s, T* at) {
    if constexpr (is_skip<S>)
        return skip_t{};
    else if constexpr (std::is_pointer_v<S>)
        return at;
    else
        return array_ref<T, S::rank>{at, s.extent, typegrad::detail::row_major_strides(s.extent)};
}

/// Writes the run at `at` (row-major) into the sink, each number divided by `n` (1 for a sum).
template <class T, class S>
void unpack(S const& s, T const* at, T n) {
    if constexpr (is_skip<S>) {
    } else if constexpr (std::is_pointer_v<S>) {
        *s = at[0] / n;
    } else {
        typegrad::detail::for_each_offset(s, [&](std::ptrdiff_t off, std::ptrdiff_t e) { s.data[off] = at[e] / n; });
    }
}

/// Copies the sink (row-major) into the run at `at`.
template <class T, class S>
void pack(S const& s, T* at) {
    if constexpr (is_skip<S>) {
    } else if constexpr (std::is_pointer_v<S>) {
        at[0] = *s;
    } else {
        typegrad::detail::for_each_offset(s, [&](std::ptrdiff_t off, std::ptrdiff_t e) { at[e] = s.data[off]; });
    }
}

/// Offsets of each sink's run after `first` leading numbers; returns the total length.
template <class... S>
std::ptrdiff_t layout(std::tuple<S...> const& sinks, std::ptrdiff_t first, std::ptrdiff_t (&offset)[sizeof...(S) + 1]) {
    std::ptrdiff_t at = first;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((offset[I] = at, at += typegrad::detail::sink_size(std::get<I>(sinks))), ...);
    }(std::index_sequence_for<S...>{});
    offset[sizeof...(S)] = at;
    return at;
}

}  // namespace typegrad::mpi::detail
