// typegrad/exec/overlap.hpp: whether strided arrays share memory, exactly, for the
// argument checks (exec/validate.hpp) when two address ranges meet.
//
// An array's bytes are a "byte set": {base + sum_k i_k stride[k] + t : 0 <= i_k < extent[k],
// 0 <= t < width}. Two sets are compared by splitting the axis with the largest stride and
// visiting only the slices that can reach the other set, down to sets whose bytes form one
// interval. Interleaved layouts (even and odd elements, the halves of each row) are told
// apart in work proportional to the number of slices that meet the other set's range; a
// budget bounds the work, and a test that runs out of it answers "unknown".
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>

#include "array_ref.hpp"

namespace typegrad::detail::overlap {

/// The bytes of an array relative to an origin: {base + sum_k i_k stride[k] + t : 0 <= i_k <
/// extent[k], 0 <= t < width}, over the axes that have more than one element and a stride.
struct byte_set {
    std::ptrdiff_t base = 0, width = 0;
    std::size_t rank = 0;
    std::ptrdiff_t extent[max_rank] = {}, stride[max_rank] = {};

    std::ptrdiff_t span() const {
        std::ptrdiff_t s = 0;
        for (std::size_t k = 0; k < rank; ++k) s += (extent[k] - 1) * stride[k];
        return s;
    }
    std::ptrdiff_t hi() const { return base + span() + width; }
    /// True when the bytes form one interval (each axis steps by at most what the smaller ones cover).
    bool dense() const {
        std::size_t order[max_rank];
        sort_axes(order);
        std::ptrdiff_t covered = width;
        for (std::size_t q = 0; q < rank; ++q) {
            std::size_t const k = order[q];
            if (stride[k] > covered) return false;
            covered += (extent[k] - 1) * stride[k];
        }
        return true;
    }
    /// True when no two elements share a byte because each axis steps past all the smaller ones.
    bool nested() const {
        std::size_t order[max_rank];
        sort_axes(order);
        std::ptrdiff_t covered = width;
        for (std::size_t q = 0; q < rank; ++q) {
            std::size_t const k = order[q];
            if (stride[k] < covered) return false;
            covered += (extent[k] - 1) * stride[k];
        }
        return true;
    }
    /// Axes by increasing stride.
    void sort_axes(std::size_t* order) const {
        for (std::size_t k = 0; k < rank; ++k) order[k] = k;
        for (std::size_t i = 1; i < rank; ++i)
            for (std::size_t j = i; j > 0 && stride[order[j]] < stride[order[j - 1]]; --j) std::swap(order[j], order[j - 1]);
    }
    std::size_t largest_axis() const {
        std::size_t best = 0;
        for (std::size_t k = 1; k < rank; ++k)
            if (stride[k] > stride[best]) best = k;
        return best;
    }
    /// The set without axis k, its index there fixed to i.
    byte_set slice(std::size_t k, std::ptrdiff_t i) const {
        byte_set r = *this;
        r.base += i * stride[k];
        for (std::size_t j = k; j + 1 < rank; ++j) {
            r.extent[j] = extent[j + 1];
            r.stride[j] = stride[j + 1];
        }
        r.rank = rank - 1;
        return r;
    }
};

enum class meet { no, yes, unknown };

/// a / b rounded down (b > 0).
constexpr std::ptrdiff_t floor_div(std::ptrdiff_t a, std::ptrdiff_t b) {
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/// Whether two byte sets share a byte: split the axis with the largest stride, visiting only
/// the indices whose slice can reach the other set. `budget` bounds the work (slices visited).
inline meet intersect(byte_set const& a, byte_set const& b, std::ptrdiff_t& budget) {
    if (a.base >= b.hi() || b.base >= a.hi()) return meet::no;
    if (--budget < 0) return meet::unknown;
    bool const da = a.dense(), db = b.dense();
    if (da && db) return meet::yes;
    // Split the non-dense set (the one with the larger step if both are).
    bool const split_a = !da && (db || a.stride[a.largest_axis()] >= b.stride[b.largest_axis()]);
    byte_set const& x = split_a ? a : b;
    byte_set const& y = split_a ? b : a;
    std::size_t const k = x.largest_axis();
    std::ptrdiff_t const s = x.stride[k];
    byte_set const rest = x.slice(k, 0);
    std::ptrdiff_t const rest_len = rest.span() + rest.width;
    // Slice i covers [rest.base + i s, rest.base + i s + rest_len); it can meet y only if it
    // starts before y.hi() and ends after y.base.
    std::ptrdiff_t const first = std::max<std::ptrdiff_t>(0, floor_div(y.base - rest.base - rest_len, s) + 1);
    std::ptrdiff_t const last = std::min<std::ptrdiff_t>(x.extent[k] - 1, floor_div(y.hi() - 1 - rest.base, s));
    meet r = meet::no;
    for (std::ptrdiff_t i = first; i <= last; ++i) {
        meet const m = intersect(x.slice(k, i), y, budget);
        if (m == meet::yes) return m;
        if (m == meet::unknown) r = m;
    }
    return r;
}

/// Whether two elements of a set share a byte: the set without its largest axis overlaps
/// itself, or two of its slices along that axis meet (a slice and itself shifted by d steps).
inline meet self_intersect(byte_set const& a, std::ptrdiff_t& budget) {
    if (a.rank == 0 || a.nested()) return meet::no;
    std::size_t const k = a.largest_axis();
    byte_set const rest = a.slice(k, 0);
    meet r = self_intersect(rest, budget);
    if (r == meet::yes) return r;
    for (std::ptrdiff_t d = 1; d < a.extent[k] && d * a.stride[k] < rest.span() + rest.width; ++d) {
        byte_set shifted = rest;
        shifted.base += d * a.stride[k];
        meet const m = intersect(rest, shifted, budget);
        if (m == meet::yes) return m;
        if (m == meet::unknown) r = m;
    }
    return r;
}

}  // namespace typegrad::detail::overlap
