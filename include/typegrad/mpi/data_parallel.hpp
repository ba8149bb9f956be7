// typegrad/mpi/data_parallel.hpp: one call, every rank's shard, the global loss and gradient.
//
//   tg::mpi::context ctx(MPI_COMM_WORLD);
//   auto [w, b, x, t] = tg::vars<"w", "b", "x", "t">();
//   auto loss = softplus(w * x + b) - t * (w * x + b);           // per row
//   double L = tg::mpi::mean(ctx, loss, tg::gradient_to(gw, gb, tg::skip, tg::skip),
//                            w, b, tg::mpi::shard(x_rows), tg::mpi::shard(t_rows));
//   double L = tg::mpi::gradient(ctx, tg::mean(tg::square(tg::matmul(X, W) - Y)),
//                                tg::gradient_to(tg::skip, gW, tg::skip), tg::mpi::shard(Xr), W, tg::mpi::shard(Yr));
//
// The loss is tg::sum or tg::mean over every element of an expression (tg::mpi::sum and
// tg::mpi::mean write it for an element-wise function, as tg::sum and tg::mean do). Each
// rank evaluates the sum over its shard (tg::gradient, the context's workspace) straight into
// a packed buffer; one check collective (agree.hpp) and one sum over ranks follow, and only
// then are the caller's sinks written. A mean divides the global sum by the global element
// count, so uneven shards give the exact global mean. Every rank returns the same value and
// gets the same gradients. Inputs marked with tg::mpi::shard are the rows; their gradient
// entries must be tg::skip (a row's gradient is not a sum over ranks).
//
// options.deterministic (options.hpp): the rows are cut into global chunks of chunk_rows,
// each chunk evaluated on its own, the chunks' parts gathered (MPI_Allgatherv) and added in
// chunk order, so the result does not depend on the number of ranks at all, bit for bit.
#pragma once

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../exec/program/api.hpp"
#include "../ops/reduce.hpp"
#include "chunked.hpp"
#include "context.hpp"
#include "loss.hpp"
#include "shard.hpp"
#include "summed.hpp"

namespace typegrad::mpi {

namespace detail {

template <class T, bool Mean, class Total, class Body, class... S, class... In>
T run(context& ctx, Total const& total, Body const& body, std::tuple<S...> const& sinks, In const&... in) {
    static_assert(((!is_shard<In> || is_skip<S>) && ...),
                  "typegrad: the gradient of a tg::mpi::shard input belongs to its rows, it is not a sum over "
                  "ranks: pass tg::skip for it");
    if (ctx.options.deterministic) return run_chunked<T, Mean>(ctx, total, body, sinks, in...);
    return run_summed<T, Mean>(ctx, total, body, sinks, in...);
}

}  // namespace detail

/// The loss (tg::sum or tg::mean over every element of an array program) over the data of
/// every rank, and its gradient written into the sinks (one entry per input: an array of
/// the input's shape, a number, or tg::skip, which shard inputs take). Collective.
template <class F, class... S, class... In>
auto gradient(context& ctx, F const& loss, gradient_sinks<S...> const& g, In const&... in) {
    static_assert(sizeof...(S) == sizeof...(In),
                  "typegrad: tg::gradient_to needs one entry (an array, a number or tg::skip) per input");
    auto const e = typegrad::detail::to_expression<sizeof...(In)>(loss);
    using E = std::remove_cvref_t<decltype(e)>;
    using R = detail::loss_root<E>;
    static_assert(R::additive,
                  "typegrad: tg::mpi::gradient needs a loss that is tg::sum or tg::mean over every element, whose "
                  "parts over shards add (tg::mpi::sum and tg::mpi::mean write it for an element-wise function)");
    if constexpr (R::additive) {
        auto const body = e.template child<0>();
        auto const total = typegrad::sum(body);
        using T = typename detail::program_of<std::remove_cvref_t<decltype(total)>,
                                              std::remove_cvref_t<decltype(detail::plain(in))>...>::T;
        return detail::run<T, R::mean>(ctx, total, body, g.sinks, in...);
    } else
        return 0.0;
}

/// The loss over the data of every rank, without gradients. Collective.
template <class F, class... In>
auto value(context& ctx, F const& loss, In const&... in) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return gradient(ctx, loss, gradient_to(((void)I, skip)...), in...);
    }(std::index_sequence_for<In...>{});
}

/// The sum of f over the elements of every rank's shard, and its gradient.
template <class F, class... S, class... In>
auto sum(context& ctx, F const& f, gradient_sinks<S...> const& g, In const&... in) {
    return gradient(ctx, typegrad::sum(typegrad::detail::to_expression<sizeof...(In)>(f)), g, in...);
}

/// The mean of f over the elements of every rank's shard (weighted by the shards' sizes:
/// the exact global mean), and its gradient.
template <class F, class... S, class... In>
auto mean(context& ctx, F const& f, gradient_sinks<S...> const& g, In const&... in) {
    return gradient(ctx, typegrad::mean(typegrad::detail::to_expression<sizeof...(In)>(f)), g, in...);
}

}  // namespace typegrad::mpi
