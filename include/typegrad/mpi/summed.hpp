// typegrad/mpi/summed.hpp: the ordinary data-parallel mode.
//
// Each rank evaluates the sum over its whole shard once, straight into a packed buffer
// [sum, count, the sinks' runs]; agree() checks every rank's outcome and shapes (one MPI_MIN
// over three numbers); one MPI_Allreduce adds the buffers; the caller's sinks get the result.
// The addition order over ranks is MPI's, so the last bits depend on the number of ranks.
#pragma once

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <tuple>
#include <type_traits>

#include "agree.hpp"
#include "context.hpp"
#include "datatype.hpp"
#include "loss.hpp"

namespace typegrad::mpi::detail {

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

}  // namespace typegrad::mpi::detail
