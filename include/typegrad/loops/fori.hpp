// typegrad/loops/fori.hpp: tg::fori, a loop inside the graph with a run-time count.
//
// `auto yT = tg::fori(n, step, y0);` applies step n times. The step is called once,
// here, with placeholder state variables; the expression it returns is the body
// (body.hpp), a type, so the body compiles once whatever n is.
//
// In the graph a loop of K state numbers is:
//   D_1 .. D_{C+1}  a chain of data nodes, each over one run-time number: the count,
//                   then the body's C numbers (so the passes, which see only the
//                   table of values, find them: D_i sits two positions after D_{i-1});
//   L               the loop node, over D_{C+1}, the K initial states and the F outer
//                   variables the body reads; it owns its steps (core/operation.hpp):
//                   its value step runs the body n times and writes the final state
//                   to its own position and the K - 1 after it, its adjoint step runs
//                   the body's reverse sweep backwards over the steps (from stored or
//                   recomputed states, checkpoint.hpp), its tangent steps carry the
//                   tangents along;
//   S_1 .. S_{K-1}  links over L, which hold state numbers 1..K-1 (they follow L);
//   pick_I          what the user gets: state number I, read from L's group.
// L and the links are shared by type, like a let: the loop is computed once however
// many of its results are used. Their type is named by the step's type, so two loops
// built from one callable object in one expression are taken as one (give each loop its
// own lambda, as each let its own name).
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../core/apply.hpp"
#include "../core/constant.hpp"
#include "../core/graph.hpp"
#include "../core/operation.hpp"
#include "../core/tuple.hpp"
#include "../io/to_string.hpp"
#include "../modes/constants.hpp"
#include "../modes/forward.hpp"
#include "../modes/jacobian.hpp"
#include "../modes/outputs.hpp"
#include "../modes/reverse.hpp"
#include "../modes/values.hpp"
#include "array_fori.hpp"
#include "body.hpp"
#include "checkpoint.hpp"

namespace typegrad {

namespace detail {
template <class...>
inline constexpr bool loop_unsupported = false;

#define TYPEGRAD_LOOP_PARTIALS_MESSAGE                                                                           \
    "typegrad: this derivative does not go through loops yet (tg::d, tg::hessian); tg::value, tg::gradient "     \
    "(both modes), tg::jvp, tg::vjp and tg::jacobian do"

// A loop's partials, as a type: none through its data, a number for every other operand.
template <class Y, std::size_t N, class Seq = std::make_index_sequence<N>>
struct loop_partials_of;
template <class Y, std::size_t N, std::size_t... I>
struct loop_partials_of<Y, N, std::index_sequence<I...>> {
    template <std::size_t>
    using number = Y;
    using type = typegrad::tuple<static_const<0>, number<I>...>;
};

/// Where data node D_i (1-based) of a chain of `count` sits, given the last one's position.
constexpr std::size_t data_position(std::size_t last, std::size_t count, std::size_t i) {
    return last - 2 * (count - i);
}

/// Writes run-time numbers back into an expression (inverse of load_constants; used to print).
template <class T, class N>
void store_constants(N& n, T const* rc);
template <class T, class N, std::size_t... I>
void store_children(N& n, T const* rc, std::index_sequence<I...>) {
    (detail::store_constants<T>(static_cast<child_store<I, child_type<N, I>>&>(n).stored,
                                rc + constant_offset(desc_of<N>::value, I)),
     ...);
}
template <class T, class N>
void store_constants(N& n, T const* rc) {
    if constexpr (runtime_leaf<N>)
        n.value = static_cast<decltype(n.value)>(rc[0]);
    else if constexpr (desc_of<N>::value.owned > 0)
        detail::store_children<T>(n, rc, typename loaded_children<N>::type{});
}

template <class D>
void chain_values(D const& d, double* out, std::size_t count) {
    if constexpr (D::arity == 1)
        out[0] = static_cast<double>(d.template child<0>().value);
    else {
        out[count - 1] = static_cast<double>(d.template child<1>().value);
        detail::chain_values(d.template child<0>(), out, count - 1);
    }
}
}  // namespace detail

namespace ops {

/// One run-time number of a loop (its count, a number its body holds), in the graph.
struct loop_data {
    static constexpr char const* name = "loop data";
    template <class A>
    static constexpr A value(A const& a) {
        return a;
    }
    template <class P, class A>
    static constexpr A value(P const&, A const& a) {
        return a;
    }
    template <class A, class Y>
    static constexpr auto partials(A const&, Y const&) {
        return typegrad::partials(static_const<0>{});
    }
    template <class P, class A, class Y>
    static constexpr auto partials(P const&, A const&, Y const&) {
        return typegrad::partials(static_const<0>{}, static_const<0>{});
    }
};

/// What a step of an operation that owns its steps but does nothing in a pass looks like.
struct inert_steps {
    static constexpr bool owns_steps = true;
    template <class T>
    static void values(T*, std::size_t, detail::child_positions) {}
    template <std::size_t Carries, std::size_t First, class T>
    static void adjoints(T const*, T*, std::size_t, detail::child_positions) {}
    template <std::size_t... M, class T, std::size_t L>
    static void unit_tangents(T const*, T (*)[L], std::size_t, detail::child_positions) {}
    template <std::size_t Carries, class T, std::size_t L>
    static void dense_tangents(T const*, T (*)[L], std::size_t, detail::child_positions) {}
};

/// State number I of a loop: held at the loop's position plus I (written by the loop).
template <class Loop, std::size_t I>
struct loop_state_link : inert_steps {
    static constexpr char const* name = "loop state";
    static constexpr bool shared_by_type = true;
    template <class A, class Y>
    static auto partials(A const&, Y const&) -> typegrad::tuple<static_const<1>> {
        static_assert(detail::loop_unsupported<A>, TYPEGRAD_LOOP_PARTIALS_MESSAGE);
        return {};
    }
};

/// State number I of a loop of K, as an expression: it reads the loop's group.
template <std::size_t K, std::size_t I>
struct loop_pick {
    static constexpr char const* name = "state";
    static constexpr bool owns_steps = true;
    template <class A, class Y>
    static auto partials(A const&, Y const&) -> typegrad::tuple<static_const<1>> {
        static_assert(detail::loop_unsupported<A>, TYPEGRAD_LOOP_PARTIALS_MESSAGE);
        return {};
    }
    static constexpr std::size_t at(detail::child_positions c) { return c[0] - (K - 1) + I; }
    template <class T>
    static void values(T* vals, std::size_t k, detail::child_positions c) {
        vals[k] = vals[at(c)];
    }
    // The first pick to pass its adjoint back clears the loop's K adjoints; every pick adds.
    template <std::size_t Carries, std::size_t First, class T>
    static void adjoints(T const*, T* adj, std::size_t k, detail::child_positions c) {
        if constexpr ((Carries & 1u) != 0) {
            if constexpr ((First & 1u) != 0)
                for (std::size_t j = 0; j < K; ++j) adj[c[0] - (K - 1) + j] = T(0);
            adj[at(c)] += adj[k];
        }
    }
    template <std::size_t... M, class T, std::size_t L>
    static void unit_tangents(T const*, T (*tans)[L], std::size_t k, detail::child_positions c) {
        constexpr std::size_t mask[] = {M...};
        for (std::size_t l = 0; l < L; ++l)
            if (mask[l] != 0) tans[k][l] = tans[at(c)][l];
    }
    template <std::size_t Carries, class T, std::size_t L>
    static void dense_tangents(T const*, T (*tans)[L], std::size_t k, detail::child_positions c) {
        if constexpr ((Carries & 1u) != 0)
            for (std::size_t l = 0; l < L; ++l) tans[k][l] = tans[at(c)][l];
    }
    template <std::size_t Down, class E>
    static auto const& loop_of(E const& e) {
        if constexpr (Down == 0)
            return e;
        else
            return loop_of<Down - 1>(e.template child<0>());
    }
    // fori(...)[I]: the loop printed once, with the state number taken.
    template <class E>
    static std::string text(E const& e) {
        auto const top = e.template child<0>();
        return detail::cat(typegrad::to_string(loop_of<K - 1>(top)), "[", std::to_string(I), "]");
    }
};

/// The loop: K state numbers, F outer variables and C run-time numbers in its body. A
/// while loop (While) has one more output in its body, the condition, and no count: it
/// steps while the condition, evaluated at the current state, holds.
template <class Body, std::size_t K, std::size_t F, std::size_t C, class Policy, class Tag, bool While = false>
struct fori_op {
    static constexpr char const* name = While ? "while_loop" : "fori";
    static constexpr bool owns_steps = true;
    static constexpr bool shared_by_type = true;
    using body = Body;
    using GB = graph<Body>;
    static constexpr std::size_t inputs = K + F;
    static constexpr std::size_t data = 1 + C;

    template <class D, class... A>
    static auto partials(D const&, A const&...) ->
        typename detail::loop_partials_of<std::remove_cvref_t<std::tuple_element_t<0, std::tuple<A...>>>,
                                          sizeof...(A) - 1>::type {
        static_assert(detail::loop_unsupported<D>, TYPEGRAD_LOOP_PARTIALS_MESSAGE);
        return {};
    }

    template <class T>
    using point = std::array<T, inputs>;

    template <class T>
    static std::size_t count(T const* vals, detail::child_positions c) {
        return static_cast<std::size_t>(vals[detail::data_position(c[0], data, 1)]);
    }
    template <class T>
    static void numbers(T const* vals, detail::child_positions c, T* rc) {
        for (std::size_t j = 0; j < C; ++j) rc[j] = vals[detail::data_position(c[0], data, 2 + j)];
    }
    template <class T>
    static point<T> start(T const* vals, detail::child_positions c) {
        point<T> x{};
        for (std::size_t i = 0; i < inputs; ++i) x[i] = vals[c[1 + i]];
        return x;
    }
    // One step of the body: the state part of x moves on; the outer variables stay.
    template <class T>
    static void advance(T const* rc, point<T>& x) {
        T bv[GB::size];
        detail::compute_values_with<GB>(rc, x.data(), bv);
        for (std::size_t i = 0; i < K; ++i) x[i] = bv[GB::outputs[i]];
    }

    // A while loop's step: false (and x unchanged) where the condition fails at x.
    template <class T>
    static bool advance_while(T const* rc, point<T>& x) {
        T bv[GB::size];
        detail::compute_values_with<GB>(rc, x.data(), bv);
        if (!(bv[GB::outputs[K]] != T(0))) return false;
        for (std::size_t i = 0; i < K; ++i) x[i] = bv[GB::outputs[i]];
        return true;
    }
    // The steps to take: the count, or for a while loop the steps it takes from x0.
    template <class T>
    static std::size_t steps(T const* vals, detail::child_positions c, T const* rc, point<T> x) {
        if constexpr (While) {
            std::size_t n = 0;
            while (advance_while(rc, x)) ++n;
            return n;
        } else {
            (void)rc;
            return count(vals, c);
        }
    }

    template <class T>
    static void values(T* vals, std::size_t k, detail::child_positions c) {
        T rc[C == 0 ? 1 : C];
        numbers(vals, c, rc);
        point<T> x = start(vals, c);
        using reversal = detail::loop_reversal<Policy, T, K>;
        if constexpr (reversal::keeps_states) {
            // Keep the state before every step, with the numbers it started from.
            auto& kept = detail::kept_states<fori_op, T, K>::here();
            kept.valid = false;
            kept.key.resize(key_size);
            key_of(x, rc, vals, c, kept.key.data());
            std::size_t s = 0;
            auto const keep = [&] {
                if (kept.states.size() <= s) kept.states.resize(s + 1 + s / 2);
                for (std::size_t i = 0; i < K; ++i) kept.states[s][i] = x[i];
                ++s;
            };
            if constexpr (While) {
                // Every state is kept, the last too (where the condition failed): s - 1 steps.
                for (point<T> y = x;; x = y) {
                    keep();
                    if (!advance_while(rc, y)) break;
                }
                kept.steps = s - 1;
            } else {
                std::size_t const n = count(vals, c);
                for (std::size_t j = 0; j < n; ++j) {
                    keep();
                    advance(rc, x);
                }
            }
            kept.valid = true;
        } else if constexpr (While) {
            while (advance_while(rc, x)) {
            }
        } else {
            std::size_t const n = count(vals, c);
            for (std::size_t s = 0; s < n; ++s) advance(rc, x);
        }
        for (std::size_t i = 0; i < K; ++i) vals[k + i] = x[i];
    }

    // What a loop starts from: its state and outer variables, its numbers and its count.
    static constexpr std::size_t key_size = inputs + C + 1;
    template <class T>
    static void key_of(point<T> const& x, T const* rc, T const* vals, detail::child_positions c, T* key) {
        for (std::size_t i = 0; i < inputs; ++i) key[i] = x[i];
        for (std::size_t j = 0; j < C; ++j) key[inputs + j] = rc[j];
        if constexpr (While)
            key[inputs + C] = T(0);
        else
            key[inputs + C] = static_cast<T>(count(vals, c));
    }

    template <std::size_t Carries, std::size_t First, class T>
    static void adjoints(T const* vals, T* adj, std::size_t k, detail::child_positions c) {
        using state = std::array<T, K>;
        using seeds = typename detail::all_outputs<GB, std::make_index_sequence<K>>::type;
        T rc[C == 0 ? 1 : C];
        numbers(vals, c, rc);
        point<T> const x0 = start(vals, c);
        T start_key[key_size];
        key_of(x0, rc, vals, c, start_key);
        std::size_t n = 0;
        if constexpr (While && detail::loop_reversal<Policy, T, K>::keeps_states) {
            auto const& kept = detail::kept_states<fori_op, T, K>::here();
            n = kept.matches(start_key, key_size) ? kept.steps : steps(vals, c, rc, x0);
        } else
            n = steps(vals, c, rc, x0);
        state a{};
        for (std::size_t i = 0; i < K; ++i) a[i] = adj[k + i];
        std::array<T, F == 0 ? 1 : F> outer{};
        state s0{};
        for (std::size_t i = 0; i < K; ++i) s0[i] = x0[i];
        auto const move_on = [&](state const& s, std::size_t m) {
            point<T> x = x0;
            for (std::size_t i = 0; i < K; ++i) x[i] = s[i];
            for (std::size_t j = 0; j < m; ++j) advance(rc, x);
            state r{};
            for (std::size_t i = 0; i < K; ++i) r[i] = x[i];
            return r;
        };
        auto const pull = [&](state const& s, std::size_t) {
            point<T> x = x0;
            for (std::size_t i = 0; i < K; ++i) x[i] = s[i];
            T bv[GB::size];
            detail::compute_values_with<GB>(rc, x.data(), bv);
            T badj[GB::size];
            detail::seed_outputs<GB, T>(a, badj, std::make_index_sequence<K>{});
            detail::reverse_sweep<GB, T, seeds>(bv, badj);
            auto const g = detail::gather_gradient<GB, T, seeds, inputs>(badj);
            for (std::size_t i = 0; i < K; ++i) a[i] = g[i];
            for (std::size_t j = 0; j < F; ++j) outer[j] += g[K + j];
        };
        detail::loop_reversal<Policy, T, K>::template run<fori_op>(n, s0, move_on, pull, start_key, key_size);
        for (std::size_t i = 0; i < inputs; ++i) {
            if (((Carries >> (1 + i)) & 1u) == 0) continue;
            T const v = i < K ? a[i] : outer[i - K];
            if (((First >> (1 + i)) & 1u) != 0)
                adj[c[1 + i]] = v;
            else
                adj[c[1 + i]] += v;
        }
    }

    // Tangents carried along the steps; lane l of operand i enters where masks[l] has bit 1 + i.
    template <class T, std::size_t L>
    static void tangents(T const* vals, T (*tans)[L], std::size_t k, detail::child_positions c,
                         std::size_t const* masks) {
        T rc[C == 0 ? 1 : C];
        numbers(vals, c, rc);
        point<T> x = start(vals, c);
        std::size_t const n = steps(vals, c, rc, x);
        point<T> dir[L];
        for (std::size_t l = 0; l < L; ++l)
            for (std::size_t i = 0; i < inputs; ++i) dir[l][i] = ((masks[l] >> (1 + i)) & 1u) != 0 ? tans[c[1 + i]][l] : T(0);
        for (std::size_t s = 0; s < n; ++s) {
            T bv[GB::size];
            T bt[GB::size][L];
            detail::compute_values_with<GB>(rc, x.data(), bv);
            detail::dense_pass<GB, T, L>(bv, dir, bt, std::make_index_sequence<GB::size>{});
            for (std::size_t i = 0; i < K; ++i) {
                std::size_t const o = GB::outputs[i];
                x[i] = bv[o];
                for (std::size_t l = 0; l < L; ++l) dir[l][i] = detail::plan<GB, T>.active[o] ? bt[o][l] : T(0);
            }
        }
        for (std::size_t l = 0; l < L; ++l)
            if (masks[l] != 0)
                for (std::size_t i = 0; i < K; ++i) tans[k + i][l] = dir[l][i];
    }
    template <std::size_t... M, class T, std::size_t L>
    static void unit_tangents(T const* vals, T (*tans)[L], std::size_t k, detail::child_positions c) {
        constexpr std::size_t masks[] = {M...};
        tangents(vals, tans, k, c, masks);
    }
    template <std::size_t Carries, class T, std::size_t L>
    static void dense_tangents(T const* vals, T (*tans)[L], std::size_t k, detail::child_positions c) {
        std::size_t masks[L];
        for (std::size_t l = 0; l < L; ++l) masks[l] = Carries;
        tangents(vals, tans, k, c, masks);
    }

    // fori(n, (s0, s1) -> (body...), initial state...): the loop as one node with its body.
    template <class E>
    static std::string text(E const& e) {
        double d[data];
        detail::chain_values(e.template child<0>(), d, data);
        Body b{};
        if constexpr (C > 0) detail::store_constants<double>(b, d + 1);
        // Appended piece by piece: g++ 12 at -O3 warns (-Wrestrict) on chains of operator+.
        std::string s = While ? "while_loop(" : "fori(";
        if constexpr (!While) {
            s.append(std::to_string(static_cast<unsigned long long>(d[0])));
            s.append(", ");
        }
        s.append("(");
        for (std::size_t i = 0; i < K; ++i) {
            s.append(i == 0 ? "s" : ", s");
            s.append(std::to_string(i));
        }
        s.append(") -> ");
        s.append(typegrad::to_string(b));
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((s.append(", "), s.append(typegrad::to_string(e.template child<1 + I>()))), ...);
        }(std::make_index_sequence<K>{});
        s.append(")");
        return s;
    }
    template <class E>
    static std::string label(E const& e) {
        return text(e);
    }
};

}  // namespace ops

namespace detail {
template <class Step, class Policy, std::size_t K>
struct loop_tag {};

template <std::size_t J>
constexpr auto data_chain(double const* v) {
    if constexpr (J == 0)
        return make_node<ops::loop_data>(runtime_const<double>{v[0]});
    else
        return make_node<ops::loop_data>(detail::data_chain<J - 1>(v), runtime_const<double>{v[J]});
}

template <class Op, std::size_t I, class L>
constexpr auto state_chain(L const& l) {
    if constexpr (I == 0)
        return l;
    else
        return make_node<ops::loop_state_link<Op, I>>(detail::state_chain<Op, I - 1>(l));
}

template <class Tag, std::size_t... I>
constexpr auto placeholders(std::index_sequence<I...>) {
    return std::tuple<placeholder<Tag, I>...>{};
}

template <class... Vs>
constexpr auto free_leaves(type_list<Vs...>) {
    return std::tuple<Vs...>{};
}
}  // namespace detail

namespace detail {
/// The pack of outputs with the condition of a while loop added last.
template <class... Es, class Cond>
constexpr auto with_condition(node<ops::outputs, Es...> const& pack, Cond const& cond) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return typegrad::outputs(pack.template child<I>()..., detail::as_expression(cond));
    }(std::index_sequence_for<Es...>{});
}

template <class Policy, bool While, class Tag, std::size_t K, class Free, class P, class... Init>
auto make_scalar_loop(double count, P const& pack, Init const&... init);

/// Builds the loop of policy Policy over the body that `make_pack(placeholders)` returns.
template <class Policy, bool While, class Tag, std::size_t K, class MakePack, class... Init>
auto make_loop(double count, MakePack const& make_pack, Init const&... init) {
    static_assert(is_loop_policy<Policy>,
                  "typegrad: the option of tg::fori<Option> and tg::while_loop<Option> is tg::checkpoints<S> or "
                  "tg::store_all");
    using Ph = decltype(detail::placeholders<Tag>(std::make_index_sequence<K>{}));
    auto const pack = make_pack(Ph{});
    using P = std::remove_cvref_t<decltype(pack)>;
    using G0 = graph<P>;
    using Free = typename detail::free_variables<G0, Tag, K>::type;
    constexpr std::size_t F = std::tuple_size_v<decltype(detail::free_leaves(Free{}))>;
    if constexpr (program::has_array_operations<P>) {
        // A body with array operations: the loop is one array operation of its program.
        static_assert(K == 1 && !While,
                      "typegrad: a loop whose step holds array operations has one state and a count (tg::fori): "
                      "join several arrays with tg::concat and take them apart with tg::slice");
        static_assert(1 + F <= detail::max_arity,
                      "typegrad: the step of a loop over arrays may read at most 7 outer variables");
        auto const body = detail::rewrite<detail::body_slots<Tag, K, Free>>(pack.template child<0>());
        using Body = std::remove_cvref_t<decltype(body)>;
        using Op = ops::array_fori_op<Body, F, Policy>;
        Op const op{body, typegrad::sum(body * var<F + 1>{}), static_cast<std::ptrdiff_t>(count), detail::next_loop_id()};
        return std::apply(
            [&](auto const&... free) { return make_node_with(op, detail::as_expression(init)..., free...); },
            detail::free_leaves(Free{}));
    } else
        return make_scalar_loop<Policy, While, Tag, K, Free>(count, pack, init...);
}

/// The loop over K numbers of state (the scalar core's; element by element in an array program).
template <class Policy, bool While, class Tag, std::size_t K, class Free, class P, class... Init>
auto make_scalar_loop(double count, P const& pack, Init const&... init) {
    constexpr std::size_t F = std::tuple_size_v<decltype(detail::free_leaves(Free{}))>;
    static_assert(1 + K + F <= detail::max_arity,
                  "typegrad: a loop's state numbers and the outer variables its step reads may be at most 7 "
                  "together");
    auto const body = detail::rewrite<detail::body_slots<Tag, K, Free>>(pack);
    using Body = std::remove_cvref_t<decltype(body)>;
    using GB = graph<Body>;
    constexpr std::size_t C = GB::constants;
    double data[1 + C];
    data[0] = count;
    if constexpr (C > 0) detail::load_all<GB>(body, data + 1, typename detail::constant_blocks<GB>::type{});
    using Op = ops::fori_op<Body, K, F, C, Policy, Tag, While>;
    auto const loop = std::apply(
        [&](auto const&... free) {
            return make_node<Op>(detail::data_chain<C>(data), detail::as_expression(init)..., free...);
        },
        detail::free_leaves(Free{}));
    if constexpr (K == 1)
        return loop;
    else {
        auto const top = detail::state_chain<Op, K - 1>(loop);
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            return std::tuple{make_node<ops::loop_pick<K, I>>(top)...};
        }(std::make_index_sequence<K>{});
    }
}

/// The step's result, checked, as a pack of K outputs.
template <std::size_t K, class Step, class Ph>
auto step_pack(Step const& step, Ph const& ph) {
    static_assert(requires { std::apply(step, ph); },
                  "typegrad: a loop's step must take the state it is given: one expression per initial state");
    auto const raw = std::apply(step, ph);
    using R = std::remove_cvref_t<decltype(raw)>;
    static_assert(detail::is_vector_function_result<R> || operand<R>,
                  "typegrad: a loop's step must return the next state: an expression, or a std::tuple or "
                  "tg::outputs of one per state number");
    auto const pack = detail::step_outputs(raw);
    static_assert(detail::output_count<std::remove_cvref_t<decltype(pack)>> == K,
                  "typegrad: a loop's step must return the state it takes: as many numbers as there are "
                  "initial states");
    return pack;
}
}  // namespace detail

/// The state after n steps: `tg::fori(n, [&](auto s) { return s + h * f(s, theta); }, y0)`.
/// Several state numbers: `auto [u, v] = tg::fori(n, step, u0, v0);` with a step taking
/// (u, v) and returning a std::tuple (or tg::outputs) of the next two. The step may read
/// outer variables (their gradient gathers over all steps), hold run-time numbers, and
/// contain tg::d of its state (gradients through inner gradient steps). Reverse mode
/// keeps at most 65 states (64 and a spare) (binomial checkpointing beyond); tg::fori<tg::store_all> keeps
/// all of them, tg::fori<tg::checkpoints<S>> at most S + 1.
template <class Policy = checkpoints<64>, std::integral Count, class Step, class... Init>
auto fori(Count n, Step const& step, Init const&... init) {
    static_assert(sizeof...(Init) > 0, "typegrad: tg::fori(n, step, initial state...) needs an initial state");
    static_assert((operand<Init> && ...), "typegrad: a loop's initial state is expressions or numbers");
    constexpr std::size_t K = sizeof...(Init);
    if constexpr (std::is_signed_v<Count>)
        if (n < 0)
            throw std::invalid_argument(
                detail::cat("typegrad: tg::fori: the trip count must be at least 0; it is ", std::to_string(n)));
    if (static_cast<unsigned long long>(n) > (1ull << 53))
        throw std::invalid_argument(
            detail::cat("typegrad: tg::fori: the trip count must be at most 2^53; it is ", std::to_string(n)));
    using Tag = detail::loop_tag<Step, Policy, K>;
    return detail::make_loop<Policy, false, Tag, K>(
        static_cast<double>(n), [&](auto const& ph) { return detail::step_pack<K>(step, ph); }, init...);
}

/// The state once `cond(state)` fails: `tg::while_loop([&](auto z) { return abs(f(z)) > 1e-12; },
/// [&](auto z) { return z - f(z) / fp(z); }, z0)`. The condition is an expression of the state
/// (a comparison, or any expression: nonzero holds). Both modes differentiate it as the loop
/// of the steps it took at the point (the condition itself has no derivative); reverse mode
/// counts those steps again, then reverses them as tg::fori does (same options).
template <class Policy = checkpoints<64>, class Cond, class Step, class... Init>
auto while_loop(Cond const& cond, Step const& step, Init const&... init) {
    static_assert(sizeof...(Init) > 0, "typegrad: tg::while_loop(cond, step, initial state...) needs an initial state");
    static_assert((operand<Init> && ...), "typegrad: a loop's initial state is expressions or numbers");
    constexpr std::size_t K = sizeof...(Init);
    using Tag = detail::loop_tag<std::pair<Cond, Step>, Policy, K>;
    return detail::make_loop<Policy, true, Tag, K>(
        0.0,
        [&](auto const& ph) {
            static_assert(requires { std::apply(cond, ph); },
                          "typegrad: a while loop's condition must take the state: one expression per initial state");
            auto const c = std::apply(cond, ph);
            static_assert(operand<std::remove_cvref_t<decltype(c)>>,
                          "typegrad: a while loop's condition must be one expression of the state (a comparison)");
            return detail::with_condition(detail::step_pack<K>(step, ph), c);
        },
        init...);
}

}  // namespace typegrad
