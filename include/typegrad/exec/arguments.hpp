// typegrad/exec/arguments.hpp: what the array executors (CPU and CUDA) accept, and
// the checks made before anything is written.
//
//   inputs     one per input variable: a number, or an array (tg::view of a
//              pointer and extents, a std::vector, std::span, std::array, an
//              array_ref); numbers and arrays broadcast as in NumPy.
//   outputs    tg::map: an array per output of the function (a std::tuple of them,
//              e.g. std::tie(y1, y2), for several), with the broadcast shape.
//   partials   tg::with_partials(values, d0, d1, ...) for one output: d_i gets
//              dy/dx_i element by element; for several outputs one std::tuple
//              (std::tie) of n entries per output. tg::skip where not wanted.
//   gradient   tg::gradient_to(g0, g1, ...): one entry per input, each an array of
//              that input's shape, a number (T&) for a scalar input, or tg::skip.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../core/apply.hpp"
#include "array_ref.hpp"
#include "broadcast.hpp"
#include "validate.hpp"

namespace typegrad {

template <class... Sinks>
struct gradient_sinks {
    std::tuple<Sinks...> sinks;
};

template <class Values, class... Rows>
struct partial_sinks {
    using is_partial_sinks = void;
    Values values;
    std::tuple<Rows...> rows;
};

namespace detail {

template <class T>
struct is_std_tuple : std::false_type {};
template <class... Ts>
struct is_std_tuple<std::tuple<Ts...>> : std::true_type {};

template <class T>
inline constexpr bool is_skip = std::is_same_v<std::remove_cvref_t<T>, skip_t>;

/// A sink that is an array (not tg::skip, not a number).
template <class S>
inline constexpr bool is_array_sink = !is_skip<S> && !std::is_pointer_v<S>;

/// A writable array, a writable number or tg::skip, as stored by the sinks.
template <class S>
constexpr auto to_sink(S&& s) {
    using U = std::remove_reference_t<S>;
    if constexpr (is_skip<S>)
        return skip_t{};
    else if constexpr (std::is_arithmetic_v<U>) {
        static_assert(!std::is_const_v<U> && std::is_lvalue_reference_v<S&&>,
                      "typegrad: the gradient of a scalar input is written to a number: pass a non-const variable");
        return static_cast<U*>(&s);
    } else {
        static_assert(viewable<U>,
                      "typegrad: an output must be an array (tg::view, std::vector, std::span, std::array), a "
                      "number for a scalar input's gradient, or tg::skip");
        if constexpr (viewable<U>) {
            auto v = as_view(s);
            static_assert(!std::is_const_v<typename decltype(v)::element_type>,
                          "typegrad: an output array must be writable (it is const here)");
            return v;
        } else
            return skip_t{};
    }
}

template <class S>
using sink_t = decltype(to_sink(std::declval<S>()));

template <class R>
constexpr auto to_sink_row(R&& r) {
    if constexpr (is_std_tuple<std::remove_cvref_t<R>>::value)
        return std::apply([](auto&&... s) { return std::tuple{to_sink(std::forward<decltype(s)>(s))...}; }, r);
    else
        return std::tuple{to_sink(std::forward<R>(r))};
}

/// An input as a read-only array (a number is an array of rank 0).
template <class X>
constexpr auto to_input(X const& x) {
    if constexpr (std::is_arithmetic_v<X>) {
        static_assert(!std::is_same_v<X, bool>, "typegrad: an input must be a number or an array of numbers");
        return array_ref<X const, 0>{&x, {}, {}};
    } else {
        static_assert(viewable<X const>,
                      "typegrad: an input must be a number or an array (tg::view of a pointer and extents, "
                      "std::vector, std::span, std::array)");
        if constexpr (viewable<X const>) {
            auto const v = as_view(x);
            using E = std::remove_const_t<typename decltype(v)::element_type>;
            return array_ref<E const, decltype(v)::rank>(v);
        } else
            return array_ref<double const, 0>{};
    }
}

template <class A>
using element_of = std::remove_const_t<typename A::element_type>;

/// The number type a computation over these inputs runs in (integers count as double).
template <class... Inputs>
using computation_type = number_type<element_of<Inputs>...>;

inline std::string argument_name(char const* kind, std::size_t i) {
    return std::string(kind) + " " + std::to_string(i);
}

[[noreturn]] inline void shape_error(argument_label const& what, dims const& got, dims const& expected,
                                     char const* why) {
    throw std::invalid_argument("typegrad: " + to_string(what) + " has shape " + to_string(got) + ", expected " +
                                to_string(expected) + " (" + why + ")");
}

/// Checks a sink (if it is an array) against the shape it must have. `what` and `why` are
/// put into words only when the check fails.
template <class T, class S>
void check_sink(S const& s, dims const& expected, argument_label const& what, char const* why) {
    if constexpr (is_skip<S>) {
    } else if constexpr (std::is_pointer_v<S>) {
        static_assert(std::is_same_v<std::remove_cv_t<std::remove_pointer_t<S>>, T>,
                      "typegrad: a number that receives a gradient must have the computation's type (the common "
                      "type of the inputs)");
        if (expected.rank != 0)
            throw std::invalid_argument("typegrad: " + to_string(what) + " is a number, but the input has shape " +
                                        to_string(expected) + "; pass an array of that shape");
    } else {
        static_assert(std::is_same_v<typename S::value_type, T>,
                      "typegrad: an output array must have the computation's element type (the common type of "
                      "the inputs)");
        if (!(array_shape(s) == expected)) shape_error(what, array_shape(s), expected, why);
    }
}

}  // namespace detail

/// Where tg::sum / tg::mean write the gradient: one entry per input, in input order.
template <class... S>
constexpr auto gradient_to(S&&... s) {
    return gradient_sinks<detail::sink_t<S>...>{{detail::to_sink(std::forward<S>(s))...}};
}

/// Values and element-wise partials for tg::map: `with_partials(y, dy_dx0, dy_dx1)`
/// for one output; `with_partials(std::tie(y1, y2), std::tie(d1...), std::tie(d2...))`
/// for several. tg::skip for anything not wanted.
template <class V, class... R>
constexpr auto with_partials(V&& values, R&&... rows) {
    auto v = detail::to_sink_row(std::forward<V>(values));
    if constexpr (detail::is_std_tuple<std::remove_cvref_t<V>>::value) {
        static_assert(((detail::is_std_tuple<std::remove_cvref_t<R>>::value) && ...),
                      "typegrad: with several outputs, give the partials of each output as one std::tuple "
                      "(std::tie(...)) of one entry per input");
        return partial_sinks<decltype(v), decltype(detail::to_sink_row(std::forward<R>(rows)))...>{
            v, {detail::to_sink_row(std::forward<R>(rows))...}};
    } else {
        using row = std::tuple<detail::sink_t<R>...>;
        return partial_sinks<decltype(v), row>{v, {row{detail::to_sink(std::forward<R>(rows))...}}};
    }
}

}  // namespace typegrad
