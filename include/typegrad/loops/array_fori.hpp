// typegrad/loops/array_fori.hpp: tg::fori over an array state (a body with array operations).
//
// When the step holds array operations (a matrix product, a reduction over an axis,
// a slice), the loop is one array operation (ops/array_operation.hpp) of the program
// it sits in: its operands are the initial state and the outer variables the body
// reads, its parameters the body (an expression, trivially copyable) and the count.
// Each step runs the body as an array program of its own, in a workspace the loop
// keeps per thread (so nothing is allocated once it has grown):
//   value  the body's value, from one buffer into the other;
//   vjp    the gradient of sum(body * abar) in the state and the outer variables, the
//          state's adjoint abar carried back, the outer ones added up;
//   jvp    the body's value and tangent along the state's and the outer variables'.
// The states of the forward sweep come from the same policies as the scalar loop's:
// tg::checkpoints<S> keeps at most S + 2 states in the call's workspace (binomial
// checkpointing beyond S steps), tg::store_all keeps every state, recorded by the value
// pass, in a buffer of the thread's.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../exec/array_ref.hpp"
#include "../exec/program/api.hpp"
#include "../io/to_string.hpp"
#include "../ops/arithmetic.hpp"
#include "../ops/array_operation.hpp"
#include "../ops/reduce.hpp"
#include "checkpoint.hpp"

namespace typegrad {

namespace detail {

/// A contiguous row-major array of the extents of `like` at p.
template <class T, class A>
array_ref<T, A::rank> row_major_like(T* p, A const& like) {
    array_ref<T, A::rank> r{};
    r.data = p;
    std::ptrdiff_t s = 1;
    for (std::size_t d = A::rank; d-- > 0;) {
        r.extent[d] = like.extent[d];
        r.stride[d] = s;
        s *= like.extent[d];
    }
    return r;
}

template <class T, class A>
void copy_into(T* to, A const& from) {
    detail::for_each_offset(from, [&](std::ptrdiff_t o, std::ptrdiff_t e) { to[e] = from.data[o]; });
}

/// Where an inner call writes the gradient of an operand: an array, or a number for rank 0.
template <class T, class A>
decltype(auto) gradient_sink(T* p, A const& like) {
    if constexpr (A::rank == 0)
        return (*p);
    else
        return row_major_like(p, like);
}

/// The states a store_all array loop's value pass kept (one record per loop and thread),
/// with what it started from.
template <class Owner, class T>
struct kept_arrays {
    std::vector<T> states;
    std::vector<T> key;
    std::vector<T> probe;  // a reverse step's start, compared with key
    std::uint64_t owner = 0;
    bool valid = false;
    static kept_arrays& here() {
        thread_local kept_arrays k;
        return k;
    }
    bool matches(std::uint64_t who, std::vector<T> const& other) const {
        if (!valid || who != owner || key.size() != other.size()) return false;
        for (std::size_t i = 0; i < key.size(); ++i)
            if (!(key[i] == other[i])) return false;
        return true;
    }
};

/// The inner gradient call's sink for an outer operand: p shaped like x where its
/// gradient g is wanted, else tg::skip.
template <class T, class X, class G>
decltype(auto) sink_or_skip(T* p, X const& x, G const&) {
    if constexpr (wanted<G>)
        return detail::gradient_sink(p, x);
    else
        return skip;
}
/// g += the contiguous array at p (nothing where g is tg::skip).
template <class G, class T>
void add_into(G const& g, T const* p) {
    if constexpr (wanted<G>)
        detail::walk_pair(g, detail::row_major_like(p, g), [&](std::ptrdiff_t a, std::ptrdiff_t b) { g.data[a] += p[b]; });
}
/// A tangent operand as an inner call's direction (tg::skip stays tg::skip).
template <class D>
auto direction_or_skip(D const& t) {
    if constexpr (wanted<D>)
        return t;
    else
        return skip;
}

/// A new loop's id (store_all records tell loops apart by it).
inline std::uint64_t next_loop_id() {
    static std::atomic<std::uint64_t> last{0};
    return ++last;
}

template <class Owner>
workspace& loop_workspace() {
    thread_local workspace ws;
    return ws;
}

template <std::size_t N>
constexpr auto skips() {
    return [&]<std::size_t... I>(std::index_sequence<I...>) { return typegrad::along(((void)I, skip)...); }(
        std::make_index_sequence<N>{});
}

/// next = body(in...), the body run as an array program of its own in the loop's workspace; a
/// result of another shape than the state is refused, naming the loop and the state's shape.
template <class Owner, class Body, class Next, class... In>
void body_value(char const* loop, Body const& body, Next const& next, In const&... in) {
    try {
        typegrad::jvp(loop_workspace<Owner>(), body, skips<sizeof...(In)>(), typegrad::into(next, skip), in...);
    } catch (std::invalid_argument const& e) {
        throw std::invalid_argument(cat("typegrad: ", loop, ": a step must give an array of the state's shape ",
                                        typegrad::to_string(array_shape(next)), "; ", e.what()));
    }
}

}  // namespace detail

namespace ops {

/// A loop over an array state: Body is an expression of the state (input 0) and of F
/// outer variables (inputs 1..F).
template <class Body, std::size_t F, class Policy>
struct array_fori_op {
    static constexpr bool array_operation = true;
    static constexpr bool uses_scratch = true;
    static constexpr char const* name = "fori";
    using adjoint_body = decltype(typegrad::sum(std::declval<Body const&>() * var<F + 1>{}));
    Body body;
    adjoint_body adjoint;  // sum(body * abar): its gradient is the step's vector-Jacobian product
    std::ptrdiff_t count = 0;
    std::uint64_t id = 0;  // which loop this is (each tg::fori call makes a new one): its kept states' owner

    // States held in the call's scratch: checkpoints<S> has S + 1 slots for the schedule
    // (checkpoint.hpp) and one to ping-pong a multi-step advance through.
    static constexpr std::size_t slots = [] {
        if constexpr (std::is_same_v<Policy, store_all>)
            return std::size_t{2};
        else
            return Policy::snapshots + 2;
    }();

    template <std::size_t R0, std::size_t... R>
    static consteval std::size_t rank() {
        return R0;
    }
    template <class... D>
    shape_result shape(dims const& s, D const&...) const {
        return shape_ok(s);
    }
    // Slots for states, two for adjoints or tangents, and one per outer variable.
    template <class... D>
    std::ptrdiff_t scratch(dims const& s, D const&... f) const {
        return static_cast<std::ptrdiff_t>(slots + 2) * s.size() + (std::ptrdiff_t{0} + ... + f.size());
    }

    // One step: next = body(from, outer...), by the body's own array program.
    template <class T, class S, class... X>
    void step(S const& from, array_ref<T, S::rank> const& next, X const&... x) const {
        detail::body_value<array_fori_op>("tg::fori", body, next, from, x...);
    }

    template <class T, std::size_t R, class S0, class... Rest>
    void value(array_ref<T, R> const& y, S0 const& s0, Rest const&... rest) const {
        auto const all = std::forward_as_tuple(rest...);
        [&]<std::size_t... J>(std::index_sequence<J...>) {
            forward_sweep(y, s0, std::get<F>(all), std::get<J>(all)...);
        }(std::make_index_sequence<F>{});
    }

    template <class T, std::size_t R, class S0, class... X>
    void forward_sweep(array_ref<T, R> const& y, S0 const& s0, T* scratch, X const&... x) const {
        std::ptrdiff_t const size = s0.size();
        T* buf[2] = {scratch, scratch + size};
        detail::copy_into(buf[0], s0);
        auto& kept = detail::kept_arrays<array_fori_op, T>::here();
        bool const keep = std::is_same_v<Policy, store_all>;
        if (keep) {
            kept.valid = false;
            kept.owner = id;
            key_of(kept.key, s0, x...);
            kept.states.resize(static_cast<std::size_t>((count + 1) * size));
            for (std::ptrdiff_t e = 0; e < size; ++e) kept.states[static_cast<std::size_t>(e)] = buf[0][e];
        }
        for (std::ptrdiff_t i = 0; i < count; ++i) {
            T* const to = keep ? kept.states.data() + (i + 1) * size : buf[(i + 1) % 2];
            T const* const from = keep ? kept.states.data() + i * size : buf[i % 2];
            step<T>(detail::row_major_like(from, s0), detail::row_major_like(to, s0), x...);
        }
        T const* const last = keep ? kept.states.data() + count * size : buf[count % 2];
        detail::walk_pair(y, detail::row_major_like(last, s0), [&](std::ptrdiff_t a, std::ptrdiff_t b) { y.data[a] = last[b]; });
        if (keep) kept.valid = true;
    }

    // What a store_all loop starts from: the state, the outer variables and the count (and, in
    // the record, the loop's id: nodes are copied, so an address would not tell them apart).
    template <class T, class S0, class... X>
    void key_of(std::vector<T>& key, S0 const& s0, X const&... x) const {
        key.clear();
        auto add = [&](auto const& a) {
            detail::for_each_offset(a, [&](std::ptrdiff_t o, std::ptrdiff_t) { key.push_back(static_cast<T>(a.data[o])); });
        };
        add(s0);
        (add(x), ...);
        key.push_back(static_cast<T>(count));
    }

    template <class T, std::size_t R, class S0, class... Rest>
    void vjp(array_ref<T const, R> const& ybar, array_ref<T const, R> const&, S0 const& s0, Rest const&... rest) const {
        vjp_split(ybar, s0, std::forward_as_tuple(rest...), std::make_index_sequence<F>{});
    }

    template <class T, std::size_t R, class S0, class Tuple, std::size_t... J>
    void vjp_split(array_ref<T const, R> const& ybar, S0 const& s0, Tuple const& rest, std::index_sequence<J...>) const {
        // rest: the F outer variables, the 1 + F gradient sinks, the scratch pointer.
        auto const& gs = std::get<F>(rest);
        T* const scratch = std::get<2 * F + 1>(rest);
        reverse(ybar, s0, gs, scratch, std::get<J>(rest)..., std::get<F + 1 + J>(rest)...);
    }

    template <class T, std::size_t R, class S0, class GS, class... XG>
    void reverse(array_ref<T const, R> const& ybar, S0 const& s0, GS const& gs, T* scratch, XG const&... xg) const {
        reverse_with(ybar, s0, gs, scratch, std::forward_as_tuple(xg...), std::make_index_sequence<F>{});
    }

    template <class T, std::size_t R, class S0, class GS, class XG, std::size_t... J>
    void reverse_with(array_ref<T const, R> const& ybar, S0 const& s0, GS const& gs, T* scratch, XG const& xg,
                      std::index_sequence<J...>) const {
        auto const& x = std::forward_as_tuple(std::get<J>(xg)...);
        std::ptrdiff_t const size = s0.size();
        T* const slot0 = scratch;
        T* abar = scratch + static_cast<std::ptrdiff_t>(slots) * size;
        T* gnext = abar + size;
        T* outer[F == 0 ? 1 : F] = {};
        {
            T* p = gnext + size;
            ((outer[J] = p, p += std::get<J>(x).size()), ...);
        }
        detail::copy_into(abar, ybar);
        auto const state_at = [&](T const* p) { return detail::row_major_like(p, s0); };
        auto const pull = [&](T const* st) {
            typegrad::gradient(detail::loop_workspace<array_fori_op>(), adjoint,
                               typegrad::gradient_to(detail::gradient_sink(gnext, s0),
                                                     detail::sink_or_skip(outer[J], std::get<J>(x), std::get<F + J>(xg))...,
                                                     skip),
                               state_at(st), std::get<J>(x)..., state_at(static_cast<T const*>(abar)));
            std::swap(abar, gnext);
            (detail::add_into(std::get<F + J>(xg), outer[J]), ...);
        };
        std::size_t const n = static_cast<std::size_t>(count);
        if constexpr (std::is_same_v<Policy, store_all>) {
            auto& kept = detail::kept_arrays<array_fori_op, T>::here();
            key_of(kept.probe, s0, std::get<J>(x)...);  // (kept, so that it grows once)
            bool const reused = kept.matches(id, kept.probe) &&
                                kept.states.size() >= static_cast<std::size_t>((count + 1) * size);
            if (!reused) {  // run forward again, keeping every state
                kept.valid = false;
                kept.states.resize(static_cast<std::size_t>((count + 1) * size));
                detail::copy_into(kept.states.data(), s0);
                for (std::size_t i = 0; i < n; ++i)
                    step<T>(state_at(kept.states.data() + i * size),
                            detail::row_major_like(kept.states.data() + (i + 1) * size, s0), std::get<J>(x)...);
            }
            for (std::size_t i = n; i-- > 0;) pull(kept.states.data() + i * size);
        } else {
            detail::copy_into(slot0, s0);
            auto const advance = [&](std::size_t from, std::size_t to, std::size_t m) {
                T* const a = slot0 + static_cast<std::ptrdiff_t>(from) * size;
                T* const b = slot0 + static_cast<std::ptrdiff_t>(to) * size;
                T* const spare = slot0 + static_cast<std::ptrdiff_t>(slots - 1) * size;
                // Ping-pong between the target slot and the spare one, ending in the target.
                T* cur = a;
                for (std::size_t j = 0; j < m; ++j) {
                    T* const dst = ((m - j) % 2 == 1) ? b : spare;
                    step<T>(state_at(cur), detail::row_major_like(dst, s0), std::get<J>(x)...);
                    cur = dst;
                }
            };
            detail::reverse_in_slots<Policy::snapshots>(
                n, advance, [&](std::size_t slot, std::size_t) { pull(slot0 + static_cast<std::ptrdiff_t>(slot) * size); });
        }
        if constexpr (wanted<GS>) detail::walk_pair(gs, state_at(abar), [&](std::ptrdiff_t a, std::ptrdiff_t b) { gs.data[a] += abar[b]; });
    }

    template <class T, std::size_t R, class S0, class... Rest>
    void jvp(array_ref<T, R> const& ydot, array_ref<T const, R> const&, S0 const& s0, Rest const&... rest) const {
        jvp_split(ydot, s0, std::forward_as_tuple(rest...), std::make_index_sequence<F>{});
    }
    template <class T, std::size_t R, class S0, class Tuple, std::size_t... J>
    void jvp_split(array_ref<T, R> const& ydot, S0 const& s0, Tuple const& rest, std::index_sequence<J...>) const {
        auto const& ts = std::get<F>(rest);
        T* const scratch = std::get<2 * F + 1>(rest);
        std::ptrdiff_t const size = s0.size();
        T* v[2] = {scratch, scratch + size};
        T* d[2] = {scratch + 2 * size, scratch + 3 * size};
        detail::copy_into(v[0], s0);
        if constexpr (wanted<std::remove_cvref_t<decltype(ts)>>)
            detail::copy_into(d[0], ts);
        else
            for (std::ptrdiff_t e = 0; e < size; ++e) d[0][e] = T(0);
        for (std::ptrdiff_t i = 0; i < count; ++i) {
            auto const cur = [&](T* p) { return detail::row_major_like(static_cast<T const*>(p), s0); };
            typegrad::jvp(detail::loop_workspace<array_fori_op>(), body,
                          typegrad::along(cur(d[i % 2]), detail::direction_or_skip(std::get<F + 1 + J>(rest))...),
                          typegrad::into(detail::row_major_like(v[(i + 1) % 2], s0), detail::row_major_like(d[(i + 1) % 2], s0)),
                          cur(v[i % 2]), std::get<J>(rest)...);
        }
        T const* const last = d[count % 2];
        detail::walk_pair(ydot, detail::row_major_like(last, s0), [&](std::ptrdiff_t a, std::ptrdiff_t b) { ydot.data[a] = last[b]; });
    }
    template <class E>
    static std::string text(E const& e) {
        return detail::cat("fori(", std::to_string(e.operation().count), ", (s0) -> ", typegrad::to_string(e.operation().body),
                           ", ", typegrad::to_string(e.template child<0>()), ")");
    }
    template <class E>
    static std::string label(E const& e) {
        return text(e);
    }
};

}  // namespace ops
}  // namespace typegrad
