// typegrad/ops/reduce.hpp: reductions inside an expression: tg::sum, tg::mean, tg::max,
// tg::min and tg::logsumexp, over every element or over one axis.
//
//   tg::sum(e)                         every element: rank 0
//   tg::sum(e, tg::axis<1>)            axis 1 removed
//   tg::sum(e, tg::axis<1>, tg::keepdims)  axis 1 kept with extent 1 (so it broadcasts back)
//
// Conventions: the sum of no elements is 0 and their mean is NaN (0/0), as in NumPy;
// max, min and logsumexp of no elements are refused (they have no value). max and
// min send the whole adjoint to the first element (in row-major order) that attains
// the extremum; ties among later elements get nothing (documented, as in the
// element-wise half-split this is a valid subgradient). logsumexp is computed as
// m + log(sum(exp(x - m))) with m the max, so it neither overflows nor underflows;
// its gradient is softmax(x).
//
// (tg::sum(f, inputs...) with arrays after the expression is the executor call that
// evaluates a sum: see exec/program/api.hpp. An expression alone, or followed by an
// axis tag, builds the reduction node.)
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <type_traits>

#include "array_operation.hpp"

namespace typegrad {

namespace ops {

enum class reduction_kind { sum, mean, max, min, logsumexp };

/// Reduce over every axis.
inline constexpr std::size_t all_axes = static_cast<std::size_t>(-1);

template <reduction_kind Kind, std::size_t Axis, bool Keep>
struct reduce;

}  // namespace ops

namespace detail {

/// For each position o (row-major) of the axes other than Axis, calls
/// f(o, lane(a)...) with the 1-D lanes of the arrays along Axis (or the whole arrays,
/// rank R, when Axis is all_axes). The arrays have one shape and their own strides.
template <std::size_t Axis, class F, class A0, class... A>
void for_each_lane(F const& f, A0 const& a0, A const&... a) {
    constexpr std::size_t R = A0::rank;
    if constexpr (Axis == ops::all_axes) {
        f(std::ptrdiff_t{0}, a0, a...);
    } else {
        std::ptrdiff_t outer_count = 1;
        for (std::size_t d = 0; d != R; ++d)
            if (d != Axis) outer_count *= a0.extent[d];
        if (outer_count == 0) return;
        std::ptrdiff_t idx[R] = {};
        std::ptrdiff_t off[1 + sizeof...(A)] = {};
        auto lane = [](auto const& x, std::ptrdiff_t o) {
            using X = std::remove_cvref_t<decltype(x)>;
            return array_ref<typename X::element_type, 1>{x.data + o, {x.extent[Axis]}, {x.stride[Axis]}};
        };
        for (std::ptrdiff_t o = 0; o < outer_count; ++o) {
            [&]<std::size_t... J>(std::index_sequence<J...>) {
                f(o, lane(a0, off[0]), lane(a, off[J + 1])...);
            }(std::index_sequence_for<A...>{});
            for (std::size_t d = R; d-- > 0;) {
                if (d == Axis) continue;
                [&]<std::size_t... J>(std::index_sequence<J...>) {
                    off[0] += a0.stride[d];
                    ((off[J + 1] += a.stride[d]), ...);
                }(std::index_sequence_for<A...>{});
                if (++idx[d] < a0.extent[d]) break;
                [&]<std::size_t... J>(std::index_sequence<J...>) {
                    off[0] -= idx[d] * a0.stride[d];
                    ((off[J + 1] -= idx[d] * a.stride[d]), ...);
                }(std::index_sequence_for<A...>{});
                idx[d] = 0;
            }
        }
    }
}

/// A contiguous row-major array_ref over data with the given shape.
template <class T, std::size_t R>
constexpr array_ref<T, R> row_major(T* data, dims const& d) {
    array_ref<T, R> a{data, {}, {}};
    for (std::size_t k = 0; k != R; ++k) a.extent[k] = d.extent[k];
    a.stride = row_major_strides(a.extent);
    return a;
}

template <class T, class S>
T reduce_sum(S const& s) {
    T acc = T(0);
    for_each_offset(s, [&](std::ptrdiff_t off, std::ptrdiff_t) { acc += static_cast<T>(s.data[off]); });
    return acc;
}

/// The max (or min) of a sub-array; NaN if any element is NaN. Not called on empty sub-arrays.
template <class T, class S>
T reduce_max(S const& s, bool smallest) {
    T m = T(0);
    bool first = true;
    for_each_offset(s, [&](std::ptrdiff_t off, std::ptrdiff_t) {
        T const v = static_cast<T>(s.data[off]);
        if (first || v != v)
            m = (m != m) ? m : v;
        else if (smallest ? v < m : v > m)
            m = v;
        first = false;
    });
    return m;
}

/// v is the extremum m (NaN counts as attaining a NaN result).
template <class T>
constexpr bool attains(T v, T m) {
    return v == m || (m != m && v != v);
}

template <class T, class S>
T reduce_logsumexp(S const& s) {
    T const m = reduce_max<T>(s, false);
    if (!(std::abs(m) < std::numeric_limits<T>::infinity())) return m;  // +-inf or NaN
    T acc = T(0);
    using std::exp;
    for_each_offset(s, [&](std::ptrdiff_t off, std::ptrdiff_t) { acc += exp(static_cast<T>(s.data[off]) - m); });
    using std::log;
    return m + log(acc);
}

}  // namespace detail

namespace ops {

template <reduction_kind Kind, std::size_t Axis, bool Keep>
struct reduce {
    static constexpr bool array_operation = true;
    static constexpr reduction_kind kind = Kind;
    static constexpr std::size_t axis = Axis;
    static constexpr bool keep = Keep;
    static constexpr char const* name = Kind == reduction_kind::sum    ? "sum"
                                        : Kind == reduction_kind::mean ? "mean"
                                        : Kind == reduction_kind::max  ? "max"
                                        : Kind == reduction_kind::min  ? "min"
                                                                       : "logsumexp";

    std::string parameters() const {
        std::string s = Axis == all_axes ? "" : "axis=" + std::to_string(Axis);
        if (Keep) s += s.empty() ? "keepdims" : ", keepdims";
        return s;
    }

    template <std::size_t R>
    static consteval std::size_t rank() {
        if constexpr (Axis == all_axes)
            return Keep ? R : 0;
        else {
            static_assert(Axis < R, "typegrad: the axis of a reduction must be less than the rank of its operand");
            return Keep ? R : (Axis < R ? R - 1 : 0);
        }
    }

    shape_result shape(dims const& a) const {
        dims r;
        std::ptrdiff_t reduced = 1;
        if constexpr (Axis == all_axes) {
            reduced = a.size();
            r.rank = Keep ? a.rank : 0;
            for (std::size_t d = 0; d < r.rank; ++d) r.extent[d] = 1;
        } else {
            reduced = a.extent[Axis];
            std::size_t k = 0;
            for (std::size_t d = 0; d < a.rank; ++d) {
                if (d == Axis) {
                    if (Keep) r.extent[k++] = 1;
                } else
                    r.extent[k++] = a.extent[d];
            }
            r.rank = k;
        }
        if (reduced == 0 && r.size() > 0 &&
            (Kind == reduction_kind::max || Kind == reduction_kind::min || Kind == reduction_kind::logsumexp))
            return shape_mismatch("it reduces over no elements, which have no max, min or logsumexp");
        return shape_ok(r);
    }

    template <class T, std::size_t RY, class A>
    void value(array_ref<T, RY> const& y, A const& a) const {
        detail::for_each_lane<Axis>([&](std::ptrdiff_t o, auto const& s) {
            if constexpr (Kind == reduction_kind::sum)
                y.data[o] = detail::reduce_sum<T>(s);
            else if constexpr (Kind == reduction_kind::mean)
                y.data[o] = detail::reduce_sum<T>(s) / static_cast<T>(s.size());
            else if constexpr (Kind == reduction_kind::max)
                y.data[o] = detail::reduce_max<T>(s, false);
            else if constexpr (Kind == reduction_kind::min)
                y.data[o] = detail::reduce_max<T>(s, true);
            else
                y.data[o] = detail::reduce_logsumexp<T>(s);
        }, a);
    }

    template <class T, std::size_t RY, class A, class G>
    void vjp(array_ref<T const, RY> const& ybar, array_ref<T const, RY> const& y, A const& a, G const& g) const {
        if constexpr (wanted<G>) {
            detail::for_each_lane<Axis>([&](std::ptrdiff_t o, auto const& s, auto const& gs) {
                T const w = ybar.data[o];
                if constexpr (Kind == reduction_kind::sum || Kind == reduction_kind::mean) {
                    T const v = Kind == reduction_kind::mean ? w / static_cast<T>(s.size()) : w;
                    detail::for_each_offset(gs, [&](std::ptrdiff_t off, std::ptrdiff_t) { gs.data[off] += v; });
                } else if constexpr (Kind == reduction_kind::max || Kind == reduction_kind::min) {
                    // The first element (row-major) that attains the extremum takes the adjoint.
                    T const m = y.data[o];
                    bool done = false;
                    detail::walk_pair(s, gs, [&](std::ptrdiff_t oa, std::ptrdiff_t og) {
                        if (!done && detail::attains(static_cast<T>(s.data[oa]), m)) {
                            gs.data[og] += w;
                            done = true;
                        }
                    });
                } else {
                    // d logsumexp / dx = exp(x - logsumexp) = softmax(x)
                    T const lse = y.data[o];
                    using std::exp;
                    detail::walk_pair(s, gs, [&](std::ptrdiff_t oa, std::ptrdiff_t og) {
                        gs.data[og] += w * exp(static_cast<T>(s.data[oa]) - lse);
                    });
                }
            }, a, g);
        }
    }

    template <class T, std::size_t RY, class A, class TA>
    void jvp(array_ref<T, RY> const& ydot, array_ref<T const, RY> const& y, A const& a, TA const& ta) const {
        for (std::ptrdiff_t o = 0; o < ydot.size(); ++o) ydot.data[o] = T(0);
        if constexpr (wanted<TA>) {
            detail::for_each_lane<Axis>([&](std::ptrdiff_t o, auto const& s, auto const& ts) {
                if constexpr (Kind == reduction_kind::sum || Kind == reduction_kind::mean) {
                    T acc = detail::reduce_sum<T>(ts);
                    ydot.data[o] = Kind == reduction_kind::mean ? acc / static_cast<T>(s.size()) : acc;
                } else if constexpr (Kind == reduction_kind::max || Kind == reduction_kind::min) {
                    T const m = y.data[o];
                    bool done = false;
                    detail::walk_pair(s, ts, [&](std::ptrdiff_t oa, std::ptrdiff_t ot) {
                        if (!done && detail::attains(static_cast<T>(s.data[oa]), m)) {
                            ydot.data[o] = ts.data[ot];
                            done = true;
                        }
                    });
                } else {
                    T const lse = y.data[o];
                    using std::exp;
                    T acc = T(0);
                    detail::walk_pair(s, ts, [&](std::ptrdiff_t oa, std::ptrdiff_t ot) {
                        acc += exp(static_cast<T>(s.data[oa]) - lse) * ts.data[ot];
                    });
                    ydot.data[o] = acc;
                }
            }, a, ta);
        }
    }
};

}  // namespace ops

namespace detail {
template <ops::reduction_kind Kind, std::size_t Axis, bool Keep, class E>
constexpr auto make_reduction(E const& e) {
    return make_node<ops::reduce<Kind, Axis, Keep>>(e);
}
}  // namespace detail

// Each reduction: over every element, the same keeping the axes (extent 1), over one
// axis, and over one axis kept.
/// The sum of the elements of an array expression (all of them, or along an axis).
template <class E>
    requires expression<E>
constexpr auto sum(E const& e) { return detail::make_reduction<ops::reduction_kind::sum, ops::all_axes, false>(e); }
template <class E>
    requires expression<E>
constexpr auto sum(E const& e, keepdims_t) { return detail::make_reduction<ops::reduction_kind::sum, ops::all_axes, true>(e); }
template <class E, std::size_t K>
    requires expression<E>
constexpr auto sum(E const& e, axis_t<K>) { return detail::make_reduction<ops::reduction_kind::sum, K, false>(e); }
template <class E, std::size_t K>
    requires expression<E>
constexpr auto sum(E const& e, axis_t<K>, keepdims_t) { return detail::make_reduction<ops::reduction_kind::sum, K, true>(e); }
/// The mean of the elements (NaN over no elements).
template <class E>
    requires expression<E>
constexpr auto mean(E const& e) { return detail::make_reduction<ops::reduction_kind::mean, ops::all_axes, false>(e); }
template <class E>
    requires expression<E>
constexpr auto mean(E const& e, keepdims_t) { return detail::make_reduction<ops::reduction_kind::mean, ops::all_axes, true>(e); }
template <class E, std::size_t K>
    requires expression<E>
constexpr auto mean(E const& e, axis_t<K>) { return detail::make_reduction<ops::reduction_kind::mean, K, false>(e); }
template <class E, std::size_t K>
    requires expression<E>
constexpr auto mean(E const& e, axis_t<K>, keepdims_t) { return detail::make_reduction<ops::reduction_kind::mean, K, true>(e); }
/// The largest element; the adjoint goes to the first element that attains it.
template <class E>
    requires expression<E>
constexpr auto max(E const& e) { return detail::make_reduction<ops::reduction_kind::max, ops::all_axes, false>(e); }
template <class E>
    requires expression<E>
constexpr auto max(E const& e, keepdims_t) { return detail::make_reduction<ops::reduction_kind::max, ops::all_axes, true>(e); }
template <class E, std::size_t K>
    requires expression<E>
constexpr auto max(E const& e, axis_t<K>) { return detail::make_reduction<ops::reduction_kind::max, K, false>(e); }
template <class E, std::size_t K>
    requires expression<E>
constexpr auto max(E const& e, axis_t<K>, keepdims_t) { return detail::make_reduction<ops::reduction_kind::max, K, true>(e); }
/// The smallest element; the adjoint goes to the first element that attains it.
template <class E>
    requires expression<E>
constexpr auto min(E const& e) { return detail::make_reduction<ops::reduction_kind::min, ops::all_axes, false>(e); }
template <class E>
    requires expression<E>
constexpr auto min(E const& e, keepdims_t) { return detail::make_reduction<ops::reduction_kind::min, ops::all_axes, true>(e); }
template <class E, std::size_t K>
    requires expression<E>
constexpr auto min(E const& e, axis_t<K>) { return detail::make_reduction<ops::reduction_kind::min, K, false>(e); }
template <class E, std::size_t K>
    requires expression<E>
constexpr auto min(E const& e, axis_t<K>, keepdims_t) { return detail::make_reduction<ops::reduction_kind::min, K, true>(e); }
/// log(sum(exp(e))), computed without overflow; its gradient is the softmax.
template <class E>
    requires expression<E>
constexpr auto logsumexp(E const& e) { return detail::make_reduction<ops::reduction_kind::logsumexp, ops::all_axes, false>(e); }
template <class E>
    requires expression<E>
constexpr auto logsumexp(E const& e, keepdims_t) { return detail::make_reduction<ops::reduction_kind::logsumexp, ops::all_axes, true>(e); }
template <class E, std::size_t K>
    requires expression<E>
constexpr auto logsumexp(E const& e, axis_t<K>) { return detail::make_reduction<ops::reduction_kind::logsumexp, K, false>(e); }
template <class E, std::size_t K>
    requires expression<E>
constexpr auto logsumexp(E const& e, axis_t<K>, keepdims_t) { return detail::make_reduction<ops::reduction_kind::logsumexp, K, true>(e); }

}  // namespace typegrad
