// typegrad/ops/softmax.hpp: tg::softmax, tg::log_softmax and tg::softmax_cross_entropy.
//
//   tg::softmax(z)                       along the last axis; tg::softmax(z, tg::axis<0>)
//   tg::log_softmax(z)                   z - logsumexp(z), along the last axis
//   tg::softmax_cross_entropy(z, labels) per row: logsumexp(z_i) - z_i[labels_i]
//
// Each row is shifted by its max before exp, so nothing overflows. The cross-entropy
// takes logits z of shape (N, C) (or (C,)) and integer class labels of shape (N,) (or
// a number), and gives one loss per row: shape (N,) (or ()); tg::mean of it is the
// usual loss. Labels must lie in 0 .. C-1; that is checked before anything is
// computed. Gradients: softmax: y (ybar - sum(ybar y)); log_softmax: ybar -
// softmax sum(ybar); cross-entropy: ybar_i (softmax(z_i) - onehot(labels_i)).
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <type_traits>

#include "array_operation.hpp"
#include "reduce.hpp"

namespace typegrad {

namespace detail {
template <std::size_t Axis, std::size_t R>
inline constexpr std::size_t resolved_axis = Axis == ops::all_axes ? (R == 0 ? 0 : R - 1) : Axis;
}  // namespace detail

namespace ops {

/// Axis = all_axes means the last axis.
template <std::size_t Axis, bool Log>
struct softmax_op {
    static constexpr bool array_operation = true;
    static constexpr char const* name = Log ? "log_softmax" : "softmax";

    template <std::size_t R>
    static consteval std::size_t rank() {
        static_assert(R >= 1, "typegrad: a softmax needs an array operand (rank 1 or more)");
        static_assert(Axis == all_axes || Axis < R, "typegrad: the axis of a softmax must be less than its operand's rank");
        return R;
    }
    std::string parameters() const { return Axis == all_axes ? "" : "axis=" + std::to_string(Axis); }

    shape_result shape(dims const& a) const {
        if (a.size() > 0 && a.extent[Axis == all_axes ? a.rank - 1 : Axis] == 0)
            return shape_mismatch("a softmax over an axis of extent 0 has no value");
        return shape_ok(a);
    }

    template <class T, std::size_t R, class A>
    void value(array_ref<T, R> const& y, A const& a) const {
        detail::for_each_lane<detail::resolved_axis<Axis, R>>(
            [&](std::ptrdiff_t, auto const& s, auto const& ys) {
                T const lse = detail::reduce_logsumexp<T>(s);
                using std::exp;
                detail::walk_pair(ys, s, [&](std::ptrdiff_t oy, std::ptrdiff_t os) {
                    T const l = static_cast<T>(s.data[os]) - lse;
                    ys.data[oy] = Log ? l : exp(l);
                });
            },
            a, y);
    }

    template <class T, std::size_t R, class A, class G>
    void vjp(array_ref<T const, R> const& ybar, array_ref<T const, R> const& y, A const& a, G const& g) const {
        if constexpr (wanted<G>)
            detail::for_each_lane<detail::resolved_axis<Axis, R>>(
                [&](std::ptrdiff_t, auto const& ys, auto const& bs, auto const& gs) {
                    using std::exp;
                    T acc = T(0);
                    detail::walk_pair(ys, bs, [&](std::ptrdiff_t oy, std::ptrdiff_t ob) {
                        acc += Log ? bs.data[ob] : bs.data[ob] * ys.data[oy];
                    });
                    for (std::ptrdiff_t i = 0; i < ys.extent[0]; ++i) {
                        T const yi = ys.data[i * ys.stride[0]], bi = bs.data[i * bs.stride[0]];
                        gs.data[i * gs.stride[0]] += Log ? bi - exp(yi) * acc : yi * (bi - acc);
                    }
                },
                y, ybar, g);
        (void)a;
    }

    template <class T, std::size_t R, class A, class TA>
    void jvp(array_ref<T, R> const& ydot, array_ref<T const, R> const& y, A const&, TA const& ta) const {
        if constexpr (wanted<TA>)
            detail::for_each_lane<detail::resolved_axis<Axis, R>>(
                [&](std::ptrdiff_t, auto const& ys, auto const& ts, auto const& ds) {
                    using std::exp;
                    T acc = T(0);  // sum of softmax * tangent
                    for (std::ptrdiff_t i = 0; i < ys.extent[0]; ++i) {
                        T const yi = ys.data[i * ys.stride[0]];
                        acc += (Log ? exp(yi) : yi) * ts.data[i * ts.stride[0]];
                    }
                    for (std::ptrdiff_t i = 0; i < ys.extent[0]; ++i) {
                        T const yi = ys.data[i * ys.stride[0]], ti = ts.data[i * ts.stride[0]];
                        ds.data[i * ds.stride[0]] = Log ? ti - acc : yi * (ti - acc);
                    }
                },
                y, ta, ydot);
        else
            for (std::ptrdiff_t e = 0; e < ydot.size(); ++e) ydot.data[e] = T(0);
    }
};

/// Per row of logits (the last axis), logsumexp minus the logit of the row's label.
struct softmax_cross_entropy_op {
    static constexpr bool array_operation = true;
    static constexpr char const* name = "softmax_cross_entropy";
    static constexpr bool index_operand(std::size_t i) { return i == 1; }

    template <std::size_t RZ, std::size_t RL>
    static consteval std::size_t rank() {
        static_assert(RZ == 1 || RZ == 2,
                      "typegrad: tg::softmax_cross_entropy takes logits of shape (N, C) or (C,)");
        static_assert(RL + 1 == RZ,
                      "typegrad: tg::softmax_cross_entropy takes one integer label per row of logits (labels of "
                      "shape (N,) for logits (N, C), a number for logits (C,))");
        return RZ - 1;
    }
    shape_result shape(dims const& z, dims const& labels) const {
        if (z.rank == 2 && labels.extent[0] != z.extent[0])
            return shape_mismatch("there must be one label per row of logits");
        if (z.extent[z.rank - 1] == 0) return shape_mismatch("the logits have no classes");
        dims r;
        if (z.rank == 2) r = make_dims(z.extent[0]);
        return shape_ok(r);
    }
    template <std::size_t I, class L>
    char const* check_index(L const& labels, dims const& z) const {
        static_assert(std::is_integral_v<std::remove_const_t<typename L::element_type>>,
                      "typegrad: the labels of tg::softmax_cross_entropy must be integers");
        std::ptrdiff_t const classes = z.extent[z.rank - 1];
        bool bad = false;
        detail::for_each_offset(labels, [&](std::ptrdiff_t off, std::ptrdiff_t) {
            auto const v = labels.data[off];
            if (v < 0 || static_cast<std::ptrdiff_t>(v) >= classes) bad = true;
        });
        return bad ? "a label is out of range (0 <= label < classes)" : nullptr;
    }

    template <class Z, class L, class F>
    static void rows(Z const& z, L const& labels, F const& f) {
        if constexpr (Z::rank == 1) {
            f(std::ptrdiff_t{0}, z, static_cast<std::ptrdiff_t>(labels.data[0]));
        } else {
            for (std::ptrdiff_t i = 0; i < z.extent[0]; ++i) {
                array_ref<typename Z::element_type, 1> row{z.data + i * z.stride[0], {z.extent[1]}, {z.stride[1]}};
                f(i, row, static_cast<std::ptrdiff_t>(labels.data[i * labels.stride[0]]));
            }
        }
    }

    template <class T, std::size_t R, class Z, class L>
    void value(array_ref<T, R> const& y, Z const& z, L const& labels) const {
        rows(z, labels, [&](std::ptrdiff_t i, auto const& row, std::ptrdiff_t label) {
            y.data[i] = detail::reduce_logsumexp<T>(row) - static_cast<T>(row.data[label * row.stride[0]]);
        });
    }
    template <class T, std::size_t R, class Z, class L, class GZ, class GL>
    void vjp(array_ref<T const, R> const& ybar, array_ref<T const, R> const& y, Z const& z, L const& labels,
             GZ const& gz, GL const&) const {
        if constexpr (wanted<GZ>)
            rows(z, labels, [&](std::ptrdiff_t i, auto const& row, std::ptrdiff_t label) {
                using std::exp;
                T const lse = y.data[i] + static_cast<T>(row.data[label * row.stride[0]]);
                T const w = ybar.data[i];
                T* const g = gz.data + (Z::rank == 2 ? i * gz.stride[0] : 0);
                std::ptrdiff_t const gs = gz.stride[Z::rank - 1];
                for (std::ptrdiff_t c = 0; c < row.extent[0]; ++c)
                    g[c * gs] += w * (exp(static_cast<T>(row.data[c * row.stride[0]]) - lse) - (c == label ? T(1) : T(0)));
            });
    }
    template <class T, std::size_t R, class Z, class L, class TZ, class TL>
    void jvp(array_ref<T, R> const& ydot, array_ref<T const, R> const& y, Z const& z, L const& labels, TZ const& tz,
             TL const&) const {
        rows(z, labels, [&](std::ptrdiff_t i, auto const& row, std::ptrdiff_t label) {
            if constexpr (wanted<TZ>) {
                using std::exp;
                T const lse = y.data[i] + static_cast<T>(row.data[label * row.stride[0]]);
                T const* const t = tz.data + (Z::rank == 2 ? i * tz.stride[0] : 0);
                std::ptrdiff_t const ts = tz.stride[Z::rank - 1];
                T acc = T(0);
                for (std::ptrdiff_t c = 0; c < row.extent[0]; ++c)
                    acc += exp(static_cast<T>(row.data[c * row.stride[0]]) - lse) * t[c * ts];
                ydot.data[i] = acc - t[label * ts];
            } else
                ydot.data[i] = T(0);
        });
    }
};

}  // namespace ops

/// exp(z) / sum(exp(z)) along the last axis (or tg::axis<K>).
template <class Z>
    requires expression<Z>
constexpr auto softmax(Z const& z) {
    return make_node<ops::softmax_op<ops::all_axes, false>>(z);
}
template <class Z, std::size_t K>
    requires expression<Z>
constexpr auto softmax(Z const& z, axis_t<K>) {
    return make_node<ops::softmax_op<K, false>>(z);
}
/// z - logsumexp(z) along the last axis (or tg::axis<K>).
template <class Z>
    requires expression<Z>
constexpr auto log_softmax(Z const& z) {
    return make_node<ops::softmax_op<ops::all_axes, true>>(z);
}
template <class Z, std::size_t K>
    requires expression<Z>
constexpr auto log_softmax(Z const& z, axis_t<K>) {
    return make_node<ops::softmax_op<K, true>>(z);
}
/// One cross-entropy loss per row of logits, for integer class labels.
template <class Z, class L>
    requires(expression<Z> && expression<L>)
constexpr auto softmax_cross_entropy(Z const& logits, L const& labels) {
    return make_node<ops::softmax_cross_entropy_op>(logits, labels);
}

}  // namespace typegrad
