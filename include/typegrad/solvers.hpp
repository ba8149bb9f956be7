// typegrad/solvers.hpp: Newton's method with typegrad Jacobians, and implicit-function gradients.
//
// Optional (not included by typegrad.hpp): needs Eigen 3 (Eigen/Core, Eigen/LU) on the include
// path; link Eigen3::Eigen. See the README's "Solvers" section.
#pragma once

#include "solvers/banded.hpp"
#include "solvers/implicit.hpp"
#include "solvers/newton.hpp"
#include "solvers/point.hpp"
#include "solvers/program.hpp"
#include "solvers/pattern.hpp"
#include "solvers/sparse.hpp"
#include "solvers/stencil.hpp"
#include "solvers/tridiagonal.hpp"
// Matrix-free steps need Eigen's unsupported GMRES (in Debian's libeigen3-dev).
#if __has_include(<unsupported/Eigen/IterativeSolvers>)
#include "solvers/gmres.hpp"
#endif
