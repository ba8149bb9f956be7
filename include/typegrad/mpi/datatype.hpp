// typegrad/mpi/datatype.hpp: the MPI datatype of the numbers typegrad computes in.
#pragma once

#include <mpi.h>

#include <type_traits>

namespace typegrad::mpi::detail {

/// MPI_DOUBLE or MPI_FLOAT: gradients are sums of these (typegrad computes in double or float).
template <class T>
MPI_Datatype datatype() {
    static_assert(std::is_same_v<T, double> || std::is_same_v<T, float>,
                  "typegrad: typegrad::mpi sums gradients of double or float computations");
    if constexpr (std::is_same_v<T, double>)
        return MPI_DOUBLE;
    else
        return MPI_FLOAT;
}

}  // namespace typegrad::mpi::detail
