// typegrad/modes/hessian.hpp: Hessians and Hessian-vector products, forward over reverse.
//
// tg::hessian: the derivative of the reverse sweep along each input, with only
// the lanes that can be non-zero. One forward pass gives every node's value and
// its unit-lane tangents (lane l: the derivative along input l, computed only
// where the node depends on input l). The reverse sweep then carries, besides
// each adjoint, the adjoint's own tangent lanes; lane l of a child's adjoint
// gathers
//     d(partial_i)/dx_l * adj  +  partial_i * d(adj)/dx_l,
// where the first term exists only if the partial depends on an operand that
// depends on input l (read from the type of the rule's partials differentiated
// symbolically at compile time: `multiply`'s partial b does not depend on a),
// and the second only if the adjoint has lane l. The partials' tangents come
// from the operation's own rule run once on dual numbers restricted to those
// lanes. Only the upper triangle is computed (a lane below a node's lowest
// input cannot reach an entry on or above the diagonal) and it is mirrored, so
// the Hessian is symmetric by construction. The sets of lanes are compile-time
// tables; nothing is computed for a lane that is structurally zero.
//
// tg::hvp: the reverse pass run on dual numbers with one lane (the direction v).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "../core/matrix.hpp"
#include "dual.hpp"
#include "forward.hpp"
#include "gradient.hpp"
#include "inputs.hpp"
#include "plan.hpp"
#include "reverse.hpp"
#include "symbolic.hpp"

namespace typegrad {

/// Value, gradient and Hessian of a scalar function at a point.
template <class T, std::size_t N>
struct hessian_result {
    T value;
    std::array<T, N> gradient;
    matrix<T, N, N> hessian;
};

/// Value, gradient and the Hessian-vector product H v.
template <class T, std::size_t N>
struct hvp_result {
    T value;
    std::array<T, N> gradient;
    std::array<T, N> hvp;
};

namespace detail {

// ---------------------------------------------------------------------------
// Compile-time tables.

/// Does partial Pi (of a rule applied to var<0>, var<1>, ...) depend on operand J?
/// Its symbolic derivative is not the constant 0; an indicator never does.
template <class Pi, std::size_t J>
constexpr bool partial_depends() {
    if constexpr (expression<Pi>)
        return !static_value<decltype(derivative<J>(std::declval<Pi const&>())), 0>;
    else
        return !std::is_same_v<Pi, indicator>;
}

template <class Pi, std::size_t... J>
constexpr std::array<bool, max_arity> partial_row(std::index_sequence<J...>) {
    std::array<bool, max_arity> r{};
    ((r[J] = partial_depends<Pi, J>()), ...);
    return r;
}

template <class Op, std::size_t... I>
constexpr std::array<std::array<bool, max_arity>, max_arity> rule_dependence(std::index_sequence<I...> operands) {
    using P = decltype(Op::partials(std::declval<var<I> const&>()..., std::declval<node<Op, var<I>...> const&>()));
    std::array<std::array<bool, max_arity>, max_arity> r{};
    ((r[I] = partial_row<std::remove_cvref_t<decltype(get<I>(std::declval<P const&>()))>>(operands)), ...);
    return r;
}

/// depends_on[i][j]: the rule's partial i of step S (op_step<Op, arity>) may depend on operand j.
template <class S>
constexpr std::array<std::array<bool, max_arity>, max_arity> partial_dependence() {
    if constexpr (is_op_step<S>)
        return rule_dependence<typename S::op>(std::make_index_sequence<S::arity>{});
    else
        return {};
}

template <class G, class T>
struct hessian_tables {
    using bits = typename plan_tables<G, T>::bits;
    static constexpr std::size_t size = G::size;
    /// Lanes of each node's adjoint tangent (d adj_k / dx_l) that are computed.
    std::array<bits, size> adjoint_lanes{};
    /// Lanes of partial i's tangent that enter the child's adjoint tangent.
    std::array<std::array<bits, max_arity>, size> partial_lanes{};
    /// Lanes node k contributes to the adjoint tangent of its operand i, and which
    /// of them are the child's first contribution (assigned, not added).
    std::array<std::array<bits, max_arity>, size> contributed{};
    std::array<std::array<bits, max_arity>, size> first{};
    /// Lanes of the duals the partials of node k are computed on.
    std::array<bits, size> dual_lanes{};
    /// Lanes of an input's adjoint tangent that are the first for their Hessian entry.
    std::array<bits, size> first_entry{};
};

template <class Bits>
constexpr bool has_lane(Bits const& b, std::size_t l) {
    return ((b[l / 64] >> (l % 64)) & 1u) != 0;
}
template <class Bits>
constexpr void set_lane(Bits& b, std::size_t l) {
    b[l / 64] |= std::uint64_t{1} << (l % 64);
}
template <class Bits>
constexpr std::size_t lowest_lane(Bits const& b) {
    for (std::size_t w = 0; w < b.size(); ++w)
        for (std::size_t l = 0; l < 64; ++l)
            if ((b[w] >> l) & 1u) return w * 64 + l;
    return b.size() * 64;
}

template <class G, class T>
constexpr hessian_tables<G, T> make_hessian_plan() {
    using tables = hessian_tables<G, T>;
    using bits = typename tables::bits;
    constexpr auto const& p = plan<G, T>;
    constexpr auto const& r = reverse_plan<G, T>;
    constexpr std::size_t n = G::size;
    tables h{};
    auto const dependence = []<std::size_t... K>(std::index_sequence<K...>) {
        return std::array<std::array<std::array<bool, max_arity>, max_arity>, n>{
            partial_dependence<typename G::template step_at<K>>()...};
    }(std::make_index_sequence<n>{});
    std::array<bits, n> reached{};  // lanes of each adjoint tangent already assigned
    for (std::size_t k = n; k-- > 0;) {
        if (!r.received[k]) continue;
        auto const& s = G::shapes[k];
        for (std::size_t i = 0; i < s.arity; ++i) {
            if (!p.carries[k][i]) continue;
            std::size_t const c = s.child[i];
            // Lanes below the child's lowest input reach no entry on or above the diagonal.
            std::size_t const low = lowest_lane(p.deps[c]);
            for (std::size_t l = low; l < G::slots; ++l) {
                bool through_partial = false;
                for (std::size_t j = 0; j < s.arity; ++j)
                    if (dependence[k][i][j] && has_lane(p.deps[s.child[j]], l)) through_partial = true;
                if (through_partial) {
                    set_lane(h.partial_lanes[k][i], l);
                    set_lane(h.dual_lanes[k], l);
                }
                if (through_partial || has_lane(h.adjoint_lanes[k], l)) {
                    set_lane(h.contributed[k][i], l);
                    if (!has_lane(reached[c], l)) set_lane(h.first[k][i], l);
                    set_lane(reached[c], l);
                    set_lane(h.adjoint_lanes[c], l);
                }
            }
        }
    }
    std::array<bits, G::slots == 0 ? 1 : G::slots> entry_seen{};
    for (std::size_t k = 0; k < n; ++k) {
        auto const& s = G::shapes[k];
        if (!s.is_var) continue;
        for (std::size_t l = s.slot; l < G::slots; ++l)
            if (has_lane(h.adjoint_lanes[k], l)) {
                if (!has_lane(entry_seen[s.slot], l)) set_lane(h.first_entry[k], l);
                set_lane(entry_seen[s.slot], l);
            }
    }
    return h;
}

template <class G, class T>
inline constexpr hessian_tables<G, T> hessian_plan = make_hessian_plan<G, T>();

/// A set of lanes (bits) as a list of lanes below L.
template <std::size_t L, class Bits>
constexpr index_subset<L> lanes_of(Bits const& b) {
    index_subset<L> r{};
    for (std::size_t l = 0; l < L; ++l)
        if (has_lane(b, l)) r.index[r.count++] = l;
    return r;
}

/// Position of lane l in a list (l is in it).
template <std::size_t L>
constexpr std::size_t position_in(index_subset<L> const& list, std::size_t l) {
    for (std::size_t s = 0; s < list.count; ++s)
        if (list.index[s] == l) return s;
    return 0;
}

// ---------------------------------------------------------------------------
// The sweep. Each node's step is keyed on small types built from the tables above
// (lists of lanes as sequences), not on the graph.

template <class P>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr auto const& value_part(P const& p) {
    if constexpr (requires { p.v; p.t; })
        return p.v;
    else
        return p;
}

/// An operand as a dual over the node's dual lanes: Dep[s] says whether it has lane s.
template <std::size_t C, class Deps>
struct dual_operand {};

/// Lane `Lane` of a child's adjoint tangent: from the partial's tangent (at Slot of the
/// duals), from the node's own adjoint tangent, and whether it is the first term.
template <std::size_t Lane, std::size_t Slot, bool FromPartial, bool FromAdjoint, bool First>
struct lane_push {};

/// Operand I (at position C): does it take a contribution, is it the first, and its lanes.
template <std::size_t C, std::size_t I, bool Carry, bool First, class Lanes>
struct operand_push {};

template <class S, std::size_t K, bool Shielded, class Children, class Duals, class Operands, class AdjointLanes,
          class Pushes>
struct second_key {};

// Lists of lanes as sequences. (Aliases over the per-graph tables: a static member per
// node here would be a variable named by the graph, which g++ names at a cost.)
template <class G, class T, std::size_t L, std::size_t K>
using dual_lanes_of = typename subset_sequence<lanes_of<L>(hessian_plan<G, T>.dual_lanes[K])>::type;
template <class G, class T, std::size_t L, std::size_t K>
using adjoint_lanes_of = typename subset_sequence<lanes_of<L>(hessian_plan<G, T>.adjoint_lanes[K])>::type;
template <class G, class T, std::size_t L, std::size_t K, std::size_t I>
using contributed_lanes_of = typename subset_sequence<lanes_of<L>(hessian_plan<G, T>.contributed[K][I])>::type;

template <class G, class T, std::size_t L, std::size_t K, std::size_t C, class Duals>
struct dual_operand_of;
template <class G, class T, std::size_t L, std::size_t K, std::size_t C, std::size_t... Lane>
struct dual_operand_of<G, T, L, K, C, std::index_sequence<Lane...>> {
    using type = dual_operand<C, std::integer_sequence<bool, depends<G, T>(C, Lane)...>>;
};

template <class G, class T, std::size_t L, std::size_t K, std::size_t I, class Lanes>
struct lane_pushes_of;
template <class G, class T, std::size_t L, std::size_t K, std::size_t I, std::size_t... Lane>
struct lane_pushes_of<G, T, L, K, I, std::index_sequence<Lane...>> {
    using type =
        type_list<lane_push<Lane, position_in(lanes_of<L>(hessian_plan<G, T>.dual_lanes[K]), Lane),
                            has_lane(hessian_plan<G, T>.partial_lanes[K][I], Lane),
                            has_lane(hessian_plan<G, T>.adjoint_lanes[K], Lane), has_lane(hessian_plan<G, T>.first[K][I], Lane)>...>;
};

template <class G, class T, std::size_t L, std::size_t K, class Operands>
struct operand_pushes_of;
template <class G, class T, std::size_t L, std::size_t K, std::size_t... I>
struct operand_pushes_of<G, T, L, K, std::index_sequence<I...>> {
    using type = type_list<operand_push<
        G::shapes[K].child[I], I, plan<G, T>.carries[K][I], reverse_plan<G, T>.first[K][I],
        typename lane_pushes_of<G, T, L, K, I, contributed_lanes_of<G, T, L, K, I>>::type>...>;
    template <class Duals>
    using duals = type_list<typename dual_operand_of<G, T, L, K, G::shapes[K].child[I], Duals>::type...,
                            typename dual_operand_of<G, T, L, K, K, Duals>::type>;
};

template <class G, class T, std::size_t L, std::size_t K>
struct second_key_of {
    using duals = dual_lanes_of<G, T, L, K>;
    using operands = operand_pushes_of<G, T, L, K, std::make_index_sequence<G::shapes[K].arity>>;
    using type =
        std::conditional_t<(G::shapes[K].arity > 0 && reverse_plan<G, T>.received[K]),
                           second_key<typename G::template step_at<K>, K, reverse_plan<G, T>.shielded[K],
                                      typename G::template children_at<K>, duals,
                                      typename operands::template duals<duals>,
                                      adjoint_lanes_of<G, T, L, K>,
                                      typename operands::type>,
                           no_step>;
};

// Filled one element at a time: nvcc's front end rejects the pack inside nested braces.
template <std::size_t... C>
constexpr child_positions child_array(std::index_sequence<C...>) {
    child_positions positions{};
    std::size_t i = 0;
    ((positions.at[i++] = C), ...);
    (void)i;
    return positions;
}

/// An operand's value as a dual over the node's dual lanes (structural zeros elsewhere).
template <class D, class T, std::size_t L, std::size_t... Lane, std::size_t C, bool... Dep>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr D dual_of(T const* vals, T const (*tans)[L], std::index_sequence<Lane...>,
                                                         dual_operand<C, std::integer_sequence<bool, Dep...>>) {
    return D(vals[C], {(Dep ? tans[C][Lane] : T(0))...});
}

/// The partials of a node on duals over its dual lanes: values and tangents at once.
template <class S, class T, std::size_t L, std::size_t... Lane, class... Operands>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr auto dual_partials(T const* vals, T const (*tans)[L],
                                                                  std::index_sequence<Lane...> lanes,
                                                                  type_list<Operands...>) {
    using D = dual<T, sizeof...(Lane)>;
    return S::op::partials(dual_of<D>(vals, tans, lanes, Operands{})...);
}

template <class T, std::size_t L, std::size_t K, std::size_t C, bool Shielded, class Pi, std::size_t Lane,
          std::size_t Slot, bool FromPartial, bool FromAdjoint, bool First>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int push_lane(Pi const& p, T const* adj, T (*adjt)[L],
                                                             [[maybe_unused]] bool cut,
                                                             lane_push<Lane, Slot, FromPartial, FromAdjoint, First>) {
    T term{};
    if constexpr (FromPartial) {
        term = adj[K] * p.t[Slot];
        if constexpr (FromAdjoint) term += scale(value_part(p), adjt[K][Lane]);
    } else {
        term = scale(value_part(p), adjt[K][Lane]);
    }
    if constexpr (Shielded)
        if (cut) term = T(0);
    if constexpr (First)
        adjt[C][Lane] = term;
    else
        adjt[C][Lane] += term;
    return 0;
}

template <class T, std::size_t L, std::size_t K, bool Shielded, class P, std::size_t C, std::size_t I, bool Carry,
          bool First, class... Lanes>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int push_second([[maybe_unused]] P const& ps, [[maybe_unused]] T* adj,
                                                               [[maybe_unused]] T (*adjt)[L], [[maybe_unused]] bool cut,
                                                               operand_push<C, I, Carry, First, type_list<Lanes...>>) {
    if constexpr (Carry) {
        auto const& p = get<I>(ps);
        T contribution = scale(value_part(p), adj[K]);
        if constexpr (Shielded)
            if (cut) contribution = T(0);
        if constexpr (First)
            adj[C] = contribution;
        else
            adj[C] += contribution;
        [[maybe_unused]] int const order[] = {0, push_lane<T, L, K, C, Shielded>(p, adj, adjt, cut, Lanes{})...};
    }
    return 0;
}

template <class T, std::size_t L, std::size_t K, std::size_t... Lane>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr bool adjoint_is_zero(T const* adj, [[maybe_unused]] T const (*adjt)[L],
                                                                    std::index_sequence<Lane...>) {
    return is_exact_zero(adj[K]) && (is_exact_zero(adjt[K][Lane]) && ...);
}

template <class T, std::size_t L, std::size_t K, bool Shielded, class P, class... Pushes>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void push_all(P const& p, T* adj, T (*adjt)[L], bool cut,
                                                             type_list<Pushes...>) {
    [[maybe_unused]] int const order[] = {0, push_second<T, L, K, Shielded>(p, adj, adjt, cut, Pushes{})...};
}

template <class T, std::size_t L, class S, std::size_t K, bool Shielded, class Children, std::size_t... Dual,
          class Operands, class AdjointLanes, class Pushes>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int second_step(
    T const* vals, [[maybe_unused]] T const (*tans)[L], T* adj, T (*adjt)[L],
    second_key<S, K, Shielded, Children, std::index_sequence<Dual...>, Operands, AdjointLanes, Pushes>) {
    // Below a select, an adjoint that is exactly 0 with all its lanes (a branch not
    // taken) passes 0, whatever the partials (as masked_scale in the reverse sweep).
    bool cut = false;
    if constexpr (Shielded) cut = adjoint_is_zero<T, L, K>(adj, adjt, AdjointLanes{});
    if constexpr (sizeof...(Dual) == 0)
        push_all<T, L, K, Shielded>(node_partials<S>(vals, K, child_array(Children{})), adj, adjt, cut, Pushes{});
    else
        push_all<T, L, K, Shielded>(dual_partials<S>(vals, tans, std::index_sequence<Dual...>{}, Operands{}), adj,
                                    adjt, cut, Pushes{});
    return 0;
}
template <class T, std::size_t L>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int second_step(T const*, T const (*)[L], T*, T (*)[L], no_step) {
    return 0;
}

template <class G, class T, std::size_t L, std::size_t... J>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void second_sweep(T const* vals, T const (*tans)[L], T* adj,
                                                                 T (*adjt)[L], std::index_sequence<J...>) {
    [[maybe_unused]] int const order[] = {
        0, second_step(vals, tans, adj, adjt, typename second_key_of<G, T, L, G::size - 1 - J>::type{})...};
}

/// An input's row of the Hessian: its adjoint lanes on or above the diagonal, and which assign.
template <std::size_t K, std::size_t Slot, class Lanes, class First>
struct hessian_row_key {};

template <class G, class T, std::size_t L, std::size_t K, class Lanes>
struct hessian_row_of;
template <class G, class T, std::size_t L, std::size_t K, std::size_t... Lane>
struct hessian_row_of<G, T, L, K, std::index_sequence<Lane...>> {
    using type = hessian_row_key<K, G::shapes[K].slot, std::index_sequence<Lane...>,
                                 std::integer_sequence<bool, has_lane(hessian_plan<G, T>.first_entry[K], Lane)...>>;
};

template <class G, class T, std::size_t L, std::size_t K>
struct hessian_row_key_of {
    using type = std::conditional_t<
        (G::shapes[K].is_var && reverse_plan<G, T>.received[K]),
        typename hessian_row_of<G, T, L, K, adjoint_lanes_of<G, T, L, K>>::type,
        no_step>;
};

template <class T, std::size_t L, std::size_t N, std::size_t K, std::size_t Slot, std::size_t... Lane, bool... First>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int gather_row(
    [[maybe_unused]] T const (*adjt)[L], [[maybe_unused]] matrix<T, N, N>& h,
    hessian_row_key<K, Slot, std::index_sequence<Lane...>, std::integer_sequence<bool, First...>>) {
    [[maybe_unused]] int const order[] = {
        0, (Lane >= Slot ? (First ? void(h(Slot, Lane) = adjt[K][Lane]) : void(h(Slot, Lane) += adjt[K][Lane])) : void(),
            0)...};
    return 0;
}
template <class T, std::size_t L, std::size_t N>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr int gather_row(T const (*)[L], matrix<T, N, N>&, no_step) {
    return 0;
}

template <class G, class T, std::size_t L, std::size_t N, std::size_t... K>
TYPEGRAD_HOST_DEVICE TYPEGRAD_INLINE constexpr void gather_hessian(T const (*adjt)[L], matrix<T, N, N>& h,
                                                                   std::index_sequence<K...>) {
    [[maybe_unused]] int const order[] = {0, gather_row(adjt, h, typename hessian_row_key_of<G, T, L, K>::type{})...};
}

template <class F, class T, std::size_t N>
constexpr hessian_result<T, N> hessian_at(F const& f, std::array<T, N> const& x) {
    auto const e = detail::to_expression<N>(f);
    using G = graph<std::remove_cvref_t<decltype(e)>>;
    static_assert(check_inputs<G, N>());
    constexpr std::size_t L = N == 0 ? 1 : N;
    T vals[G::size];
    T tans[G::size][L];
    detail::forward_unit<G, T, L>(e, x.data(), vals, tans);
    T adj[G::size];
    T adjt[G::size][L];
    if constexpr (plan<G, T>.active[G::root]) adj[G::root] = T(1);
    second_sweep<G, T, L>(vals, tans, adj, adjt, std::make_index_sequence<G::size>{});
    hessian_result<T, N> r{vals[G::root], gather_gradient<G, T, std::index_sequence<G::root>, N>(adj), {}};
    gather_hessian<G, T, L>(adjt, r.hessian, std::make_index_sequence<G::size>{});
    for (std::size_t i = 0; i < N; ++i)
        for (std::size_t j = i + 1; j < N; ++j) r.hessian(j, i) = r.hessian(i, j);
    return r;
}

template <class F, class T, std::size_t N>
constexpr hvp_result<T, N> hvp_at(F const& f, std::array<T, N> const& x, std::array<T, N> const& v) {
    using D = dual<T, 1>;
    std::array<D, N> xd{};
    for (std::size_t i = 0; i < N; ++i) xd[i] = D(x[i], {v[i]});
    auto const g = detail::gradient_at<reverse>(f, xd);
    hvp_result<T, N> r{g.value.v, {}, {}};
    for (std::size_t i = 0; i < N; ++i) {
        r.gradient[i] = g.gradient[i].v;
        r.hvp[i] = g.gradient[i].t[0];
    }
    return r;
}

}  // namespace detail

/// Value, gradient and (symmetric) Hessian: `auto [v, g, H] = tg::hessian(f, x, y);`, H(i, j).
template <class F, class... Args>
constexpr auto hessian(F const& f, Args const&... args) {
    return detail::hessian_at(f, detail::make_point(args...));
}

/// Value, gradient and H v in one forward-over-reverse pass.
template <class F, class A, class B, std::size_t N>
constexpr auto hvp(F const& f, std::array<A, N> const& point, std::array<B, N> const& v) {
    auto const x = detail::make_point(point);
    using T = typename decltype(x)::value_type;
    std::array<T, N> w{};
    for (std::size_t i = 0; i < N; ++i) w[i] = static_cast<T>(v[i]);
    return detail::hvp_at(f, x, w);
}

}  // namespace typegrad
