// typegrad/ops/slice.hpp: tg::slice, a contiguous range of one axis, as a view.
//
//   tg::slice(x, 1, tg::end)          x[1:]
//   tg::slice(x, 0, tg::end - 1)      x[:-1]
//   tg::slice(x, tg::axis<1>, 2, 5)   x[:, 2:5]
//   tg::slice(x, 1_c, tg::end - 1_c)  the same with bounds known at compile time
//
// Bounds are counted from the start, or from the end with tg::end; plain integers are
// run-time bounds (stored in the node), `1_c` and `tg::end - 1_c` are compile-time
// bounds (in the type, so a stencil's offsets are visible to the compiler). Bounds
// must satisfy 0 <= begin <= end <= extent; negative integers are refused (write
// tg::end - k). A slice computes nothing: its value is a view of its operand, and its
// adjoint is the same view of its operand's adjoint.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>

#include "array_operation.hpp"

namespace typegrad {

/// The end of an axis: `tg::slice(x, 1, tg::end)`.
struct end_t {};
inline constexpr end_t end{};

/// `tg::end - k` with k known at run time.
struct end_minus {
    std::ptrdiff_t k;
};
/// `tg::end - k_c` with k known at compile time.
template <std::intmax_t K>
struct static_end_minus {};

template <std::integral I>
constexpr end_minus operator-(end_t, I k) {
    return {static_cast<std::ptrdiff_t>(k)};
}
template <std::intmax_t K>
constexpr static_end_minus<K> operator-(end_t, static_const<K, 1>) {
    return {};
}

namespace detail {

template <class B>
inline constexpr bool is_slice_bound =
    std::is_integral_v<B> || std::is_same_v<B, end_t> || std::is_same_v<B, end_minus>;
template <std::intmax_t K>
inline constexpr bool is_slice_bound<static_end_minus<K>> = true;
template <std::intmax_t K>
inline constexpr bool is_slice_bound<static_const<K, 1>> = true;

/// A bound as stored in the slice: integers become std::ptrdiff_t.
template <class B>
using stored_bound = std::conditional_t<std::is_integral_v<B>, std::ptrdiff_t, B>;

/// The position a bound names on an axis of the given extent.
template <class B>
constexpr std::ptrdiff_t resolve_bound(B const& b, std::ptrdiff_t extent) {
    if constexpr (std::is_same_v<B, std::ptrdiff_t>)
        return b;
    else if constexpr (std::is_same_v<B, end_t>)
        return extent;
    else if constexpr (std::is_same_v<B, end_minus>)
        return extent - b.k;
    else if constexpr (is_static_const<B>::value)
        return static_cast<std::ptrdiff_t>(B::num);
    else
        return [&]<std::intmax_t K>(static_end_minus<K>) { return extent - static_cast<std::ptrdiff_t>(K); }(b);
}

template <class B>
std::string bound_text(B const& b) {
    if constexpr (std::is_same_v<B, std::ptrdiff_t>)
        return std::to_string(b);
    else if constexpr (std::is_same_v<B, end_t>)
        return "end";
    else if constexpr (std::is_same_v<B, end_minus>)
        return "end - " + std::to_string(b.k);
    else if constexpr (is_static_const<B>::value)
        return std::to_string(B::num) + "_c";
    else
        return [&]<std::intmax_t K>(static_end_minus<K>) { return "end - " + std::to_string(K) + "_c"; }(b);
}

}  // namespace detail

namespace ops {

template <std::size_t Axis, class Begin, class End>
struct slice_op {
    static constexpr bool array_operation = true;
    static constexpr bool view_operation = true;
    static constexpr char const* name = "slice";
    [[no_unique_address]] Begin begin{};
    [[no_unique_address]] End end{};

    template <std::size_t R>
    static consteval std::size_t rank() {
        static_assert(Axis < R, "typegrad: tg::slice needs an operand with the sliced axis (rank greater than the axis)");
        return R;
    }

    shape_result shape(dims const& a) const {
        std::ptrdiff_t const b = detail::resolve_bound(begin, a.extent[Axis]);
        std::ptrdiff_t const e = detail::resolve_bound(end, a.extent[Axis]);
        if (b < 0 || e < b || e > a.extent[Axis])
            return shape_mismatch("the slice bounds are out of range (0 <= begin <= end <= extent)");
        dims r = a;
        r.extent[Axis] = e - b;
        return shape_ok(r);
    }

    template <class E, std::size_t R>
    array_ref<E, R> view(array_ref<E, R> const& a, dims const&) const {
        array_ref<E, R> v = a;
        std::ptrdiff_t const b = detail::resolve_bound(begin, a.extent[Axis]);
        std::ptrdiff_t const e = detail::resolve_bound(end, a.extent[Axis]);
        v.data = a.data + b * a.stride[Axis];
        v.extent[Axis] = e - b;
        return v;
    }

    std::string parameters() const {
        std::string s = Axis == 0 ? "" : "axis=" + std::to_string(Axis) + ", ";
        return s + detail::bound_text(begin) + ", " + detail::bound_text(end);
    }
};

}  // namespace ops

/// The elements begin..end (end excluded) of axis 0 of an array expression.
template <class X, class B, class E>
    requires(expression<X> && detail::is_slice_bound<B> && detail::is_slice_bound<E>)
constexpr auto slice(X const& x, B b, E e) {
    using op = ops::slice_op<0, detail::stored_bound<B>, detail::stored_bound<E>>;
    return make_node_with(op{static_cast<detail::stored_bound<B>>(b), static_cast<detail::stored_bound<E>>(e)}, x);
}
/// The elements begin..end of axis K.
template <class X, std::size_t K, class B, class E>
    requires(expression<X> && detail::is_slice_bound<B> && detail::is_slice_bound<E>)
constexpr auto slice(X const& x, axis_t<K>, B b, E e) {
    using op = ops::slice_op<K, detail::stored_bound<B>, detail::stored_bound<E>>;
    return make_node_with(op{static_cast<detail::stored_bound<B>>(b), static_cast<detail::stored_bound<E>>(e)}, x);
}

}  // namespace typegrad
