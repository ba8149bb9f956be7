// typegrad/mpi/agree.hpp: the checks every rank passes together before any sum.
//
// A rank whose own arguments are refused must not simply throw: the other ranks would wait
// in the next collective forever. So each rank first runs its local checks (and, where it
// can, its evaluation) with exceptions caught, then all ranks exchange one small message:
// which ranks failed, and the hash of their sinks' shapes. Every rank then knows the same
// thing and, if anything is wrong, every rank throws the same std::invalid_argument. Only
// on that failure path is more said (the failing rank's message, or every rank's shapes).
#pragma once

#include <mpi.h>

#include <cstdint>
#include <exception>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "signature.hpp"

namespace typegrad::mpi::detail {

/// The outcome of a rank's local work: ok, or the message of what it threw.
struct local_status {
    bool ok = true;
    std::string message;
};

/// Runs f and turns an exception into a failed status.
template <class F>
local_status attempt(F&& f) {
    try {
        f();
        return {};
    } catch (std::exception const& e) {
        return {false, e.what()};
    } catch (...) {
        return {false, "an exception that is not a std::exception"};
    }
}

inline constexpr std::int64_t no_rank = std::numeric_limits<std::int64_t>::max();

/// Every rank throws the message of rank `from` (which it broadcasts).
[[noreturn]] inline void raise_everywhere(MPI_Comm comm, int from, local_status const& mine) {
    int me = 0;
    MPI_Comm_rank(comm, &me);
    std::string text = me == from ? mine.message : std::string();
    long long length = static_cast<long long>(text.size());
    MPI_Bcast(&length, 1, MPI_LONG_LONG, from, comm);
    text.resize(static_cast<std::size_t>(length));
    if (length > 0) MPI_Bcast(text.data(), static_cast<int>(length), MPI_CHAR, from, comm);
    throw std::invalid_argument("typegrad::mpi: rank " + std::to_string(from) + " refused its arguments: " + text);
}

/// Every rank throws a message that names rank 0's shapes and the first rank's that differ.
[[noreturn]] inline void mismatch_everywhere(MPI_Comm comm, signature const& sig) {
    int size = 1;
    MPI_Comm_size(comm, &size);
    std::vector<signature> all(static_cast<std::size_t>(size));
    MPI_Allgather(&sig, static_cast<int>(sizeof(signature)), MPI_BYTE, all.data(), static_cast<int>(sizeof(signature)),
                  MPI_BYTE, comm);
    int other = 1;
    while (other < size && all[static_cast<std::size_t>(other)].hash == all[0].hash) ++other;
    if (other == size) other = size - 1;
    throw std::invalid_argument("typegrad::mpi: the ranks' gradient sinks differ in shape: rank 0 has " +
                                to_string(all[0]) + ", expected the same on every rank, but rank " +
                                std::to_string(other) + " has " + to_string(all[static_cast<std::size_t>(other)]) +
                                " (every rank passes sinks of the same shapes, in the same order)");
}

/// One MPI_Allreduce (MPI_MIN of three numbers): returns when every rank's local work
/// succeeded and every rank's sinks have these shapes; otherwise throws on every rank.
inline void agree(MPI_Comm comm, local_status const& status, signature const& sig) {
    int me = 0;
    MPI_Comm_rank(comm, &me);
    std::int64_t v[3] = {status.ok ? no_rank : me, sig.hash, -sig.hash};
    MPI_Allreduce(MPI_IN_PLACE, v, 3, MPI_INT64_T, MPI_MIN, comm);
    if (v[0] != no_rank) raise_everywhere(comm, static_cast<int>(v[0]), status);
    if (v[1] != -v[2]) mismatch_everywhere(comm, sig);
}

}  // namespace typegrad::mpi::detail
