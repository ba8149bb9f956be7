// typegrad/solvers/sparse.hpp: sparse Jacobians from a pattern and a colouring of its columns,
// as Eigen sparse matrices or in a caller's CSR/CSC arrays, and Newton with SparseLU.
//
//   tg::solvers::newton(F, tg::solvers::sparse_jacobian{}, x, parameters...);   // pattern from F
//   Eigen::SparseMatrix<double> J = tg::solvers::sparse_jacobian_of(F, x, parameters...);
//   tg::solvers::copy_csr(J, row_start, column, values);                        // a caller's arrays
//
// The pattern is read from F's type and its parameters' data (pattern_of, solvers/pattern.hpp)
// unless one is given (sparse_jacobian{pattern}, which is then the caller's promise: entries
// outside it would be added into entries of the same colour). Its columns are coloured once per
// system; each Jacobian is one value pass and the colours as lanes of tangent passes, four at a
// time (tg::jvp_each), and
// entry (i, j) is read from the tangent of j's colour at row i. The matrix keeps its structure
// between linearisations, so Eigen's SparseLU analyses it once and refactorises each time.
#pragma once

#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <Eigen/SparseLU>

#include <cstddef>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "pattern.hpp"
#include "program.hpp"

namespace typegrad::solvers {

/// A sparse Jacobian kind: the pattern, or none (rows == 0) to read it from the residual.
struct sparse_jacobian {
    sparsity_pattern pattern{};
};

template <>
inline constexpr bool is_jacobian_kind<sparse_jacobian> = true;

namespace detail {

template <>
struct linear_system<sparse_jacobian> {
    explicit linear_system(sparse_jacobian k) : given(std::move(k.pattern)) {}
    sparsity_pattern given, pattern;
    column_colouring colours;
    Eigen::MatrixXd directions, jv;                   // n x colours: v_c and J v_c
    Eigen::SparseMatrix<double> J;                    // compressed columns, structure fixed
    std::vector<Eigen::Index> source;                 // per stored entry of J: its index in jv
    Eigen::SparseLU<Eigen::SparseMatrix<double>> lu;
    Eigen::VectorXd work;
    bool analysed = false;

    Eigen::SparseMatrix<double> const& matrix() const { return J; }
    void resize(Eigen::Index) {}

    /// Fixes the pattern (given, or read from the system's residual), colours it, and lays out J.
    template <class Sys>
    void bind(Sys& sys) {
        Eigen::Index const n = sys.size();
        if (given.rows == 0 && given.cols == 0 && n > 0)
            pattern = std::apply([&](auto const&... p) { return pattern_of(sys.function(), n, p...); }, sys.parameters());
        else {
            check_pattern(given);
            if (given.rows != n || given.cols != n)
                throw std::invalid_argument("typegrad::solvers::sparse_jacobian: the pattern is " + std::to_string(given.rows) +
                                            " x " + std::to_string(given.cols) + ", expected " + std::to_string(n) + " x " +
                                            std::to_string(n) + " (the number of unknowns)");
            pattern = std::move(given);  // (bind runs once, from the system's constructor)
        }
        if (pattern.nonzeros() > std::numeric_limits<int>::max())
            throw std::invalid_argument("typegrad::solvers::sparse_jacobian: the pattern has " +
                                        std::to_string(pattern.nonzeros()) +
                                        " entries, more than an Eigen::SparseMatrix<double> (int indices) holds");
        colours = colour_columns(pattern);
        directions.setZero(n, colours.count);
        for (Eigen::Index j = 0; j < n; ++j) directions(j, colours.colour[std::size_t(j)]) = 1.0;
        jv.setZero(n, colours.count);
        std::vector<Eigen::Triplet<double, int>> entries;
        entries.reserve(std::size_t(pattern.nonzeros()));
        for (Eigen::Index i = 0; i < n; ++i)
            for (std::ptrdiff_t k = pattern.row_start[std::size_t(i)]; k < pattern.row_start[std::size_t(i) + 1]; ++k)
                entries.emplace_back(int(i), int(pattern.column[std::size_t(k)]), 0.0);
        J.resize(n, n);
        J.setFromTriplets(entries.begin(), entries.end());
        J.makeCompressed();
        source.resize(std::size_t(J.nonZeros()));
        for (Eigen::Index j = 0; j < n; ++j)
            for (Eigen::Index k = J.outerIndexPtr()[j]; k < J.outerIndexPtr()[j + 1]; ++k)
                source[std::size_t(k)] = Eigen::Index(colours.colour[std::size_t(j)]) * n + J.innerIndexPtr()[k];
        work.resize(n);
    }
    template <class Sys>
    void assemble(Sys& sys, double const* x) {
        fill(sys, x);
        if (!analysed) {
            lu.analyzePattern(J);
            analysed = true;
        }
        lu.factorize(J);
        if (lu.info() != Eigen::Success)
            throw std::runtime_error("typegrad::solvers: the sparse Jacobian is singular to working precision (SparseLU: " +
                                     lu.lastErrorMessage() + ")");
    }
    /// J's values at x, without factorising.
    template <class Sys>
    void fill(Sys& sys, double const* x) {
        if (colours.count > 0) sys.apply_jacobian_each(x, directions, jv);
        double const* t = jv.data();
        double* v = J.valuePtr();
        for (std::size_t k = 0; k < source.size(); ++k) v[k] = t[source[k]];
    }
    template <class Sys>
    void solve(Sys&, Eigen::Ref<Eigen::VectorXd> b) {
        work = lu.solve(b);
        b = work;
    }
    template <class Sys>
    void solve_transposed(Sys&, Eigen::Ref<Eigen::VectorXd> b) {
        work = lu.transpose().solve(b);
        b = work;
    }
};

}  // namespace detail

/// The sparse Jacobian dF/dx at x, its pattern read from F (or given), from one value pass and
/// the colours as lanes of tangent passes.
template <class F, class... Params>
Eigen::SparseMatrix<double> sparse_jacobian_of(F const& f, Eigen::Ref<Eigen::VectorXd const> x, Params const&... params) {
    system<F, sparse_jacobian, Params...> sys(f, sparse_jacobian{}, x.size(), params...);
    sys.fill_jacobian(x);
    return sys.jacobian();
}
template <class F, class... Params>
Eigen::SparseMatrix<double> sparse_jacobian_of(F const& f, sparsity_pattern const& pattern,
                                               Eigen::Ref<Eigen::VectorXd const> x, Params const&... params) {
    system<F, sparse_jacobian, Params...> sys(f, sparse_jacobian{pattern}, x.size(), params...);
    sys.fill_jacobian(x);
    return sys.jacobian();
}

namespace detail {

template <class I>
void check_sparse_arrays(char const* what, std::size_t starts, std::size_t expected_starts, std::size_t indices,
                         std::size_t values, std::size_t nonzeros) {
    static_assert(std::is_integral_v<I>, "typegrad::solvers: the index arrays of CSR/CSC hold integers");
    auto const text = [](std::size_t k) { return std::to_string(k); };
    if (starts != expected_starts || indices != nonzeros || values != nonzeros)
        throw std::invalid_argument(std::string("typegrad::solvers::") + what + ": got arrays of " + text(starts) + ", " +
                                    text(indices) + " and " + text(values) + " entries, expected " + text(expected_starts) +
                                    ", " + text(nonzeros) + " and " + text(nonzeros) +
                                    " (starts: outer size + 1; indices and values: the stored entries)");
    if (nonzeros > std::size_t(std::numeric_limits<I>::max()))
        throw std::invalid_argument(std::string("typegrad::solvers::") + what + ": " + text(nonzeros) +
                                    " stored entries do not fit the index type");
}

}  // namespace detail

/// J's entries in compressed rows, into a caller's arrays: row_start (rows + 1), column and values
/// (one per stored entry, J.nonZeros()). Checked before anything is written.
template <class I>
void copy_csr(Eigen::SparseMatrix<double> const& J, std::span<I> row_start, std::span<I> column,
              std::span<double> values) {
    detail::check_sparse_arrays<I>("copy_csr", row_start.size(), std::size_t(J.rows()) + 1, column.size(),
                                   values.size(), std::size_t(J.nonZeros()));
    Eigen::SparseMatrix<double, Eigen::RowMajor> R(J);  // (an allocation: this is an export, not a solver step)
    R.makeCompressed();
    for (Eigen::Index i = 0; i <= R.rows(); ++i) row_start[std::size_t(i)] = I(R.outerIndexPtr()[i]);
    for (Eigen::Index k = 0; k < R.nonZeros(); ++k) {
        column[std::size_t(k)] = I(R.innerIndexPtr()[k]);
        values[std::size_t(k)] = R.valuePtr()[k];
    }
}

/// J's entries in compressed columns, into a caller's arrays: column_start (cols + 1), row and values.
template <class I>
void copy_csc(Eigen::SparseMatrix<double> const& J, std::span<I> column_start, std::span<I> row,
              std::span<double> values) {
    detail::check_sparse_arrays<I>("copy_csc", column_start.size(), std::size_t(J.cols()) + 1, row.size(),
                                   values.size(), std::size_t(J.nonZeros()));
    if (!J.isCompressed())
        throw std::invalid_argument("typegrad::solvers::copy_csc: the matrix is not compressed (call makeCompressed)");
    for (Eigen::Index j = 0; j <= J.cols(); ++j) column_start[std::size_t(j)] = I(J.outerIndexPtr()[j]);
    for (Eigen::Index k = 0; k < J.nonZeros(); ++k) {
        row[std::size_t(k)] = I(J.innerIndexPtr()[k]);
        values[std::size_t(k)] = J.valuePtr()[k];
    }
}

}  // namespace typegrad::solvers
