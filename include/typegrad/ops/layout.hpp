// typegrad/ops/layout.hpp: tg::transpose (a view with its axes permuted) and
// tg::reshape (the same elements, row-major, in other extents).
//
//   tg::transpose(A)               the axes reversed: A^T for a matrix
//   tg::transpose<0, 2, 1>(B)      a permutation of the axes
//   tg::reshape(x, n, -1)          extents given at run time; one may be -1 (inferred)
//
// A transpose computes nothing (its value and adjoint are views). A reshape reads its
// operand in row-major order into a new array (a copy, because its operand may be a
// strided view), and its adjoint adds back in the same order.
#pragma once

#include <array>
#include <cstddef>
#include <string>

#include "array_operation.hpp"

namespace typegrad {

namespace ops {

/// Axis d of the result is axis Perm[d] of the operand (empty Perm: reversed).
template <std::size_t... Perm>
struct transpose_op {
    static constexpr bool array_operation = true;
    static constexpr bool view_operation = true;
    static constexpr char const* name = "transpose";

    template <std::size_t R>
    static constexpr std::array<std::size_t, R == 0 ? 1 : R> permutation() {
        std::array<std::size_t, R == 0 ? 1 : R> p{};
        if constexpr (sizeof...(Perm) == 0) {
            for (std::size_t d = 0; d != R; ++d) p[d] = R - 1 - d;
        } else {
            std::size_t d = 0;
            ((p[d++] = Perm), ...);
        }
        return p;
    }

    template <std::size_t R>
    static consteval std::size_t rank() {
        static_assert(sizeof...(Perm) == 0 || sizeof...(Perm) == R,
                      "typegrad: tg::transpose<...> needs one axis per axis of its operand");
        constexpr auto p = permutation<R>();
        constexpr bool valid = [&] {
            std::array<bool, R == 0 ? 1 : R> seen{};
            for (std::size_t d = 0; d != R; ++d) {
                if (p[d] >= R || seen[p[d]]) return false;
                seen[p[d]] = true;
            }
            return true;
        }();
        static_assert(valid, "typegrad: the axes of tg::transpose<...> must be a permutation of 0 .. rank-1");
        return R;
    }

    shape_result shape(dims const& a) const {
        dims r = a;
        apply_rank(a.rank, r, a);
        return shape_ok(r);
    }

    template <class E, std::size_t R>
    array_ref<E, R> view(array_ref<E, R> const& a, dims const&) const {
        constexpr auto p = permutation<R>();
        array_ref<E, R> v{a.data, {}, {}};
        for (std::size_t d = 0; d != R; ++d) {
            v.extent[d] = a.extent[p[d]];
            v.stride[d] = a.stride[p[d]];
        }
        return v;
    }

private:
    static void apply_rank(std::size_t rank, dims& r, dims const& a) {
        auto set = [&]<std::size_t R>(std::integral_constant<std::size_t, R>) {
            constexpr auto p = permutation<R>();
            for (std::size_t d = 0; d != R; ++d) r.extent[d] = a.extent[p[d]];
        };
        switch (rank) {
            case 1: set(std::integral_constant<std::size_t, 1>{}); break;
            case 2: set(std::integral_constant<std::size_t, 2>{}); break;
            case 3: set(std::integral_constant<std::size_t, 3>{}); break;
            case 4: set(std::integral_constant<std::size_t, 4>{}); break;
            default: break;
        }
    }
};

/// The operand's elements, in row-major order, in the extents `extent`.
template <std::size_t R>
struct reshape_op {
    static constexpr bool array_operation = true;
    static constexpr char const* name = "reshape";
    std::array<std::ptrdiff_t, R == 0 ? 1 : R> extent{};

    template <std::size_t RA>
    static consteval std::size_t rank() {
        return R;
    }

    shape_result shape(dims const& a) const {
        dims r;
        r.rank = R;
        std::ptrdiff_t known = 1;
        std::size_t inferred = R;
        for (std::size_t d = 0; d != R; ++d) {
            if (extent[d] == -1) {
                if (inferred != R) return shape_mismatch("at most one extent of a reshape may be -1");
                inferred = d;
            } else if (extent[d] < 0)
                return shape_mismatch("a reshape extent is negative");
            else
                known *= extent[d];
            r.extent[d] = extent[d];
        }
        if (inferred != R) {
            if (known == 0 || a.size() % known != 0)
                return shape_mismatch("the element count is not a multiple of the other extents of the reshape");
            r.extent[inferred] = a.size() / known;
        }
        if (r.size() != a.size()) return shape_mismatch("a reshape must keep the number of elements");
        return shape_ok(r);
    }

    template <class T, std::size_t RY, class A>
    void value(array_ref<T, RY> const& y, A const& a) const {
        detail::for_each_offset(a, [&](std::ptrdiff_t off, std::ptrdiff_t e) { y.data[e] = static_cast<T>(a.data[off]); });
    }
    template <class T, std::size_t RY, class A, class G>
    void vjp(array_ref<T const, RY> const& ybar, array_ref<T const, RY> const&, A const&, G const& g) const {
        if constexpr (wanted<G>)
            detail::for_each_offset(g, [&](std::ptrdiff_t off, std::ptrdiff_t e) { g.data[off] += ybar.data[e]; });
    }
    template <class T, std::size_t RY, class A, class TA>
    void jvp(array_ref<T, RY> const& ydot, array_ref<T const, RY> const&, A const&, TA const& ta) const {
        if constexpr (wanted<TA>)
            detail::for_each_offset(ta, [&](std::ptrdiff_t off, std::ptrdiff_t e) { ydot.data[e] = ta.data[off]; });
        else
            for (std::ptrdiff_t e = 0; e < ydot.size(); ++e) ydot.data[e] = T(0);
    }

    std::string parameters() const {
        std::string s;
        for (std::size_t d = 0; d != R; ++d) s += (d ? ", " : "") + std::to_string(extent[d]);
        return s;
    }
};

}  // namespace ops

/// The axes of an array expression reversed (A^T for a matrix), as a view.
template <class X>
    requires expression<X>
constexpr auto transpose(X const& x) {
    return make_node<ops::transpose_op<>>(x);
}
/// The axes permuted: axis d of the result is axis Perm[d] of x.
template <std::size_t... Perm, class X>
    requires(expression<X> && sizeof...(Perm) > 0)
constexpr auto transpose(X const& x) {
    return make_node<ops::transpose_op<Perm...>>(x);
}

/// The elements of x in row-major order, in new extents (one may be -1: inferred).
template <class X, std::integral... E>
    requires(expression<X> && sizeof...(E) >= 1 && sizeof...(E) <= max_rank)
constexpr auto reshape(X const& x, E... extents) {
    return make_node_with(ops::reshape_op<sizeof...(E)>{{static_cast<std::ptrdiff_t>(extents)...}}, x);
}

}  // namespace typegrad
