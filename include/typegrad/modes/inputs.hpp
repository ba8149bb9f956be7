// typegrad/modes/inputs.hpp: turning what users pass into a point and an expression.
//
// A point is one number per input variable: separate arguments or a std::array.
// Integers are converted to double; float stays float; mixed types take their
// common type. A function is an expression or a callable: a callable is called
// once with the input variables (var<0>, var<1>, ...) and its result is the
// expression, so generic code written for double works unchanged.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../core/apply.hpp"
#include "../core/graph.hpp"
#include "../core/var.hpp"

namespace typegrad {

/// Mode tags: `tg::gradient<tg::forward>(f, x, y)`.
struct forward {};
struct reverse {};

template <class M>
concept mode = std::is_same_v<M, forward> || std::is_same_v<M, reverse>;

/// How to read a point type (a fixed number of coordinates). Specialised for
/// std::array and std::span with a static extent; interop headers add others.
template <class P>
struct point_traits {};
template <class A, std::size_t N>
struct point_traits<std::array<A, N>> {
    using value_type = A;
    static constexpr std::size_t size = N;
    static constexpr A const& get(std::array<A, N> const& p, std::size_t i) { return p[i]; }
};
template <class A, std::size_t N>
    requires(N != std::dynamic_extent)
struct point_traits<std::span<A, N>> {
    using value_type = std::remove_const_t<A>;
    static constexpr std::size_t size = N;
    static constexpr A& get(std::span<A, N> const& p, std::size_t i) { return p[i]; }
};

/// A point: a type with point_traits (std::array, std::span<T, N>, an Eigen fixed-size vector, ...).
template <class P>
concept point = requires { point_traits<std::remove_cvref_t<P>>::size; };

namespace detail {

template <class X>
constexpr bool check_argument() {
    static_assert(!expression<X>,
                  "typegrad: an expression was passed where a number is required; the point at which to "
                  "evaluate must be numbers (evaluate the expression first with tg::value)");
    constexpr bool sized_at_run_time = requires(X const& x) {
        x.size();
        x.data();
    } && !requires(X const& x) { x.c_str(); };  // strings are refused as what they are
    static_assert(!sized_at_run_time || expression<X> || scalar<X>,
                  "typegrad: a point needs its number of coordinates in its type: give std::array<double, N> or "
                  "std::span<const double, N>, not a std::vector or another range sized at run time (to evaluate "
                  "over arrays of data, bind them to the variables of an array program)");
    static_assert(sized_at_run_time || expression<X> || scalar<X>,
                  "typegrad: the point at which to evaluate must be numbers (arithmetic types, or types "
                  "registered with typegrad::is_scalar)");
    return true;
}

template <class P>
inline constexpr bool is_dynamic_span = false;
template <class A>
inline constexpr bool is_dynamic_span<std::span<A, std::dynamic_extent>> = true;

template <class P>
TYPEGRAD_HOST_DEVICE constexpr auto point_from(P const& point) {
    using traits = point_traits<P>;
    using A = typename traits::value_type;
    static_assert(check_argument<A>());
    using T = number_type<A>;
    std::array<T, traits::size> p{};
    for (std::size_t i = 0; i < traits::size; ++i) p[i] = static_cast<T>(traits::get(point, i));
    return p;
}

/// The point as an array of the common (promoted) number type: separate numbers,
/// or one point object (std::array, std::span<T, N>, ...).
template <class... Args>
TYPEGRAD_HOST_DEVICE constexpr auto make_point(Args const&... args) {
    if constexpr (sizeof...(Args) == 1 && (point<Args> && ...)) {
        return point_from(args...);
    } else {
        static_assert(!(is_dynamic_span<Args> || ...),
                      "typegrad: a point given as a std::span needs a static extent (std::span<const double, N>), "
                      "because the number of inputs is part of the expression's type");
        static_assert((check_argument<Args>() && ...));
        if constexpr ((scalar<Args> && ...)) {
            using T = number_type<Args...>;
            return std::array<T, sizeof...(Args)>{static_cast<T>(args)...};
        } else
            return std::array<double, sizeof...(Args)>{};
    }
}

template <class F, class Seq>
struct invocable_with_vars;
template <class F, std::size_t... I>
struct invocable_with_vars<F, std::index_sequence<I...>> : std::is_invocable<F const&, var<I>...> {};

/// Is F a tg::outputs pack?
template <class F>
inline constexpr bool has_several_outputs = std::is_same_v<typename node_op<F>::type, ops::outputs>;

template <class T>
struct is_outputs : std::bool_constant<has_several_outputs<T>> {};

template <class T>
struct is_tuple_like_outputs : std::false_type {};
template <class... Es>
struct is_tuple_like_outputs<std::tuple<Es...>> : std::bool_constant<((operand<Es>) && ...)> {};
template <class E, std::size_t M>
struct is_tuple_like_outputs<std::array<E, M>> : std::bool_constant<operand<E> && (M > 0)> {};

template <class R>
inline constexpr bool is_vector_function_result = is_outputs<R>::value || is_tuple_like_outputs<R>::value;

// What function_body gives where the function could not be called, or returned nothing:
// after the check that says so, its callers add no error of their own.
struct uncallable_function {};
struct void_function {};

/// The one place where a function becomes expressions: f itself when it is an expression
/// (by reference), a tg::outputs pack, a std::tuple or std::array of them; otherwise the
/// callable f called with variables 0..N-1. Its callers read the result as one output
/// (to_expression), several (to_outputs) or either (the executors' output_pack).
template <std::size_t N, class F>
TYPEGRAD_HOST_DEVICE constexpr decltype(auto) function_body(F const& f) {
    if constexpr (expression<F> || is_tuple_like_outputs<F>::value)
        return f;
    else {
        static_assert(invocable_with_vars<F, std::make_index_sequence<N>>::value,
                      "typegrad: the function cannot be called with as many typegrad variables as the point has "
                      "coordinates (or as the call has inputs); give one number or array per parameter of the "
                      "callable");
        if constexpr (!invocable_with_vars<F, std::make_index_sequence<N>>::value)
            return uncallable_function{};
        else if constexpr ([]<std::size_t... I>(std::index_sequence<I...>) {
                               return std::is_void_v<std::invoke_result_t<F const&, var<I>...>>;
                           }(std::make_index_sequence<N>{}))
            return void_function{};
        else
            return [&]<std::size_t... I>(std::index_sequence<I...>) {
                return f(var<I>{}...);
            }(std::make_index_sequence<N>{});
    }
}

/// The type function_body gives, without the checks (where F may not be callable).
template <std::size_t N, class F>
using function_body_type = std::remove_cvref_t<decltype(function_body<N>(std::declval<F const&>()))>;

/// Does f, an expression or a callable of N variables, give several outputs?
template <class F, std::size_t N>
constexpr bool several_outputs_at() {
    if constexpr (expression<F> || is_tuple_like_outputs<F>::value ||
                  invocable_with_vars<F, std::make_index_sequence<N>>::value)
        return is_vector_function_result<function_body_type<N, F>>;
    else
        return false;
}

/// The expression of f for a point of N inputs: one output. An expression is returned by
/// reference (decltype(auto)), so that passes run per element read it in place instead of
/// copying it, which would keep their loops from vectorising.
template <std::size_t N, class F>
TYPEGRAD_HOST_DEVICE constexpr decltype(auto) to_expression(F const& f) {
    decltype(auto) r = function_body<N>(f);
    using R = std::remove_cvref_t<decltype(r)>;
    static_assert(!is_vector_function_result<R>,
                  "typegrad: this function has several outputs; use tg::jacobian, tg::vjp or tg::jvp for it");
    static_assert(is_vector_function_result<R> || expression<R> || scalar<R> ||
                      std::is_same_v<R, uncallable_function>,
                  "typegrad: the callable must return a number or a typegrad expression");
    if constexpr (expression<R> && !is_vector_function_result<R>)
        return r;
    else if constexpr (scalar<R>)
        return runtime_const<R>{r};
    else
        return static_const<0>{};
}

/// Checks that the expression uses no variable beyond the N inputs given.
template <class G, std::size_t N>
constexpr bool check_inputs() {
    static_assert(G::slots <= N,
                  "typegrad: the expression uses an input variable whose index is not less than the number of "
                  "inputs given; pass one number per input variable");
    return true;
}

}  // namespace detail
}  // namespace typegrad
