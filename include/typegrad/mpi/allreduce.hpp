// typegrad/mpi/allreduce.hpp: sums of gradient sinks over the ranks of a communicator.
//
//   double gb = ...;  std::vector<double> gw(k);  tg::view(p, 3, 4) ...
//   tg::mpi::allreduce_sum(ctx, gb, gw, tg::view(p, 3, 4));   // every rank: the sums over ranks
//
// Numbers and arrays (anything tg::view takes; any strides), several in one call: they are
// packed into one buffer (the context's, reused) and summed by one MPI_Allreduce. Before
// it, one small collective checks that every rank passes sinks of the same shapes; if not,
// every rank throws std::invalid_argument naming rank 0's shapes and the first that differ,
// and nothing is written. With options.deterministic the ranks' buffers are gathered
// (MPI_Allgather) and added in rank order on every rank, so the bits do not depend on how
// MPI's reduction associates (at the cost of receiving every rank's buffer).
#pragma once

#include <mpi.h>

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../exec/arguments.hpp"
#include "agree.hpp"
#include "context.hpp"
#include "datatype.hpp"
#include "sinks.hpp"

namespace typegrad::mpi {

namespace detail {

template <class... S>
struct common_sink_value;
template <class S0, class... S>
struct common_sink_value<S0, S...> {
    using first = typename sink_value<S0>::type;
    using rest = typename common_sink_value<S...>::type;
    using type = std::conditional_t<std::is_void_v<first>, rest, first>;
    static constexpr bool same = common_sink_value<S...>::same &&
                                 (std::is_void_v<first> || std::is_void_v<rest> || std::is_same_v<first, rest>);
};
template <>
struct common_sink_value<> {
    using type = void;
    static constexpr bool same = true;
};

/// Sums the runs of `sinks` over the ranks, in place, into the caller's sinks.
template <class T, class... S>
void allreduce_sinks(context& ctx, std::tuple<S...> const& sinks) {
    typegrad::detail::workspace_scope scope(ctx.buffers);
    std::ptrdiff_t off[sizeof...(S) + 1];
    std::ptrdiff_t const m = layout(sinks, 0, off);
    local_status const st = attempt([&] { typegrad::detail::validate_call(std::tuple<>{}, sinks); });
    agree(ctx.comm(), st, signature_of(sinks));
    T* const buf = ctx.buffers.take<T>(m);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (pack<T>(std::get<I>(sinks), buf + off[I]), ...);
    }(std::index_sequence_for<S...>{});
    if (!ctx.options.deterministic) {
        MPI_Allreduce(MPI_IN_PLACE, buf, static_cast<int>(m), datatype<T>(), MPI_SUM, ctx.comm());
    } else {
        T* const all = ctx.buffers.take<T>(m * ctx.size());
        MPI_Allgather(buf, static_cast<int>(m), datatype<T>(), all, static_cast<int>(m), datatype<T>(), ctx.comm());
        for (std::ptrdiff_t q = 0; q < m; ++q) buf[q] = T(0);
        for (int r = 0; r < ctx.size(); ++r)
            for (std::ptrdiff_t q = 0; q < m; ++q) buf[q] += all[r * m + q];
    }
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (unpack<T>(std::get<I>(sinks), buf + off[I], T(1)), ...);
    }(std::index_sequence_for<S...>{});
}

}  // namespace detail

/// Replaces each sink (a number, an array, or tg::skip) by its sum over the ranks of
/// ctx's communicator, with one MPI_Allreduce over one packed buffer. Collective: every
/// rank calls it with sinks of the same shapes.
template <class... A>
void allreduce_sum(context& ctx, A&&... sinks) {
    auto const s = std::tuple{typegrad::detail::to_sink(std::forward<A>(sinks))...};
    using C = detail::common_sink_value<typegrad::detail::sink_t<A>...>;
    static_assert(C::same, "typegrad: tg::mpi::allreduce_sum sums sinks of one element type (all double or all float)");
    static_assert(!std::is_void_v<typename C::type>, "typegrad: tg::mpi::allreduce_sum needs a number or an array to sum");
    if constexpr (C::same && !std::is_void_v<typename C::type>) detail::allreduce_sinks<typename C::type>(ctx, s);
}

}  // namespace typegrad::mpi
