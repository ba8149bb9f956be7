// typegrad/modes/outputs.hpp: functions with several outputs.
//
// A vector function is given as tg::outputs(e1, e2, ...), a std::tuple of
// expressions (or numbers), a std::array of expressions, or a callable returning
// one of those. All outputs are evaluated over one graph, so what they share is
// computed once.
#pragma once

#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../core/apply.hpp"
#include "../core/graph.hpp"
#include "inputs.hpp"

namespace typegrad {

/// Several outputs of one function, evaluated over one shared graph.
template <class... Es>
    requires(sizeof...(Es) > 0 && (operand<Es> && ...))
constexpr auto outputs(Es const&... es) {
    return make_node<ops::outputs>(detail::as_expression(es)...);
}

namespace detail {

template <class T>
struct is_outputs : std::false_type {};
template <class... Es>
struct is_outputs<node<ops::outputs, Es...>> : std::true_type {};

template <class T>
struct is_tuple_like_outputs : std::false_type {};
template <class... Es>
struct is_tuple_like_outputs<std::tuple<Es...>> : std::bool_constant<((operand<Es>) && ...)> {};
template <class E, std::size_t M>
struct is_tuple_like_outputs<std::array<E, M>> : std::bool_constant<operand<E> && (M > 0)> {};

/// Several outputs as a tg::outputs pack.
template <class R>
constexpr auto as_outputs(R const& r) {
    if constexpr (is_outputs<R>::value)
        return r;
    else
        return std::apply([](auto const&... es) { return typegrad::outputs(es...); }, r);
}

template <class R>
inline constexpr bool is_vector_function_result = is_outputs<R>::value || is_tuple_like_outputs<R>::value;

/// The outputs pack of f for a point of N inputs.
template <std::size_t N, class F>
constexpr auto to_outputs(F const& f) {
    static_assert(!expression<F> || is_outputs<F>::value,
                  "typegrad: a Jacobian needs a function with several outputs: tg::outputs(...), a std::tuple "
                  "or std::array of expressions, or a callable returning one of those");
    if constexpr (is_vector_function_result<F>)
        return detail::as_outputs(f);
    else if constexpr (expression<F>)
        return typegrad::outputs(static_const<0>{});
    else {
        static_assert(invocable_with_vars<F, std::make_index_sequence<N>>::value,
                      "typegrad: the function cannot be called with as many typegrad variables as the point has "
                      "coordinates; give one number per parameter of the callable");
        if constexpr (invocable_with_vars<F, std::make_index_sequence<N>>::value) {
            static_assert(!returns_void<F, N>(), "typegrad: a Jacobian needs a function with several outputs: tg::outputs(...), a std::tuple "
                          "or std::array of expressions, or a callable returning one of those");
            if constexpr (returns_void<F, N>())
                return typegrad::outputs(static_const<0>{});
            else {
                auto const r = [&]<std::size_t... I>(std::index_sequence<I...>) {
                    return f(var<I>{}...);
                }(std::make_index_sequence<N>{});
                using R = std::remove_cvref_t<decltype(r)>;
                static_assert(is_vector_function_result<R>,
                              "typegrad: a Jacobian needs a function with several outputs: tg::outputs(...), a std::tuple "
                              "or std::array of expressions, or a callable returning one of those");
                if constexpr (is_vector_function_result<R>)
                    return detail::as_outputs(r);
                else
                    return typegrad::outputs(static_const<0>{});
            }
        } else
            return typegrad::outputs(static_const<0>{});
    }
}

template <class P>
inline constexpr std::size_t output_count = 0;
template <class... Es>
inline constexpr std::size_t output_count<node<ops::outputs, Es...>> = sizeof...(Es);

}  // namespace detail
}  // namespace typegrad
