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

/// Several outputs as a tg::outputs pack.
template <class R>
constexpr auto as_outputs(R const& r) {
    if constexpr (is_outputs<R>::value)
        return r;
    else
        return std::apply([](auto const&... es) { return typegrad::outputs(es...); }, r);
}

/// The outputs pack of f for a point of N inputs: several outputs.
template <std::size_t N, class F>
constexpr auto to_outputs(F const& f) {
    decltype(auto) r = function_body<N>(f);
    using R = std::remove_cvref_t<decltype(r)>;
    static_assert(is_vector_function_result<R> || std::is_same_v<R, uncallable_function>,
                  "typegrad: a Jacobian needs a function with several outputs: tg::outputs(...), a std::tuple "
                  "or std::array of expressions, or a callable returning one of those");
    if constexpr (is_vector_function_result<R>)
        return detail::as_outputs(r);
    else
        return typegrad::outputs(static_const<0>{});
}

template <class P>
inline constexpr std::size_t output_count = 0;
template <class... Es>
inline constexpr std::size_t output_count<node<ops::outputs, Es...>> = sizeof...(Es);

}  // namespace detail
}  // namespace typegrad
