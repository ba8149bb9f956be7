// typegrad/exec/program/run.hpp: evaluating an array program: shapes, values, adjoints.
//
// One call runs in four steps, each a loop over the compile-time plan:
//   1. shapes: every node's shape from the inputs' (broadcasting, each array
//      operation's shape rule); every error is raised here, before anything is written;
//   2. values: each stage in topological order (a fused region, an array operation,
//      a view, a fused sum), into buffers taken from the workspace;
//   3. adjoints (gradient calls): each stage in reverse order sends its adjoint to the
//      stages and inputs its value was computed from: a region by its fused reverse
//      loop, an array operation by its vjp rule; a view's adjoint is the view of its
//      operand's adjoint, so nothing is copied for it;
//   4. gradients staged for strided sinks are copied into them.
#pragma once

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../../io/to_string.hpp"
#include "../../modes/gradient.hpp"
#include "../../modes/values.hpp"
#include "plan.hpp"
#include "region.hpp"
#include "workspace.hpp"

namespace typegrad::detail::program {

/// The number type of a program: the common type of its inputs' elements (integers
/// count as double), leaving out inputs used only as indices (integer labels).
template <class B, class... In>
constexpr auto computation_tag() {
    constexpr auto& t = tables<B>;
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        using R = number_type<std::conditional_t<t.index_only[I], double, std::remove_const_t<typename In::element_type>>...>;
        if constexpr (sizeof...(I) == 0)
            return std::type_identity<double>{};
        else
            return std::type_identity<R>{};
    }(std::index_sequence_for<In...>{});
}

template <class P, std::size_t K>
struct value_elem_of;

/// Everything about one program (root type, input types) known at compile time.
template <class Root, class... In>
struct program {
    using base = program_base<Root, In...>;
    using G = typename base::graph_type;
    static constexpr auto const& t = tables<base>;
    static constexpr std::size_t N = sizeof...(In);
    static constexpr std::size_t M = t.stages;
    static constexpr std::size_t S = N + M;
    using T = typename decltype(computation_tag<base, In...>())::type;
    using inputs_type = std::tuple<In...>;

    template <std::size_t K>
    static constexpr std::size_t rank_of = t.rank[K];
    template <std::size_t K>
    using node_at = typename G::template entry_at<K>::node;
    template <std::size_t K>
    using path_at = typename G::template entry_at<K>::path;

    template <std::size_t m>
    using stage_ref = array_ref<typename value_elem_of<program, t.stage_pos[m]>::type const, t.rank[t.stage_pos[m]]>;
    template <std::size_t m>
    using stage_adjoint = array_ref<T, t.rank[t.stage_pos[m]]>;

    template <class Seq>
    struct leaves_of;
    template <std::size_t... m>
    struct leaves_of<std::index_sequence<m...>> {
        using type = std::tuple<In..., stage_ref<m>...>;
        using adjoints = std::tuple<array_ref<T, In::rank>..., stage_adjoint<m>...>;
        using tangents = std::tuple<array_ref<T const, In::rank>..., array_ref<T const, t.rank[t.stage_pos[m]]>...>;
    };
    /// One array per slot: the inputs, then every stage's value.
    using leaves_type = typename leaves_of<std::make_index_sequence<M>>::type;
    /// One adjoint array per slot (contiguous, row-major; views point into their operand's).
    using adjoints_type = typename leaves_of<std::make_index_sequence<M>>::adjoints;
    /// One tangent array per slot (forward mode), of the slot's shape.
    using tangents_type = typename leaves_of<std::make_index_sequence<M>>::tangents;

    static constexpr std::size_t slot_of(std::size_t k) { return t.slot[k]; }

};

template <class P, std::size_t K>
struct value_elem_of {
    static constexpr auto const& t = P::t;
    static constexpr auto pick() {
        if constexpr (t.kinds[K] == kind::input)
            return std::type_identity<
                std::remove_const_t<typename std::tuple_element_t<P::G::shapes[K].slot, typename P::inputs_type>::element_type>>{};
        else if constexpr (t.kinds[K] == kind::view)
            return std::type_identity<typename value_elem_of<P, P::G::shapes[K].child[0]>::type>{};
        else
            return std::type_identity<typename P::T>{};
    }
    using type = typename decltype(pick())::type;
};

// ---------------------------------------------------------------------------------
// Regions: the element-wise expression of a stage with frontier nodes as variables.

template <class B, class Path, class C>
constexpr auto rewrite_child(C const& c);

template <class B, class Path, class N, std::size_t... I>
constexpr auto rewrite_node(N const& n, std::index_sequence<I...>) {
    return make_node_with(n.operation(),
                          rewrite_child<B, typename path_append<Path, I>::type>(n.template child<I>())...);
}

template <class B, class Path, class C>
constexpr auto rewrite_child(C const& c) {
    constexpr std::size_t k = index_of<typename B::graph_type::key_map, node_key<C, Path>>;
    constexpr auto const& t = tables<B>;
    if constexpr (t.slot[k] != none)
        return var<t.slot[k]>{};
    else if constexpr (t.kinds[k] == kind::constant)
        return c;
    else
        return rewrite_node<B, Path>(c, std::make_index_sequence<C::arity>{});
}

/// The region of the stage at position K: its own element-wise expression, or, for a
/// fused sum, the expression of its operand.
template <class B, std::size_t K, class Root>
constexpr auto region_expression(Root const& root) {
    using Entry = typename B::graph_type::template entry_at<K>;
    auto const n = at_path(root, typename Entry::path{});
    if constexpr (tables<B>.kinds[K] == kind::fused_sum)
        return rewrite_child<B, typename path_append<typename Entry::path, 0>::type>(n.template child<0>());
    else
        return rewrite_node<B, typename Entry::path>(n, std::make_index_sequence<decltype(n)::arity>{});
}

/// The slots a stage's region reads, numbered compactly: the region's expression uses
/// var<c> for global slot global[c], so its points, adjoints and buffers have one entry
/// per slot it reads, not one per slot of the program.
template <class B, std::size_t K, std::size_t S>
struct region_slots {
    using global_expression = std::remove_cvref_t<decltype(region_expression<B, K>(
        std::declval<typename B::root_type const&>()))>;
    static constexpr auto read = slots_read<graph<global_expression>, S>();
    static constexpr std::size_t count = [] {
        std::size_t c = 0;
        for (std::size_t q = 0; q < S; ++q) c += read[q];
        return c;
    }();
    static constexpr auto global = [] {
        std::array<std::size_t, count == 0 ? 1 : count> g{};
        std::size_t c = 0;
        for (std::size_t q = 0; q < S; ++q)
            if (read[q]) g[c++] = q;
        return g;
    }();
    static constexpr auto compact = [] {
        std::array<std::size_t, S == 0 ? 1 : S> m{};
        for (std::size_t q = 0; q < S; ++q) m[q] = none;
        for (std::size_t c = 0; c < count; ++c) m[global[c]] = c;
        return m;
    }();
};

template <class P, std::size_t K>
using slots_of = region_slots<typename P::base, K, P::S>;

template <class Info, class E>
constexpr auto renumber(E const& e);
template <class Info, class N, std::size_t... I>
constexpr auto renumber_node(N const& n, std::index_sequence<I...>) {
    return make_node_with(n.operation(), renumber<Info>(n.template child<I>())...);
}
template <class Info, class E>
constexpr auto renumber(E const& e) {
    if constexpr (is_var<E>::value)
        return var<Info::compact[E::slot]>{};
    else if constexpr (is_node<E>::value)
        return renumber_node<Info>(e, std::make_index_sequence<E::arity>{});
    else
        return e;
}

/// Entries global[c] of a tuple with one entry per slot: the region's own leaves.
template <class Info, class Tuple>
auto pick_slots(Tuple const& t) {
    return [&]<std::size_t... c>(std::index_sequence<c...>) {
        return std::tuple{std::get<Info::global[c]>(t)...};
    }(std::make_index_sequence<Info::count>{});
}

// ---------------------------------------------------------------------------------
// Errors: built only when thrown.

template <class P, std::size_t K>
[[noreturn]] void operation_error(typename P::base::root_type const& root, dims const* shapes, char const* why) {
    using N = typename P::template node_at<K>;
    constexpr entry_shape s = P::G::shapes[K];
    std::string msg = "typegrad: " + to_string(at_path(root, typename P::template path_at<K>{})) + ": " + why +
                      " (operand shape" + (s.arity > 1 ? "s " : " ");
    for (std::size_t i = 0; i < N::arity; ++i) {
        if (i) msg += " and ";
        msg += to_string(shapes[s.child[i]]);
    }
    throw std::invalid_argument(msg + ")");
}

// ---------------------------------------------------------------------------------
// The run-time state of one call.

template <class P>
struct state {
    using T = typename P::T;
    dims shape[P::G::size];
    typename P::leaves_type leaves{};
    typename P::adjoints_type adjoints{};
    typename P::tangents_type tangents{};
    // Gradient calls: a fused sum before the root keeps its region's adjoints for a unit
    // seed (computed with its value), so the reverse pass only scales them.
    std::array<std::array<T*, P::S == 0 ? 1 : P::S>, P::M == 0 ? 1 : P::M> saved{};
    T result{};
};

/// An index operand (integer labels or indices) must be an input; its values are
/// checked by the operation (`check_index<I>(indices, shape of operand 0)`).
template <class P, std::size_t K, std::size_t I, class Root>
void check_index_operand(Root const& root, state<P> const& st) {
    constexpr entry_shape s = P::G::shapes[K];
    if constexpr (P::t.index_operand[K][I]) {
        static_assert(P::t.kinds[s.child[I]] == kind::input,
                      "typegrad: an index operand (integer labels or indices) must be an input array");
        if constexpr (P::t.kinds[s.child[I]] == kind::input) {
            auto const n = at_path(root, typename P::template path_at<K>{});
            char const* why = n.operation().template check_index<I>(
                std::get<P::G::shapes[s.child[I]].slot>(st.leaves), st.shape[s.child[0]]);
            if (why) operation_error<P, K>(root, st.shape, why);
        }
    }
}

/// The region of stage K over its own slots of `tuple` (values: st.leaves).
template <class P, std::size_t K, class Root, class Leaves>
auto stage_region(Root const& root, Leaves const& leaves, dims const& it) {
    using info = slots_of<P, K>;
    return make_region(renumber<info>(region_expression<typename P::base, K>(root)), leaves, it);
}

template <class P, std::size_t K, class Root>
void shape_step(Root const& root, state<P>& st) {
    using N = typename P::template node_at<K>;
    constexpr entry_shape s = P::G::shapes[K];
    constexpr kind k = P::t.kinds[K];
    if constexpr (k == kind::input)
        st.shape[K] = array_shape(std::get<s.slot>(st.leaves));
    else if constexpr (k == kind::constant)
        st.shape[K] = dims{};
    else if constexpr (k == kind::elementwise) {
        dims r = st.shape[s.child[0]];
        for (std::size_t i = 1; i < s.arity; ++i)
            if (!try_broadcast(r, st.shape[s.child[i]], r))
                operation_error<P, K>(root, st.shape, "the operands' shapes cannot be broadcast together");
        (void)checked_size(r);  // an element count beyond std::ptrdiff_t is refused here
        st.shape[K] = r;
    } else {
        auto const n = at_path(root, typename P::template path_at<K>{});
        shape_result const res = [&]<std::size_t... I>(std::index_sequence<I...>) {
            return n.operation().shape(st.shape[s.child[I]]...);
        }(std::make_index_sequence<N::arity>{});
        if (res.error) operation_error<P, K>(root, st.shape, res.error);
        (void)checked_size(res.shape);
        st.shape[K] = res.shape;
        // Index operands (integer labels) are inputs: checked against their range here.
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (check_index_operand<P, K, I>(root, st), ...);
        }(std::make_index_sequence<N::arity>{});
    }
}

template <class P, class Root, std::size_t... K>
void shapes_of(Root const& root, state<P>& st, std::index_sequence<K...>) {
    (shape_step<P, K>(root, st), ...);
}

/// The array operand: an input as given, or a stage's value.
template <class P, std::size_t K>
decltype(auto) operand_value(state<P> const& st) {
    static_assert(P::t.slot[K] != none,
                  "typegrad: an operand of an array operation must be an array expression (a number here)");
    return std::get<P::t.slot[K]>(st.leaves);
}

template <class P, std::size_t K>
auto operand_adjoint(state<P> const& st) {
    return std::get<P::t.slot[K]>(st.adjoints);
}

/// An array operation that asks for scratch memory (ops/array_operation.hpp) gets it from
/// the workspace as the last argument of value, vjp and jvp; it is given back when the
/// rule returns. f(scratch...) is called with that pointer, or with nothing.
template <class P, std::size_t K, class Op, class F>
void with_scratch(workspace& ws, state<P> const& st, Op const& op, F const& f) {
    if constexpr (scratch_operation<Op>) {
        constexpr entry_shape s = P::G::shapes[K];
        workspace_scope const scope(ws);
        std::ptrdiff_t const count = [&]<std::size_t... I>(std::index_sequence<I...>) {
            return static_cast<std::ptrdiff_t>(op.scratch(st.shape[s.child[I]]...));
        }(std::make_index_sequence<s.arity>{});
        f(detail::take<typename P::T>(ws, count));
    } else {
        (void)ws, (void)st, (void)op;
        f();
    }
}

// ---------------------------------------------------------------------------------
// Values.

template <class P, std::size_t m, class Root>
void value_stage(cpu_options o, workspace& ws, Root const& root, state<P>& st) {
    using T = typename P::T;
    constexpr std::size_t K = P::t.stage_pos[m];
    constexpr std::size_t R = P::t.rank[K];
    constexpr kind k = P::t.kinds[K];
    constexpr entry_shape s = P::G::shapes[K];
    using N = typename P::template node_at<K>;
    dims const& shape = st.shape[K];
    auto& out = std::get<P::N + m>(st.leaves);
    if constexpr (k == kind::view) {
        auto const n = at_path(root, typename P::template path_at<K>{});
        out = n.operation().view(operand_value<P, s.child[0]>(st), shape);
    } else {
        T* const data = detail::take<T>(ws, shape.size());
        array_ref<T, R> y = row_major<T, R>(data, shape);
        if constexpr (k == kind::elementwise) {
            auto const leaves = pick_slots<slots_of<P, K>>(st.leaves);
            auto const reg = stage_region<P, K>(root, leaves, shape);
            region_values(o, reg, y);
        } else if constexpr (k == kind::fused_sum) {
            auto const leaves = pick_slots<slots_of<P, K>>(st.leaves);
            auto const reg = stage_region<P, K>(root, leaves, st.shape[s.child[0]]);
            T v = region_sum<T>(o, ws, reg);
            if constexpr (N::op::kind == ops::reduction_kind::mean) v /= static_cast<T>(reg.layout.count);
            data[0] = v;
        } else {
            auto const n = at_path(root, typename P::template path_at<K>{});
            with_scratch<P, K>(ws, st, n.operation(), [&](auto*... scratch) {
                [&]<std::size_t... I>(std::index_sequence<I...>) {
                    n.operation().value(y, operand_value<P, s.child[I]>(st)..., scratch...);
                }(std::make_index_sequence<N::arity>{});
            });
        }
        out = typename P::template stage_ref<m>(y);
    }
}

template <class P, class Root, std::size_t... m>
void values_of([[maybe_unused]] cpu_options o, [[maybe_unused]] workspace& ws, [[maybe_unused]] Root const& root,
               [[maybe_unused]] state<P>& st, std::index_sequence<m...>) {
    (value_stage<P, m>(o, ws, root, st), ...);
}

// ---------------------------------------------------------------------------------
// Adjoints.

/// Which entries carry an adjoint: those that depend on a wanted input.
template <class Sinks, std::size_t N>
constexpr std::array<bool, N == 0 ? 1 : N> wanted_of() {
    std::array<bool, N == 0 ? 1 : N> w{};
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((w[I] = !is_skip<std::tuple_element_t<I, Sinks>>), ...);
    }(std::make_index_sequence<N>{});
    return w;
}

/// (Sinks is the type of the gradient sinks: a type, not an array of flags, because
/// g++ 12 confuses instantiations on template arguments of class type.)
template <class P, class Sinks>
constexpr std::array<bool, P::G::size> activity() {
    constexpr auto Wanted = wanted_of<Sinks, P::N>();
    std::array<bool, P::G::size> a{};
    for (std::size_t k = 0; k < P::G::size; ++k) {
        auto const& s = P::G::shapes[k];
        if (P::t.kinds[k] == kind::input)
            a[k] = Wanted[s.slot];
        else
            for (std::size_t i = 0; i < s.arity; ++i)
                if (!P::t.index_operand[k][i] && a[s.child[i]]) a[k] = true;
    }
    return a;
}

template <class P, class Sinks>
inline constexpr auto active = activity<P, Sinks>();

/// Is slot q active (an entry that carries an adjoint or a tangent has that slot)?
template <class P, class Sinks>
constexpr bool slot_active(std::size_t q) {
    for (std::size_t k = 0; k < P::G::size; ++k)
        if (P::t.slot[k] == q && active<P, Sinks>[k]) return true;
    return false;
}

/// The region's own slots (compact numbering) whose adjoints (or tangents) it handles.
template <class P, class Sinks, class Info>
struct region_targets {
    static constexpr auto value = [] {
        std::array<bool, Info::count == 0 ? 1 : Info::count> r{};
        for (std::size_t c = 0; c < Info::count; ++c) r[c] = slot_active<P, Sinks>(Info::global[c]);
        return r;
    }();
};

/// Which slots each stage's reverse step sends adjoints to.
template <class P, class Sinks>
constexpr auto reverse_reads() {
    std::array<std::array<bool, P::S == 0 ? 1 : P::S>, P::M == 0 ? 1 : P::M> r{};
    [&]<std::size_t... m>(std::index_sequence<m...>) {
        (([&] {
             constexpr std::size_t K = P::t.stage_pos[m];
             constexpr kind k = P::t.kinds[K];
             if constexpr (k == kind::elementwise || k == kind::fused_sum) {
                 for (std::size_t q = 0; q < P::S; ++q) r[m][q] = slots_of<P, K>::read[q];
             } else if constexpr (k == kind::array) {
                 for (std::size_t i = 0; i < P::G::shapes[K].arity; ++i)
                     if (!P::t.index_operand[K][i] && P::t.slot[P::G::shapes[K].child[i]] != none)
                         r[m][P::t.slot[P::G::shapes[K].child[i]]] = true;
             }
         }()),
         ...);
    }(std::make_index_sequence<P::M>{});
    return r;
}

/// The first contribution to an adjoint (in the reverse order of the stages) writes it
/// instead of adding to zeros, when it comes from a region, covers the whole adjoint
/// (the slot is the stage or input itself, not a view of it) and no other slot of that
/// region reaches the same storage. Storage whose first contribution writes is not
/// zeroed beforehand.
template <class P, class Sinks>
struct contribution_plan {
    static constexpr std::size_t S = P::S == 0 ? 1 : P::S;
    std::array<std::array<bool, S>, P::M == 0 ? 1 : P::M> assign{};
    std::array<bool, S> zero{};
};

template <class P>
constexpr std::size_t base_slot(std::size_t q) {
    while (q >= P::N) {
        std::size_t const K = P::t.stage_pos[q - P::N];
        if (P::t.kinds[K] != kind::view) break;
        q = P::t.slot[P::G::shapes[K].child[0]];
    }
    return q;
}

template <class P, class Sinks>
constexpr contribution_plan<P, Sinks> make_contribution_plan() {
    contribution_plan<P, Sinks> c{};
    constexpr auto reads = reverse_reads<P, Sinks>();
    constexpr auto const& act = active<P, Sinks>;
    auto slot_active = [&](std::size_t q) { return detail::program::slot_active<P, Sinks>(q); };
    std::array<bool, contribution_plan<P, Sinks>::S> touched{}, assigned{};
    for (std::size_t m = P::M; m-- > 0;) {
        std::size_t const K = P::t.stage_pos[m];
        kind const k = P::t.kinds[K];
        if (!act[K] || k == kind::view) continue;
        bool const region = k == kind::elementwise || k == kind::fused_sum;
        std::array<std::size_t, contribution_plan<P, Sinks>::S> uses{};
        for (std::size_t q = 0; q < P::S; ++q)
            if (reads[m][q] && slot_active(q)) ++uses[base_slot<P>(q)];
        for (std::size_t q = 0; q < P::S; ++q) {
            if (!reads[m][q] || !slot_active(q)) continue;
            std::size_t const b = base_slot<P>(q);
            if (region && !touched[b] && uses[b] == 1 && b == q) {
                c.assign[m][q] = true;
                assigned[b] = true;
            }
            touched[b] = true;
        }
    }
    for (std::size_t q = 0; q < P::S; ++q) c.zero[q] = !assigned[q];
    return c;
}

template <class P, class Sinks>
inline constexpr contribution_plan<P, Sinks> contributions = make_contribution_plan<P, Sinks>();

template <class P, class Info, class Want, std::size_t... c>
void region_target_list(state<P> const& st, dims const& it, adjoint_target<typename P::T>* out,
                        std::index_sequence<c...>) {
    ((Want::value[c] ? void(out[c] = make_target(std::get<Info::global[c]>(st.adjoints), it)) : void()), ...);
}

template <class P, class Sinks, std::size_t m, class Root>
void adjoint_stage(cpu_options o, workspace& ws, Root const& root, state<P>& st, bool root_value_from_here) {
    using T = typename P::T;
    constexpr std::size_t K = P::t.stage_pos[m];
    constexpr kind k = P::t.kinds[K];
    constexpr entry_shape s = P::G::shapes[K];
    using N = typename P::template node_at<K>;
    if constexpr (!active<P, Sinks>[K] || k == kind::view) {
        (void)o, (void)ws, (void)root, (void)st, (void)root_value_from_here;
    } else {
        auto const ybar = std::get<P::N + m>(st.adjoints);
        if constexpr (k == kind::elementwise || k == kind::fused_sum) {
            using info = slots_of<P, K>;
            constexpr std::size_t C = info::count == 0 ? 1 : info::count;
            dims const& it = k == kind::fused_sum ? st.shape[s.child[0]] : st.shape[K];
            auto const leaves = pick_slots<info>(st.leaves);
            auto const reg = stage_region<P, K>(root, leaves, it);
            using want = region_targets<P, Sinks, info>;
            adjoint_target<T> targets[C];
            region_target_list<P, info, want>(st, it, targets, std::make_index_sequence<info::count>{});
            for (std::size_t c = 0; c < info::count; ++c)
                targets[c].assign = contributions<P, Sinks>.assign[m][info::global[c]];
            if constexpr (k == kind::fused_sum && m + 1 != P::M) {
                // Its adjoints for a unit seed were kept by the value pass: scale them.
                T w = ybar.data[0];
                if constexpr (N::op::kind == ops::reduction_kind::mean) w /= static_cast<T>(it.size());
                for (std::size_t c = 0; c < info::count; ++c)
                    if (want::value[c]) scale_into(targets[c], st.saved[m][c], w);
                (void)root_value_from_here;
                return;
            }
            seed<T> sd;
            if constexpr (k == kind::fused_sum) {
                sd.scalar = ybar.data[0];
                if constexpr (N::op::kind == ops::reduction_kind::mean) sd.scalar /= static_cast<T>(it.size());
            } else
                sd.array = ybar.data;
            T const v = region_vjp<want>(o, ws, reg, sd, targets);
            if (root_value_from_here) {
                T value = v;
                if constexpr (k == kind::fused_sum) {
                    if constexpr (N::op::kind == ops::reduction_kind::mean) value /= static_cast<T>(it.size());
                }
                st.result = value;
            }
        } else {
            auto const n = at_path(root, typename P::template path_at<K>{});
            auto const y = std::get<P::N + m>(st.leaves);
            array_ref<T const, P::t.rank[K]> const ybar_c = ybar;
            with_scratch<P, K>(ws, st, n.operation(), [&](auto*... scratch) {
                [&]<std::size_t... I>(std::index_sequence<I...>) {
                    n.operation().vjp(ybar_c, y, operand_value<P, s.child[I]>(st)...,
                                      [&] {
                                          if constexpr (!P::t.index_operand[K][I] && active<P, Sinks>[s.child[I]])
                                              return operand_adjoint<P, s.child[I]>(st);
                                          else
                                              return skip_t{};
                                      }()...,
                                      scratch...);
                }(std::make_index_sequence<N::arity>{});
            });
        }
    }
}

template <class P, class Sinks, class Root, std::size_t... J>
void adjoints_of([[maybe_unused]] cpu_options o, [[maybe_unused]] workspace& ws, [[maybe_unused]] Root const& root,
                 [[maybe_unused]] state<P>& st, [[maybe_unused]] bool fused_root, std::index_sequence<J...>) {
    constexpr std::size_t M = sizeof...(J);
    (adjoint_stage<P, Sinks, M - 1 - J>(o, ws, root, st, fused_root && J == 0), ...);
}

/// Adjoint storage: a zeroed buffer per active stage, the view of its operand's for a view.
template <class P, class Sinks, std::size_t m, class Root>
void adjoint_storage_of(workspace& ws, Root const& root, state<P>& st) {
    using T = typename P::T;
    constexpr std::size_t K = P::t.stage_pos[m];
    constexpr std::size_t R = P::t.rank[K];
    if constexpr (active<P, Sinks>[K]) {
        auto& a = std::get<P::N + m>(st.adjoints);
        if constexpr (P::t.kinds[K] == kind::view) {
            auto const n = at_path(root, typename P::template path_at<K>{});
            a = n.operation().view(operand_adjoint<P, P::G::shapes[K].child[0]>(st), st.shape[K]);
        } else {
            T* const data = detail::take<T>(ws, st.shape[K].size());
            if (contributions<P, Sinks>.zero[P::N + m] || m + 1 == P::M)
                std::fill(data, data + st.shape[K].size(), T(0));
            a = row_major<T, R>(data, st.shape[K]);
        }
    }
}

template <class P, class Sinks, class Root, std::size_t... m>
void adjoint_storage([[maybe_unused]] workspace& ws, [[maybe_unused]] Root const& root,
                     [[maybe_unused]] state<P>& st, std::index_sequence<m...>) {
    (adjoint_storage_of<P, Sinks, m>(ws, root, st), ...);
}

/// The value pass of a gradient call: as values_of, except that an active fused sum
/// before the root computes its value and its region's adjoints for a unit seed in one
/// sweep, keeping the adjoints (saved buffers of the targets' shapes).
template <class P, class Sinks, std::size_t m, class Root>
void gradient_value_stage(cpu_options o, workspace& ws, Root const& root, state<P>& st) {
    using T = typename P::T;
    constexpr std::size_t K = P::t.stage_pos[m];
    if constexpr (P::t.kinds[K] == kind::fused_sum && m + 1 != P::M && active<P, Sinks>[K]) {
        using N = typename P::template node_at<K>;
        using info = slots_of<P, K>;
        dims const& it = st.shape[P::G::shapes[K].child[0]];
        auto const leaves = pick_slots<info>(st.leaves);
        auto const reg = stage_region<P, K>(root, leaves, it);
        using want = region_targets<P, Sinks, info>;
        adjoint_target<T> targets[info::count == 0 ? 1 : info::count];
        [&]<std::size_t... c>(std::index_sequence<c...>) {
            (([&] {
                 if constexpr (want::value[c]) {
                     constexpr std::size_t R = std::tuple_element_t<c, std::remove_cvref_t<decltype(leaves)>>::rank;
                     dims const shape = array_shape(std::get<c>(leaves));
                     T* const buf = detail::take<T>(ws, shape.size());
                     st.saved[m][c] = buf;
                     targets[c] = make_target(row_major<T, R>(buf, shape), it);
                     targets[c].assign = true;
                 }
             }()),
             ...);
        }(std::make_index_sequence<info::count>{});
        T v = region_vjp<want>(o, ws, reg, seed<T>{}, targets);
        if constexpr (N::op::kind == ops::reduction_kind::mean) v /= static_cast<T>(it.size());
        T* const data = detail::take<T>(ws, 1);
        data[0] = v;
        std::get<P::N + m>(st.leaves) = typename P::template stage_ref<m>(row_major<T, P::t.rank[K]>(data, st.shape[K]));
    } else
        value_stage<P, m>(o, ws, root, st);
}

template <class P, class Sinks, class Root, std::size_t... m>
void gradient_values_of([[maybe_unused]] cpu_options o, [[maybe_unused]] workspace& ws,
                        [[maybe_unused]] Root const& root, [[maybe_unused]] state<P>& st, std::index_sequence<m...>) {
    (gradient_value_stage<P, Sinks, m>(o, ws, root, st), ...);
}

// ---------------------------------------------------------------------------------
// Tangents (forward mode: J v).

// Stage m's tangent in each of L lanes (lanes[k]: lane k's tangent per slot). Element-wise
// regions compute their values and partials once for all lanes; other stages run per lane.
template <class P, class Dirs, std::size_t m, std::size_t L, class Root>
void tangent_stage(cpu_options o, workspace& ws, Root const& root, state<P>& st, typename P::tangents_type* lanes) {
    using T = typename P::T;
    constexpr std::size_t K = P::t.stage_pos[m];
    constexpr std::size_t R = P::t.rank[K];
    constexpr kind k = P::t.kinds[K];
    constexpr entry_shape s = P::G::shapes[K];
    using N = typename P::template node_at<K>;
    if constexpr (active<P, Dirs>[K]) {
        dims const& shape = st.shape[K];
        if constexpr (k == kind::view) {
            auto const n = at_path(root, typename P::template path_at<K>{});
            for (std::size_t q = 0; q < L; ++q)
                std::get<P::N + m>(lanes[q]) = n.operation().view(std::get<P::t.slot[s.child[0]]>(lanes[q]), shape);
        } else {
            array_ref<T, R> ydot[L];
            for (std::size_t q = 0; q < L; ++q) ydot[q] = row_major<T, R>(detail::take<T>(ws, shape.size()), shape);
            if constexpr (k == kind::elementwise || k == kind::fused_sum) {
                using info = slots_of<P, K>;
                dims const& it = k == kind::fused_sum ? st.shape[s.child[0]] : shape;
                auto const leaves = pick_slots<info>(st.leaves);
                using picked = decltype(pick_slots<info>(lanes[0]));
                picked tangents[L];
                for (std::size_t q = 0; q < L; ++q) tangents[q] = pick_slots<info>(lanes[q]);
                auto const reg = stage_region<P, K>(root, leaves, it);
                using mask = region_targets<P, Dirs, info>;
                if constexpr (k == kind::elementwise) {
                    array_ref<T, R> const* outs[L];
                    for (std::size_t q = 0; q < L; ++q) outs[q] = &ydot[q];
                    T unused_sums[L];  // (written only without outputs; never null, for -Warray-bounds)
                    region_jvp<mask, L>(o, ws, reg, tangents, outs, unused_sums);
                } else {
                    T v[L];
                    region_jvp<mask, L>(o, ws, reg, tangents, static_cast<array_ref<T, R> const* const*>(nullptr), v);
                    for (std::size_t q = 0; q < L; ++q) {
                        if constexpr (N::op::kind == ops::reduction_kind::mean) v[q] /= static_cast<T>(it.size());
                        ydot[q].data[0] = v[q];
                    }
                }
            } else {
                auto const n = at_path(root, typename P::template path_at<K>{});
                auto const y = std::get<P::N + m>(st.leaves);
                for (std::size_t q = 0; q < L; ++q)
                    with_scratch<P, K>(ws, st, n.operation(), [&](auto*... scratch) {
                        [&]<std::size_t... I>(std::index_sequence<I...>) {
                            n.operation().jvp(ydot[q], y, operand_value<P, s.child[I]>(st)...,
                                              [&] {
                                                  if constexpr (!P::t.index_operand[K][I] && active<P, Dirs>[s.child[I]])
                                                      return std::get<P::t.slot[s.child[I]]>(lanes[q]);
                                                  else
                                                      return skip_t{};
                                              }()...,
                                              scratch...);
                        }(std::make_index_sequence<N::arity>{});
                    });
            }
            for (std::size_t q = 0; q < L; ++q) std::get<P::N + m>(lanes[q]) = array_ref<T const, R>(ydot[q]);
        }
    } else {
        (void)o, (void)ws, (void)root, (void)st, (void)lanes;
    }
}

/// Every stage's tangent, in the L lanes of `lanes` (by default the one lane st.tangents).
template <class P, class Dirs, std::size_t L = 1, class Root, std::size_t... m>
void tangents_of([[maybe_unused]] cpu_options o, [[maybe_unused]] workspace& ws, [[maybe_unused]] Root const& root,
                 [[maybe_unused]] state<P>& st, std::index_sequence<m...>,
                 [[maybe_unused]] typename P::tangents_type* lanes = nullptr) {
    if (!lanes) lanes = &st.tangents;
    (tangent_stage<P, Dirs, m, L>(o, ws, root, st, lanes), ...);
}

}  // namespace typegrad::detail::program
