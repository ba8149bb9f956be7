// typegrad/loops/scan.hpp: tg::scan, a loop that maps over the leading axis of an array.
//
// `auto hs = tg::scan(cell, h0, xs);` gives hs[t] = cell(hs[t - 1], xs[t]) (hs[-1] = h0)
// for t < xs's leading extent, stacked: hs has that extent first, then h0's shape. The
// last state is tg::slice(hs, T - 1, T) (or tg::take). Like jax.lax.scan with the state
// as the per-step output. The cell is called once, when the scan is built, with
// placeholders; it may read outer variables. The scan is one array operation of its
// program; the stacked states are its result, so reverse mode needs no other storage.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "array_fori.hpp"
#include "body.hpp"
#include "fori.hpp"

namespace typegrad {

namespace detail {
/// Element t of a along its leading axis.
template <class T, std::size_t R>
array_ref<T, R - 1> leading(array_ref<T, R> const& a, std::ptrdiff_t t) {
    array_ref<T, R - 1> r{};
    r.data = a.data + t * a.stride[0];
    for (std::size_t d = 1; d < R; ++d) {
        r.extent[d - 1] = a.extent[d];
        r.stride[d - 1] = a.stride[d];
    }
    return r;
}
}  // namespace detail

namespace ops {

/// Body: an expression of the state (input 0), the step's slice of xs (input 1) and F outer
/// variables (inputs 2..F+1).
template <class Body, std::size_t F>
struct scan_op {
    static constexpr bool array_operation = true;
    static constexpr bool uses_scratch = true;
    static constexpr char const* name = "scan";
    using adjoint_body = decltype(typegrad::sum(std::declval<Body const&>() * var<F + 2>{}));
    Body body;
    adjoint_body adjoint;

    template <std::size_t RH, std::size_t RX, std::size_t... R>
    static consteval std::size_t rank() {
        static_assert(RX >= 1, "typegrad: tg::scan maps over the leading axis of an array: xs must have rank 1 or more");
        static_assert(RH + 1 <= max_rank, "typegrad: tg::scan stacks its states: a state of rank 3 at most");
        return RH + 1;
    }
    template <class... D>
    shape_result shape(dims const& h, dims const& xs, D const&...) const {
        dims r{};
        r.rank = h.rank + 1;
        r.extent[0] = xs.extent[0];
        for (std::size_t d = 0; d < h.rank; ++d) r.extent[d + 1] = h.extent[d];
        return shape_ok(r);
    }
    // Two state buffers, and one per outer variable (adjoints), one for a step of xs.
    template <class... D>
    std::ptrdiff_t scratch(dims const& h, dims const& xs, D const&... f) const {
        return 3 * h.size() + xs.size() / (xs.extent[0] > 0 ? xs.extent[0] : 1) + (std::ptrdiff_t{0} + ... + f.size());
    }

    template <class T, class S, class X, class... Y>
    void step(S const& from, array_ref<T, S::rank> const& next, X const& x, Y const&... y) const {
        detail::body_value<scan_op>("tg::scan", body, next, from, x, y...);
    }

    template <class T, std::size_t R, class H, class XS, class... Rest>
    void value(array_ref<T, R> const& y, H const& h0, XS const& xs, Rest const&... rest) const {
        auto const all = std::forward_as_tuple(rest...);
        [&]<std::size_t... J>(std::index_sequence<J...>) {
            for (std::ptrdiff_t t = 0; t < xs.extent[0]; ++t) {
                auto const to = detail::leading(y, t);
                if (t == 0)
                    step<T>(h0, to, detail::leading(xs, 0), std::get<J>(all)...);
                else
                    step<T>(array_ref<T const, R - 1>(detail::leading(y, t - 1)), to, detail::leading(xs, t),
                            std::get<J>(all)...);
            }
        }(std::make_index_sequence<F>{});
    }

    // rest: F outer variables, the 2 + F gradient sinks (h0, xs, outer...), the scratch pointer.
    template <class T, std::size_t R, class H, class XS, class... Rest>
    void vjp(array_ref<T const, R> const& ybar, array_ref<T const, R> const& y, H const& h0, XS const& xs,
             Rest const&... rest) const {
        auto const all = std::forward_as_tuple(rest...);
        [&]<std::size_t... J>(std::index_sequence<J...>) {
            auto const& gh = std::get<F>(all);
            auto const& gx = std::get<F + 1>(all);
            T* const scratch = std::get<2 * F + 2>(all);
            std::ptrdiff_t const size = h0.size();
            T* abar = scratch;
            T* gnext = scratch + size;
            T* gstep = scratch + 2 * size;  // the adjoint of one step of xs
            T* outer[F == 0 ? 1 : F] = {};
            {
                T* p = gstep + (xs.extent[0] > 0 ? xs.size() / xs.extent[0] : 0);
                ((outer[J] = p, p += std::get<J>(all).size()), ...);
            }
            for (std::ptrdiff_t e = 0; e < size; ++e) abar[e] = T(0);
            for (std::ptrdiff_t t = xs.extent[0]; t-- > 0;) {
                auto const yb = detail::leading(ybar, t);
                detail::for_each_offset(yb, [&](std::ptrdiff_t o, std::ptrdiff_t e) { abar[e] += yb.data[o]; });
                auto const xt = detail::leading(xs, t);
                auto const run = [&](auto const& from) {
                    typegrad::gradient(
                        detail::loop_workspace<scan_op>(), adjoint,
                        typegrad::gradient_to(detail::gradient_sink(gnext, h0),
                                              detail::sink_or_skip(gstep, xt, gx),
                                              detail::sink_or_skip(outer[J], std::get<J>(all), std::get<F + 2 + J>(all))...,
                                              skip),
                        from, xt, std::get<J>(all)..., detail::row_major_like(static_cast<T const*>(abar), h0));
                };
                if (t == 0)
                    run(h0);
                else
                    run(array_ref<T const, R - 1>(detail::leading(y, t - 1)));
                std::swap(abar, gnext);
                if constexpr (wanted<std::remove_cvref_t<decltype(gx)>>) {
                    auto const g = detail::leading(gx, t);
                    detail::walk_pair(g, detail::row_major_like(static_cast<T const*>(gstep), g),
                                      [&](std::ptrdiff_t a, std::ptrdiff_t b) { g.data[a] += gstep[b]; });
                }
                (detail::add_into(std::get<F + 2 + J>(all), outer[J]), ...);
            }
            if constexpr (wanted<std::remove_cvref_t<decltype(gh)>>)
                detail::walk_pair(gh, detail::row_major_like(static_cast<T const*>(abar), gh),
                                  [&](std::ptrdiff_t a, std::ptrdiff_t b) { gh.data[a] += abar[b]; });
        }(std::make_index_sequence<F>{});
    }

    // rest: F outer variables, the 2 + F tangents (h0, xs, outer...), the scratch pointer.
    template <class T, std::size_t R, class H, class XS, class... Rest>
    void jvp(array_ref<T, R> const& ydot, array_ref<T const, R> const& y, H const& h0, XS const& xs,
             Rest const&... rest) const {
        auto const all = std::forward_as_tuple(rest...);
        [&]<std::size_t... J>(std::index_sequence<J...>) {
            auto const& th = std::get<F>(all);
            auto const& tx = std::get<F + 1>(all);
            T* const spare = std::get<2 * F + 2>(all);  // the value each step writes again
            std::ptrdiff_t const size = h0.size();
            T* const zero = spare + size;
            for (std::ptrdiff_t e = 0; e < size; ++e) zero[e] = T(0);
            for (std::ptrdiff_t t = 0; t < xs.extent[0]; ++t) {
                auto const xt = detail::leading(xs, t);
                auto const to = detail::leading(ydot, t);
                auto const tx_t = [&] {
                    if constexpr (wanted<std::remove_cvref_t<decltype(tx)>>)
                        return detail::leading(tx, t);
                    else
                        return skip;
                }();
                auto const d_prev = [&]() -> array_ref<T const, R - 1> {
                    if (t > 0) return array_ref<T const, R - 1>(detail::leading(ydot, t - 1));
                    if constexpr (wanted<std::remove_cvref_t<decltype(th)>>)
                        return th;
                    else
                        return detail::row_major_like(static_cast<T const*>(zero), h0);
                }();
                auto const from = t == 0 ? array_ref<T const, R - 1>(h0) : array_ref<T const, R - 1>(detail::leading(y, t - 1));
                typegrad::jvp(detail::loop_workspace<scan_op>(), body,
                              typegrad::along(d_prev, tx_t, detail::direction_or_skip(std::get<F + 2 + J>(all))...),
                              typegrad::into(detail::row_major_like(spare, h0), to), from, xt, std::get<J>(all)...);
            }
        }(std::make_index_sequence<F>{});
    }

    template <class E>
    static std::string text(E const& e) {
        return detail::cat("scan((s0, s1) -> ", typegrad::to_string(e.operation().body), ", ",
                           typegrad::to_string(e.template child<0>()), ", ", typegrad::to_string(e.template child<1>()), ")");
    }
    template <class E>
    static std::string label(E const& e) {
        return text(e);
    }
};

}  // namespace ops

/// The states of a loop over the leading axis of xs, stacked: hs[t] = cell(hs[t - 1], xs[t]).
template <class Cell, class H, class XS>
auto scan(Cell const& cell, H const& h0, XS const& xs) {
    static_assert(operand<H> && operand<XS>, "typegrad: tg::scan(cell, h0, xs) takes expressions (arrays) for h0 and xs");
    using Tag = detail::loop_tag<Cell, store_all, 2>;
    using Ph = decltype(detail::placeholders<Tag>(std::make_index_sequence<2>{}));
    static_assert(requires { std::apply(cell, Ph{}); },
                  "typegrad: tg::scan's cell takes two expressions: the state and the step's slice of xs");
    auto const raw = detail::as_expression(std::apply(cell, Ph{}));
    static_assert(expression<decltype(raw)>, "typegrad: tg::scan's cell must return the next state, one expression");
    using G0 = graph<std::remove_cvref_t<decltype(raw)>>;
    using Free = typename detail::free_variables<G0, Tag, 2>::type;
    constexpr std::size_t F = std::tuple_size_v<decltype(detail::free_leaves(Free{}))>;
    static_assert(2 + F <= detail::max_arity, "typegrad: tg::scan's cell may read at most 6 outer variables");
    auto const body = detail::rewrite<detail::body_slots<Tag, 2, Free>>(raw);
    using Body = std::remove_cvref_t<decltype(body)>;
    using Op = ops::scan_op<Body, F>;
    Op const op{body, typegrad::sum(body * var<F + 2>{})};
    return std::apply(
        [&](auto const&... free) {
            return make_node_with(op, detail::as_expression(h0), detail::as_expression(xs), free...);
        },
        detail::free_leaves(Free{}));
}

}  // namespace typegrad
