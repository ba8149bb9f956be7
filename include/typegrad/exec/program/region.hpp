// typegrad/exec/program/region.hpp: the fused element-wise loops of an array program.
//
// A region is an element-wise expression over slots (exec/program/plan.hpp), each
// slot an array (an input, a stage's value or a view) broadcast to the region's
// iteration shape. Its elements are cut into fixed chunks, each into blocks: a
// block's slots are read in place where they lie contiguously, otherwise gathered
// into a small buffer; the scalar passes of modes/ run element by element over plain
// arrays (which the compiler vectorises); results are written or accumulated. Chunks
// may run on threads (OpenMP); every sum adds each chunk's part in a fixed order and
// the chunks' parts in chunk order, so results are bit-identical for any thread count.
//
// Four loops, one per job:
//   region_values   the value of every element, written to an array;
//   region_sum      the sum of the values;
//   region_vjp      the adjoints of the slots for a given adjoint of the result (an
//                   array, or one number for a sum), added into target arrays; the
//                   sum of the values too, when asked;
//   region_jvp      the tangent of every element from the slots' tangents.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../../modes/forward.hpp"
#include "../cpu_common.hpp"
#include "workspace.hpp"

namespace typegrad::detail::program {

/// How each read slot is walked over the iteration shape.
template <std::size_t S>
struct region_layout {
    dims it{};
    std::ptrdiff_t count = 0;
    walk in[S == 0 ? 1 : S];
};

/// Which slots an expression reads.
template <class G, std::size_t S>
constexpr std::array<bool, S == 0 ? 1 : S> slots_read() {
    std::array<bool, S == 0 ? 1 : S> r{};
    for (auto const& s : G::shapes)
        if (s.is_var && s.slot < S) r[s.slot] = true;
    return r;
}

/// Which slots are numbers (rank 0), read at index 0 for every element.
template <class Leaves, std::size_t... I>
constexpr std::array<bool, sizeof...(I) == 0 ? 1 : sizeof...(I)> fixed_of(std::index_sequence<I...>) {
    return {(std::tuple_element_t<I, Leaves>::rank == 0)...};
}

/// The region's expression, its leaves (one array_ref per slot) and its layout.
template <class Expr, class Leaves>
struct region {
    using graph_type = graph<Expr>;
    static constexpr std::size_t slots = std::tuple_size_v<Leaves>;
    static constexpr std::size_t width = slots == 0 ? 1 : slots;  // for arrays of one entry per slot
    static constexpr auto read = slots_read<graph_type, slots>();
    static constexpr auto fixed = fixed_of<Leaves>(std::make_index_sequence<slots>{});

    Expr expr;
    Leaves const& leaves;
    region_layout<slots> layout;

    region(Expr const& e, Leaves const& l, dims const& it) : expr(e), leaves(l) {
        layout.it = it;
        layout.count = it.size();
        set_walks(std::make_index_sequence<slots>{});
    }

    // (The masks are read as static members, not passed as template arguments of class
    // type: g++ 12 takes two such instantiations with different arrays for one.)
    template <std::size_t... I>
    void set_walks(std::index_sequence<I...>) {
        ((read[I] ? void(layout.in[I] = make_walk(layout.it, array_shape(std::get<I>(leaves)),
                                                  std::get<I>(leaves).stride.data()))
                  : void()),
         ...);
    }
    template <class T, std::size_t... I>
    TYPEGRAD_INLINE void stage_slots(std::ptrdiff_t e0, std::ptrdiff_t n, T (*buffer)[block_size], T const** src,
                                     std::index_sequence<I...>) const {
        ((src[I] = read[I] ? stage_input(std::get<I>(leaves), layout.in[I], layout.it, e0, n, buffer[I]) : nullptr),
         ...);
    }
    /// Points src[s] at block [e0, e0 + n) of every read slot (in place or gathered).
    template <class T>
    TYPEGRAD_INLINE void stage(std::ptrdiff_t e0, std::ptrdiff_t n, T (*buffer)[block_size], T const** src) const {
        stage_slots(e0, n, buffer, src, std::make_index_sequence<slots>{});
    }
    template <class T, std::size_t... I>
    TYPEGRAD_INLINE static std::array<T, slots> numbers_of(T const* const* src, std::index_sequence<I...>) {
        return {(read[I] && fixed[I] ? src[I][0] : T(0))...};
    }
    /// The values of the slots that are numbers (rank 0), read once per block: loaded in
    /// the element loop they would keep it from vectorising.
    template <class T>
    TYPEGRAD_INLINE static std::array<T, slots> numbers(T const* const* src) {
        return numbers_of(src, std::make_index_sequence<slots>{});
    }
    template <class T, std::size_t... I>
    TYPEGRAD_INLINE static std::array<T, slots> point_of(std::array<T, slots> const& nums, T const* const* src,
                                                         std::ptrdiff_t l, std::index_sequence<I...>) {
        return {(read[I] ? (fixed[I] ? nums[I] : src[I][l]) : T(0))...};
    }
    /// The slots' values at element l of the block (numbers from `nums`, see numbers()).
    template <class T>
    TYPEGRAD_INLINE static std::array<T, slots> point(std::array<T, slots> const& nums, T const* const* src,
                                                      std::ptrdiff_t l) {
        return point_of(nums, src, l, std::make_index_sequence<slots>{});
    }
    std::ptrdiff_t chunks() const { return (layout.count + chunk_size - 1) / chunk_size; }
};

template <class Expr, class Leaves>
region<Expr, Leaves> make_region(Expr const& e, Leaves const& l, dims const& it) {
    return region<Expr, Leaves>(e, l, it);
}

/// y[e] = f(slots at e) for every element e; y has the iteration shape (any strides).
template <class T, class R, std::size_t RY>
void region_values(cpu_options o, R const& r, array_ref<T, RY> const& y) {
    using G = typename R::graph_type;
    dims const& it = r.layout.it;
    if (r.layout.count == 0) return;
    walk const yw = sink_walk(y, it);
    bool const in_place = yw.flat;
    for_each_chunk(r.chunks(), o, [&](std::ptrdiff_t c) {
        T in_buf[R::width][block_size];
        T out_buf[block_size];
        std::ptrdiff_t const end = std::min(r.layout.count, (c + 1) * chunk_size);
        for (std::ptrdiff_t e0 = c * chunk_size; e0 < end; e0 += block_size) {
            std::ptrdiff_t const n = std::min(block_size, end - e0);
            T const* src[R::width] = {};
            r.stage(e0, n, in_buf, src);
            T* const dst = in_place ? y.data + e0 : out_buf;
            auto const nums = R::numbers(src);
            // Outputs may be the inputs themselves (in place) but not partly overlap them.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC ivdep
#endif
            for (std::ptrdiff_t l = 0; l < n; ++l) {
                auto const p = R::point(nums, src, l);
                T vals[G::size];
                compute_values<G>(r.expr, p.data(), vals);
                dst[l] = vals[G::root];
            }
            if (!in_place) scatter(y.data, yw, it, e0, n, out_buf);
        }
    });
}

/// Per-chunk partial sums, added in chunk order at the end.
template <class T>
struct chunk_parts {
    T* data = nullptr;
    std::ptrdiff_t per_chunk = 0;
    T* of(std::ptrdiff_t c) const { return data + c * per_chunk; }
};

/// The sum of f over every element.
template <class T, class R>
T region_sum(cpu_options o, workspace& ws, R const& r) {
    using G = typename R::graph_type;
    std::ptrdiff_t const chunks = r.chunks();
    if (chunks == 0) return T(0);
    T* const parts = detail::take<T>(ws, chunks);
    for_each_chunk(chunks, o, [&](std::ptrdiff_t c) {
        T in_buf[R::width][block_size];
        T value_buf[block_size];
        T sum_lanes[lane_count] = {};
        std::ptrdiff_t const end = std::min(r.layout.count, (c + 1) * chunk_size);
        for (std::ptrdiff_t e0 = c * chunk_size; e0 < end; e0 += block_size) {
            std::ptrdiff_t const n = std::min(block_size, end - e0);
            T const* src[R::width] = {};
            r.stage(e0, n, in_buf, src);
            auto const nums = R::numbers(src);
            for (std::ptrdiff_t l = 0; l < n; ++l) {
                auto const p = R::point(nums, src, l);
                T vals[G::size];
                compute_values<G>(r.expr, p.data(), vals);
                value_buf[l] = vals[G::root];
            }
            add_to_lanes(sum_lanes, value_buf, n);
        }
        parts[c] = combine_lanes(sum_lanes);
    });
    T total = T(0);
    for (std::ptrdiff_t c = 0; c < chunks; ++c) total += parts[c];
    return total;
}

/// Where the adjoint of one slot goes: an array of the slot's shape (any strides) to
/// add into, walked over the iteration shape.
template <class T>
struct adjoint_target {
    enum class how : unsigned char { none, direct, lanes, buffer };
    how kind = how::none;
    T* data = nullptr;
    walk w{};                  // the target's walk over the iteration (steps 0 where stretched)
    walk part_walk{};          // buffer: the walk of a chunk's part (row-major over the target's shape)
    bool in_place = false;     // direct and flat: element e is data[e]
    bool assign = false;       // the first contribution to this storage: written, not added
    bool direct_write = false; // assign, direct, in place, no other target shares it: the loop writes it
    std::ptrdiff_t size = 0;   // elements of the target
    std::ptrdiff_t part_at = 0;  // lanes/buffer: offset of its part in a chunk's parts
    // for copying a buffer part back: the target as an array over its own shape
    dims shape{};
    std::ptrdiff_t stride[max_rank] = {};
};

template <class T, std::size_t R>
adjoint_target<T> make_target(array_ref<T, R> const& a, dims const& it) {
    using how = typename adjoint_target<T>::how;
    adjoint_target<T> t;
    t.data = a.data;
    t.size = a.size();
    t.shape = array_shape(a);
    for (std::size_t d = 0; d != R; ++d) t.stride[d] = a.stride[d];
    t.w = make_walk(it, t.shape, a.stride.data());
    if (t.size == it.size())
        t.kind = how::direct;
    else if (t.size == 1)
        t.kind = how::lanes;
    else {
        t.kind = how::buffer;
        std::ptrdiff_t rm[max_rank] = {};
        for (std::ptrdiff_t step = 1, d = static_cast<std::ptrdiff_t>(R); d-- > 0;) {
            rm[d] = step;
            step *= t.shape.extent[d];
        }
        t.part_walk = make_walk(it, t.shape, rm);
    }
    t.in_place = t.kind == how::direct && t.w.flat;
    return t;
}

/// Does any pair of the targets share memory? (Then the region runs on one thread.)
template <class T, std::size_t S>
bool targets_overlap(adjoint_target<T> const (&t)[S]) {
    auto span = [](adjoint_target<T> const& a, T const*& lo, T const*& hi) {
        std::ptrdiff_t last = 0;
        for (std::size_t d = 0; d < a.shape.rank; ++d)
            if (a.shape.extent[d] > 0) last += (a.shape.extent[d] - 1) * a.stride[d];
        lo = a.data;
        hi = a.data + last;
    };
    for (std::size_t i = 0; i < S; ++i) {
        if (t[i].kind == adjoint_target<T>::how::none || t[i].size == 0) continue;
        T const *li, *hi;
        span(t[i], li, hi);
        for (std::size_t j = i + 1; j < S; ++j) {
            if (t[j].kind == adjoint_target<T>::how::none || t[j].size == 0) continue;
            T const *lj, *hj;
            span(t[j], lj, hj);
            if (!(hi < lj || hj < li)) return true;
        }
    }
    return false;
}

/// The adjoint of the result: one number for every element (a sum's), or an array.
template <class T>
struct seed {
    T scalar = T(1);
    T const* array = nullptr;  // contiguous, row-major over the iteration shape
};

/// target (=, or += when adding) w * saved, element by element; saved is contiguous
/// row-major with the target's shape.
template <class T>
void scale_into(adjoint_target<T> const& t, T const* saved, T w) {
    if (t.size == 0) return;
    std::ptrdiff_t idx[max_rank] = {};
    std::ptrdiff_t off = 0;
    bool contiguous = true;
    for (std::ptrdiff_t step = 1, d = static_cast<std::ptrdiff_t>(t.shape.rank); d-- > 0;) {
        if (t.shape.extent[d] != 1 && t.stride[d] != step) contiguous = false;
        step *= t.shape.extent[d];
    }
    if (!saved) {  // zeros (a first contribution of nothing)
        if (t.assign) {
            for (std::ptrdiff_t q = 0; q < t.size; ++q) {
                t.data[off] = T(0);
                for (std::size_t d = t.shape.rank; d-- > 0;) {
                    off += t.stride[d];
                    if (++idx[d] < t.shape.extent[d]) break;
                    off -= idx[d] * t.stride[d];
                    idx[d] = 0;
                }
            }
        }
        return;
    }
    if (contiguous) {
        if (t.assign)
            for (std::ptrdiff_t q = 0; q < t.size; ++q) t.data[q] = w * saved[q];
        else
            for (std::ptrdiff_t q = 0; q < t.size; ++q) t.data[q] += w * saved[q];
        return;
    }
    for (std::ptrdiff_t q = 0; q < t.size; ++q) {
        t.data[off] = t.assign ? w * saved[q] : t.data[off] + w * saved[q];
        for (std::size_t d = t.shape.rank; d-- > 0;) {
            off += t.stride[d];
            if (++idx[d] < t.shape.extent[d]) break;
            off -= idx[d] * t.stride[d];
            idx[d] = 0;
        }
    }
}

template <class Targets, class T, std::size_t S, std::size_t... I>
TYPEGRAD_INLINE void store_adjoints(T* const* adj, std::ptrdiff_t l, std::array<T, S> const& g, T w,
                                    std::index_sequence<I...>) {
    ((Targets::value[I] ? void(adj[I][l] = g[I] * w) : void()), ...);
}

/// Adds the adjoints of the slots (Targets::value[s], run-time targets t[s]) for the
/// result adjoint `sd`; returns the sum of the values (computed in the same loop).
template <class Targets, class T, class R>
T region_vjp(cpu_options o, workspace& ws, R const& r, seed<T> sd, adjoint_target<T> (&t)[R::width]) {
    using how = typename adjoint_target<T>::how;
    constexpr std::size_t S = R::slots;
    constexpr auto const& Targets_ = Targets::value;
    dims const& it = r.layout.it;
    std::ptrdiff_t const chunks = r.chunks();
    if (chunks == 0) {
        // No elements: a first contribution is a zero.
        for (std::size_t s = 0; s < S; ++s)
            if (Targets_[s] && t[s].assign) {
                adjoint_target<T> z = t[s];
                z.assign = true;
                scale_into(z, static_cast<T const*>(nullptr), T(0));
            }
        return T(0);
    }

    // Per chunk: its value, then a number per lanes target, then a part per buffer target.
    std::ptrdiff_t per_chunk = 1;
    for (std::size_t s = 0; s < S; ++s) {
        if (!Targets_[s]) continue;
        if (t[s].kind == how::lanes) t[s].part_at = per_chunk++;
        else if (t[s].kind == how::buffer) {
            t[s].part_at = per_chunk;
            per_chunk += t[s].size;
        }
    }
    chunk_parts<T> parts{ws.template take<T>(chunks * per_chunk), per_chunk};
    for (std::ptrdiff_t q = 0; q < chunks * per_chunk; ++q) parts.data[q] = T(0);
    cpu_options run = o;
    std::size_t arrays = 0;  // only arrays can share memory (a number target is its own)
    for (std::size_t s = 0; s < S; ++s) arrays += Targets_[s] && t[s].size > 1;
    bool const overlap = arrays > 1 && targets_overlap(t);
    if (overlap) run.threads = 1;
    for (std::size_t s = 0; s < S; ++s)
        t[s].direct_write = Targets_[s] && t[s].kind == how::direct && t[s].in_place && t[s].assign && !overlap;

    for_each_chunk(chunks, run, [&](std::ptrdiff_t c) {
        T* const part = parts.of(c);
        T in_buf[R::width][block_size];
        T adj_buf[R::width][block_size];
        T value_buf[block_size];
        T value_lanes[lane_count] = {};
        T grad_lanes[R::width][lane_count] = {};
        std::ptrdiff_t const end = std::min(r.layout.count, (c + 1) * chunk_size);
        for (std::ptrdiff_t e0 = c * chunk_size; e0 < end; e0 += block_size) {
            std::ptrdiff_t const n = std::min(block_size, end - e0);
            T const* src[R::width] = {};
            r.stage(e0, n, in_buf, src);
            // The element loop, once for a number seed and once for an array seed: each element's
            // adjoints (the reverse pass) scaled by the seed, into one buffer per target.
            // A target written whole, in place, by this region alone is written directly.
            T* dst[R::width];
            for (std::size_t s = 0; s < S; ++s) dst[s] = t[s].direct_write ? t[s].data + e0 : adj_buf[s];
            auto const nums = R::numbers(src);
            auto sweep = [&](auto seed_at) {
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC ivdep
#endif
                for (std::ptrdiff_t l = 0; l < n; ++l) {
                    auto const p = R::point(nums, src, l);
                    auto const g = gradient_at<reverse>(r.expr, p);
                    value_buf[l] = g.value;
                    store_adjoints<Targets>(dst, l, g.gradient, seed_at(l), std::make_index_sequence<S>{});
                }
            };
            if (sd.array) {
                T const* const w = sd.array + e0;
                sweep([w](std::ptrdiff_t l) { return w[l]; });
            } else {
                T const w = sd.scalar;
                sweep([w](std::ptrdiff_t) { return w; });
            }
            add_to_lanes(value_lanes, value_buf, n);
            // Slot by slot, so that targets that share memory are added in a fixed order.
            for (std::size_t s = 0; s < S; ++s) {
                if (!Targets_[s]) continue;
                adjoint_target<T> const& ts = t[s];
                if (ts.direct_write) continue;
                if (ts.kind == how::direct) {
                    if (ts.in_place) {
                        T* const d = ts.data + e0;
                        if (ts.assign)
                            for (std::ptrdiff_t l = 0; l < n; ++l) d[l] = adj_buf[s][l];
                        else
                            for (std::ptrdiff_t l = 0; l < n; ++l) d[l] += adj_buf[s][l];
                    } else if (ts.assign) {
                        offset_counter oc(it, ts.w, e0);
                        for (std::ptrdiff_t l = 0; l < n; ++l, oc.advance(it, ts.w)) ts.data[oc.offset] = adj_buf[s][l];
                    } else {
                        offset_counter oc(it, ts.w, e0);
                        for (std::ptrdiff_t l = 0; l < n; ++l, oc.advance(it, ts.w)) ts.data[oc.offset] += adj_buf[s][l];
                    }
                } else if (ts.kind == how::lanes) {
                    add_to_lanes(grad_lanes[s], adj_buf[s], n);
                } else if (ts.kind == how::buffer) {
                    T* const buf = part + ts.part_at;
                    offset_counter oc(it, ts.part_walk, e0);
                    for (std::ptrdiff_t l = 0; l < n; ++l, oc.advance(it, ts.part_walk)) buf[oc.offset] += adj_buf[s][l];
                }
            }
        }
        part[0] = combine_lanes(value_lanes);
        for (std::size_t s = 0; s < S; ++s)
            if (Targets_[s] && t[s].kind == how::lanes) part[t[s].part_at] = combine_lanes(grad_lanes[s]);
    });

    // The chunks' parts, added in chunk order.
    T total = T(0);
    for (std::ptrdiff_t c = 0; c < chunks; ++c) total += parts.of(c)[0];
    for (std::size_t s = 0; s < S; ++s) {
        if (!Targets_[s]) continue;
        adjoint_target<T> const& ts = t[s];
        if (ts.kind == how::lanes) {
            T sum = T(0);
            for (std::ptrdiff_t c = 0; c < chunks; ++c) sum += parts.of(c)[ts.part_at];
            ts.data[0] = ts.assign ? sum : ts.data[0] + sum;
        } else if (ts.kind == how::buffer) {
            // Parts are row-major over the target's shape; the target has its own strides.
            std::ptrdiff_t idx[max_rank] = {};
            std::ptrdiff_t off = 0;
            for (std::ptrdiff_t q = 0; q < ts.size; ++q) {
                T sum = T(0);
                for (std::ptrdiff_t c = 0; c < chunks; ++c) sum += parts.of(c)[ts.part_at + q];
                ts.data[off] = ts.assign ? sum : ts.data[off] + sum;
                for (std::size_t d = ts.shape.rank; d-- > 0;) {
                    off += ts.stride[d];
                    if (++idx[d] < ts.shape.extent[d]) break;
                    off -= idx[d] * ts.stride[d];
                    idx[d] = 0;
                }
            }
        }
    }
    return total;
}

/// Tangents of a region's elements from its slots' tangents, in L lanes at once (Mask::value[s]:
/// slot s has one; tl[k], lane k's tuple of one array per slot, each with the slot's shape): the
/// values and partials of each element are computed once for all lanes. Lane k is written to
/// *ydot[k] (the iteration shape), or, when ydot is null, summed into sums[k].
template <class Mask, std::size_t L, class T, class R, class TL, std::size_t RY>
void region_jvp(cpu_options o, workspace& ws, R const& r, TL const* tl, array_ref<T, RY> const* const* ydot, T* sums) {
    using G = typename R::graph_type;
    constexpr std::size_t S = R::slots;
    constexpr auto const& mask = Mask::value;
    dims const& it = r.layout.it;
    std::ptrdiff_t const chunks = r.chunks();
    if (!ydot)
        for (std::size_t k = 0; k < L; ++k) sums[k] = T(0);
    if (chunks == 0) return;
    walk tw[L][R::width];
    walk yw[L];
    for (std::size_t k = 0; k < L; ++k) {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((mask[I] ? void(tw[k][I] = make_walk(it, array_shape(std::get<I>(tl[k])), std::get<I>(tl[k]).stride.data()))
                      : void()),
             ...);
        }(std::make_index_sequence<S>{});
        yw[k] = ydot ? sink_walk(*ydot[k], it) : walk{};
    }
    T* const parts = ydot ? nullptr : detail::take<T>(ws, chunks * std::ptrdiff_t(L));
    for_each_chunk(chunks, o, [&](std::ptrdiff_t c) {
        T in_buf[R::width][block_size];
        T tan_buf[L][R::width][block_size];
        T out_buf[L][block_size];
        T sum_lanes[L][lane_count] = {};
        std::ptrdiff_t const end = std::min(r.layout.count, (c + 1) * chunk_size);
        for (std::ptrdiff_t e0 = c * chunk_size; e0 < end; e0 += block_size) {
            std::ptrdiff_t const n = std::min(block_size, end - e0);
            T const* src[R::width] = {};
            T const* tsrc[L][R::width] = {};
            r.stage(e0, n, in_buf, src);
            for (std::size_t k = 0; k < L; ++k)
                [&]<std::size_t... I>(std::index_sequence<I...>) {
                    ((tsrc[k][I] = mask[I] ? stage_input(std::get<I>(tl[k]), tw[k][I], it, e0, n, tan_buf[k][I]) : nullptr),
                     ...);
                }(std::make_index_sequence<S>{});
            auto const nums = R::numbers(src);
            // Contiguous tangent outputs are written in place, others through a block buffer.
            T* dst[L];
            for (std::size_t k = 0; k < L; ++k) dst[k] = ydot && yw[k].flat ? ydot[k]->data + e0 : out_buf[k];
            std::array<T, S> dnums[L];
            for (std::size_t k = 0; k < L; ++k)
                dnums[k] = [&]<std::size_t... I>(std::index_sequence<I...>) {
                    return std::array<T, S>{(mask[I] && R::fixed[I] ? tsrc[k][I][0] : T(0))...};
                }(std::make_index_sequence<S>{});
            for (std::ptrdiff_t l = 0; l < n; ++l) {
                auto const p = R::point(nums, src, l);
                std::array<T, S> d[L];
                for (std::size_t k = 0; k < L; ++k)
                    d[k] = [&]<std::size_t... I>(std::index_sequence<I...>) {
                        return std::array<T, S>{(mask[I] ? (R::fixed[I] ? dnums[k][I] : tsrc[k][I][l]) : T(0))...};
                    }(std::make_index_sequence<S>{});
                T vals[G::size];
                T tans[G::size][L];
                forward_dense<G, T, L>(r.expr, p.data(), d, vals, tans);
                for (std::size_t k = 0; k < L; ++k) {
                    if constexpr (plan<G, T>.active[G::root])
                        dst[k][l] = tans[G::root][k];
                    else
                        dst[k][l] = T(0);
                }
            }
            for (std::size_t k = 0; k < L; ++k) {
                if (ydot) {
                    if (!yw[k].flat) scatter(ydot[k]->data, yw[k], it, e0, n, out_buf[k]);
                } else
                    add_to_lanes(sum_lanes[k], out_buf[k], n);
            }
        }
        if (!ydot)
            for (std::size_t k = 0; k < L; ++k) parts[c * std::ptrdiff_t(L) + std::ptrdiff_t(k)] = combine_lanes(sum_lanes[k]);
    });
    if (!ydot)
        for (std::ptrdiff_t c = 0; c < chunks; ++c)
            for (std::size_t k = 0; k < L; ++k) sums[k] += parts[c * std::ptrdiff_t(L) + std::ptrdiff_t(k)];
}

}  // namespace typegrad::detail::program
