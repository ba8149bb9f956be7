// typegrad/ops/contraction.hpp: tg::dot, a sum over the last axis of two arrays.
//
// dot(a, b)[...] = sum_k a[..., k] b[..., k]: the last axes (of equal length) are
// contracted and the other axes broadcast as in NumPy. A matrix-vector product A x is
// dot(A, x) over the rows of A; w^T X is dot(w, tg::transpose(X)) over the columns of
// X. Its adjoints are da[..., k] += ybar[...] b[..., k] and db likewise (summed over
// the axes an operand was stretched along). Operands may be any array expressions.
#pragma once

#include <cstddef>
#include <type_traits>

#include "array_operation.hpp"

namespace typegrad {

namespace detail {

/// Iterates the broadcast result shape `it`, giving the offsets of the contracted rows
/// of a and b (their walks ignore the last axis) and the result's flat index.
template <class A, class B, class F>
void for_each_contraction(dims const& it, A const& a, B const& b, F const& f) {
    dims sa = array_shape(a), sb = array_shape(b);
    sa.rank -= 1;
    sb.rank -= 1;
    walk const wa = make_walk(it, sa, a.stride.data());
    walk const wb = make_walk(it, sb, b.stride.data());
    std::ptrdiff_t const n = it.size();
    offset_counter ca(it, wa, 0), cb(it, wb, 0);
    for (std::ptrdiff_t e = 0; e < n; ++e, ca.advance(it, wa), cb.advance(it, wb)) f(e, ca.offset, cb.offset);
}

}  // namespace detail

namespace ops {

struct dot_op {
    static constexpr bool array_operation = true;
    static constexpr char const* name = "dot";

    template <std::size_t RA, std::size_t RB>
    static consteval std::size_t rank() {
        static_assert(RA >= 1 && RB >= 1,
                      "typegrad: tg::dot contracts the last axis of two arrays, so both operands must be arrays "
                      "(rank 1 or more), not numbers");
        return (RA > RB ? RA : RB) - 1;
    }

    shape_result shape(dims const& a, dims const& b) const {
        if (a.extent[a.rank - 1] != b.extent[b.rank - 1])
            return shape_mismatch("the contracted (last) axes differ in length");
        dims la = a, lb = b, r;
        la.rank -= 1;
        lb.rank -= 1;
        if (!try_broadcast(la, lb, r)) return shape_mismatch("the axes before the contracted one cannot be broadcast");
        return shape_ok(r);
    }

    template <class T, std::size_t R, class A, class B>
    void value(array_ref<T, R> const& y, A const& a, B const& b) const {
        std::ptrdiff_t const K = a.extent[A::rank - 1], sa = a.stride[A::rank - 1], sb = b.stride[B::rank - 1];
        detail::for_each_contraction(array_shape(y), a, b, [&](std::ptrdiff_t e, std::ptrdiff_t oa, std::ptrdiff_t ob) {
            T acc = T(0);
            for (std::ptrdiff_t k = 0; k < K; ++k) acc += static_cast<T>(a.data[oa + k * sa]) * static_cast<T>(b.data[ob + k * sb]);
            y.data[e] = acc;
        });
    }

    template <class T, std::size_t R, class A, class B, class GA, class GB>
    void vjp(array_ref<T const, R> const& ybar, array_ref<T const, R> const&, A const& a, B const& b, GA const& ga,
             GB const& gb) const {
        std::ptrdiff_t const K = a.extent[A::rank - 1], sa = a.stride[A::rank - 1], sb = b.stride[B::rank - 1];
        dims const it = array_shape(ybar);
        if constexpr (wanted<GA>) {
            std::ptrdiff_t const sg = ga.stride[A::rank - 1];
            detail::for_each_contraction(it, ga, b, [&](std::ptrdiff_t e, std::ptrdiff_t og, std::ptrdiff_t ob) {
                T const w = ybar.data[e];
                for (std::ptrdiff_t k = 0; k < K; ++k) ga.data[og + k * sg] += w * static_cast<T>(b.data[ob + k * sb]);
            });
        }
        if constexpr (wanted<GB>) {
            std::ptrdiff_t const sg = gb.stride[B::rank - 1];
            detail::for_each_contraction(it, a, gb, [&](std::ptrdiff_t e, std::ptrdiff_t oa, std::ptrdiff_t og) {
                T const w = ybar.data[e];
                for (std::ptrdiff_t k = 0; k < K; ++k) gb.data[og + k * sg] += w * static_cast<T>(a.data[oa + k * sa]);
            });
        }
    }

    template <class T, std::size_t R, class A, class B, class TA, class TB>
    void jvp(array_ref<T, R> const& ydot, array_ref<T const, R> const&, A const& a, B const& b, TA const& ta,
             TB const& tb) const {
        std::ptrdiff_t const K = a.extent[A::rank - 1], sa = a.stride[A::rank - 1], sb = b.stride[B::rank - 1];
        dims const it = array_shape(ydot);
        for (std::ptrdiff_t e = 0; e < ydot.size(); ++e) ydot.data[e] = T(0);
        if constexpr (wanted<TA>) {
            std::ptrdiff_t const st = ta.stride[A::rank - 1];
            detail::for_each_contraction(it, ta, b, [&](std::ptrdiff_t e, std::ptrdiff_t ot, std::ptrdiff_t ob) {
                T acc = T(0);
                for (std::ptrdiff_t k = 0; k < K; ++k) acc += ta.data[ot + k * st] * static_cast<T>(b.data[ob + k * sb]);
                ydot.data[e] += acc;
            });
        }
        if constexpr (wanted<TB>) {
            std::ptrdiff_t const st = tb.stride[B::rank - 1];
            detail::for_each_contraction(it, a, tb, [&](std::ptrdiff_t e, std::ptrdiff_t oa, std::ptrdiff_t ot) {
                T acc = T(0);
                for (std::ptrdiff_t k = 0; k < K; ++k) acc += static_cast<T>(a.data[oa + k * sa]) * tb.data[ot + k * st];
                ydot.data[e] += acc;
            });
        }
    }
};

}  // namespace ops

/// The sum over the last axis of two array expressions (the other axes broadcast).
template <class A, class B>
    requires(expression<A> && expression<B>)
constexpr auto dot(A const& a, B const& b) {
    return make_node<ops::dot_op>(a, b);
}

namespace detail {
template <class T>
inline constexpr bool is_dot_node = false;
template <class A, class B>
inline constexpr bool is_dot_node<node<ops::dot_op, A, B>> = true;
}  // namespace detail

}  // namespace typegrad
