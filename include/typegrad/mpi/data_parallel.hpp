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

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../exec/program/api.hpp"
#include "../ops/reduce.hpp"
#include "agree.hpp"
#include "context.hpp"
#include "datatype.hpp"
#include "shard.hpp"
#include "sinks.hpp"

namespace typegrad::mpi {

namespace detail {

/// A loss whose parts over shards add: tg::sum or tg::mean over every element.
template <class E>
struct loss_root {
    static constexpr bool additive = false;
    static constexpr bool mean = false;
};
template <ops::reduction_kind K, class C>
struct loss_root<node<ops::reduce<K, ops::all_axes, false>, C>> {
    static constexpr bool additive = K == ops::reduction_kind::sum || K == ops::reduction_kind::mean;
    static constexpr bool mean = K == ops::reduction_kind::mean;
};

template <class Root, class... In>
using program_of = typename typegrad::detail::program::program_for<
    Root, std::tuple<std::remove_cvref_t<decltype(typegrad::detail::to_input(std::declval<In const&>()))>...>>::type;

/// The number of elements of `body` at these inputs (the shape pass only).
template <class B, class... In>
std::int64_t element_count(B const& body, In const&... in) {
    auto const inputs = std::tuple{typegrad::detail::to_input(in)...};
    using Q = program_of<B, In...>;
    typegrad::detail::program::state<Q> st;
    typegrad::detail::program::prepare(body, st, inputs);
    return static_cast<std::int64_t>(st.shape[Q::G::root].size());
}

/// The sinks an evaluation writes: the caller's, moved to their runs of `buf`.
template <class T, class... S>
auto sinks_over(std::tuple<S...> const& sinks, T* buf, std::ptrdiff_t const* off) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return gradient_sinks<decltype(buffer_sink<T>(std::get<I>(sinks), buf))...>{
            {buffer_sink<T>(std::get<I>(sinks), buf + off[I])...}};
    }(std::index_sequence_for<S...>{});
}

template <class T, class... S>
void unpack_all(std::tuple<S...> const& sinks, T const* buf, std::ptrdiff_t const* off, T n) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (unpack<T>(std::get<I>(sinks), buf + off[I], n), ...);
    }(std::index_sequence_for<S...>{});
}

template <class T>
T finish_value(T sum, std::int64_t count, bool mean) {
    if (!mean) return sum;
    return count == 0 ? std::numeric_limits<T>::quiet_NaN() : sum / static_cast<T>(count);
}

/// The divisor of a mean's gradients (a mean of no elements has zero gradients, as tg::mean's).
template <class T>
T gradient_divisor(std::int64_t count, bool mean) {
    return mean && count > 0 ? static_cast<T>(count) : T(1);
}

/// Checks on this rank's own arguments, before anything is evaluated.
template <bool Mean, class Body, class... S, class... In>
std::int64_t local_checks(Body const& body, std::tuple<S...> const& sinks, In const&... in) {
    typegrad::detail::validate_call(std::tuple{typegrad::detail::to_input(plain(in))...}, sinks);
    if constexpr (Mean)
        return element_count(body, plain(in)...);
    else
        return 0;
}

/// The ordinary mode: each rank's shard in one evaluation, one MPI_Allreduce.
/// Buffer: [sum, count, the sinks' runs].
template <class T, bool Mean, class Total, class Body, class... S, class... In>
T run_summed(context& ctx, Total const& total, Body const& body, std::tuple<S...> const& sinks, In const&... in) {
    typegrad::detail::workspace_scope scope(ctx.buffers);
    std::ptrdiff_t off[sizeof...(S) + 1];
    std::ptrdiff_t const m = layout(sinks, 2, off);
    T* const buf = ctx.buffers.take<T>(m);
    std::int64_t count = 0;
    local_status const st = attempt([&] {
        count = local_checks<Mean>(body, sinks, in...);
        buf[0] = typegrad::gradient(ctx.evaluation, total, sinks_over<T>(sinks, buf, off), plain(in)...);
        buf[1] = static_cast<T>(count);
    });
    agree(ctx.comm(), st, signature_of(sinks));
    MPI_Allreduce(MPI_IN_PLACE, buf, static_cast<int>(m), datatype<T>(), MPI_SUM, ctx.comm());
    if constexpr (Mean && !std::is_same_v<T, double>)
        // (A float does not count exactly beyond 2^24: the count goes as an integer.)
        MPI_Allreduce(MPI_IN_PLACE, &count, 1, MPI_INT64_T, MPI_SUM, ctx.comm());
    else
        count = static_cast<std::int64_t>(buf[1]);
    unpack_all(sinks, buf, off, gradient_divisor<T>(count, Mean));
    return finish_value(buf[0], count, Mean);
}

/// What deterministic mode exchanges first, one record per rank.
struct shard_record {
    std::int64_t failed;  // the rank, or no_rank
    std::int64_t hash;    // of the sinks' shapes
    std::int64_t rows;
    std::int64_t count;   // elements of the loss's body
};

template <class... In>
std::int64_t shard_row_count(In const&... in) {
    std::int64_t rows = -1;
    std::size_t i = 0;
    (([&] {
         if constexpr (is_shard<In>) {
             std::int64_t const r = in.rows.extent[0];
             if (rows >= 0 && r != rows)
                 throw std::invalid_argument("typegrad::mpi: input " + std::to_string(i) + " (a tg::mpi::shard) has " +
                                             std::to_string(r) + " rows, expected " + std::to_string(rows) +
                                             " (every shard input of a call holds the same rows)");
             rows = r;
         }
         ++i;
     }()),
     ...);
    if (rows < 0)
        throw std::invalid_argument(
            "typegrad::mpi: deterministic mode cuts the data into chunks of rows, but no input is marked as data: "
            "wrap this rank's rows in tg::mpi::shard(...)");
    return rows;
}

/// Deterministic mode: chunks of rows, each evaluated alone; the chunks' parts gathered and
/// added in chunk order on every rank. Part of a chunk: [ok flag, sum, the sinks' runs].
template <class T, bool Mean, class Total, class Body, class... S, class... In>
T run_chunked(context& ctx, Total const& total, Body const& body, std::tuple<S...> const& sinks, In const&... in) {
    MPI_Comm const comm = ctx.comm();
    int const me = ctx.rank(), ranks = ctx.size();
    std::ptrdiff_t const C = ctx.options.chunk_rows;
    typegrad::detail::workspace_scope scope(ctx.buffers);
    std::ptrdiff_t off[sizeof...(S) + 1];
    std::ptrdiff_t const m = layout(sinks, 2, off);
    signature const sig = signature_of(sinks);

    // 1. Local checks, then one record per rank to every rank.
    shard_record mine{no_rank, sig.hash, 0, 0};
    local_status st = attempt([&] {
        if (C < 1)
            throw std::invalid_argument("typegrad::mpi: options.chunk_rows is " + std::to_string(C) +
                                        ", expected a positive number of rows");
        mine.count = local_checks<Mean>(body, sinks, in...);
        mine.rows = shard_row_count(in...);
    });
    if (!st.ok) mine.failed = me;
    auto* const all = ctx.buffers.take<shard_record>(ranks);
    MPI_Allgather(&mine, 4, MPI_INT64_T, all, 4, MPI_INT64_T, comm);
    std::int64_t first_failed = no_rank;
    bool same_shapes = true;
    for (int r = 0; r < ranks; ++r) {
        if (all[r].failed != no_rank && first_failed == no_rank) first_failed = r;
        same_shapes = same_shapes && all[r].hash == all[0].hash;
    }
    if (first_failed != no_rank) raise_everywhere(comm, static_cast<int>(first_failed), st);
    if (!same_shapes) mismatch_everywhere(comm, sig);

    // 2. Where each rank's chunks go (every rank computes the same from the records).
    int* const counts = ctx.buffers.take<int>(ranks);
    int* const displs = ctx.buffers.take<int>(ranks);
    std::int64_t start = 0, chunks = 0, count = 0;
    for (int r = 0; r < ranks; ++r) {
        std::int64_t const rows = all[r].rows;
        if (rows > 0 && start % C != 0)
            throw std::invalid_argument(
                "typegrad::mpi: deterministic mode needs every shard to start on a chunk boundary (a multiple of "
                "options.chunk_rows = " + std::to_string(C) + " rows), but rank " + std::to_string(r) +
                " starts at row " + std::to_string(start) +
                " (the ranks' rows follow in rank order; tg::mpi::shard_rows(ctx, rows, chunk_rows) cuts them so)");
        std::int64_t const n = (rows + C - 1) / C;
        counts[r] = static_cast<int>(n * m);
        displs[r] = static_cast<int>(chunks * m);
        start += rows;
        chunks += n;
        count += all[r].count;
    }

    if (chunks * m > std::numeric_limits<int>::max())
        throw std::invalid_argument("typegrad::mpi: deterministic mode would gather " + std::to_string(chunks) +
                                    " chunks x " + std::to_string(m) +
                                    " numbers, more than one MPI message holds; use larger options.chunk_rows");

    // 3. This rank's chunks, each alone.
    std::int64_t const rows = all[me].rows, local = (rows + C - 1) / C;
    T* const parts = ctx.buffers.take<T>(chunks * m);
    T* const own = parts + displs[me];
    st = attempt([&] {
        for (std::int64_t j = 0; j < local; ++j) {
            T* const part = own + j * m;
            std::ptrdiff_t const b = j * C, e = std::min<std::ptrdiff_t>(rows, b + C);
            part[0] = T(1);
            part[1] = typegrad::gradient(ctx.evaluation, total, sinks_over<T>(sinks, part, off), rows_of(in, b, e)...);
        }
    });
    if (!st.ok)
        for (std::int64_t j = 0; j < local; ++j) own[j * m] = T(0);
    MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, parts, counts, displs, datatype<T>(), comm);
    for (int r = 0; r < ranks; ++r)
        for (std::int64_t j = 0; j < counts[r] / m; ++j)
            if (parts[displs[r] + j * m] == T(0)) raise_everywhere(comm, r, st);

    // 4. The chunks' parts in chunk order, the same additions on every rank.
    T* const acc = ctx.buffers.take<T>(m);
    for (std::ptrdiff_t q = 0; q < m; ++q) acc[q] = T(0);
    for (std::int64_t c = 0; c < chunks; ++c)
        for (std::ptrdiff_t q = 1; q < m; ++q) acc[q] += parts[c * m + q];
    unpack_all(sinks, acc, off, gradient_divisor<T>(count, Mean));
    return finish_value(acc[1], count, Mean);
}

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
