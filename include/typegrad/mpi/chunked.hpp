// typegrad/mpi/chunked.hpp: deterministic data-parallel mode.
//
// The global rows are cut into chunks of options.chunk_rows, the same cut for any number of
// ranks (the ranks' rows follow in rank order and each shard starts on a chunk boundary).
// Every chunk is evaluated on its own; the chunks' parts [ok flag, sum, the sinks' runs] are
// gathered on every rank (MPI_Allgatherv) and added in chunk order, so every rank performs
// the same additions in the same order whatever the number of ranks: the result is
// bit-identical for 1, 2 or 1000 ranks. The steps:
//   1. exchange_records: local checks, then one record per rank (outcome, shapes' hash, rows,
//      element count) to every rank (MPI_Allgather); every rank throws if any is wrong;
//   2. chunk_layout: where each rank's chunks go, from the records alone;
//   3. evaluate_chunks: this rank's chunks, each alone, then the gather;
//   4. combine_chunks: the parts added in chunk order.
#pragma once

#include <mpi.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>

#include "agree.hpp"
#include "context.hpp"
#include "datatype.hpp"
#include "loss.hpp"

namespace typegrad::mpi::detail {

/// What deterministic mode exchanges first, one record per rank.
struct shard_record {
    std::int64_t failed;  // the rank, or no_rank
    std::int64_t hash;    // of the sinks' shapes
    std::int64_t rows;
    std::int64_t count;   // elements of the loss's body
};

/// The rows of this call's shard inputs (they must agree; there must be one).
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

/// Step 1: every rank's record, in `all` (ctx.size() of them); throws on every rank when a
/// rank's own checks failed or the ranks' sinks differ in shape.
template <bool Mean, class Body, class... S, class... In>
void exchange_records(context& ctx, shard_record* all, signature const& sig, Body const& body,
                      std::tuple<S...> const& sinks, In const&... in) {
    shard_record mine{no_rank, sig.hash, 0, 0};
    local_status const st = attempt([&] {
        if (ctx.options.chunk_rows < 1)
            throw std::invalid_argument("typegrad::mpi: options.chunk_rows is " +
                                        std::to_string(ctx.options.chunk_rows) +
                                        ", expected a positive number of rows");
        mine.count = local_checks<Mean>(body, sinks, in...);
        mine.rows = shard_row_count(in...);
    });
    if (!st.ok) mine.failed = ctx.rank();
    MPI_Allgather(&mine, 4, MPI_INT64_T, all, 4, MPI_INT64_T, ctx.comm());
    for (int r = 0; r < ctx.size(); ++r)
        if (all[r].failed != no_rank) raise_everywhere(ctx.comm(), r, st);
    for (int r = 0; r < ctx.size(); ++r)
        if (all[r].hash != all[0].hash) mismatch_everywhere(ctx.comm(), sig);
}

/// Step 2's result: each rank's numbers in the gathered parts, and the totals.
struct chunk_plan {
    int* counts;  // numbers each rank contributes (its chunks x m)
    int* displs;  // where they start
    std::int64_t chunks = 0;
    std::int64_t count = 0;  // elements of the body over all ranks
};

/// Step 2, the same on every rank (from the records alone): throws, on every rank alike, when
/// a shard does not start on a chunk boundary or the parts would not fit one MPI message.
inline chunk_plan chunk_layout(context& ctx, shard_record const* all, std::ptrdiff_t m) {
    std::ptrdiff_t const C = ctx.options.chunk_rows;
    chunk_plan p{ctx.buffers.take<int>(ctx.size()), ctx.buffers.take<int>(ctx.size())};
    std::int64_t start = 0;
    for (int r = 0; r < ctx.size(); ++r) {
        std::int64_t const rows = all[r].rows;
        if (rows > 0 && start % C != 0)
            throw std::invalid_argument(
                "typegrad::mpi: deterministic mode needs every shard to start on a chunk boundary (a multiple of "
                "options.chunk_rows = " + std::to_string(C) + " rows), but rank " + std::to_string(r) +
                " starts at row " + std::to_string(start) +
                " (the ranks' rows follow in rank order; tg::mpi::shard_rows(ctx, rows, chunk_rows) cuts them so)");
        std::int64_t const n = (rows + C - 1) / C;
        if ((p.chunks + n) * m > std::numeric_limits<int>::max())
            throw std::invalid_argument("typegrad::mpi: deterministic mode would gather more than " +
                                        std::to_string(std::numeric_limits<int>::max()) +
                                        " numbers in one MPI message; use larger options.chunk_rows");
        p.counts[r] = static_cast<int>(n * m);
        p.displs[r] = static_cast<int>(p.chunks * m);
        start += rows;
        p.chunks += n;
        p.count += all[r].count;
    }
    return p;
}

/// Step 3: this rank's chunks into its place in `parts`, then every rank's parts to every
/// rank; throws on every rank if a rank's evaluation failed.
template <class T, class Total, class... S, class... In>
void evaluate_chunks(context& ctx, chunk_plan const& p, T* parts, std::ptrdiff_t m, std::ptrdiff_t const* off,
                     std::int64_t rows, Total const& total, std::tuple<S...> const& sinks, In const&... in) {
    std::ptrdiff_t const C = ctx.options.chunk_rows;
    std::int64_t const local = (rows + C - 1) / C;
    T* const own = parts + p.displs[ctx.rank()];
    local_status const st = attempt([&] {
        for (std::int64_t j = 0; j < local; ++j) {
            T* const part = own + j * m;
            std::ptrdiff_t const b = j * C, e = std::min<std::ptrdiff_t>(rows, b + C);
            part[0] = T(1);
            part[1] = typegrad::gradient(ctx.evaluation, total, sinks_over<T>(sinks, part, off), rows_of(in, b, e)...);
        }
    });
    if (!st.ok)
        for (std::int64_t j = 0; j < local; ++j) own[j * m] = T(0);
    MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, parts, p.counts, p.displs, datatype<T>(), ctx.comm());
    for (int r = 0; r < ctx.size(); ++r)
        for (std::int64_t j = 0; j < p.counts[r] / m; ++j)
            if (parts[p.displs[r] + j * m] == T(0)) raise_everywhere(ctx.comm(), r, st);
}

/// Step 4: acc[q] = 0 + part_0[q] + part_1[q] + ..., in chunk order.
template <class T>
void combine_chunks(T* acc, T const* parts, std::int64_t chunks, std::ptrdiff_t m) {
    for (std::ptrdiff_t q = 0; q < m; ++q) acc[q] = T(0);
    for (std::int64_t c = 0; c < chunks; ++c)
        for (std::ptrdiff_t q = 1; q < m; ++q) acc[q] += parts[c * m + q];
}

template <class T, bool Mean, class Total, class Body, class... S, class... In>
T run_chunked(context& ctx, Total const& total, Body const& body, std::tuple<S...> const& sinks, In const&... in) {
    typegrad::detail::workspace_scope scope(ctx.buffers);
    std::ptrdiff_t off[sizeof...(S) + 1];
    std::ptrdiff_t const m = layout(sinks, 2, off);
    shard_record* const all = ctx.buffers.take<shard_record>(ctx.size());
    exchange_records<Mean>(ctx, all, signature_of(sinks), body, sinks, in...);
    chunk_plan const p = chunk_layout(ctx, all, m);
    T* const parts = ctx.buffers.take<T>(p.chunks * m);
    evaluate_chunks<T>(ctx, p, parts, m, off, all[ctx.rank()].rows, total, sinks, in...);
    T* const acc = ctx.buffers.take<T>(m);
    combine_chunks(acc, parts, p.chunks, m);
    unpack_all(sinks, acc, off, gradient_divisor<T>(p.count, Mean));
    return finish_value(acc[1], p.count, Mean);
}

}  // namespace typegrad::mpi::detail
