// typegrad/exec/broadcast.hpp: NumPy broadcasting of array shapes, and the walk
// of one array's elements in the order of the broadcast (iteration) shape.
//
// Rules (NumPy's): shapes are aligned at their last dimension; a missing leading
// dimension counts as 1; in each dimension the extents must agree or one of them
// must be 1, and an extent of 1 stretches. A scalar is a shape of rank 0.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

#include "../config.hpp"
#include "array_ref.hpp"

namespace typegrad {

/// A shape with its rank known at run time (at most max_rank).
struct dims {
    std::size_t rank = 0;
    std::ptrdiff_t extent[max_rank] = {};

    TYPEGRAD_HOST_DEVICE constexpr std::ptrdiff_t size() const {
        std::ptrdiff_t n = 1;
        for (std::size_t d = 0; d < rank; ++d) n *= extent[d];
        return n;
    }
    friend constexpr bool operator==(dims const& a, dims const& b) {
        if (a.rank != b.rank) return false;
        for (std::size_t d = 0; d < a.rank; ++d)
            if (a.extent[d] != b.extent[d]) return false;
        return true;
    }
};

/// "(2, 3)", "(4,)" and "()" for a scalar, as NumPy prints shapes.
inline std::string to_string(dims const& s) {
    std::string r = "(";
    for (std::size_t d = 0; d != s.rank; ++d) {
        if (d > 0) r += ", ";
        r += std::to_string(s.extent[d]);
    }
    if (s.rank == 1) r += ",";
    return r + ")";
}

/// The shape of a view (the first `rank` dimensions of it when `rank` is given).
template <class T, std::size_t R>
constexpr dims array_shape(array_ref<T, R> const& a, std::size_t rank = R) {
    dims s;
    s.rank = rank;
    for (std::size_t d = 0; d < rank; ++d) s.extent[d] = a.extent[d];
    return s;
}

/// The broadcast of two shapes, or nullopt-like failure reported by the flag.
constexpr bool try_broadcast(dims const& a, dims const& b, dims& out) {
    dims r;
    r.rank = a.rank > b.rank ? a.rank : b.rank;
    for (std::size_t k = 0; k < r.rank; ++k) {
        // k counts from the last dimension.
        std::ptrdiff_t const ea = k < a.rank ? a.extent[a.rank - 1 - k] : 1;
        std::ptrdiff_t const eb = k < b.rank ? b.extent[b.rank - 1 - k] : 1;
        if (ea != eb && ea != 1 && eb != 1) return false;
        r.extent[r.rank - 1 - k] = ea == 1 ? eb : ea;
    }
    out = r;
    return true;
}

/// The broadcast of two shapes; throws std::invalid_argument naming both (and what they belong to).
/// (The names are words only when it throws: nothing is built on success.)
inline dims broadcast(dims const& a, dims const& b, char const* what_a = "a shape", char const* what_b = "a shape") {
    dims r;
    if (!try_broadcast(a, b, r))
        throw std::invalid_argument("typegrad: shapes cannot be broadcast together: " + std::string(what_a) +
                                    " has shape " + to_string(a) + ", " + what_b + " has shape " + to_string(b));
    return r;
}

/// The number of elements of an iteration shape; throws when it overflows std::ptrdiff_t
/// (inputs of shapes (2^32, 1) and (1, 2^32) broadcast to 2^64 elements).
inline std::ptrdiff_t checked_size(dims const& s) {
    std::ptrdiff_t n = 1;
    for (std::size_t d = 0; d != s.rank; ++d)
        if (s.extent[d] == 0) return 0;
    for (std::size_t d = 0; d != s.rank; ++d)
        if (__builtin_mul_overflow(n, s.extent[d], &n))
            throw std::invalid_argument("typegrad: the inputs broadcast to shape " + to_string(s) +
                                        ", whose element count overflows std::ptrdiff_t");
    return n;
}

namespace detail {

/// How one array is read (or written) in the order of an iteration shape: a step
/// per iteration dimension (0 where the array is stretched) and, for arrays that
/// tg::dot contracts, the stride of the contracted axis.
struct walk {
    std::ptrdiff_t step[max_rank] = {};
    std::ptrdiff_t contracted_stride = 0;
    /// Element e of the iteration is at e (flat) or at 0 (scalar); otherwise general.
    bool flat = false;
    bool scalar = false;
};

/// The walk of an array of shape `s` and strides `stride` (its first s.rank
/// dimensions) in the order of the iteration shape `it` (s broadcasts to it).
constexpr walk make_walk(dims const& it, dims const& s, std::ptrdiff_t const* stride) {
    walk w;
    std::size_t const lead = it.rank - s.rank;
    // Leading dimensions the array lacks keep step 0. (Starting at `lead`, not testing
    // d < lead, also keeps g++ 12 from warning of reads before s.extent for rank-0 arrays.)
    for (std::size_t d = lead; d < it.rank; ++d) w.step[d] = s.extent[d - lead] == 1 ? 0 : stride[d - lead];
    bool flat = true, scalar = true;
    std::ptrdiff_t expected = 1;
    for (std::size_t d = it.rank; d-- > 0;) {
        if (it.extent[d] != 1) {
            if (w.step[d] != expected) flat = false;
            if (w.step[d] != 0) scalar = false;
        }
        expected *= it.extent[d];
    }
    w.flat = flat;
    w.scalar = scalar;
    return w;
}

/// Offsets of iteration elements first, first+1, ... of one walk: an odometer.
struct offset_counter {
    std::ptrdiff_t index[max_rank] = {};
    std::ptrdiff_t offset = 0;

    TYPEGRAD_HOST_DEVICE constexpr offset_counter(dims const& it, walk const& w, std::ptrdiff_t first) {
        for (std::size_t d = it.rank; d-- > 0;) {
            std::ptrdiff_t const e = it.extent[d];
            index[d] = e > 0 ? first % e : 0;
            first = e > 0 ? first / e : 0;
            offset += index[d] * w.step[d];
        }
    }
    TYPEGRAD_HOST_DEVICE constexpr void advance(dims const& it, walk const& w) {
        for (std::size_t d = it.rank; d-- > 0;) {
            offset += w.step[d];
            if (++index[d] < it.extent[d]) return;
            offset -= index[d] * w.step[d];
            index[d] = 0;
        }
    }
};

/// The offset of iteration element e alone (used by the GPU, one element per thread).
TYPEGRAD_HOST_DEVICE constexpr std::ptrdiff_t offset_of(dims const& it, walk const& w, std::ptrdiff_t e) {
    std::ptrdiff_t off = 0;
    for (std::size_t d = it.rank; d-- > 0;) {
        std::ptrdiff_t const x = it.extent[d];
        off += (e % x) * w.step[d];
        e /= x;
    }
    return off;
}

}  // namespace detail
}  // namespace typegrad
