// typegrad/mpi/shard.hpp: which inputs are a rank's rows of the data, and how to cut them.
//
//   auto [begin, end] = tg::mpi::shard_rows(ctx, n);              // this rank's rows of n
//   auto [begin, end] = tg::mpi::shard_rows(ctx, n, 16384);       // whole chunks (deterministic mode)
//   tg::mpi::gradient(ctx, loss, tg::gradient_to(gw, gb, tg::skip), w, b, tg::mpi::shard(X_rows));
//
// tg::mpi::shard(x) marks an input as this rank's rows (axis 0) of data spread over the
// ranks; unmarked inputs are parameters, the same on every rank, whose gradients are summed.
// The marker holds a view (it owns nothing, as tg::view).
#pragma once

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "../exec/arguments.hpp"
#include "context.hpp"

namespace typegrad::mpi {

/// An input that holds this rank's rows of the data.
template <class E, std::size_t R>
struct shard_t {
    static_assert(R >= 1, "typegrad: tg::mpi::shard marks an array of rows (rank 1 or more), not a number");
    array_ref<E const, R> rows;
};

template <class X>
auto shard(X const& x) {
    auto const v = typegrad::detail::to_input(x);
    return shard_t<typename decltype(v)::value_type, decltype(v)::rank>{v};
}

/// Rows [begin, end) of the global rows.
struct row_range {
    std::ptrdiff_t begin = 0;
    std::ptrdiff_t end = 0;
    std::ptrdiff_t size() const { return end - begin; }
};

/// This rank's rows of `rows`, cut in order of rank into pieces of whole chunks of
/// `chunk_rows` (the last piece may end in a partial chunk), as even as whole chunks allow.
inline row_range shard_rows(std::ptrdiff_t rows, int rank, int ranks, std::ptrdiff_t chunk_rows = 1) {
    if (rows < 0 || ranks < 1 || rank < 0 || rank >= ranks || chunk_rows < 1)
        throw std::invalid_argument("typegrad::mpi::shard_rows: expected rows >= 0, chunk_rows >= 1 and 0 <= rank < ranks, got rows " +
                                    std::to_string(rows) + ", chunk_rows " + std::to_string(chunk_rows) + ", rank " +
                                    std::to_string(rank) + " of " + std::to_string(ranks));
    std::ptrdiff_t const chunks = (rows + chunk_rows - 1) / chunk_rows;
    std::ptrdiff_t const per = chunks / ranks, extra = chunks % ranks;
    auto first_chunk = [&](std::ptrdiff_t r) { return r * per + std::min(r, extra); };
    return {std::min(rows, first_chunk(rank) * chunk_rows), std::min(rows, first_chunk(rank + 1) * chunk_rows)};
}
inline row_range shard_rows(context const& ctx, std::ptrdiff_t rows, std::ptrdiff_t chunk_rows = 1) {
    return shard_rows(rows, ctx.rank(), ctx.size(), chunk_rows);
}

namespace detail {

template <class A>
struct is_shard_t : std::false_type {};
template <class E, std::size_t R>
struct is_shard_t<shard_t<E, R>> : std::true_type {};
template <class A>
inline constexpr bool is_shard = is_shard_t<std::remove_cvref_t<A>>::value;

/// The input as the evaluator takes it: a shard's rows, else the input itself.
template <class A>
decltype(auto) plain(A const& a) {
    if constexpr (is_shard<A>)
        return a.rows;
    else
        return (a);
}

/// Rows [b, e) of a shard; any other input unchanged.
template <class A>
decltype(auto) rows_of(A const& a, std::ptrdiff_t b, std::ptrdiff_t e) {
    if constexpr (is_shard<A>) {
        auto r = a.rows;
        if (e > b) r.data += b * r.stride[0];
        r.extent[0] = e - b;
        return r;
    } else
        return (a);
}

}  // namespace detail

}  // namespace typegrad::mpi
