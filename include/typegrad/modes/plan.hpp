// typegrad/modes/plan.hpp: compile-time facts every derivative pass reads.
//
// From the graph and the evaluation type T it computes, as constexpr tables:
// - which partials are structurally zero (a rule returned 0_c): skipped by all modes;
// - which inputs each node depends on through non-zero partials (its activity):
//   forward mode computes only tangent lanes that can be non-zero;
// - for the reverse sweep, which contributions reach each node and which is the
//   first (it assigns, later ones add), so no adjoint starts as 0 + ...
// Nothing here runs at run time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../core/constant.hpp"
#include "../core/graph.hpp"
#include "../core/tuple.hpp"

namespace typegrad::detail {

template <class T, class N, class Seq = std::make_index_sequence<N::arity>>
struct partials_type;
template <class T, class N, std::size_t... I>
struct partials_type<T, N, std::index_sequence<I...>> {
    template <std::size_t>
    using same = T;
    using type = decltype(N::op::partials(std::declval<same<I>>()..., std::declval<T>()));
};

template <class T, class N>
constexpr std::array<bool, max_arity> zero_partials() {
    std::array<bool, max_arity> z{};
    if constexpr (is_node<N>::value) {
        using P = typename partials_type<T, N>::type;
        static_assert(std::tuple_size<P>::value == N::arity,
                      "typegrad: an operation's partials must give one derivative per operand");
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((z[I] = static_value<std::remove_cvref_t<decltype(get<I>(std::declval<P const&>()))>, 0>), ...);
        }(std::make_index_sequence<N::arity>{});
    }
    return z;
}

template <std::size_t Words>
constexpr bool any_bit(std::array<std::uint64_t, Words> const& b) {
    for (auto w : b)
        if (w != 0) return true;
    return false;
}

template <class G, class T>
struct plan_tables {
    static constexpr std::size_t size = G::size;
    static constexpr std::size_t words = G::slots == 0 ? 1 : (G::slots + 63) / 64;
    using bits = std::array<std::uint64_t, words>;

    std::array<std::array<bool, max_arity>, size> zero{};
    std::array<bits, size> deps{};
    std::array<bool, size> active{};
    std::array<std::array<bool, max_arity>, size> carries{};
    std::array<bool, size> received{};
    std::array<std::array<bool, max_arity>, size> first{};
    std::array<bool, size> first_var_of_slot{};
};

template <class G, class T>
constexpr plan_tables<G, T> make_plan() {
    using tables = plan_tables<G, T>;
    tables t{};
    constexpr std::size_t n = G::size;
    t.zero = []<class... Es>(type_list<Es...>) {
        return std::array<std::array<bool, max_arity>, n>{zero_partials<T, typename Es::node>()...};
    }(typename G::entries{});
    // Inputs each node depends on through non-zero partials (children come first).
    for (std::size_t k = 0; k < n; ++k) {
        auto const& s = G::shapes[k];
        if (s.is_var) t.deps[k][s.slot / 64] |= std::uint64_t{1} << (s.slot % 64);
        for (std::size_t i = 0; i < s.arity; ++i)
            if (!t.zero[k][i])
                for (std::size_t w = 0; w < tables::words; ++w) t.deps[k][w] |= t.deps[s.child[i]][w];
        t.active[k] = any_bit(t.deps[k]);
    }
    for (std::size_t k = 0; k < n; ++k)
        for (std::size_t i = 0; i < G::shapes[k].arity; ++i)
            t.carries[k][i] = !t.zero[k][i] && t.active[G::shapes[k].child[i]];
    // Sweeping back from the root, a node's first incoming contribution assigns its adjoint.
    t.received[n - 1] = t.active[n - 1];
    for (std::size_t k = n; k-- > 0;) {
        if (!t.received[k]) continue;
        auto const& s = G::shapes[k];
        for (std::size_t i = 0; i < s.arity; ++i) {
            if (!t.carries[k][i]) continue;
            t.first[k][i] = !t.received[s.child[i]];
            t.received[s.child[i]] = true;
        }
    }
    for (std::size_t k = 0; k < n; ++k) {
        if (!G::shapes[k].is_var || !t.received[k]) continue;
        bool first = true;
        for (std::size_t j = 0; j < k; ++j)
            if (G::shapes[j].is_var && G::shapes[j].slot == G::shapes[k].slot && t.received[j]) first = false;
        t.first_var_of_slot[k] = first;
    }
    return t;
}

/// The plan of derivative passes for graph G evaluated in number type T.
template <class G, class T>
inline constexpr plan_tables<G, T> plan = make_plan<G, T>();

/// Does node k depend on input `slot` (through non-zero partials)?
template <class G, class T>
constexpr bool depends(std::size_t k, std::size_t slot) {
    return slot < G::slots && ((plan<G, T>.deps[k][slot / 64] >> (slot % 64)) & 1u) != 0;
}

/// Is some variable entry of input `slot` reached by the reverse sweep?
template <class G, class T>
constexpr bool slot_received(std::size_t slot) {
    for (std::size_t k = 0; k < G::size; ++k)
        if (G::shapes[k].is_var && G::shapes[k].slot == slot && plan<G, T>.received[k]) return true;
    return false;
}

/// Multiplies a partial by a tangent or adjoint, skipping the multiplication for 1_c and -1_c.
template <class T, class P>
TYPEGRAD_HOST_DEVICE constexpr T scale(P const& p, T const& t) {
    if constexpr (static_value<P, 1>)
        return t;
    else if constexpr (static_value<P, -1>)
        return -t;
    else
        return as<T>(p) * t;
}

}  // namespace typegrad::detail
