// typegrad/ops/gather.hpp: tg::concat (arrays joined along an axis) and tg::take
// (rows gathered by an integer index array).
//
//   tg::concat(a, b)                   along axis 0; the other extents must agree
//   tg::concat(tg::axis<1>, a, b, c)   along axis 1 (up to 7 operands)
//   tg::take(x, idx)                   rows idx[0], idx[1], ... of x: shape (len(idx), ...)
//
// The adjoint of a concatenation sends each slab back to its operand; the adjoint of
// take adds each row's adjoint into the row it came from (rows taken twice get both).
// Indices must be an input array of integers with 0 <= idx < rows; that is checked
// before anything is computed.
#pragma once

#include <concepts>
#include <cstddef>
#include <type_traits>

#include "array_operation.hpp"

namespace typegrad {

namespace ops {

template <std::size_t Axis>
struct concat_op {
    static constexpr bool array_operation = true;
    static constexpr char const* name = "concat";

    template <std::size_t R0, std::size_t... R>
    static consteval std::size_t rank() {
        static_assert(((R == R0) && ...), "typegrad: tg::concat joins arrays of one rank");
        static_assert(Axis < R0, "typegrad: the axis of tg::concat must be less than the operands' rank");
        return R0;
    }

    template <class... D>
    shape_result shape(dims const& a0, D const&... a) const {
        dims r = a0;
        bool ok = true;
        auto join = [&](dims const& d) {
            for (std::size_t k = 0; k < r.rank; ++k)
                if (k != Axis && d.extent[k] != r.extent[k]) ok = false;
            r.extent[Axis] += d.extent[Axis];
        };
        (join(a), ...);
        if (!ok) return shape_mismatch("the extents of the joined arrays differ outside the joining axis");
        return shape_ok(r);
    }

    // The slab of y (along Axis) that operand starting at `offset` occupies.
    template <class T, std::size_t R, class A>
    static array_ref<T, R> slab(array_ref<T, R> const& y, A const& a, std::ptrdiff_t offset) {
        array_ref<T, R> s = y;
        s.data = y.data + offset * y.stride[Axis];
        s.extent[Axis] = a.extent[Axis];
        return s;
    }

    template <class T, std::size_t R, class... A>
    void value(array_ref<T, R> const& y, A const&... a) const {
        std::ptrdiff_t offset = 0;
        auto put = [&](auto const& x) {
            auto const s = slab(y, x, offset);
            detail::walk_pair(s, x, [&](std::ptrdiff_t os, std::ptrdiff_t ox) { s.data[os] = static_cast<T>(x.data[ox]); });
            offset += x.extent[Axis];
        };
        (put(a), ...);
    }

    // Arguments: ybar, y, the operands, then one adjoint (or tg::skip_t) per operand.
    template <class T, std::size_t R, class... X>
    void vjp(array_ref<T const, R> const& ybar, array_ref<T const, R> const&, X const&... x) const {
        constexpr std::size_t n = sizeof...(X) / 2;
        auto const all = std::forward_as_tuple(x...);
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            std::ptrdiff_t offset = 0;
            (([&] {
                 auto const& a = std::get<I>(all);
                 auto const& g = std::get<n + I>(all);
                 if constexpr (wanted<decltype(g)>) {
                     auto const s = slab(ybar, a, offset);
                     detail::walk_pair(g, s, [&](std::ptrdiff_t og, std::ptrdiff_t os) { g.data[og] += s.data[os]; });
                 }
                 offset += a.extent[Axis];
             }()),
             ...);
        }(std::make_index_sequence<n>{});
    }

    template <class T, std::size_t R, class... X>
    void jvp(array_ref<T, R> const& ydot, array_ref<T const, R> const&, X const&... x) const {
        constexpr std::size_t n = sizeof...(X) / 2;
        auto const all = std::forward_as_tuple(x...);
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            std::ptrdiff_t offset = 0;
            (([&] {
                 auto const& a = std::get<I>(all);
                 auto const& t = std::get<n + I>(all);
                 auto const s = slab(ydot, a, offset);
                 if constexpr (wanted<decltype(t)>)
                     detail::walk_pair(s, t, [&](std::ptrdiff_t os, std::ptrdiff_t ot) { s.data[os] = t.data[ot]; });
                 else
                     detail::for_each_offset(s, [&](std::ptrdiff_t os, std::ptrdiff_t) { s.data[os] = T(0); });
                 offset += a.extent[Axis];
             }()),
             ...);
        }(std::make_index_sequence<n>{});
    }
};

/// Rows of operand 0 at the integer indices of operand 1 (a 1-D input array).
struct take_op {
    static constexpr bool array_operation = true;
    static constexpr char const* name = "take";
    static constexpr bool index_operand(std::size_t i) { return i == 1; }

    template <std::size_t RX, std::size_t RI>
    static consteval std::size_t rank() {
        static_assert(RX >= 1, "typegrad: tg::take gathers rows of an array of rank 1 or more");
        static_assert(RI == 1, "typegrad: the indices of tg::take are a 1-D array of integers");
        return RX;
    }

    shape_result shape(dims const& x, dims const& idx) const {
        dims r = x;
        r.extent[0] = idx.extent[0];
        return shape_ok(r);
    }

    template <std::size_t I, class Idx>
    char const* check_index(Idx const& idx, dims const& x) const {
        static_assert(std::is_integral_v<std::remove_const_t<typename Idx::element_type>>,
                      "typegrad: the indices of tg::take must be integers");
        for (std::ptrdiff_t q = 0; q < idx.extent[0]; ++q) {
            auto const v = idx.data[q * idx.stride[0]];
            if (v < 0 || static_cast<std::ptrdiff_t>(v) >= x.extent[0]) return "an index is out of range (0 <= index < rows)";
        }
        return nullptr;
    }

    template <class A, class Idx>
    static A row(A const& x, Idx const& idx, std::ptrdiff_t q) {
        A r = x;
        r.data = x.data + static_cast<std::ptrdiff_t>(idx.data[q * idx.stride[0]]) * x.stride[0];
        r.extent[0] = 1;
        return r;
    }
    template <class A>
    static A out_row(A const& y, std::ptrdiff_t q) {
        A r = y;
        r.data = y.data + q * y.stride[0];
        r.extent[0] = 1;
        return r;
    }

    template <class T, std::size_t R, class X, class Idx>
    void value(array_ref<T, R> const& y, X const& x, Idx const& idx) const {
        for (std::ptrdiff_t q = 0; q < idx.extent[0]; ++q) {
            auto const src = row(x, idx, q);
            auto const dst = out_row(y, q);
            detail::walk_pair(dst, src, [&](std::ptrdiff_t od, std::ptrdiff_t os) { dst.data[od] = static_cast<T>(src.data[os]); });
        }
    }
    template <class T, std::size_t R, class X, class Idx, class GX, class GI>
    void vjp(array_ref<T const, R> const& ybar, array_ref<T const, R> const&, X const&, Idx const& idx, GX const& gx,
             GI const&) const {
        if constexpr (wanted<GX>)
            for (std::ptrdiff_t q = 0; q < idx.extent[0]; ++q) {
                auto const dst = row(gx, idx, q);
                auto const src = out_row(ybar, q);
                detail::walk_pair(dst, src, [&](std::ptrdiff_t od, std::ptrdiff_t os) { dst.data[od] += src.data[os]; });
            }
    }
    template <class T, std::size_t R, class X, class Idx, class TX, class TI>
    void jvp(array_ref<T, R> const& ydot, array_ref<T const, R> const&, X const&, Idx const& idx, TX const& tx,
             TI const&) const {
        for (std::ptrdiff_t q = 0; q < idx.extent[0]; ++q) {
            auto const dst = out_row(ydot, q);
            if constexpr (wanted<TX>) {
                auto const src = row(tx, idx, q);
                detail::walk_pair(dst, src, [&](std::ptrdiff_t od, std::ptrdiff_t os) { dst.data[od] = src.data[os]; });
            } else
                detail::for_each_offset(dst, [&](std::ptrdiff_t od, std::ptrdiff_t) { dst.data[od] = T(0); });
        }
    }
};

}  // namespace ops

/// Arrays joined along axis 0.
template <class A, class... B>
    requires(expression<A> && (expression<B> && ...) && sizeof...(B) >= 1)
constexpr auto concat(A const& a, B const&... b) {
    return make_node<ops::concat_op<0>>(a, b...);
}
/// Arrays joined along axis K.
template <std::size_t K, class A, class... B>
    requires(expression<A> && (expression<B> && ...) && sizeof...(B) >= 1)
constexpr auto concat(axis_t<K>, A const& a, B const&... b) {
    return make_node<ops::concat_op<K>>(a, b...);
}

/// The rows of x at the indices idx (an input array of integers).
template <class X, class I>
    requires(expression<X> && expression<I>)
constexpr auto take(X const& x, I const& idx) {
    return make_node<ops::take_op>(x, idx);
}

}  // namespace typegrad
