// typegrad/modes/values.hpp: the value pass, and tg::value.
#pragma once

#include <array>
#include <cstddef>
#include <utility>

#include "../core/graph.hpp"
#include "inputs.hpp"

namespace typegrad {

namespace detail {

template <class Entry, class T, class E>
TYPEGRAD_HOST_DEVICE constexpr T leaf_value(E const& root, T const* in) {
    using N = typename Entry::node;
    if constexpr (is_var<N>::value)
        return in[N::slot];
    else if constexpr (static_constant<N>)
        return N::template as<T>();
    else
        return static_cast<T>(at_path(root, typename Entry::path{}).value);
}

template <class G, class Entry, class T, class E>
TYPEGRAD_HOST_DEVICE constexpr void value_step(E const& root, T const* in, T* vals) {
    using N = typename Entry::node;
    if constexpr (is_node<N>::value) {
        constexpr entry_shape s = G::shapes[Entry::pos];
        vals[Entry::pos] = [&]<std::size_t... I>(std::index_sequence<I...>) {
            return as<T>(N::op::value(vals[s.child[I]]...));
        }(std::make_index_sequence<N::arity>{});
    } else
        vals[Entry::pos] = leaf_value<Entry, T>(root, in);
}

/// Values of every node in topological order: each distinct node computed once.
template <class G, class T, class E>
TYPEGRAD_HOST_DEVICE constexpr void compute_values(E const& root, T const* in, T* vals) {
    [&]<class... Es>(type_list<Es...>) { (value_step<G, Es>(root, in, vals), ...); }(typename G::entries{});
}

/// The local partials of entry K, from the values.
template <class G, std::size_t K, class T>
TYPEGRAD_HOST_DEVICE constexpr auto partials_at(T const* vals) {
    using N = typename G::template entry_at<K>::node;
    constexpr entry_shape s = G::shapes[K];
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return N::op::partials(vals[s.child[I]]..., vals[K]);
    }(std::make_index_sequence<N::arity>{});
}

template <class F, class T, std::size_t N>
TYPEGRAD_HOST_DEVICE constexpr T value_at(F const& f, std::array<T, N> const& point) {
    auto const e = to_expression<N>(f);
    using G = graph<std::remove_cvref_t<decltype(e)>>;
    static_assert(check_inputs<G, N>());
    T vals[G::size];
    compute_values<G>(e, point.data(), vals);
    return vals[G::root];
}

}  // namespace detail

/// The value of f at a point: `tg::value(f, 1.5, 0.5)` or `tg::value(f, std::array{1.5, 0.5})`.
template <class F, class... Args>
TYPEGRAD_HOST_DEVICE constexpr auto value(F const& f, Args const&... args) {
    return detail::value_at(f, detail::make_point(args...));
}

}  // namespace typegrad
