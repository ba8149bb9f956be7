// typegrad/modes/values.hpp: the value pass, and tg::value.
#pragma once

#include <array>
#include <cstddef>
#include <utility>

#include "../core/graph.hpp"
#include "inputs.hpp"

namespace typegrad {

namespace detail {

// Passes expand over nodes in array initialisers, not fold expressions: the
// elements are evaluated in order, and compilers do not limit their count (clang
// limits nested fold parentheses to 256).

template <class Entry, class T, class E>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr T leaf_value(E const& root, T const* in) {
    using N = typename Entry::node;
    if constexpr (is_var<N>::value)
        return in[N::slot];
    else if constexpr (static_constant<N>)
        return N::template as<T>();
    else
        return static_cast<T>(at_path(root, typename Entry::path{}).value);
}

template <class Op, class T, std::size_t... C>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr T node_value(T const* vals) {
    return as<T>(Op::value(vals[C]...));
}

template <class G, class Entry, class T, std::size_t... I>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr T node_value_of(T const* vals, std::index_sequence<I...>) {
    return node_value<typename Entry::node::op, T, G::shapes[Entry::pos].child[I]...>(vals);
}

template <class G, class Entry, class T, class E>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int value_step(E const& root, T const* in, T* vals) {
    using N = typename Entry::node;
    if constexpr (is_node<N>::value)
        vals[Entry::pos] = node_value_of<G, Entry>(vals, std::make_index_sequence<N::arity>{});
    else
        vals[Entry::pos] = leaf_value<Entry, T>(root, in);
    return 0;
}

template <class G, class T, class E, class... Es>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void compute_values_of(E const& root, T const* in, T* vals,
                                                                      type_list<Es...>) {
    [[maybe_unused]] int const order[] = {0, value_step<G, Es>(root, in, vals)...};
}

/// Values of every node in topological order: each distinct node computed once.
template <class G, class T, class E>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void compute_values(E const& root, T const* in, T* vals) {
    compute_values_of<G>(root, in, vals, typename G::entries{});
}

template <class Op, class T, std::size_t K, std::size_t... C>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr auto node_partials(T const* vals) {
    return Op::partials(vals[C]..., vals[K]);
}

template <class G, std::size_t K, class T, std::size_t... I>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr auto partials_of(T const* vals, std::index_sequence<I...>) {
    using N = typename G::template entry_at<K>::node;
    return node_partials<typename N::op, T, K, G::shapes[K].child[I]...>(vals);
}

/// The local partials of entry K, from the values.
template <class G, std::size_t K, class T>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr auto partials_at(T const* vals) {
    return partials_of<G, K>(vals, std::make_index_sequence<G::shapes[K].arity>{});
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
