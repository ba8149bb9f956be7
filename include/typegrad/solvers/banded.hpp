// typegrad/solvers/banded.hpp: banded Jacobians from lower + upper + 1 coloured forward passes.
//
//   tg::solvers::newton(F, tg::solvers::banded_jacobian{.lower = 2, .upper = 2}, x, parameters...);
//
// A Jacobian whose row i has entries only in columns i - lower ... i + upper (a stencil of
// lower + upper + 1 points plus point-wise terms) is read from C = lower + upper + 1 forward
// passes along v_c = [j mod C == c]: the columns of one row's band fall in C different colours,
// so (J v_c)(i) is exactly the entry in the column of colour c. (tridiagonal_jacobian is the case
// lower = upper = 1, with the Thomas algorithm.) The band is factorised by LU without pivoting,
// in place in the band's storage: stable for diagonally dominant or symmetric positive definite
// J; a pivot not above epsilon times the norm is reported as singular. As for the tridiagonal
// kind, the band is the caller's promise: entries outside it would land on the wrong diagonal.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "band_kind.hpp"
#include "program.hpp"

namespace typegrad::solvers {

template <>
inline constexpr bool is_jacobian_kind<banded_jacobian> = true;

/// A band matrix: entry (i, j), |j - i| within the band, at bands(i, j - i + lower).
struct banded_matrix {
    int lower = 0, upper = 0;
    Eigen::MatrixXd bands;  // n x (lower + upper + 1)

    Eigen::Index size() const { return bands.rows(); }
    bool in_band(Eigen::Index i, Eigen::Index j) const {
        return j >= 0 && j < size() && j - i >= -lower && j - i <= upper;
    }
    double operator()(Eigen::Index i, Eigen::Index j) const { return in_band(i, j) ? bands(i, j - i + lower) : 0.0; }
    double& at(Eigen::Index i, Eigen::Index j) { return bands(i, j - i + lower); }
    double at(Eigen::Index i, Eigen::Index j) const { return bands(i, j - i + lower); }
};

namespace detail {

/// LU without pivoting of a band matrix, in place: L (unit diagonal) below, U on and above.
inline void band_factorise(banded_matrix& A) {
    Eigen::Index const n = A.size();
    double norm = 0;
    for (Eigen::Index i = 0; i < n; ++i) norm = std::max(norm, A.bands.row(i).cwiseAbs().sum());
    double const tiny = std::numeric_limits<double>::epsilon() * norm;
    for (Eigen::Index k = 0; k < n; ++k) {
        double const p = A.at(k, k);
        if (!(std::abs(p) > tiny) || !std::isfinite(p))
            throw std::runtime_error("typegrad::solvers: the banded Jacobian is singular to working precision: pivot " +
                                     std::to_string(k) + " of " + std::to_string(n) + " is " + number_text(p) +
                                     ", expected |pivot| > " + number_text(tiny) +
                                     " (epsilon times the matrix's norm; LU without pivoting)");
        Eigen::Index const last_row = std::min(n - 1, k + A.lower), last_col = std::min(n - 1, k + A.upper);
        for (Eigen::Index i = k + 1; i <= last_row; ++i) {
            double const l = A.at(i, k) / p;
            A.at(i, k) = l;
            for (Eigen::Index j = k + 1; j <= last_col; ++j) A.at(i, j) -= l * A.at(k, j);
        }
    }
}

inline void band_solve(banded_matrix const& LU, Eigen::Ref<Eigen::VectorXd> b) {
    Eigen::Index const n = LU.size();
    for (Eigen::Index i = 0; i < n; ++i)  // L y = b
        for (Eigen::Index j = std::max<Eigen::Index>(0, i - LU.lower); j < i; ++j) b(i) -= LU.at(i, j) * b(j);
    for (Eigen::Index i = n - 1; i >= 0; --i) {  // U x = y
        for (Eigen::Index j = i + 1; j <= std::min(n - 1, i + LU.upper); ++j) b(i) -= LU.at(i, j) * b(j);
        b(i) /= LU.at(i, i);
    }
}

inline void band_solve_transposed(banded_matrix const& LU, Eigen::Ref<Eigen::VectorXd> b) {
    Eigen::Index const n = LU.size();
    for (Eigen::Index i = 0; i < n; ++i) {  // U^T z = b
        for (Eigen::Index j = std::max<Eigen::Index>(0, i - LU.upper); j < i; ++j) b(i) -= LU.at(j, i) * b(j);
        b(i) /= LU.at(i, i);
    }
    for (Eigen::Index i = n - 1; i >= 0; --i)  // L^T x = z
        for (Eigen::Index j = i + 1; j <= std::min(n - 1, i + LU.lower); ++j) b(i) -= LU.at(j, i) * b(j);
}

template <>
struct linear_system<banded_jacobian> {
    banded_jacobian kind;
    banded_matrix A, LU;
    Eigen::MatrixXd V, jv;  // n x colours: v_c and J v_c in column c
    banded_matrix const& matrix() const { return A; }
    explicit linear_system(banded_jacobian k) : kind(k) {
        if (k.lower < 0 || k.upper < 0)
            throw std::invalid_argument("typegrad::solvers::banded_jacobian: the bandwidths are " +
                                        std::to_string(k.lower) + " and " + std::to_string(k.upper) +
                                        ", expected >= 0");
    }
    void resize(Eigen::Index n) {
        A.lower = LU.lower = kind.lower;
        A.upper = LU.upper = kind.upper;
        A.bands.setZero(n, kind.lower + kind.upper + 1);
        LU.bands.setZero(n, kind.lower + kind.upper + 1);
        V.setZero(n, std::min<Eigen::Index>(n, kind.lower + kind.upper + 1));
        jv.setZero(n, std::min<Eigen::Index>(n, kind.lower + kind.upper + 1));
        for (Eigen::Index c = 0; c < V.cols(); ++c)
            for (Eigen::Index j = 0; j < n; ++j) V(j, c) = j % V.cols() == c ? 1.0 : 0.0;
    }
    template <class Sys>
    void assemble(Sys& sys, double const* x) {
        Eigen::Index const n = V.rows(), colours = jv.cols();
        sys.apply_jacobian_each(x, V, jv);  // one value pass, the colours as lanes of tangent passes
        for (Eigen::Index i = 0; i < n; ++i)
            for (Eigen::Index d = -kind.lower; d <= kind.upper; ++d) {
                Eigen::Index const j = i + d;
                A.bands(i, d + kind.lower) = j >= 0 && j < n ? jv(i, j % colours) : 0.0;
            }
        LU.bands = A.bands;
        band_factorise(LU);
    }
    template <class Sys>
    void solve(Sys&, Eigen::Ref<Eigen::VectorXd> b) {
        band_solve(LU, b);
    }
    template <class Sys>
    void solve_transposed(Sys&, Eigen::Ref<Eigen::VectorXd> b) {
        band_solve_transposed(LU, b);
    }
};

}  // namespace detail
}  // namespace typegrad::solvers
