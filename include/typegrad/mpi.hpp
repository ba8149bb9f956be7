// typegrad/mpi.hpp: data-parallel gradients over MPI (optional: link typegrad::mpi).
//
//   #include <typegrad/typegrad.hpp>
//   #include <typegrad/mpi.hpp>
//
//   tg::mpi::context ctx(MPI_COMM_WORLD);                       // buffers reused between calls
//   tg::mpi::allreduce_sum(ctx, gb, gw);                        // sinks summed over ranks
//   double L = tg::mpi::mean(ctx, loss, tg::gradient_to(gw, gb, tg::skip),
//                            w, b, tg::mpi::shard(x_rows));     // global loss and gradient
//
// Not included by typegrad.hpp: it needs <mpi.h> and an MPI library.
#pragma once

#include "mpi/agree.hpp"
#include "mpi/allreduce.hpp"
#include "mpi/chunked.hpp"
#include "mpi/context.hpp"
#include "mpi/data_parallel.hpp"
#include "mpi/datatype.hpp"
#include "mpi/loss.hpp"
#include "mpi/options.hpp"
#include "mpi/shard.hpp"
#include "mpi/signature.hpp"
#include "mpi/sinks.hpp"
#include "mpi/summed.hpp"
