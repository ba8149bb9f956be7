// typegrad/modes/plan.hpp: compile-time facts every derivative pass reads.
//
// From the graph and the evaluation type T it computes, as constexpr tables:
// - which partials are structurally zero (a rule returned 0_c): skipped by all modes;
// - which inputs each node depends on through non-zero partials (its activity):
//   forward mode computes only tangent lanes that can be non-zero;
// - for a reverse sweep from given seed nodes, which contributions reach each
//   node and which is the first (it assigns, later ones add), so no adjoint
//   starts as 0 + ...
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

// Per-node facts are keyed on the node's step type S (op_step<Op, arity>, or the
// leaf), never on the node type, so there is one instantiation per operation.

/// The type of the partials of S's operation on numbers of type T.
template <class T, class S, class Seq = std::make_index_sequence<S::arity>>
struct partials_type;
template <class T, class S, std::size_t... I>
struct partials_type<T, S, std::index_sequence<I...>> {
    template <std::size_t>
    using same = T;
    using type = decltype(S::op::partials(std::declval<same<I>>()..., std::declval<T>()));
};

template <class T, class S>
constexpr std::array<bool, max_arity> indicator_partials() {
    std::array<bool, max_arity> z{};
    if constexpr (is_op_step<S>) {
        using P = typename partials_type<T, S>::type;
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((z[I] = std::is_same_v<std::remove_cvref_t<decltype(get<I>(std::declval<P const&>()))>, indicator>),
             ...);
        }(std::make_index_sequence<S::arity>{});
    }
    return z;
}

template <class T, class S>
constexpr std::array<bool, max_arity> zero_partials() {
    std::array<bool, max_arity> z{};
    if constexpr (is_op_step<S>) {
        using P = typename partials_type<T, S>::type;
        static_assert(std::tuple_size<P>::value == S::arity,
                      "typegrad: an operation's partials must give one derivative per operand");
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((z[I] = static_value<std::remove_cvref_t<decltype(get<I>(std::declval<P const&>()))>, 0>), ...);
        }(std::make_index_sequence<S::arity>{});
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
    std::array<std::array<bool, max_arity>, size> gating{};
    std::array<bits, size> deps{};
    std::array<bool, size> active{};
    std::array<std::array<bool, max_arity>, size> carries{};
};

template <class G, class T>
constexpr plan_tables<G, T> make_plan() {
    using tables = plan_tables<G, T>;
    tables t{};
    constexpr std::size_t n = G::size;
    t.zero = []<std::size_t... K>(std::index_sequence<K...>) {
        return std::array<std::array<bool, max_arity>, n>{zero_partials<T, typename G::template step_at<K>>()...};
    }(std::make_index_sequence<n>{});
    t.gating = []<std::size_t... K>(std::index_sequence<K...>) {
        return std::array<std::array<bool, max_arity>, n>{
            indicator_partials<T, typename G::template step_at<K>>()...};
    }(std::make_index_sequence<n>{});
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
    return t;
}

/// The activity plan of graph G evaluated in number type T (seed-independent).
template <class G, class T>
inline constexpr plan_tables<G, T> plan = make_plan<G, T>();

template <std::size_t Size>
struct reverse_tables {
    std::array<bool, Size> received{};
    // Every contribution reaching the node passed a masking (indicator) partial or a
    // shielded node: its adjoint may be an exact 0 standing for "branch not taken".
    std::array<bool, Size> shielded{};
    std::array<bool, Size> seeded{};
    std::array<std::array<bool, max_arity>, Size> first{};
    std::array<bool, Size> first_var_of_slot{};
};

/// The reverse sweep seeded at the nodes in Seeds (an index_sequence of positions).
template <class G, class T, class Seeds>
constexpr reverse_tables<G::size> make_reverse_plan() {
    constexpr auto const& p = plan<G, T>;
    constexpr std::size_t n = G::size;
    reverse_tables<n> r{};
    [&]<std::size_t... S>(std::index_sequence<S...>) {
        ((r.seeded[S] = p.active[S], r.received[S] = p.active[S]), ...);
    }(Seeds{});
    // Sweeping back from the seeds, a node's first incoming contribution assigns its adjoint.
    for (std::size_t k = n; k-- > 0;) {
        if (!r.received[k]) continue;
        auto const& s = G::shapes[k];
        for (std::size_t i = 0; i < s.arity; ++i) {
            if (!p.carries[k][i]) continue;
            std::size_t const c = s.child[i];
            bool const masked = p.gating[k][i] || r.shielded[k];
            r.shielded[c] = r.received[c] ? (r.shielded[c] && masked) : masked;
            r.first[k][i] = !r.received[c];
            r.received[c] = true;
        }
    }
    for (std::size_t k = 0; k < n; ++k) {
        if (!G::shapes[k].is_var || !r.received[k]) continue;
        bool first = true;
        for (std::size_t j = 0; j < k; ++j)
            if (G::shapes[j].is_var && G::shapes[j].slot == G::shapes[k].slot && r.received[j]) first = false;
        r.first_var_of_slot[k] = first;
    }
    return r;
}

template <class G, class T, class Seeds = std::index_sequence<G::root>>
inline constexpr reverse_tables<G::size> reverse_plan = make_reverse_plan<G, T, Seeds>();

/// A bit per operand: bit i set where flags[i].
constexpr std::size_t operand_mask(std::array<bool, max_arity> const& flags) {
    std::size_t m = 0;
    for (std::size_t i = 0; i < max_arity; ++i)
        if (flags[i]) m |= std::size_t{1} << i;
    return m;
}

/// Does node k depend on input `slot` (through non-zero partials)?
template <class G, class T>
constexpr bool depends(std::size_t k, std::size_t slot) {
    return slot < G::slots && ((plan<G, T>.deps[k][slot / 64] >> (slot % 64)) & 1u) != 0;
}

/// Multiplies a partial by a tangent or adjoint, skipping the multiplication for 1_c
/// and -1_c; an indicator passes t or exactly 0.
template <class T, class P>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr T scale(P const& p, T const& t) {
    if constexpr (static_value<P, 1>)
        return t;
    else if constexpr (static_value<P, -1>)
        return -t;
    else if constexpr (std::is_same_v<P, indicator>)
        return p.on ? t : T(0);
    else
        return as<T>(p) * t;
}

template <class T>
TYPEGRAD_HOST_DEVICE constexpr bool is_exact_zero(T const& t) {
    if constexpr (requires { t.v; t.t; }) {
        for (auto const& l : t.t)
            if (!(l == 0)) return false;
        return t.v == 0;
    } else
        return t == T(0);
}

/// scale for a node that a select may have cut off: an adjoint of exactly 0 passes
/// 0 even where the partial is infinite or nan (the branch was not taken).
template <class T, class P>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr T masked_scale(P const& p, T const& t) {
    return is_exact_zero(t) ? T(0) : scale(p, t);
}

}  // namespace typegrad::detail
