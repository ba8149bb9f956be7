// typegrad/exec/program/api.hpp: tg::value, tg::gradient and tg::map of array programs.
//
//   auto [X, W, b, y] = tg::vars<"X", "W", "b", "y">();
//   auto loss = tg::mean(tg::square(tg::matmul(X, W) + b - y));
//   double L = tg::value(loss, Xv, Wv, bv, yv);                       // a number
//   double L = tg::gradient(loss, tg::gradient_to(tg::skip, gW, gb, tg::skip), Xv, Wv, bv, yv);
//   tg::map(tg::matmul(X, W) + b, out, Xv, Wv, bv);                    // an array result
//   tg::workspace ws;  tg::gradient(ws, loss, ...);                   // no allocation after the first call
//
// A variable bound to an array is an array of that array's rank (known from its type)
// and extents (known at run time); a number is an array of rank 0. Arrays are anything
// tg::view takes (tg::view of a pointer and extents, std::vector, std::span, Eigen
// objects with interop/eigen.hpp). A std::array or fixed-size span given alone stays a
// point of the scalar interface (modes/), as it always was.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../arguments.hpp"
#include "run.hpp"

namespace typegrad {

namespace detail::program {

/// An argument that makes a call an array-program call: an array that is not a point.
template <class A>
inline constexpr bool is_array_argument = !scalar<A> && !point<A> && !expression<A> && !std::is_pointer_v<A> &&
                                          !std::is_array_v<A> && requires(A const& a) { typegrad::view(a); };

template <class... Args>
concept array_call = (is_array_argument<std::remove_cvref_t<Args>> || ...);

// (Only expressions: calling a generic callable with a guessed number of variables
// could stop compilation inside the user's code.)
template <class F, std::size_t N>
constexpr bool holds_array_operations() {
    if constexpr (expression<F>)
        return has_array_operations<F>;
    else
        return false;
}

/// A call that runs as an array program: an array argument, or a function that holds
/// array operations (then numbers are arrays of rank 0).
template <class F, class... Args>
concept program_call = array_call<Args...> || holds_array_operations<F, sizeof...(Args)>();

template <class A>
inline constexpr bool is_workspace = std::is_same_v<std::remove_cvref_t<A>, workspace>;

template <class Root, class Inputs>
struct program_for;
template <class Root, class... In>
struct program_for<Root, std::tuple<In...>> {
    using type = program<Root, In...>;
};

template <class P, class Root>
void prepare(Root const& root, state<P>& st, typename P::inputs_type const& in) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((std::get<I>(st.leaves) = std::get<I>(in)), ...);
    }(std::make_index_sequence<P::N>{});
    shapes_of<P>(root, st, std::make_index_sequence<P::G::size>{});
}

/// The value of a rank-0 node after the value pass.
template <class P, std::size_t K, class Root>
typename P::T scalar_value(Root const& root, state<P> const& st) {
    using T = typename P::T;
    constexpr kind k = P::t.kinds[K];
    if constexpr (P::t.stage[K])
        return static_cast<T>(std::get<P::t.slot[K]>(st.leaves).data[0]);
    else if constexpr (k == kind::input)
        return static_cast<T>(std::get<P::t.slot[K]>(st.leaves).data[0]);
    else {
        using N = typename P::template node_at<K>;
        if constexpr (static_constant<N>)
            return N::template as<T>();
        else
            return static_cast<T>(at_path(root, typename P::template path_at<K>{}).value);
    }
}

template <class P, class Root>
typename P::T run_value(cpu_options o, workspace& ws, Root const& root, typename P::inputs_type const& in) {
    static_assert(P::t.rank[P::G::root] == 0,
                  "typegrad: tg::value gives the value of a program whose result is a number (rank 0); this one's "
                  "result is an array: write it with tg::map(f, out, inputs...), or reduce it (tg::sum, tg::mean)");
    check_thread_count(o.threads);
    validate_call(in, std::tuple<>{});  // every array: null data, extents, strides (exec/validate.hpp)
    workspace_scope scope(ws);
    state<P> st;
    prepare(root, st, in);
    values_of<P>(o, ws, root, st, std::make_index_sequence<P::M>{});
    return scalar_value<P, P::G::root>(root, st);
}

// ---------------------------------------------------------------------------------
// Gradient sinks: one per input, an array of the input's shape, a number, or tg::skip.

template <class T, class S, class In>
void check_gradient_sink(S const& s, In const& in, std::size_t i) {
    if constexpr (is_skip<S>) {
    } else if constexpr (std::is_pointer_v<S>) {
        static_assert(std::is_same_v<std::remove_cv_t<std::remove_pointer_t<S>>, T>,
                      "typegrad: a number that receives a gradient must have the computation's type (the common "
                      "type of the inputs)");
        if (In::rank != 0)
            throw std::invalid_argument("typegrad: the gradient of input " + std::to_string(i) +
                                        " is a number, but the input has shape " + to_string(array_shape(in)) +
                                        "; pass an array of that shape");
    } else {
        static_assert(std::is_same_v<typename S::value_type, T>,
                      "typegrad: a gradient array must have the computation's element type (the common type of the "
                      "inputs)");
        if (!(array_shape(s) == array_shape(in)))
            throw std::invalid_argument("typegrad: the gradient of input " + std::to_string(i) + " has shape " +
                                        to_string(array_shape(s)) + ", expected " + to_string(array_shape(in)) +
                                        " (the gradient of an input has the input's shape)");
    }
}

/// Where input I's adjoint accumulates: the sink itself when it is contiguous, else a
/// zeroed buffer copied into it at the end.
template <class P, std::size_t I, class S>
void bind_sink(workspace& ws, state<P>& st, S const& s, typename P::T*& staged, bool zero) {
    using T = typename P::T;
    constexpr std::size_t R = std::tuple_element_t<I, typename P::inputs_type>::rank;
    auto& a = std::get<I>(st.adjoints);
    staged = nullptr;
    if constexpr (is_skip<S>) {
    } else if constexpr (std::is_pointer_v<S>) {
        if (zero) *s = T(0);
        a = array_ref<T, R>{s, {}, {}};
    } else if constexpr (S::rank != R) {
        // (The shape check has refused it already.)
    } else if (s.contiguous()) {
        if (zero) std::fill(s.data, s.data + s.size(), T(0));
        a = array_ref<T, R>{s.data, s.extent, row_major_strides(s.extent)};
    } else {
        staged = detail::take<T>(ws, s.size());
        if (zero) std::fill(staged, staged + s.size(), T(0));
        a = array_ref<T, R>{staged, s.extent, row_major_strides(s.extent)};
    }
}

template <class T, class S>
void copy_back(S const& s, T const* staged) {
    if constexpr (is_array_sink<S> && !std::is_pointer_v<S>) {
        if (!staged) return;
        dims const shape = array_shape(s);
        scatter(s.data, sink_walk(s, shape), shape, 0, s.size(), staged);
    }
}

template <class P, class Root, class... S>
typename P::T run_gradient(cpu_options o, workspace& ws, Root const& root, std::tuple<S...> const& sinks,
                           typename P::inputs_type const& in) {
    using T = typename P::T;
    static_assert(P::t.rank[P::G::root] == 0,
                  "typegrad: tg::gradient differentiates a program whose result is a number (rank 0); reduce this "
                  "one's array result first (tg::sum, tg::mean)");
    static_assert(sizeof...(S) == P::N,
                  "typegrad: tg::gradient_to needs one entry (an array, a number or tg::skip) per input");
    using Wanted = std::tuple<S...>;
    constexpr std::size_t K = P::G::root;
    constexpr bool fused_root = P::t.kinds[K] == kind::fused_sum;
    check_thread_count(o.threads);
    validate_call(in, sinks);  // every array, and no gradient sharing memory with anything else
    workspace_scope scope(ws);
    state<P> st;
    prepare(root, st, in);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (check_gradient_sink<T>(std::get<I>(sinks), std::get<I>(in), I), ...);
    }(std::index_sequence_for<S...>{});
    // Everything is checked; now values (the root's sum, when fused, comes with its adjoints).
    gradient_values_of<P, Wanted>(o, ws, root, st, std::make_index_sequence<fused_root ? P::M - 1 : P::M>{});
    T* staged[sizeof...(S) == 0 ? 1 : sizeof...(S)] = {};
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (bind_sink<P, I>(ws, st, std::get<I>(sinks), staged[I], contributions<P, Wanted>.zero[I]), ...);
    }(std::index_sequence_for<S...>{});
    adjoint_storage<P, Wanted>(ws, root, st, std::make_index_sequence<P::M>{});
    if constexpr (P::t.stage[K] && active<P, Wanted>[K]) {
        std::get<P::t.slot[K]>(st.adjoints).data[0] = T(1);
        adjoints_of<P, Wanted>(o, ws, root, st, fused_root, std::make_index_sequence<P::M>{});
    } else if constexpr (P::t.kinds[K] == kind::input && active<P, Wanted>[K]) {
        std::get<P::t.slot[K]>(st.adjoints).data[0] += T(1);
    }
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (copy_back<T>(std::get<I>(sinks), staged[I]), ...);
    }(std::index_sequence_for<S...>{});
    if constexpr (fused_root && active<P, Wanted>[K])
        return st.result;
    else {
        if constexpr (fused_root) value_stage<P, P::M - 1>(o, ws, root, st);
        return scalar_value<P, K>(root, st);
    }
}

// ---------------------------------------------------------------------------------
// Array results: tg::map writes each output of the program into an array.

template <class P, std::size_t J, class Root, class Out>
void write_output(Root const& root, state<P> const& st, Out const& out) {
    constexpr std::size_t K = P::G::outputs[J];
    if constexpr (is_skip<Out>) {
    } else {
        auto const& v = [&]() -> decltype(auto) {
            if constexpr (P::t.slot[K] != none)
                return std::get<P::t.slot[K]>(st.leaves);
            else
                return array_ref<typename P::T const, 0>{nullptr, {}, {}};
        }();
        if constexpr (P::t.slot[K] == none) {
            // A constant output: every element is that number.
            auto const c = scalar_value<P, K>(root, st);
            detail::for_each_offset(out, [&](std::ptrdiff_t off, std::ptrdiff_t) { out.data[off] = c; });
        } else if (static_cast<void const*>(v.data) != static_cast<void const*>(out.data)) {
            walk_pair(out, v, [&](std::ptrdiff_t oo, std::ptrdiff_t ov) {
                out.data[oo] = static_cast<typename Out::value_type>(v.data[ov]);
            });
        }
    }
}

template <class P, class Root, class... Out>
void run_map(cpu_options o, workspace& ws, Root const& root, std::tuple<Out...> const& outs,
             typename P::inputs_type const& in) {
    static_assert(sizeof...(Out) == P::G::outputs.size(),
                  "typegrad: tg::map needs one output (an array or tg::skip) per output of the function");
    check_thread_count(o.threads);
    validate_call(in, partial_sinks<std::tuple<Out...>>{outs, {}});  // outputs may be an input exactly
    workspace_scope scope(ws);
    state<P> st;
    prepare(root, st, in);
    [&]<std::size_t... J>(std::index_sequence<J...>) {
        (([&] {
             using O = std::tuple_element_t<J, std::tuple<Out...>>;
             if constexpr (!is_skip<O>) {
                 static_assert(O::rank == P::t.rank[P::G::outputs[J]],
                               "typegrad: an output array must have the rank of the function's result");
                 static_assert(std::is_same_v<typename O::value_type, typename P::T>,
                               "typegrad: an output array must have the computation's element type (the common "
                               "type of the inputs)");
                 auto const& out = std::get<J>(outs);
                 dims const expected = st.shape[P::G::outputs[J]];
                 if (!(array_shape(out) == expected))
                     shape_error(argument_label{argument_kind::output, J, 0}, array_shape(out), expected,
                                 "the shape of the function's result");
             }
         }()),
         ...);
    }(std::index_sequence_for<Out...>{});
    values_of<P>(o, ws, root, st, std::make_index_sequence<P::M>{});
    [&]<std::size_t... J>(std::index_sequence<J...>) {
        (write_output<P, J>(root, st, std::get<J>(outs)), ...);
    }(std::index_sequence_for<Out...>{});
}

// ---------------------------------------------------------------------------------
// Forward mode: J v along directions, one per input.

template <class D>
auto to_direction(D const& d) {
    if constexpr (is_skip<D>)
        return skip_t{};
    else if constexpr (std::is_arithmetic_v<D>)
        return d;
    else {
        static_assert(viewable<D const>,
                      "typegrad: a direction is an array of the input's shape, a number for a number input, or "
                      "tg::skip (a zero direction)");
        auto const v = as_view(d);
        return array_ref<typename decltype(v)::value_type const, decltype(v)::rank>(v);
    }
}

template <class T, class D, class In>
void check_direction(D const& d, In const& in, std::size_t i) {
    if constexpr (is_skip<D>) {
    } else if constexpr (std::is_arithmetic_v<D>) {
        if (In::rank != 0)
            throw std::invalid_argument("typegrad: the direction of input " + std::to_string(i) +
                                        " is a number, but the input has shape " + to_string(array_shape(in)) +
                                        "; pass an array of that shape");
    } else {
        static_assert(std::is_same_v<typename D::value_type, T>,
                      "typegrad: a direction array must have the computation's element type (the common type of "
                      "the inputs)");
        if (!(array_shape(d) == array_shape(in)))
            throw std::invalid_argument("typegrad: the direction of input " + std::to_string(i) + " has shape " +
                                        to_string(array_shape(d)) + ", expected " + to_string(array_shape(in)) +
                                        " (a direction has its input's shape)");
    }
}

/// Input I's direction as its tangent in one lane (a number direction is kept in `number`).
template <class P, std::size_t I, class D>
void bind_direction(typename P::tangents_type& lane, D const& d, typename P::T& number) {
    using T = typename P::T;
    constexpr std::size_t R = std::tuple_element_t<I, typename P::inputs_type>::rank;
    if constexpr (is_skip<D>) {
    } else if constexpr (std::is_arithmetic_v<D>) {
        number = static_cast<T>(d);
        if constexpr (R == 0) std::get<I>(lane) = array_ref<T const, 0>{&number, {}, {}};
    } else if constexpr (D::rank == R) {
        std::get<I>(lane) = d;
    }
}
template <class P, std::size_t I, class D>
void bind_direction(state<P>& st, D const& d, typename P::T& number) {
    bind_direction<P, I>(st.tangents, d, number);
}

/// Values and tangents of every stage; returns the state for the caller to read.
template <class P, class Root, class... D>
void run_tangents(cpu_options o, workspace& ws, Root const& root, std::tuple<D...> const& dirs,
                  typename P::inputs_type const& in, state<P>& st, typename P::T* numbers) {
    using T = typename P::T;
    static_assert(sizeof...(D) == P::N, "typegrad: tg::along needs one direction (an array, a number or tg::skip) per input");
    check_thread_count(o.threads);
    validate_call(in, std::tuple<>{});
    prepare(root, st, in);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (check_direction<T>(std::get<I>(dirs), std::get<I>(in), I), ...);
    }(std::index_sequence_for<D...>{});
    values_of<P>(o, ws, root, st, std::make_index_sequence<P::M>{});
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (bind_direction<P, I>(st, std::get<I>(dirs), numbers[I]), ...);
    }(std::index_sequence_for<D...>{});
    tangents_of<P, std::tuple<D...>>(o, ws, root, st, std::make_index_sequence<P::M>{});
}

/// The tangent of a rank-0 node after the tangent pass (0 where it depends on no direction).
template <class P, class Dirs, std::size_t K>
typename P::T scalar_tangent(state<P> const& st) {
    if constexpr (P::t.slot[K] != none && active<P, Dirs>[K])
        return std::get<P::t.slot[K]>(st.tangents).data[0];
    else
        return typename P::T(0);
}

}  // namespace detail::program

/// Directions of a Jacobian-vector product, one per input: an array of the input's
/// shape, a number for a number input, or tg::skip (the zero direction).
template <class... V>
struct directions {
    std::tuple<V...> v;
};
template <class... V>
auto along(V const&... v) {
    return directions<decltype(detail::program::to_direction(v))...>{{detail::program::to_direction(v)...}};
}

/// Where tg::jvp writes an array program's value and its tangent (either may be tg::skip).
template <class Y, class D>
struct value_and_tangent_sinks {
    Y value;
    D tangent;
};
template <class Y, class D>
auto into(Y&& value, D&& tangent) {
    auto v = detail::to_sink(std::forward<Y>(value));
    auto t = detail::to_sink(std::forward<D>(tangent));
    return value_and_tangent_sinks<decltype(v), decltype(t)>{v, t};
}

namespace detail::program {

}  // namespace detail::program

/// The value of an array program whose result is a number.
template <class F, class... Args>
    requires detail::program::program_call<F, Args...>
auto value(F const& f, Args const&... args) {
    workspace ws;
    return value(ws, f, args...);
}
template <class F, class... Args>
auto value(workspace& ws, F const& f, Args const&... args) {
    auto const in = std::tuple{detail::to_input(args)...};
    auto const e = detail::to_expression<sizeof...(Args)>(f);
    using P = typename detail::program::program_for<std::remove_cvref_t<decltype(e)>, std::remove_cvref_t<decltype(in)>>::type;
    return detail::program::run_value<P>(ws.options, ws, e, in);
}

/// The value of an array program and its gradient, written into the sinks
/// (tg::gradient_to(g0, g1, ...): one entry per input; an array of the input's shape,
/// a number for a number input, or tg::skip).
template <class F, class... S, class... Args>
auto gradient(workspace& ws, F const& f, gradient_sinks<S...> const& sinks, Args const&... args) {
    auto const in = std::tuple{detail::to_input(args)...};
    auto const e = detail::to_expression<sizeof...(Args)>(f);
    using P = typename detail::program::program_for<std::remove_cvref_t<decltype(e)>, std::remove_cvref_t<decltype(in)>>::type;
    return detail::program::run_gradient<P>(ws.options, ws, e, sinks.sinks, in);
}
template <class Mode = reverse, class F, class... S, class... Args>
auto gradient(F const& f, gradient_sinks<S...> const& sinks, Args const&... args) {
    static_assert(std::is_same_v<Mode, reverse>,
                  "typegrad: the gradient of an array program is computed in reverse mode; tg::jvp gives "
                  "directional derivatives in forward mode");
    workspace ws;
    return gradient(ws, f, sinks, args...);
}

/// Forward mode through an array program whose result is a number: {value, J v}.
template <class F, class... V, class... Args>
auto jvp(workspace& ws, F const& f, directions<V...> const& dirs, Args const&... args) {
    auto const in = std::tuple{detail::to_input(args)...};
    auto const e = detail::to_expression<sizeof...(Args)>(f);
    using P = typename detail::program::program_for<std::remove_cvref_t<decltype(e)>, std::remove_cvref_t<decltype(in)>>::type;
    using T = typename P::T;
    static_assert(P::t.rank[P::G::root] == 0,
                  "typegrad: this tg::jvp gives the tangent of a program whose result is a number; for an array "
                  "result pass tg::into(value, tangent) before the inputs");
    detail::workspace_scope scope(ws);
    detail::program::state<P> st;
    T numbers[sizeof...(Args) == 0 ? 1 : sizeof...(Args)] = {};
    detail::program::run_tangents<P>(ws.options, ws, e, dirs.v, in, st, numbers);
    return jvp_result<T>{detail::program::scalar_value<P, P::G::root>(e, st),
                         detail::program::scalar_tangent<P, std::tuple<V...>, P::G::root>(st)};
}
template <class F, class... V, class... Args>
auto jvp(F const& f, directions<V...> const& dirs, Args const&... args) {
    workspace ws;
    return jvp(ws, f, dirs, args...);
}

/// Forward mode through an array program with an array result: its value and J v are
/// written into the sinks of tg::into(value, tangent).
template <class F, class... V, class Y, class D, class... Args>
void jvp(workspace& ws, F const& f, directions<V...> const& dirs, value_and_tangent_sinks<Y, D> const& out,
         Args const&... args) {
    auto const in = std::tuple{detail::to_input(args)...};
    auto const e = detail::to_expression<sizeof...(Args)>(f);
    using P = typename detail::program::program_for<std::remove_cvref_t<decltype(e)>, std::remove_cvref_t<decltype(in)>>::type;
    using T = typename P::T;
    using Dirs = std::tuple<V...>;
    constexpr std::size_t K = P::G::root;
    detail::workspace_scope scope(ws);
    detail::program::state<P> st;
    T numbers[sizeof...(Args) == 0 ? 1 : sizeof...(Args)] = {};
    detail::program::prepare(e, st, in);
    detail::validate_call(in, partial_sinks<std::tuple<Y, D>>{{out.value, out.tangent}, {}});
    auto check = [&](auto const& o, std::size_t j) {
        using O = std::remove_cvref_t<decltype(o)>;
        if constexpr (detail::is_array_sink<O>) {
            static_assert(O::rank == P::t.rank[K], "typegrad: a jvp output must have the rank of the function's result");
            if (!(array_shape(o) == st.shape[K]))
                detail::shape_error(detail::argument_label{detail::argument_kind::output, j, 0}, array_shape(o),
                                    st.shape[K], "the shape of the function's result (0: value, 1: tangent)");
        }
    };
    check(out.value, 0);
    check(out.tangent, 1);
    detail::program::run_tangents<P>(ws.options, ws, e, dirs.v, in, st, numbers);
    detail::program::write_output<P, 0>(e, st, out.value);
    if constexpr (detail::is_array_sink<D>) {
        if constexpr (detail::program::active<P, Dirs>[K]) {
            auto const& t = std::get<P::t.slot[K]>(st.tangents);
            detail::walk_pair(out.tangent, t, [&](std::ptrdiff_t a, std::ptrdiff_t b) { out.tangent.data[a] = t.data[b]; });
        } else
            detail::for_each_offset(out.tangent, [&](std::ptrdiff_t a, std::ptrdiff_t) { out.tangent.data[a] = T(0); });
    }
}
template <class F, class... V, class Y, class D, class... Args>
void jvp(F const& f, directions<V...> const& dirs, value_and_tangent_sinks<Y, D> const& out, Args const&... args) {
    workspace ws;
    jvp(ws, f, dirs, out, args...);
}

/// Forward mode along several sets of directions at one point, for an array result: the values
/// are computed once, then the sets run as the lanes of tangent passes, four at a time; tangents[k] receives J dirs[k] (each an
/// array of the result's shape). What a Jacobian by colouring needs: its colours share the value
/// pass. Every direction and sink is checked before anything is computed or written.
template <class F, class... V, class D, class... Args>
void jvp_each(workspace& ws, F const& f, std::span<directions<V...> const> dirs, std::span<D const> tangents,
              Args const&... args) {
    auto const in = std::tuple{detail::to_input(args)...};
    auto const e = detail::to_expression<sizeof...(Args)>(f);
    using P = typename detail::program::program_for<std::remove_cvref_t<decltype(e)>, std::remove_cvref_t<decltype(in)>>::type;
    using T = typename P::T;
    using Dirs = std::tuple<V...>;
    constexpr std::size_t K = P::G::root;
    static_assert(sizeof...(V) == P::N, "typegrad: tg::along needs one direction (an array, a number or tg::skip) per input");
    static_assert(detail::is_array_sink<D> && !std::is_pointer_v<D>,
                  "typegrad: tg::jvp_each writes each tangent into an array of the result's shape");
    static_assert(D::rank == P::t.rank[K], "typegrad: a jvp output must have the rank of the function's result");
    if (dirs.size() != tangents.size())
        throw std::invalid_argument("typegrad: tg::jvp_each got " + std::to_string(dirs.size()) +
                                    " sets of directions and " + std::to_string(tangents.size()) +
                                    " tangent arrays, expected one tangent array per set");
    detail::check_thread_count(ws.options.threads);
    detail::workspace_scope scope(ws);
    detail::program::state<P> st;
    detail::program::prepare(e, st, in);
    for (std::size_t k = 0; k < dirs.size(); ++k) {
        D const& t = tangents[k];
        detail::validate_call(in, partial_sinks<std::tuple<D>>{{t}, {}});
        if (!(array_shape(t) == st.shape[K]))
            detail::shape_error(detail::argument_label{detail::argument_kind::output, k, 0}, array_shape(t), st.shape[K],
                                "the shape of the function's result");
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (detail::program::check_direction<T>(std::get<I>(dirs[k].v), std::get<I>(in), I), ...);
        }(std::index_sequence_for<V...>{});
    }
    if (dirs.empty()) return;
    // Only tangents are written: the last stage's value is not needed when it is an element-wise
    // region (its tangent pass computes the values it uses; an array operation's rule may read it).
    constexpr bool root_value_unused = [] {
        if constexpr (P::M > 0)
            return P::t.kinds[K] == detail::program::kind::elementwise && P::t.stage_pos[P::M - 1] == K;
        else
            return false;
    }();
    detail::program::values_of<P>(ws.options, ws, e, st, std::make_index_sequence<P::M - (root_value_unused ? 1 : 0)>{});
    // The sets run as the lanes of tangent passes, `lanes` at a time: each element-wise region
    // computes its values and partials once per pass. A last pass with fewer sets repeats the
    // last set in its spare lanes (their tangents are not copied out).
    constexpr std::size_t lanes = 4;
    using lane_type = typename P::tangents_type;
    for (std::size_t k0 = 0; k0 < dirs.size(); k0 += lanes) {
        std::size_t const used = std::min(lanes, dirs.size() - k0);
        lane_type lane[lanes]{};
        T lane_numbers[lanes][sizeof...(Args) == 0 ? 1 : sizeof...(Args)] = {};
        for (std::size_t q = 0; q < lanes; ++q) {
            auto const& d = dirs[k0 + std::min(q, used - 1)];
            [&]<std::size_t... I>(std::index_sequence<I...>) {
                (detail::program::bind_direction<P, I>(lane[q], std::get<I>(d.v), lane_numbers[q][I]), ...);
            }(std::index_sequence_for<V...>{});
        }
        detail::workspace_scope pass(ws);  // this pass's tangent buffers, given back after the copy
        detail::program::tangents_of<P, Dirs, lanes>(ws.options, ws, e, st, std::make_index_sequence<P::M>{}, lane);
        for (std::size_t q = 0; q < used; ++q) {
            D const& out = tangents[k0 + q];
            if constexpr (detail::program::active<P, Dirs>[K]) {
                auto const& t = std::get<P::t.slot[K]>(lane[q]);
                detail::walk_pair(out, t, [&](std::ptrdiff_t a, std::ptrdiff_t b) { out.data[a] = t.data[b]; });
            } else
                detail::for_each_offset(out, [&](std::ptrdiff_t a, std::ptrdiff_t) { out.data[a] = T(0); });
        }
    }
}

/// Value and gradient of a function with array operations at a point of numbers (each
/// input an array of rank 0): `auto [v, g] = tg::gradient(tg::sum(x * x), 3.0);`.
template <class Mode = reverse, class F, class... Args>
    requires(!detail::program::array_call<Args...> && (scalar<Args> && ...) && sizeof...(Args) > 0 &&
             detail::program::holds_array_operations<F, sizeof...(Args)>())
auto gradient(F const& f, Args const&... args) {
    using T = detail::number_type<Args...>;
    gradient_result<T, sizeof...(Args)> r{};
    r.value = [&]<std::size_t... I>(std::index_sequence<I...>) {
        return gradient<Mode>(f, gradient_to(r.gradient[I]...), static_cast<T>(args)...);
    }(std::index_sequence_for<Args...>{});
    return r;
}

}  // namespace typegrad
