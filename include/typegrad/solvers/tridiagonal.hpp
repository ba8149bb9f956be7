// typegrad/solvers/tridiagonal.hpp: tridiagonal matrices and their solve (the Thomas algorithm).
//
//   tg::solvers::tridiagonal_matrix A(n);      // A.lower(i) = A(i, i-1), A.diagonal(i), A.upper(i) = A(i, i+1)
//   tg::solvers::thomas_solve(A, b, scratch);   // b <- A^-1 b; thomas_solve_transposed: b <- A^-T b
//
// The Thomas algorithm is Gaussian elimination without pivoting: stable for diagonally dominant
// or symmetric positive definite matrices (the Jacobians of discretised elliptic problems such
// as Bratu's), not in general. A pivot that is not larger than machine epsilon times the
// matrix's infinity norm (or is not finite) is reported as a singular matrix with
// std::runtime_error, before b is changed.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace typegrad::solvers {

struct tridiagonal_matrix {
    // Each of size n; lower(0) and upper(n - 1) lie outside the matrix and are kept at 0.
    Eigen::VectorXd lower, diagonal, upper;

    tridiagonal_matrix() = default;
    explicit tridiagonal_matrix(Eigen::Index n) { resize(n); }
    void resize(Eigen::Index n) {
        lower.setZero(n);
        diagonal.setZero(n);
        upper.setZero(n);
    }
    Eigen::Index size() const { return diagonal.size(); }
    /// y = A x.
    void multiply(Eigen::Ref<Eigen::VectorXd const> x, Eigen::Ref<Eigen::VectorXd> y) const {
        Eigen::Index const n = size();
        for (Eigen::Index i = 0; i < n; ++i) {
            double s = diagonal(i) * x(i);
            if (i > 0) s += lower(i) * x(i - 1);
            if (i + 1 < n) s += upper(i) * x(i + 1);
            y(i) = s;
        }
    }
};

namespace detail {

inline void check_tridiagonal_sizes(char const* who, Eigen::Index n, Eigen::Index b, Eigen::Index scratch) {
    if (b != n || scratch < n)
        throw std::invalid_argument(std::string("typegrad::solvers::") + who + ": the right-hand side has " +
                                    std::to_string(b) + " entries and the scratch " + std::to_string(scratch) +
                                    ", expected " + std::to_string(n) + " (the matrix's size) for both");
}

// Forward elimination and back substitution on the matrix with sub-diagonal a(i) (row i,
// column i - 1) and super-diagonal c(i) (row i, column i + 1), read through the accessors so
// that the transpose costs no copy. cp receives the eliminated super-diagonal.
template <class Sub, class Super>
void thomas(Eigen::VectorXd const& d, Sub a, Super c, Eigen::Ref<Eigen::VectorXd> b, Eigen::Ref<Eigen::VectorXd> cp) {
    Eigen::Index const n = d.size();
    if (n == 0) return;
    double norm = 0;
    for (Eigen::Index i = 0; i < n; ++i)
        norm = std::max(norm, std::abs(d(i)) + (i > 0 ? std::abs(a(i)) : 0.0) + (i + 1 < n ? std::abs(c(i)) : 0.0));
    double const tiny = std::numeric_limits<double>::epsilon() * norm;
    // A first pass finds a bad pivot before b is touched.
    auto singular = [&](Eigen::Index i, double m) {
        throw std::runtime_error("typegrad::solvers: the tridiagonal matrix is singular to working precision: pivot " +
                                 std::to_string(i) + " of " + std::to_string(n) + " is " + std::to_string(m) +
                                 ", expected |pivot| > " + std::to_string(tiny) + " (epsilon times the matrix's norm)");
    };
    double m = d(0);
    if (!(std::abs(m) > tiny)) singular(0, m);
    cp(0) = n > 1 ? c(0) / m : 0.0;
    for (Eigen::Index i = 1; i < n; ++i) {
        m = d(i) - a(i) * cp(i - 1);
        if (!(std::abs(m) > tiny) || !std::isfinite(m)) singular(i, m);
        cp(i) = i + 1 < n ? c(i) / m : 0.0;
    }
    b(0) /= d(0);
    for (Eigen::Index i = 1; i < n; ++i) b(i) = (b(i) - a(i) * b(i - 1)) / (d(i) - a(i) * cp(i - 1));
    for (Eigen::Index i = n - 2; i >= 0; --i) b(i) -= cp(i) * b(i + 1);
}

}  // namespace detail

/// b <- A^-1 b. `scratch` needs at least n entries; nothing is allocated.
inline void thomas_solve(tridiagonal_matrix const& A, Eigen::Ref<Eigen::VectorXd> b, Eigen::Ref<Eigen::VectorXd> scratch) {
    detail::check_tridiagonal_sizes("thomas_solve", A.size(), b.size(), scratch.size());
    detail::thomas(A.diagonal, [&](Eigen::Index i) { return A.lower(i); }, [&](Eigen::Index i) { return A.upper(i); },
                   b, scratch);
}

/// b <- A^-T b (the adjoint solve of an implicit gradient).
inline void thomas_solve_transposed(tridiagonal_matrix const& A, Eigen::Ref<Eigen::VectorXd> b,
                                    Eigen::Ref<Eigen::VectorXd> scratch) {
    detail::check_tridiagonal_sizes("thomas_solve_transposed", A.size(), b.size(), scratch.size());
    // (A^T)(i, i-1) = A(i-1, i), (A^T)(i, i+1) = A(i+1, i).
    detail::thomas(A.diagonal, [&](Eigen::Index i) { return A.upper(i - 1); },
                   [&](Eigen::Index i) { return A.lower(i + 1); }, b, scratch);
}

}  // namespace typegrad::solvers
