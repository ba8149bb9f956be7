// typegrad/mpi/context.hpp: what a training loop keeps between typegrad::mpi calls.
//
//   tg::mpi::context ctx(MPI_COMM_WORLD);                    // or any communicator
//   tg::mpi::context det(comm, {.deterministic = true});
//
// It holds the communicator (not owned: the caller frees it after the context), the
// options, a workspace for the evaluations and one for the packed buffers the
// collectives send: after the first call with given shapes, nothing is allocated.
// typegrad calls MPI from the calling thread only (OpenMP threads inside an evaluation never
// do), so MPI_Init, or MPI_Init_thread with MPI_THREAD_FUNNELED, is enough.
#pragma once

#include <mpi.h>

#include <stdexcept>

#include "../exec/program/workspace.hpp"
#include "options.hpp"

namespace typegrad::mpi {

class context {
public:
    explicit context(MPI_Comm comm, mpi::options o = {}) : comm_(comm), options(o) {
        int initialized = 0, finalized = 0;
        MPI_Initialized(&initialized);
        MPI_Finalized(&finalized);
        if (!initialized || finalized)
            throw std::invalid_argument("typegrad::mpi::context: MPI is not initialised (call MPI_Init first, "
                                        "MPI_Finalize after the last context is gone)");
        if (comm_ == MPI_COMM_NULL)
            throw std::invalid_argument("typegrad::mpi::context: the communicator is MPI_COMM_NULL, expected a "
                                        "communicator this rank belongs to");
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
