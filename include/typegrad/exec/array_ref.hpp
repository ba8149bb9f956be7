// typegrad/exec/array_ref.hpp: arrays handed to the executors.
//
// An array_ref is a pointer, a compile-time rank (0 to 4) and run-time extents and
// strides, counted in elements, row-major by default. It owns nothing. The executors
// take array_refs, or anything `tg::view` turns into one: std::vector, std::span,
// std::array, or a pointer with extents. A plain number is an array of rank 0.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "../config.hpp"

namespace typegrad {

/// The largest rank an array may have.
inline constexpr std::size_t max_rank = 4;

/// A view of T elements with rank R: element (i0, ..., i_{R-1}) is at
/// data[i0 * stride[0] + ... + i_{R-1} * stride[R-1]]. T may be const.
template <class T, std::size_t R>
struct array_ref {
    static_assert(R <= max_rank, "typegrad: arrays have rank 4 at most");
    static_assert(std::is_arithmetic_v<std::remove_const_t<T>>, "typegrad: array elements must be numbers");
    using element_type = T;
    using value_type = std::remove_const_t<T>;
    static constexpr std::size_t rank = R;

    T* data = nullptr;
    std::array<std::ptrdiff_t, R> extent{};
    std::array<std::ptrdiff_t, R> stride{};

    /// Number of elements.
    constexpr std::ptrdiff_t size() const {
        std::ptrdiff_t n = 1;
        for (std::size_t d = 0; d != R; ++d) n *= extent[d];
        return n;
    }
    /// True when the elements lie row-major without gaps (strides of extent-1 dimensions do not matter).
    constexpr bool contiguous() const {
        std::ptrdiff_t expected = 1;
        for (std::size_t d = R; d-- > 0;) {
            if (extent[d] != 1 && stride[d] != expected) return false;
            expected *= extent[d];
        }
        return true;
    }
    /// A read-only view of the same elements.
    /// (A template, so that nvcc does not warn that array_ref<T const> has a conversion to itself.)
    template <class U>
        requires(std::is_same_v<U, T> && !std::is_const_v<U>)
    constexpr operator array_ref<U const, R>() const {
        return {data, extent, stride};
    }
};

/// Marks an output or a derivative the caller does not want.
struct skip_t {};
inline constexpr skip_t skip{};

namespace detail {

template <std::size_t R>
constexpr std::array<std::ptrdiff_t, R> row_major_strides(std::array<std::ptrdiff_t, R> const& extent) {
    std::array<std::ptrdiff_t, R> s{};
    std::ptrdiff_t step = 1;
    for (std::size_t d = R; d-- > 0;) {
        s[d] = step;
        step *= extent[d];
    }
    return s;
}

template <class... E>
constexpr std::array<std::ptrdiff_t, sizeof...(E)> checked_extents(E... e) {
    std::array<std::ptrdiff_t, sizeof...(E)> x{static_cast<std::ptrdiff_t>(e)...};
    for (auto v : x)
        if (v < 0) throw std::invalid_argument("typegrad: an array extent is negative (" + std::to_string(v) + ")");
    return x;
}

/// The number of elements of these extents (not negative); throws when it overflows std::ptrdiff_t.
template <std::size_t R>
constexpr std::ptrdiff_t checked_count(std::array<std::ptrdiff_t, R> const& extent) {
    std::ptrdiff_t n = 1;
    for (auto e : extent)
        if (e == 0) return 0;
    for (auto e : extent)
        if (__builtin_mul_overflow(n, e, &n)) {
            std::string x;
            for (auto v : extent) x += (x.empty() ? "" : ", ") + std::to_string(v);
            throw std::invalid_argument("typegrad: array extents (" + x +
                                        ") have a product (the element count) that overflows std::ptrdiff_t");
        }
    return n;
}

template <class T, std::size_t R>
constexpr void check_data(T* data, std::array<std::ptrdiff_t, R> const& extent) {
    std::ptrdiff_t const n = checked_count(extent);
    if (data == nullptr && n > 0)
        throw std::invalid_argument("typegrad: a null pointer was given for an array of " + std::to_string(n) +
                                    " elements");
}

}  // namespace detail

/// A row-major view of `extents...` elements at `data`: `tg::view(p, rows, cols)`.
template <class T, class... E>
    requires(std::is_arithmetic_v<std::remove_const_t<T>> && (std::is_integral_v<E> && ...) && sizeof...(E) <= max_rank)
constexpr array_ref<T, sizeof...(E)> view(T* data, E... extents) {
    auto const x = detail::checked_extents(extents...);
    detail::check_data(data, x);
    return {data, x, detail::row_major_strides(x)};
}

/// A view with explicit strides (in elements, may be zero; not negative).
template <class T, std::size_t R>
constexpr array_ref<T, R> strided_view(T* data, std::array<std::ptrdiff_t, R> const& extent,
                                       std::array<std::ptrdiff_t, R> const& stride) {
    for (std::size_t d = 0; d != R; ++d) {
        if (extent[d] < 0)
            throw std::invalid_argument("typegrad: an array extent is negative (" + std::to_string(extent[d]) +
                                        " on axis " + std::to_string(d) + ")");
        if (stride[d] < 0)
            throw std::invalid_argument("typegrad: negative strides are not supported (" + std::to_string(stride[d]) +
                                        " on axis " + std::to_string(d) + ")");
    }
    detail::check_data(data, extent);
    return {data, extent, stride};
}

/// Rank-1 views of standard containers; the view does not keep the container alive.
template <class T, class A>
constexpr array_ref<T, 1> view(std::vector<T, A>& v) {
    return {v.data(), {static_cast<std::ptrdiff_t>(v.size())}, {1}};
}
template <class T, class A>
constexpr array_ref<T const, 1> view(std::vector<T, A> const& v) {
    return {v.data(), {static_cast<std::ptrdiff_t>(v.size())}, {1}};
}
template <class T, std::size_t N>
constexpr array_ref<T, 1> view(std::span<T, N> s) {
    return {s.data(), {static_cast<std::ptrdiff_t>(s.size())}, {1}};
}
template <class T, std::size_t N>
constexpr array_ref<T, 1> view(std::array<T, N>& a) {
    return {a.data(), {static_cast<std::ptrdiff_t>(N)}, {1}};
}
template <class T, std::size_t N>
constexpr array_ref<T const, 1> view(std::array<T, N> const& a) {
    return {a.data(), {static_cast<std::ptrdiff_t>(N)}, {1}};
}
/// Customisation point for other array types (typegrad's CUDA buffers, thrust vectors,
/// Eigen objects in interop/eigen.hpp): a specialisation with `static auto view(C&)`
/// returning an array_ref makes tg::view, and so the executors, take C.
/// Specialisations may come after this header: they are looked up when used.
template <class C>
struct array_traits {};
template <class C>
    requires requires(C& c) { array_traits<std::remove_const_t<C>>::view(c); }
constexpr auto view(C& c) {
    return array_traits<std::remove_const_t<C>>::view(c);
}
/// A view is its own view.
template <class T, std::size_t R>
constexpr array_ref<T, R> view(array_ref<T, R> a) {
    return a;
}

/// A row-major view of the same elements with new extents (the element count must agree).
template <class T, std::size_t R, class... E>
    requires((std::is_integral_v<E> && ...) && sizeof...(E) <= max_rank)
constexpr array_ref<T, sizeof...(E)> reshape(array_ref<T, R> a, E... extents) {
    auto const from = std::apply([](auto... e) { return detail::checked_extents(e...); }, a.extent);
    std::ptrdiff_t const m = detail::checked_count(from);
    if (!a.contiguous()) throw std::invalid_argument("typegrad: only a contiguous array can be reshaped");
    auto const x = detail::checked_extents(extents...);
    std::ptrdiff_t const n = detail::checked_count(x);
    if (n != m)
        throw std::invalid_argument("typegrad: reshape to " + std::to_string(n) + " elements of an array of " +
                                    std::to_string(m));
    return {a.data, x, detail::row_major_strides(x)};
}

/// The transpose of a matrix view (no copy: the strides swap).
template <class T>
constexpr array_ref<T, 2> transposed(array_ref<T, 2> a) {
    return {a.data, {a.extent[1], a.extent[0]}, {a.stride[1], a.stride[0]}};
}

namespace detail {

/// What the executors accept as an array argument: anything tg::view takes.
template <class A>
concept viewable = requires(A& a) { typegrad::view(a); };

template <class A>
constexpr auto as_view(A& a) {
    return typegrad::view(a);
}

}  // namespace detail

}  // namespace typegrad
