// typegrad/mpi/loss.hpp: what a data-parallel call needs to know about its loss.
//
// A loss splits over shards when it is tg::sum or tg::mean over every element of an
// expression (its body): each rank evaluates tg::sum(body) over its rows, the parts add,
// and a mean divides by the global element count of the body. Also here: the evaluation's
// sinks moved onto runs of a packed buffer, and the final division.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../exec/program/api.hpp"
#include "../ops/reduce.hpp"
#include "shard.hpp"
#include "sinks.hpp"

namespace typegrad::mpi::detail {

/// A loss whose parts over shards add: tg::sum or tg::mean over every element.
template <class E>
struct loss_root {
    static constexpr bool additive = false;
    static constexpr bool mean = false;
};
template <ops::reduction_kind K, class C>
struct loss_root<node<ops::reduce<K, ops::all_axes, false>, C>> {
    static constexpr bool additive = K == ops::reduction_kind::sum || K == ops::reduction_kind::mean;
    static constexpr bool mean = K == ops::reduction_kind::mean;
};

template <class Root, class... In>
using program_of = typename typegrad::detail::program::program_for<
    Root, std::tuple<std::remove_cvref_t<decltype(typegrad::detail::to_input(std::declval<In const&>()))>...>>::type;

/// The number of elements of `body` at these inputs (the shape pass only).
template <class B, class... In>
std::int64_t element_count(B const& body, In const&... in) {
    auto const inputs = std::tuple{typegrad::detail::to_input(in)...};
    using Q = program_of<B, In...>;
    typegrad::detail::program::state<Q> st;
    typegrad::detail::program::prepare(body, st, inputs);
    return static_cast<std::int64_t>(st.shape[Q::G::root].size());
}

/// The sinks an evaluation writes: the caller's, moved to their runs of `buf`.
template <class T, class... S>
auto sinks_over(std::tuple<S...> const& sinks, T* buf, std::ptrdiff_t const* off) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return gradient_sinks<decltype(buffer_sink<T>(std::get<I>(sinks), buf))...>{
            {buffer_sink<T>(std::get<I>(sinks), buf + off[I])...}};
    }(std::index_sequence_for<S...>{});
}

template <class T, class... S>
void unpack_all(std::tuple<S...> const& sinks, T const* buf, std::ptrdiff_t const* off, T n) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (unpack<T>(std::get<I>(sinks), buf + off[I], n), ...);
    }(std::index_sequence_for<S...>{});
}

template <class T>
T finish_value(T sum, std::int64_t count, bool mean) {
    if (!mean) return sum;
    return count == 0 ? std::numeric_limits<T>::quiet_NaN() : sum / static_cast<T>(count);
}

/// The divisor of a mean's gradients (a mean of no elements has zero gradients, as tg::mean's).
template <class T>
T gradient_divisor(std::int64_t count, bool mean) {
    return mean && count > 0 ? static_cast<T>(count) : T(1);
}

/// Checks on this rank's own arguments, before anything is evaluated.
template <bool Mean, class Body, class... S, class... In>
std::int64_t local_checks(Body const& body, std::tuple<S...> const& sinks, In const&... in) {
    typegrad::detail::validate_call(std::tuple{typegrad::detail::to_input(plain(in))...}, sinks);
    if constexpr (Mean)
        return element_count(body, plain(in)...);
    else
        return 0;
}

}  // namespace typegrad::mpi::detail
