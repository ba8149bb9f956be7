// typegrad/exec/program/plan.hpp: the compile-time plan of an array program.
//
// An array program is an expression whose variables are bound to arrays. Its graph
// (core/graph.hpp) is classified node by node:
//   input        a variable: read in place from the caller's array;
//   constant     a compile-time or run-time number, folded into the loops;
//   elementwise  a scalar operation applied element by element (NumPy broadcasting);
//   array        an array operation (a matrix product, a reduction over an axis, ...);
//   view         an array operation whose result is a view of its operand (a slice);
//   fused_sum    a sum or mean over every element: run inside the loop of its operand.
// A *stage* is a node whose value is stored (a buffer, a view, or the caller's
// output): every array, view and fused_sum node, and an element-wise node where a
// fused loop must end (an operand of an array operation, an output of the program,
// or a value that depends on no array element, such as log(sigma), computed once).
// Every other element-wise node is computed inside the fused loops (regions) of the
// stages that use it, so no temporary exists for it.
//
// A region is the element-wise expression of one stage, rewritten so that its
// leaves are variables: slots 0..N-1 are the inputs, slot N + m is stage m. It runs
// with the scalar passes of modes/, element by element (exec/program/region.hpp).
// Everything here is constexpr data computed from the types.
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "../../core/graph.hpp"
#include "../../ops/array_operation.hpp"
#include "../../ops/reduce.hpp"

namespace typegrad::detail::program {

enum class kind : unsigned char { input, constant, elementwise, array, view, fused_sum };

inline constexpr std::size_t none = static_cast<std::size_t>(-1);

template <class Op>
inline constexpr bool is_fused_sum = false;
template <ops::reduction_kind K, bool Keep>
inline constexpr bool is_fused_sum<ops::reduce<K, ops::all_axes, Keep>> =
    K == ops::reduction_kind::sum || K == ops::reduction_kind::mean;

template <class Op, std::size_t I>
constexpr bool is_index_operand() {
    if constexpr (requires { Op::index_operand(I); })
        return Op::index_operand(I);
    else
        return false;
}

template <class N>
constexpr kind kind_of() {
    if constexpr (is_var<N>::value)
        return kind::input;
    else if constexpr (!is_node<N>::value)
        return kind::constant;
    else if constexpr (is_fused_sum<typename N::op>)
        return kind::fused_sum;
    else if constexpr (view_operation<typename N::op>)
        return kind::view;
    else if constexpr (array_operation<typename N::op>)
        return kind::array;
    else
        return kind::elementwise;
}

/// Does the expression (or outputs pack) hold array operations (so it must run as an
/// array program, not element by element)?
template <class E>
inline constexpr bool has_array_operations = []<class... Es>(type_list<Es...>) {
    return ((kind_of<typename Es::node>() == kind::array || kind_of<typename Es::node>() == kind::view ||
             kind_of<typename Es::node>() == kind::fused_sum) || ...);
}(typename graph<E>::entries{});

/// What the plan is computed from: the graph and the inputs' ranks and element types.
template <class Root, class... In>
struct program_base {
    using root_type = Root;
    using graph_type = graph<Root>;
    static constexpr std::size_t size = graph_type::size;
    static constexpr std::size_t inputs = sizeof...(In);
    static constexpr std::array<std::size_t, inputs == 0 ? 1 : inputs> input_rank{In::rank...};
    template <std::size_t K>
    using node_at = typename graph_type::template entry_at<K>::node;
};

template <class B, std::size_t K>
constexpr std::size_t rank_rule();

/// The rank of entry K (recursive over children; memoised by the variable template).
template <class B, std::size_t K>
inline constexpr std::size_t rank_at = rank_rule<B, K>();

template <class B, std::size_t K>
constexpr std::size_t rank_rule() {
    using N = typename B::template node_at<K>;
    if constexpr (is_var<N>::value)
        return B::input_rank[N::slot];
    else if constexpr (!is_node<N>::value)
        return 0;
    else if constexpr (array_operation<typename N::op>)
        return []<std::size_t... I>(std::index_sequence<I...>) {
            return N::op::template rank<rank_at<B, B::graph_type::shapes[K].child[I]>...>();
        }(std::make_index_sequence<N::arity>{});
    else {
        return []<std::size_t... I>(std::index_sequence<I...>) {
            std::size_t const r[] = {rank_at<B, B::graph_type::shapes[K].child[I]>...};
            std::size_t m = 0;
            for (std::size_t v : r)
                if (m < v) m = v;
            return m;
        }(std::make_index_sequence<N::arity>{});
    }
}

/// Is operand I of entry K an index operand (integers read as given, no derivative)?
template <class B, std::size_t K, std::size_t I>
constexpr bool index_operand_at() {
    using N = typename B::template node_at<K>;
    if constexpr (is_node<N>::value) {
        if constexpr (I < N::arity)
            return is_index_operand<typename N::op, I>();
        else
            return false;
    } else
        return false;
}

template <class B>
struct plan_tables {
    static constexpr std::size_t n = B::size;
    std::array<kind, n> kinds{};
    std::array<std::size_t, n> rank{};
    std::array<bool, n> stage{};          // has a stored value
    std::array<std::size_t, n> stage_index{};  // its index among stages, or none
    std::array<std::size_t, n> slot{};    // region slot of a frontier node (input or stage), or none
    std::array<bool, n> is_output{};
    std::array<std::array<bool, max_arity>, n> index_operand{};
    std::size_t stages = 0;
    std::array<std::size_t, n> stage_pos{};  // position of stage m (first `stages` entries)
    // Inputs used only as index operands (integer labels) do not set the computation type.
    std::array<bool, B::inputs == 0 ? 1 : B::inputs> index_only{};
};

template <class B>
constexpr plan_tables<B> make_tables() {
    using G = typename B::graph_type;
    constexpr std::size_t n = B::size;
    plan_tables<B> t{};
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((t.kinds[K] = kind_of<typename B::template node_at<K>>()), ...);
        ((t.rank[K] = rank_at<B, K>), ...);
    }(std::make_index_sequence<n>{});
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        auto row = [&]<std::size_t Kk, std::size_t... I>(std::integral_constant<std::size_t, Kk>,
                                                          std::index_sequence<I...>) {
            ((t.index_operand[Kk][I] = index_operand_at<B, Kk, I>()), ...);
        };
        (row(std::integral_constant<std::size_t, K>{}, std::make_index_sequence<max_arity>{}), ...);
    }(std::make_index_sequence<n>{});
    for (std::size_t o : G::outputs) t.is_output[o] = true;
    // Stages: where a fused loop must end.
    for (std::size_t k = 0; k < n; ++k) {
        kind const kk = t.kinds[k];
        bool s = kk == kind::array || kk == kind::view || kk == kind::fused_sum;
        if (kk == kind::elementwise) {
            if (t.is_output[k]) s = true;
            for (std::size_t j = k + 1; j < n; ++j)
                for (std::size_t i = 0; i < G::shapes[j].arity; ++i) {
                    if (G::shapes[j].child[i] != k) continue;
                    kind const cj = t.kinds[j];
                    if (cj == kind::array || cj == kind::view) s = true;
                    if (cj == kind::elementwise && t.rank[k] == 0 && t.rank[j] > 0) s = true;  // hoisted
                }
        }
        t.stage[k] = s;
    }
    for (std::size_t k = 0; k < n; ++k) {
        t.stage_index[k] = none;
        t.slot[k] = none;
        if (t.stage[k]) {
            t.stage_index[k] = t.stages;
            t.stage_pos[t.stages] = k;
            t.slot[k] = B::inputs + t.stages;
            ++t.stages;
        } else if (t.kinds[k] == kind::input)
            t.slot[k] = G::shapes[k].slot;
    }
    for (std::size_t i = 0; i < B::inputs; ++i) {
        bool used = false, as_index = false;
        for (std::size_t j = 0; j < n; ++j)
            for (std::size_t c = 0; c < G::shapes[j].arity; ++c) {
                std::size_t const ch = G::shapes[j].child[c];
                if (t.kinds[ch] != kind::input || G::shapes[ch].slot != i) continue;
                if (t.index_operand[j][c])
                    as_index = true;
                else
                    used = true;
            }
        t.index_only[i] = as_index && !used;
    }
    return t;
}

template <class B>
inline constexpr plan_tables<B> tables = make_tables<B>();

}  // namespace typegrad::detail::program
