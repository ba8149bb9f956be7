// typegrad/modes/constants.hpp: the run-time numbers held in an expression, read
// once into a flat array before a pass.
//
// The numbers under a node are laid out in tree order (desc_of<N>::offsets gives
// where each child's start); a node keyed by type (a let) that holds numbers has
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
    static constexpr auto set = subset_where<sizeof...(Cs)>({(desc_of<Cs>::value.owned > 0)...});
    using type = typename subset_sequence<set>::type;
};

template <class T, class N>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void load_constants(N const& n, T* rc);

// Only children that hold numbers are entered (an empty child has no storage).
template <class T, class N, std::size_t... I>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void load_children(N const& n, T* rc, std::index_sequence<I...>) {
    (load_constants<T>(static_cast<child_store<I, child_type<N, I>> const&>(n).stored, rc + desc_of<N>::offsets[I]),
     ...);
}

template <class T, class N>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void load_constants(N const& n, T* rc) {
    if constexpr (runtime_leaf<N>)
        *rc = static_cast<T>(n.value);
    else if constexpr (desc_of<N>::value.owned > 0)
        load_children<T>(n, rc, typename loaded_children<N>::type{});
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
    load_children<T>(at_path(root, typename G::template entry_at<K>::path{}), rc + G::walk::table.node[K].constant,
                     typename loaded_children<N>::type{});
    return 0;
}

template <class E>
struct loaded_outputs;
template <class... Es>
struct loaded_outputs<node<ops::outputs, Es...>> {
    static constexpr auto set = subset_where<sizeof...(Es)>({(desc_of<Es>::value.owned > 0)...});
    static constexpr auto offsets = offsets_of<sizeof...(Es)>({desc_of<Es>::value.owned...});
    using type = typename subset_sequence<set>::type;
};

template <class T, class E, std::size_t... J>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void load_outputs(E const& root, T* rc, std::index_sequence<J...>) {
    (load_constants<T>(static_cast<child_store<J, child_type<E, J>> const&>(root).stored,
                       rc + loaded_outputs<E>::offsets[J]),
     ...);
}

template <class G, class T, class E, std::size_t... K>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void load_all(E const& root, T* rc, std::index_sequence<K...>) {
    if constexpr (roots_of<E>::pack)
        load_outputs<T>(root, rc, typename loaded_outputs<E>::type{});
    else
        load_constants<T>(root, rc);
    [[maybe_unused]] int const order[] = {0, load_block<G, K>(root, rc)...};
}

}  // namespace typegrad::detail
