// typegrad/exec/cpu_reduce.hpp: tg::sum and tg::mean of a function over arrays, with
// the gradient by reverse mode in the same loop.
//
//   double L = tg::sum(loss, x, w, 0.5);                            // the value
//   double L = tg::sum(loss, tg::gradient_to(gx, gw, gb), x, w, b); // and dL/d(every input)
//
// These are the array-program calls tg::value(tg::sum(f), ...) and
// tg::gradient(tg::sum(f), tg::gradient_to(...), ...) under shorter names: the
// gradient entry of an input has that input's shape; a number input (T&) or a
// broadcast array gets the adjoints summed over the elements it was stretched over.
// The sum of no elements is 0 and their mean NaN.
#pragma once

#include "cpu_common.hpp"
#include "program/api.hpp"
#include "program/pointwise.hpp"

namespace typegrad {

namespace ops {
/// Its first operand, over the broadcast shape of both: the second gives only its shape
/// (and gets no derivative). See detail::over_all_inputs.
struct over_shape_of {
    static constexpr char const* name = "over_shape_of";
    template <class A, class B>
    TYPEGRAD_HOST_DEVICE static constexpr auto value(A const& a, B const&) {
        return a;
    }
    template <class A, class B, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const&, B const&, Y const&) {
        return typegrad::partials(static_const<1>{}, static_const<0>{});
    }
};
}  // namespace ops

namespace detail {
/// tg::sum and tg::mean of an element-wise function run over the broadcast of all their
/// inputs, as tg::map does, whether or not the function reads each one: every input joins
/// the expression through over_shape_of, which gives its first operand and takes only the
/// shape of its second. (An input whose shape does not fit is then refused by the
/// evaluator; one of no elements makes the sum 0 and the mean NaN.) With array operations
/// inside, such as tg::dot, each operation checks its own operands instead.
template <class E>
auto over_all_inputs(E const& e) {
    return e;
}
template <class E, class V, class... Vs>
auto over_all_inputs(E const& e, V const& v, Vs const&... vs) {
    return over_all_inputs(make_node<ops::over_shape_of>(e, v), vs...);
}

template <bool Mean, std::size_t N, class F>
auto reduction_of(F const& f) {
    auto const body = to_expression<N>(f);
    using E = std::remove_cvref_t<decltype(body)>;
    auto const e = [&] {
        if constexpr (program::has_array_operations<E>)
            return body;
        else
            return [&]<std::size_t... I>(std::index_sequence<I...>) {
                return over_all_inputs(body, var<I>{}...);
            }(std::make_index_sequence<N>{});
    }();
    if constexpr (Mean)
        return typegrad::mean(e);
    else
        return typegrad::sum(e);
}
}  // namespace detail

/// The sum of f over the elements of the (broadcast) inputs.
template <class F, class... In>
    requires(sizeof...(In) > 0)
auto sum(cpu_options const& options, F const& f, In const&... in) {
    workspace ws(options);
    return value(ws, detail::reduction_of<false, sizeof...(In)>(f), in...);
}
/// The sum of f and its gradient with respect to every input, written to `gradient`.
template <class F, class... S, class... In>
auto sum(cpu_options const& options, F const& f, gradient_sinks<S...> const& gradient, In const&... in) {
    workspace ws(options);
    return typegrad::gradient(ws, detail::reduction_of<false, sizeof...(In)>(f), gradient, in...);
}
/// The mean of f over the elements (NaN when there are none).
template <class F, class... In>
    requires(sizeof...(In) > 0)
auto mean(cpu_options const& options, F const& f, In const&... in) {
    workspace ws(options);
    return value(ws, detail::reduction_of<true, sizeof...(In)>(f), in...);
}
/// The mean of f and its gradient with respect to every input.
template <class F, class... S, class... In>
auto mean(cpu_options const& options, F const& f, gradient_sinks<S...> const& gradient, In const&... in) {
    workspace ws(options);
    return typegrad::gradient(ws, detail::reduction_of<true, sizeof...(In)>(f), gradient, in...);
}

template <class F, class... In>
    requires(!std::is_same_v<std::remove_cvref_t<F>, cpu_options> && sizeof...(In) > 0)
auto sum(F const& f, In const&... in) {
    return sum(cpu_options{}, f, in...);
}
template <class F, class... S, class... In>
    requires(!std::is_same_v<std::remove_cvref_t<F>, cpu_options>)
auto sum(F const& f, gradient_sinks<S...> const& gradient, In const&... in) {
    return sum(cpu_options{}, f, gradient, in...);
}
template <class F, class... In>
    requires(!std::is_same_v<std::remove_cvref_t<F>, cpu_options> && sizeof...(In) > 0)
auto mean(F const& f, In const&... in) {
    return mean(cpu_options{}, f, in...);
}
template <class F, class... S, class... In>
    requires(!std::is_same_v<std::remove_cvref_t<F>, cpu_options>)
auto mean(F const& f, gradient_sinks<S...> const& gradient, In const&... in) {
    return mean(cpu_options{}, f, gradient, in...);
}

/// The reductions tg::map_reduce takes: `tg::map_reduce(tg::reduction::mean, f, ...)`.
namespace reduction {
struct sum_t {};
struct mean_t {};
inline constexpr sum_t sum{};
inline constexpr mean_t mean{};
}  // namespace reduction

namespace detail {
template <class R>
inline constexpr bool is_reduction =
    std::is_same_v<std::remove_cvref_t<R>, reduction::sum_t> || std::is_same_v<std::remove_cvref_t<R>, reduction::mean_t>;
}  // namespace detail

/// tg::sum or tg::mean named by a reduction tag; the rest of the arguments as theirs
/// (a tg::gradient_to, if any, then the inputs).
template <class R, class F, class... Rest>
    requires detail::is_reduction<R>
auto map_reduce(cpu_options const& options, R, F const& f, Rest const&... rest) {
    if constexpr (std::is_same_v<std::remove_cvref_t<R>, reduction::sum_t>)
        return sum(options, f, rest...);
    else
        return mean(options, f, rest...);
}
template <class R, class F, class... Rest>
    requires detail::is_reduction<R>
auto map_reduce(R r, F const& f, Rest const&... rest) {
    return map_reduce(cpu_options{}, r, f, rest...);
}

}  // namespace typegrad
