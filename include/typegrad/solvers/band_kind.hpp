// typegrad/solvers/band_kind.hpp: the banded Jacobian kind's bandwidths (no Eigen needed, so
// that stencil.hpp can name it on its own).
#pragma once

namespace typegrad::solvers {

/// A Jacobian with entries only in columns i - lower ... i + upper of row i (banded.hpp).
struct banded_jacobian {
    int lower = 1;
    int upper = 1;
};

}  // namespace typegrad::solvers
