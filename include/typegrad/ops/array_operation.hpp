// typegrad/ops/array_operation.hpp: the contract of an array operation, and the tags
// and helpers its rules use.
//
// An element-wise operation is a rule on numbers (`value`, `partials`; see
// core/operation.hpp). An array operation works on whole arrays: a matrix product, a
// reduction over an axis, a slice. Its node is one node of the graph whatever the
// arrays' sizes, and its rule is written once, for every mode:
//
//   struct my_op {
//       static constexpr bool array_operation = true;
//       static constexpr char const* name = "my_op";
//       // rank of the result from the operands' ranks (compile time; static_assert here)
//       template <std::size_t... R> static consteval std::size_t rank();
//       // shape of the result from the operands' shapes, or why they do not fit
//       tg::shape_result shape(tg::dims const&... operands) const;
//       // y = op(operands): y is a contiguous row-major array of the result's shape;
//       // operands are array_refs (any strides) of their element types
//       template <class T, std::size_t R, class... A> void value(tg::array_ref<T, R> y, A const&... a) const;
//       // adjoints: g_i += (dy/da_i)^T ybar, for each operand; g_i is a contiguous row-major
//       // array_ref<T, R_i> to add into, or tg::skip_t when that adjoint is not wanted
//       void vjp(ybar, y, a..., g...) const;
//       // tangents: ydot = sum_i (dy/da_i) t_i; t_i is an array_ref<T const, R_i> or tg::skip_t (zero)
//       void jvp(ydot, y, a..., t...) const;
//   };
//
// An operation that needs temporary memory (a convolution's im2col buffer) declares
// `uses_scratch = true` and `std::ptrdiff_t scratch(tg::dims const&... operands) const`,
// a count of elements of the computation's type; value, vjp and jvp then receive a
// last argument `T* scratch` to that many uninitialised elements, taken from the
// caller's workspace (so nothing is allocated once the workspace has grown) and valid
// only during that one call of the rule.
//
// Data members of the operation (slice bounds, extents) are its parameters: they
// are stored in the node, so they must be trivially copyable values, never
// references. A view operation (slice, transpose, reshape) computes nothing: it
// declares `view_operation = true` and maps an array_ref of its operand to the
// array_ref of its result (`view`); values and adjoints both go through that view.
#pragma once

#include <cstddef>
#include <type_traits>

#include "../core/apply.hpp"
#include "../exec/array_ref.hpp"
#include "../exec/broadcast.hpp"

namespace typegrad {

/// An axis known at compile time: `tg::sum(e, tg::axis<1>)`.
template <std::size_t K>
struct axis_t {
    static constexpr std::size_t value = K;
};
template <std::size_t K>
inline constexpr axis_t<K> axis{};

/// Keeps a reduced axis with extent 1: `tg::sum(e, tg::axis<1>, tg::keepdims)`.
struct keepdims_t {};
inline constexpr keepdims_t keepdims{};

template <class T>
inline constexpr bool is_axis = false;
template <std::size_t K>
inline constexpr bool is_axis<axis_t<K>> = true;

/// What an array operation's shape rule gives: the result's shape, or a reason
/// (a static string) why the operands do not fit. The executor builds the message,
/// with the operation as to_string prints it and every operand's shape.
struct shape_result {
    dims shape{};
    char const* error = nullptr;
};
constexpr shape_result shape_ok(dims const& d) { return {d, nullptr}; }
constexpr shape_result shape_mismatch(char const* why) { return {dims{}, why}; }

/// An operation on whole arrays (it declares `array_operation = true`).
template <class Op>
concept array_operation = requires { requires Op::array_operation; };

/// An array operation that takes scratch memory from the workspace (`uses_scratch = true`).
template <class Op>
concept scratch_operation = array_operation<Op> && requires { requires Op::uses_scratch; };

/// An array operation whose result is a view of its one operand (no computation).
template <class Op>
concept view_operation = array_operation<Op> && requires { requires Op::view_operation; };

template <class G>
inline constexpr bool wanted = !std::is_same_v<std::remove_cvref_t<G>, skip_t>;

/// A shape from its extents: `tg::make_dims(n, m)`.
template <class... E>
constexpr dims make_dims(E... e) {
    dims d;
    d.rank = sizeof...(E);
    std::size_t k = 0;
    ((d.extent[k++] = static_cast<std::ptrdiff_t>(e)), ...);
    return d;
}

/// Element (i...) of an array_ref (any strides).
template <class T, std::size_t R, class... I>
TYPEGRAD_HOST_DEVICE constexpr T& at(array_ref<T, R> const& a, I... i) {
    static_assert(sizeof...(I) == R, "typegrad: at() needs one index per axis");
    std::ptrdiff_t off = 0;
    std::size_t d = 0;
    ((off += static_cast<std::ptrdiff_t>(i) * a.stride[d++]), ...);
    return a.data[off];
}

namespace detail {

/// Calls f(offset_in_a, flat_index) for every element of a, in row-major order.
template <class T, std::size_t R, class F>
void for_each_offset(array_ref<T, R> const& a, F const& f) {
    if constexpr (R == 0) {
        f(std::ptrdiff_t{0}, std::ptrdiff_t{0});
    } else {
        std::ptrdiff_t const n = a.size();
        if (n == 0) return;
        if (a.contiguous()) {
            for (std::ptrdiff_t e = 0; e < n; ++e) f(e, e);
            return;
        }
        std::ptrdiff_t idx[R] = {};
        std::ptrdiff_t off = 0;
        for (std::ptrdiff_t e = 0; e < n; ++e) {
            f(off, e);
            for (std::size_t d = R; d-- > 0;) {
                off += a.stride[d];
                if (++idx[d] < a.extent[d]) break;
                off -= idx[d] * a.stride[d];
                idx[d] = 0;
            }
        }
    }
}

/// Calls f(offset_in_a, offset_in_b) for every element of two arrays of one shape, in row-major order.
template <class T, class U, std::size_t R, class F>
void walk_pair(array_ref<T, R> const& a, array_ref<U, R> const& b, F const& f) {
    if constexpr (R == 0) {
        f(std::ptrdiff_t{0}, std::ptrdiff_t{0});
    } else {
        std::ptrdiff_t const n = a.size();
        if (n == 0) return;
        if (a.contiguous() && b.contiguous()) {
            for (std::ptrdiff_t e = 0; e < n; ++e) f(e, e);
            return;
        }
        std::ptrdiff_t idx[R] = {};
        std::ptrdiff_t oa = 0, ob = 0;
        for (std::ptrdiff_t e = 0; e < n; ++e) {
            f(oa, ob);
            for (std::size_t d = R; d-- > 0;) {
                oa += a.stride[d];
                ob += b.stride[d];
                if (++idx[d] < a.extent[d]) break;
                oa -= idx[d] * a.stride[d];
                ob -= idx[d] * b.stride[d];
                idx[d] = 0;
            }
        }
    }
}

}  // namespace detail

/// Applies an operation to operands (expressions or numbers): the public form of what
/// every built-in function does. On numbers an element-wise operation computes its
/// value; on expressions it builds a node. An operation with parameters is passed as
/// an object: `tg::apply(my_slice{1, 3}, x)`.
template <class Op, class... X>
TYPEGRAD_HOST_DEVICE constexpr auto apply(X const&... x) {
    static_assert(array_operation<Op> || elementwise_operation<Op, sizeof...(X)>,
                  "typegrad: tg::apply<Op> needs an operation: a struct with a name, and value and partials taking "
                  "as many operands as were given (core/operation.hpp), or an array operation "
                  "(ops/array_operation.hpp)");
    if constexpr (array_operation<Op>)
        return make_node<Op>(detail::as_expression(x)...);
    else
        return detail::apply<Op>(x...);
}
template <class Op, class... X>
    requires(std::is_class_v<Op> && (typegrad_expression_or_number<X> && ...))
constexpr auto apply(Op const& op, X const&... x) {
    return make_node_with(op, detail::as_expression(x)...);
}

}  // namespace typegrad
