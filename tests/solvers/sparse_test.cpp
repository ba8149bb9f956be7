// Sparse Jacobians: patterns read from the type and the gathered indices against the stencils
// written down by hand, colourings checked to be valid and independent of n, the coloured
// Jacobian against the dense one and central differences, the CSR/CSC copies, Newton with
// SparseLU on 2-D Bratu against the dense Jacobian's root, and the errors.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <vector>

#include <Eigen/Dense>

#include <typegrad/solvers.hpp>
#include <typegrad/typegrad.hpp>

#include "examples/support/bratu_grid.hpp"

namespace tg = typegrad;
using namespace typegrad::literals;

namespace {

auto bratu_1d(double h) {
    auto [u, lam] = tg::vars<"u", "lambda">();
    auto first = tg::slice(u, 1_c, 2_c) - 2.0 * tg::slice(u, 0_c, 1_c);
    auto middle = tg::slice(u, 0_c, tg::end - 2_c) - 2.0 * tg::slice(u, 1_c, tg::end - 1_c) + tg::slice(u, 2_c, tg::end);
    auto last = tg::slice(u, tg::end - 2_c, tg::end - 1_c) - 2.0 * tg::slice(u, tg::end - 1_c, tg::end);
    return tg::concat(first, middle, last) + (h * h) * lam * exp(u);
}

// The same with run-time slice bounds (the band is then not in the type, only in the data).
auto bratu_1d_runtime(double h) {
    auto [u, lam] = tg::vars<"u", "lambda">();
    auto first = tg::slice(u, 1, 2) - 2.0 * tg::slice(u, 0, 1);
    auto middle = tg::slice(u, 0, tg::end - 2) - 2.0 * tg::slice(u, 1, tg::end - 1) + tg::slice(u, 2, tg::end);
    auto last = tg::slice(u, tg::end - 2, tg::end - 1) - 2.0 * tg::slice(u, tg::end - 1, tg::end);
    return tg::concat(first, middle, last) + (h * h) * lam * exp(u);
}

using grid = example_support::bratu_grid;

// What row i of the 2-D residual reads, written down from the stencil: i and its interior neighbours.
std::set<std::ptrdiff_t> neighbours(grid const& g, std::ptrdiff_t i) {
    std::set<std::ptrdiff_t> s{i};
    for (auto const* v : {&g.left, &g.right, &g.up, &g.down})
        if ((*v)[std::size_t(i)] < g.m * g.m) s.insert((*v)[std::size_t(i)]);
    return s;
}

std::set<std::ptrdiff_t> row_of(tg::solvers::sparsity_pattern const& p, std::ptrdiff_t i) {
    return {p.column.begin() + p.row_start[std::size_t(i)], p.column.begin() + p.row_start[std::size_t(i) + 1]};
}

// No two columns of one colour share a row.
bool valid(tg::solvers::sparsity_pattern const& p, tg::solvers::column_colouring const& c) {
    for (std::ptrdiff_t i = 0; i < p.rows; ++i) {
        std::set<int> seen;
        for (std::ptrdiff_t k = p.row_start[std::size_t(i)]; k < p.row_start[std::size_t(i) + 1]; ++k)
            if (!seen.insert(c.colour[std::size_t(p.column[std::size_t(k)])]).second) return false;
    }
    return true;
}

Eigen::VectorXd wavy(Eigen::Index n) {
    Eigen::VectorXd u(n);
    for (Eigen::Index i = 0; i < n; ++i) u(i) = 0.3 * std::sin(1.0 + 0.7 * double(i));
    return u;
}

}  // namespace

TEST_CASE("a 3-point stencil's pattern is the tridiagonal band, with 3 colours whatever n is") {
    for (int n : {2, 3, 4, 7, 50, 1001}) {
        CAPTURE(n);
        auto const expected = tg::solvers::band_pattern(n, 1, 1);
        for (auto const& p : {tg::solvers::pattern_of(bratu_1d(0.1), n, 1.0), tg::solvers::pattern_of(bratu_1d_runtime(0.1), n, 1.0)}) {
            CHECK(p.rows == n);
            CHECK(p.row_start == expected.row_start);
            CHECK(p.column == expected.column);
            auto const c = tg::solvers::colour_columns(p);
            CHECK(valid(p, c));
            CHECK(c.count == std::min(n, 3));
        }
    }
    // A band of width 5 gets 5 colours.
    auto const p5 = tg::solvers::band_pattern(40, 2, 2);
    auto const c5 = tg::solvers::colour_columns(p5);
    CHECK(valid(p5, c5));
    CHECK(c5.count == 5);
}

TEST_CASE("a gathered 5-point stencil's pattern comes from the index data, its colours do not grow with n") {
    int counts[2] = {};
    for (int k = 0; k < 2; ++k) {
        int const m = k == 0 ? 6 : 30;
        grid const g(m);
        auto const p = tg::solvers::pattern_of(example_support::bratu_2d_residual(0.1), m * m, g.left, g.right, g.up, g.down, g.zero, 1.0);
        REQUIRE(p.rows == m * m);
        for (std::ptrdiff_t i = 0; i < p.rows; ++i) CHECK(row_of(p, i) == neighbours(g, i));
        auto const c = tg::solvers::colour_columns(p);
        CHECK(valid(p, c));
        counts[k] = c.count;
    }
    CHECK(counts[0] == counts[1]);
    CHECK(counts[1] <= 7);  // 5 is the least for a 5-point stencil; greedy in grid order may take a few more
}

TEST_CASE("operations that mix every entry make dense rows, numbers and parameters add nothing") {
    auto [u, A, c] = tg::vars<"u", "A", "c">();
    int const n = 5;
    std::vector<double> Av(n * n, 1.0), cv(n, 2.0);
    Eigen::MatrixXd Am = Eigen::Map<Eigen::Matrix<double, -1, -1, Eigen::RowMajor>>(Av.data(), n, n);
    auto const dense = tg::solvers::band_pattern(n, n, n);
    auto const diag = tg::solvers::band_pattern(n, 0, 0);
    auto const Aview = tg::view(Av.data(), n, n);
    CHECK(tg::solvers::pattern_of(u + tg::sum(u), n, Aview, cv).column == dense.column);
    CHECK(tg::solvers::pattern_of(tg::matmul(A, u), n, Aview, cv).column == dense.column);
    CHECK(tg::solvers::pattern_of(u * c + tg::sum(c), n, Aview, cv).column == diag.column);
    CHECK(tg::solvers::pattern_of(exp(u) - c, n, Aview, cv).column == diag.column);
    // The Jacobians through those patterns are the dense ones.
    auto const F = exp(u) + tg::matmul(A, u * u) + tg::sum(u);
    Eigen::VectorXd const x = wavy(n);
    Eigen::MatrixXd const Js = Eigen::MatrixXd(tg::solvers::sparse_jacobian_of(F, x, Aview, cv));
    Eigen::MatrixXd expected = Am * Eigen::MatrixXd(x.asDiagonal()) * 2.0;
    expected += Eigen::MatrixXd(x.array().exp().matrix().asDiagonal());
    expected.array() += 1.0;
    CHECK((Js - expected).cwiseAbs().maxCoeff() < 1e-13);
}

TEST_CASE("the coloured sparse Jacobian equals the dense one and central differences, by slices and by gathers") {
    SUBCASE("1-D, run-time slices") {
        int const n = 9;
        auto const F = bratu_1d_runtime(0.1);
        Eigen::VectorXd const x = wavy(n);
        Eigen::MatrixXd const J = Eigen::MatrixXd(tg::solvers::sparse_jacobian_of(F, x, 0.8));
        CHECK((J - tg::solvers::dense_jacobian_of(F, x, 0.8)).cwiseAbs().maxCoeff() < 1e-14);
    }
    SUBCASE("2-D, gathers") {
        int const m = 5, n = m * m;
        grid const g(m);
        auto const F = example_support::bratu_2d_residual(1.0 / (m + 1));
        Eigen::VectorXd const x = wavy(n);
        auto const Js = tg::solvers::sparse_jacobian_of(F, x, g.left, g.right, g.up, g.down, g.zero, 0.8);
        CHECK(Js.nonZeros() == 5 * n - 4 * m);
        Eigen::MatrixXd const J = Eigen::MatrixXd(Js);
        Eigen::MatrixXd const Jd = tg::solvers::dense_jacobian_of(F, x, g.left, g.right, g.up, g.down, g.zero, 0.8);
        CHECK((J - Jd).cwiseAbs().maxCoeff() < 1e-14);
        // Central differences of the residual (which the dense Jacobian does not use).
        auto residual = [&](Eigen::VectorXd const& at) {
            Eigen::VectorXd out(n);
            tg::map(F, tg::view(out.data(), n), tg::view(at.data(), n), g.left, g.right, g.up, g.down, g.zero, 0.8);
            return out;
        };
        double const step = 1e-6;
        for (Eigen::Index j = 0; j < n; ++j) {
            Eigen::VectorXd a = x, b = x;
            a(j) += step;
            b(j) -= step;
            Eigen::VectorXd const column = (residual(a) - residual(b)) / (2 * step);
            CHECK((column - J.col(j)).cwiseAbs().maxCoeff() < 1e-8);
        }
    }
}

TEST_CASE("CSR and CSC copies hold the matrix, arrays of the wrong size are refused untouched") {
    int const n = 6;
    auto const J = tg::solvers::sparse_jacobian_of(bratu_1d(0.2), wavy(n), 1.0);
    Eigen::MatrixXd const D(J);
    std::ptrdiff_t const nnz = J.nonZeros();
    REQUIRE(nnz == 3 * n - 2);
    std::vector<int> start(std::size_t(n) + 1), index(static_cast<std::size_t>(nnz));
    std::vector<double> values(static_cast<std::size_t>(nnz));
    tg::solvers::copy_csr(J, std::span<int>(start), std::span<int>(index), std::span<double>(values));
    for (int i = 0; i < n; ++i)
        for (int k = start[std::size_t(i)]; k < start[std::size_t(i) + 1]; ++k) CHECK(values[std::size_t(k)] == D(i, index[std::size_t(k)]));
    CHECK(start.back() == nnz);
    std::vector<long> cstart(std::size_t(n) + 1), row(static_cast<std::size_t>(nnz));
    tg::solvers::copy_csc(J, std::span<long>(cstart), std::span<long>(row), std::span<double>(values));
    for (int j = 0; j < n; ++j)
        for (long k = cstart[std::size_t(j)]; k < cstart[std::size_t(j) + 1]; ++k) CHECK(values[std::size_t(k)] == D(row[std::size_t(k)], j));

    std::vector<int> short_start(n, -7);
    CHECK_THROWS_WITH_AS(tg::solvers::copy_csr(J, std::span<int>(short_start), std::span<int>(index), std::span<double>(values)),
                         "typegrad::solvers::copy_csr: got arrays of 6, 16 and 16 entries, expected 7, 16 and 16 (starts: "
                         "outer size + 1; indices and values: the stored entries)",
                         std::invalid_argument);
    for (int s : short_start) CHECK(s == -7);
}

TEST_CASE("Newton with a sparse Jacobian solves 2-D Bratu to the dense Jacobian's root, transposed solves agree") {
    int const m = 7, n = m * m;
    grid const g(m);
    auto const F = example_support::bratu_2d_residual(1.0 / (m + 1));
    Eigen::VectorXd xs = Eigen::VectorXd::Zero(n), xd = Eigen::VectorXd::Zero(n);
    auto const rs = tg::solvers::newton(F, tg::solvers::sparse_jacobian{}, xs, g.left, g.right, g.up, g.down, g.zero, 5.0);
    auto const rd = tg::solvers::newton(F, tg::solvers::dense_jacobian{}, xd, g.left, g.right, g.up, g.down, g.zero, 5.0);
    CHECK(rs.converged);
    CHECK(rs.iterations == rd.iterations);
    CHECK((xs - xd).cwiseAbs().maxCoeff() < 1e-12);
    CHECK(xs.maxCoeff() > 0.05);  // lambda = 5 lifts the lower branch well off zero
    // The symmetric grid gives a symmetric solution.
    for (int r = 0; r < m; ++r)
        for (int c = 0; c < m; ++c) CHECK(xs(r * m + c) == doctest::Approx(xs(c * m + r)).epsilon(1e-12));

    // J^-1 b and J^-T b against the dense LU.
    auto sys = tg::solvers::make_system(F, tg::solvers::sparse_jacobian{}, n, g.left, g.right, g.up, g.down, g.zero, 5.0);
    sys.linearise(xs);
    Eigen::MatrixXd const Jd = tg::solvers::dense_jacobian_of(F, xs, g.left, g.right, g.up, g.down, g.zero, 5.0);
    Eigen::VectorXd b = wavy(n), bt = wavy(n);
    Eigen::VectorXd const expect = Jd.lu().solve(b), expect_t = Jd.transpose().lu().solve(bt);
    sys.solve(b);
    sys.solve_transposed(bt);
    CHECK((b - expect).cwiseAbs().maxCoeff() < 1e-12);
    CHECK((bt - expect_t).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("a given pattern is used and checked, a residual of another length and a singular Jacobian are refused") {
    int const n = 8;
    auto const F = bratu_1d(0.1);
    Eigen::VectorXd const x = wavy(n);
    Eigen::MatrixXd const J = Eigen::MatrixXd(tg::solvers::sparse_jacobian_of(F, tg::solvers::band_pattern(n, 1, 1), x, 1.0));
    CHECK((J - tg::solvers::dense_jacobian_of(F, x, 1.0)).cwiseAbs().maxCoeff() < 1e-14);

    auto bad = tg::solvers::band_pattern(n, 1, 1);
    std::swap(bad.column[3], bad.column[4]);  // row 1: 0, 2, 1
    CHECK_THROWS_WITH_AS(tg::solvers::sparse_jacobian_of(F, bad, x, 1.0),
                         "typegrad::solvers: a sparsity pattern lists row 1's columns out of order or twice, expected "
                         "them sorted and distinct",
                         std::invalid_argument);
    auto out_of_range = tg::solvers::band_pattern(n, 1, 1);
    out_of_range.column.back() = n;
    CHECK_THROWS_WITH_AS(tg::solvers::sparse_jacobian_of(F, out_of_range, x, 1.0),
                         "typegrad::solvers: a sparsity pattern lists column 8 in row 7, expected 0 <= column < 8",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(tg::solvers::sparse_jacobian_of(F, tg::solvers::band_pattern(n - 1, 1, 1), x, 1.0),
                         "typegrad::solvers::sparse_jacobian: the pattern is 7 x 7, expected 8 x 8 (the number of unknowns)",
                         std::invalid_argument);

    auto [u] = tg::vars<"u">();
    CHECK_THROWS_WITH_AS(tg::solvers::pattern_of(tg::slice(u, 1, tg::end), n),
                         "typegrad::solvers::pattern_of: the residual has shape (7,), expected (8,) (one entry per unknown)",
                         std::invalid_argument);
    // u_i^2 at u = 0: a zero diagonal.
    Eigen::VectorXd zero = Eigen::VectorXd::Zero(n);
    CHECK_THROWS_WITH_AS(tg::solvers::newton(u * u + 1.0, tg::solvers::sparse_jacobian{}, zero),
                         doctest::Contains("the sparse Jacobian is singular to working precision"), tg::solvers::newton_error);
}
