// typegrad/ops/contraction.hpp: tg::dot, a sum over the last axis of two arrays.
//
// dot(a, b) = sum_k a[..., k] b[..., k]. It is a node of the expression like any
// other, but its operands are arrays with one axis more than the elements the
// expression is evaluated at, so only the array executors (tg::map, tg::sum,
// tg::mean) evaluate it: they compute the sums before the element-wise passes and
// send the adjoints back through them (da[..., k] = b[..., k], db = a). Both
// operands must be input variables. A matrix-vector product A x is dot(A, x) over
// the rows of A; w^T X is dot(w, transposed(X)) over the columns of X.
#pragma once

#include <type_traits>

#include "../core/expression.hpp"
#include "../core/tuple.hpp"
#include "../core/var.hpp"

namespace typegrad {

namespace detail {
template <class>
inline constexpr bool contraction_needs_array_executor = false;
}  // namespace detail

namespace ops {
struct dot_op {
    static constexpr char const* name = "dot";
    template <class A, class B>
    TYPEGRAD_HOST_DEVICE static A value(A const& a, B const&) {
        static_assert(detail::contraction_needs_array_executor<A>,
                      "typegrad: tg::dot contracts an axis of two arrays, so an expression that uses it is "
                      "evaluated over arrays by tg::map, tg::sum or tg::mean, not at a single point");
        return a;
    }
    // d/da = b and d/db = a, axis by axis; the executors apply this themselves.
    template <class A, class B, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const& a, B const& b, Y const&) {
        static_assert(detail::contraction_needs_array_executor<A>,
                      "typegrad: tg::dot contracts an axis of two arrays, so an expression that uses it is "
                      "differentiated over arrays by tg::sum or tg::mean, not at a single point");
        return typegrad::partials(b, a);
    }
};
}  // namespace ops

/// The sum over the last axis of the arrays bound to two input variables.
template <class A, class B>
constexpr auto dot(A const&, B const&) {
    static_assert(variable<A> && variable<B>,
                  "typegrad: tg::dot takes two input variables (the arrays whose last axis it contracts), not "
                  "expressions or numbers");
    if constexpr (variable<A> && variable<B>)
        return node<ops::dot_op, std::remove_cvref_t<A>, std::remove_cvref_t<B>>{};
    else
        return var<0>{};
}

namespace detail {
template <class T>
inline constexpr bool is_dot_node = false;
template <class A, class B>
inline constexpr bool is_dot_node<node<ops::dot_op, A, B>> = true;
}  // namespace detail

}  // namespace typegrad
