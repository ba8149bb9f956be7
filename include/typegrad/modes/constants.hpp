// typegrad/modes/constants.hpp: the run-time numbers held in an expression, read
// once into a flat array before a pass.
//
// The numbers under a node are laid out in tree order (constant_offset gives where
// each child's start); a node keyed by type (a let) that holds numbers has
// its own block, read from its first occurrence, so the walk below never enters
// the same let twice and its cost follows the nodes, not the tree. (Reading each
// number by its path from the root instead instantiated one function per number
// and per level, each named by a subtree type: cubic for long expressions.)
#pragma once

#include <array>
#include <cstddef>
#include <utility>

#include "../core/graph.hpp"

namespace typegrad::detail {

template <class N>
struct loaded_children;
template <class Op, class... Cs>
struct loaded_children<node<Op, Cs...>> {
    using type = typename subset_sequence<subset_where<sizeof...(Cs)>({(desc_of<Cs>::value.owned > 0)...})>::type;
};

template <class T, class N>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void load_constants(N const& n, T* rc);

// Only children that hold numbers are entered (an empty child has no storage).
template <class T, class N, std::size_t... I>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void load_children(N const& n, T* rc, std::index_sequence<I...>) {
    (detail::load_constants<T>(static_cast<child_store<I, child_type<N, I>> const&>(n).stored,
                       rc + std::integral_constant<std::size_t, constant_offset(desc_of<N>::value, I)>::value),
     ...);
}

template <class T, class N>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void load_constants(N const& n, T* rc) {
    if constexpr (runtime_leaf<N>)
        *rc = static_cast<T>(n.value);
    else if constexpr (desc_of<N>::value.owned > 0)
        detail::load_children<T>(n, rc, typename loaded_children<N>::type{});
}

/// Positions of the nodes keyed by type that hold run-time numbers (lets).
template <class G>
struct constant_blocks {
    static constexpr auto set = [] {
        std::array<bool, G::size> chosen{};
        for (std::size_t k = 0; k < G::size; ++k)
            chosen[k] = G::walk::table.node[k].arity > 0 && G::walk::table.node[k].constant != npos;
        return subset_where<G::size>(chosen);
    }();
    using type = typename subset_sequence<set>::type;
};

template <class G, std::size_t K, class T, class E>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int load_block(E const& root, T* rc) {
    using N = typename G::template node_at<K>;
    detail::load_children<T>(detail::at_path(root, typename G::template entry_at<K>::path{}), rc + G::walk::table.node[K].constant,
                     typename loaded_children<N>::type{});
    return 0;
}

template <class E>
struct loaded_outputs;
template <class... Es>
struct loaded_outputs<node<ops::outputs, Es...>> {
    using type = typename subset_sequence<subset_where<sizeof...(Es)>({(desc_of<Es>::value.owned > 0)...})>::type;
};

/// Where the run-time numbers of output j start (outputs are laid out in order).
template <std::size_t M>
constexpr std::size_t output_offset(std::array<type_desc const*, M> const& roots, std::size_t j) {
    std::size_t o = 0;
    for (std::size_t i = 0; i < j; ++i) o += roots[i]->owned;
    return o;
}

template <class T, class E, std::size_t... J>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void load_outputs(E const& root, [[maybe_unused]] T* rc, std::index_sequence<J...>) {
    (detail::load_constants<T>(static_cast<child_store<J, child_type<E, J>> const&>(root).stored,
                       rc + std::integral_constant<std::size_t, output_offset(roots_of<E>::value, J)>::value),
     ...);
}

template <class G, class T, class E, std::size_t... K>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void load_all(E const& root, T* rc, std::index_sequence<K...>) {
    if constexpr (roots_of<E>::pack)
        detail::load_outputs<T>(root, rc, typename loaded_outputs<E>::type{});
    else
        detail::load_constants<T>(root, rc);
    [[maybe_unused]] int const order[] = {0, detail::load_block<G, K>(root, rc)...};
}

}  // namespace typegrad::detail
