// typegrad/solvers/stencil.hpp: a residual's band read off its type.
//
//   auto F = tg::concat(first, middle, last) + h * h * lambda * exp(u);   // slices with _c bounds
//   tg::solvers::newton(F, tg::solvers::band_of(F), x, lambda);            // band (1, 1): 3 colours
//
// A residual F: R^n -> R^n built from element-wise operations, slices of axis 0 whose bounds
// are known at compile time (1_c, tg::end - 1_c) and tg::concat of such pieces reads, at output
// i, the unknowns i + d for a set of constant offsets d: its Jacobian is banded, with the band
// spanned by the offsets, whatever n is. band_of computes that set at compile time, by walking
// the expression type: a slice shifts the offsets of its operand by its begin, a concatenation
// by the place of each piece (lengths are kept as c + s n), an element-wise operation joins
// its operands' sets. The unknowns are input 0 (as in newton and make_system); other inputs
// are parameters. What cannot be read so is said in one sentence at compile time: a slice with
// run-time bounds, an array operation of the unknowns other than a slice or a concatenation
// (a matrix product, a reduction, a gather), an offset that grows with n (a wrap-around).
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include "../core/constant.hpp"
#include "../core/expression.hpp"
#include "../core/let.hpp"
#include "../core/var.hpp"
#include "../ops/array_operation.hpp"
#include "../ops/gather.hpp"
#include "../ops/slice.hpp"
#include "band_kind.hpp"

namespace typegrad::solvers {

namespace detail {

/// c + s n, with n the number of unknowns.
struct affine {
    long c = 0;
    long s = 0;
    constexpr affine operator+(affine o) const { return {c + o.c, s + o.s}; }
    constexpr affine operator-(affine o) const { return {c - o.c, s - o.s}; }
    constexpr bool operator==(affine const&) const = default;
};

enum class stencil_problem { none, runtime_bounds, other_axis, not_a_stencil, lengths_unknown, lengths_differ,
                             too_many_offsets, moving_offset, wrong_length };

/// What a subexpression reads of the unknowns: at its index i, the unknowns i + offset[k].
struct stencil_info {
    stencil_problem problem = stencil_problem::none;
    bool depends = false;  // on the unknowns
    bool sized = false;    // its length is known (else it is a number or a parameter)
    affine length{};
    int count = 0;
    affine offset[32]{};

    constexpr void add(affine d) {
        for (int k = 0; k < count; ++k)
            if (offset[k] == d) return;
        if (count == 32) {
            problem = stencil_problem::too_many_offsets;
            return;
        }
        offset[count++] = d;
    }
};

constexpr stencil_info failed(stencil_problem p) {
    stencil_info s{};
    s.problem = p;
    return s;
}

template <class E, std::size_t U>
constexpr stencil_info stencil_of();

template <class B>
constexpr bool static_bound = is_static_const<B>::value || std::is_same_v<B, end_t>;
template <std::intmax_t K>
constexpr bool static_bound<static_end_minus<K>> = true;

template <class B>
constexpr affine bound_at(affine length) {
    if constexpr (is_static_const<B>::value)
        return {static_cast<long>(B::num), 0};
    else if constexpr (std::is_same_v<B, end_t>)
        return length;
    else
        return []<std::intmax_t K>(static_end_minus<K>*, affine n) { return n - affine{static_cast<long>(K), 0}; }(
            static_cast<B*>(nullptr), length);
}

// Element-wise: the union of the operands' offsets, over operands of one length.
template <std::size_t U, class... Cs>
constexpr stencil_info joined() {
    stencil_info r{};
    stencil_info const parts[] = {stencil_of<Cs, U>()...};
    for (auto const& p : parts) {
        if (p.problem != stencil_problem::none) return p;
        if (p.sized) {
            if (r.sized && !(r.length == p.length)) return failed(stencil_problem::lengths_differ);
            r.sized = true;
            r.length = p.length;
        }
        r.depends = r.depends || p.depends;
        for (int k = 0; k < p.count; ++k) r.add(p.offset[k]);
    }
    return r;
}

// A concatenation along axis 0: each piece's offsets moved by where the piece starts.
template <std::size_t U, class... Cs>
constexpr stencil_info concatenated() {
    stencil_info r{};
    stencil_info const parts[] = {stencil_of<Cs, U>()...};
    affine at{};
    for (auto const& p : parts) {
        if (p.problem != stencil_problem::none) return p;
        if (!p.sized) return failed(stencil_problem::lengths_unknown);
        r.depends = r.depends || p.depends;
        for (int k = 0; k < p.count; ++k) r.add(p.offset[k] - at);
        at = at + p.length;
    }
    r.sized = true;
    r.length = at;
    return r;
}

template <class Op>
struct slice_traits {
    static constexpr bool is = false;
};
template <std::size_t A, class B, class E>
struct slice_traits<ops::slice_op<A, B, E>> {
    static constexpr bool is = true;
    static constexpr std::size_t axis = A;
    using begin = B;
    using end = E;
};
template <class Op>
inline constexpr long concat_axis = -1;
template <std::size_t A>
inline constexpr long concat_axis<ops::concat_op<A>> = static_cast<long>(A);

// A slice of axis 0 with bounds in the type: the operand's offsets moved by the begin.
template <class Op, std::size_t U, class C>
constexpr stencil_info sliced() {
    using S = slice_traits<Op>;
    if constexpr (S::axis != 0)
        return failed(stencil_problem::other_axis);
    else if constexpr (!static_bound<typename S::begin> || !static_bound<typename S::end>)
        return failed(stencil_problem::runtime_bounds);
    else {
        stencil_info const x = stencil_of<C, U>();
        if (x.problem != stencil_problem::none) return x;
        stencil_info r{};
        r.depends = true;
        r.sized = true;
        affine const b = bound_at<typename S::begin>(x.length), e = bound_at<typename S::end>(x.length);
        r.length = e - b;
        for (int k = 0; k < x.count; ++k) r.add(x.offset[k] + b);
        return r;
    }
}

template <class Op, std::size_t U, class... Cs>
constexpr stencil_info of_node() {
    if constexpr (requires { Op::shared_by_type; } && !array_operation<Op> && sizeof...(Cs) == 1)
        return stencil_of<Cs..., U>();  // a let
    else if constexpr (!array_operation<Op>)
        return joined<U, Cs...>();
    else {
        stencil_info const parts[] = {stencil_of<Cs, U>()...};
        bool any = false;
        for (auto const& p : parts) {
            if (p.problem != stencil_problem::none) return p;
            any = any || p.depends;
        }
        if (!any) return stencil_info{};  // of parameters only
        if constexpr (slice_traits<Op>::is)
            return sliced<Op, U, Cs...>();
        else if constexpr (concat_axis<Op> == 0)
            return concatenated<U, Cs...>();
        else if constexpr (concat_axis<Op> > 0)
            return failed(stencil_problem::other_axis);
        else
            return failed(stencil_problem::not_a_stencil);
    }
}

template <class E, std::size_t U>
constexpr stencil_info stencil_of() {
    if constexpr (is_var<E>::value) {
        stencil_info s{};
        if (E::slot == U) {
            s.depends = true;
            s.sized = true;
            s.length = {0, 1};
            s.add({0, 0});
        }
        return s;
    } else if constexpr (leaf<E>) {
        return stencil_info{};
    } else {
        return []<class... Cs>(typegrad::detail::type_list<Cs...>) {
            return of_node<typename E::op, U, Cs...>();
        }(typename E::children{});
    }
}

}  // namespace detail

/// The offsets a residual reads, from its type: lower and upper bandwidths, or the reason
/// it has none (detail::stencil_problem).
template <class F>
struct stencil_band {
    static constexpr detail::stencil_info info = [] {
        detail::stencil_info s = detail::stencil_of<F, 0>();
        if (s.problem != detail::stencil_problem::none) return s;
        if (!s.depends) return s;
        if (!(s.length == detail::affine{0, 1})) return detail::failed(detail::stencil_problem::wrong_length);
        for (int k = 0; k < s.count; ++k)
            if (s.offset[k].s != 0) return detail::failed(detail::stencil_problem::moving_offset);
        return s;
    }();
    static constexpr detail::stencil_problem problem = info.problem;
    static constexpr int lower = [] {
        int l = 0;
        for (int k = 0; k < info.count; ++k)
            if (-info.offset[k].c > l) l = static_cast<int>(-info.offset[k].c);
        return l;
    }();
    static constexpr int upper = [] {
        int u = 0;
        for (int k = 0; k < info.count; ++k)
            if (info.offset[k].c > u) u = static_cast<int>(info.offset[k].c);
        return u;
    }();
};

/// The banded Jacobian kind whose band F's type spans: lower + upper + 1 coloured passes
/// (typegrad/solvers.hpp, which needs Eigen, solves with it; this header does not).
template <class F>
constexpr banded_jacobian band_of(F const&) {
    using S = stencil_band<F>;
    using P = detail::stencil_problem;
    static_assert(S::problem != P::runtime_bounds,
                  "typegrad: band_of reads the band from the type: write the slices' bounds as 1_c and tg::end - 1_c, "
                  "not run-time integers");
    static_assert(S::problem != P::other_axis, "typegrad: band_of reads residuals of one axis: slice axis 0 only");
    static_assert(S::problem != P::not_a_stencil && S::problem != P::lengths_unknown,
                  "typegrad: band_of: an array operation of the unknowns other than tg::slice and tg::concat (a "
                  "matrix product, a reduction, a gather) makes the Jacobian's pattern depend on data");
    static_assert(S::problem != P::lengths_differ, "typegrad: band_of: element-wise operands of different lengths");
    static_assert(S::problem != P::too_many_offsets, "typegrad: band_of: more than 32 distinct offsets");
    static_assert(S::problem != P::moving_offset,
                  "typegrad: band_of: the residual reads unknowns at an offset that grows with n (a wrap-around), "
                  "so its Jacobian is not banded");
    static_assert(S::problem != P::wrong_length, "typegrad: band_of: the residual does not have one entry per unknown");
    return banded_jacobian{S::lower, S::upper};
}

}  // namespace typegrad::solvers
