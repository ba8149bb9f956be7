// typegrad/mpi/context.hpp: what a training loop keeps between typegrad::mpi calls.
//
//   tg::mpi::context ctx(MPI_COMM_WORLD);                    // or any communicator
//   tg::mpi::context det(comm, {.deterministic = true});
//
// It holds the communicator (not owned: the caller frees it after the context), the
// options, a workspace for the evaluations and one for the packed buffers the
// collectives send: after the first call with given shapes, nothing is allocated.
#pragma once

#include <mpi.h>

#include "../exec/program/workspace.hpp"
#include "options.hpp"

namespace typegrad::mpi {

class context {
public:
    explicit context(MPI_Comm comm, mpi::options o = {}) : comm_(comm), options(o) {
        MPI_Comm_rank(comm_, &rank_);
        MPI_Comm_size(comm_, &size_);
    }
    context(context const&) = delete;
    context& operator=(context const&) = delete;

    MPI_Comm comm() const { return comm_; }
    int rank() const { return rank_; }
    int size() const { return size_; }

private:
    MPI_Comm comm_;
    int rank_ = 0;
    int size_ = 1;

public:
    mpi::options options;
    /// The evaluations' intermediate arrays (its cpu_options set the threads per rank).
    workspace evaluation;
    /// The packed buffers of the collectives.
    workspace buffers;
};

}  // namespace typegrad::mpi
