// typegrad/mpi/options.hpp: how typegrad::mpi combines the ranks' parts.
#pragma once

#include <cstddef>

namespace typegrad::mpi {

/// The chunk of rows deterministic mode cuts the data into: the CPU executor's chunk of
/// elements, so that an element-wise loss over rows adds exactly as a one-process tg::sum.
inline constexpr std::ptrdiff_t default_chunk_rows = 16384;

struct options {
    /// false: each rank reduces its shard, one MPI_Allreduce adds the ranks' parts (the
    /// order of that addition is MPI's, so the last bits depend on the number of ranks).
    /// true: the rows are cut into chunks of `chunk_rows` whatever the number of ranks;
    /// every chunk is reduced on its own and the chunks' parts are gathered and added in
    /// chunk order on every rank, so the result is bit-identical for any number of ranks.
    /// Shards must then start on chunk boundaries (tg::mpi::shard_rows cuts them so).
    /// Cost: one evaluation call per chunk, and each rank receives every chunk's part
    /// (chunks x (gradient size + 1) numbers, an MPI_Allgatherv) instead of one summed
    /// gradient: the traffic grows with the number of chunks, not with the number of ranks.
    bool deterministic = false;
    std::ptrdiff_t chunk_rows = default_chunk_rows;
};

}  // namespace typegrad::mpi
