// examples/bratu2d_sparse.cpp: Bratu's problem on the unit square, Laplace(u) + lambda e^u = 0,
// u = 0 on the boundary, by Newton's method with a sparse Jacobian whose pattern typegrad reads
// from the residual's type and its index arrays.
//
// The residual on the m x m interior points is one array program with gathers: the unknowns with
// one zero appended (index n = m^2, standing for the boundary), and each point's four neighbours
// as index arrays, times h^2:
//     F_i = u_left + u_right + u_up + u_down - 4 u_i + h^2 lambda e^{u_i}.
// pattern_of finds the 5-point stencil from the index data; its columns take a few colours
// whatever m is, so each Jacobian is one value pass and that many tangent passes. Eigen's
// SparseLU solves each Newton step.
//
// Checked: convergence in at most 8 iterations at each grid; u(1/2, 1/2) converging at second
// order (the differences between grids m = 31, 63, 127 shrink by 4); the coloured Jacobian
// equal to a hand-written one. Prints the costs of the pattern, a residual and a Jacobian.
//
//   bratu2d_sparse [--lambda L] [--m M]   (M odd: the centre is a node)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <Eigen/Core>

#include <typegrad/solvers.hpp>
#include <typegrad/typegrad.hpp>

#include "support/bratu_grid.hpp"
#include "support/self_check.hpp"

namespace tg = typegrad;
using example_support::best_seconds;
using example_support::bratu_grid;
using example_support::check;
using example_support::seconds_since;

namespace {

struct solved {
    double centre = 0;
    int iterations = 0;
    bool converged = false;
};

solved solve(int m, double lambda, bool report) {
    int const n = m * m;
    double const h = 1.0 / (m + 1);
    bratu_grid const g(m);
    auto const F = example_support::bratu_2d_residual(h);
    auto const tp = std::chrono::steady_clock::now();
    auto const pattern = tg::solvers::pattern_of(F, n, g.left, g.right, g.up, g.down, g.zero, lambda);
    double const pattern_s = seconds_since(tp);
    Eigen::VectorXd x = Eigen::VectorXd::Zero(n);
    auto const t0 = std::chrono::steady_clock::now();
    auto const r = tg::solvers::newton(F, tg::solvers::sparse_jacobian{pattern}, x, g.left, g.right, g.up, g.down, g.zero,
                                       lambda);
    double const solve_s = seconds_since(t0);
    solved s{x((m / 2) * m + m / 2), r.iterations, r.converged};
    std::printf("m = %4d (n = %6d): %d Newton iterations in %.3f s, u(1/2, 1/2) = %.12f\n", m, n, r.iterations, solve_s,
                s.centre);
    if (!report) return s;

    auto sys = tg::solvers::make_system(F, tg::solvers::sparse_jacobian{pattern}, n, g.left, g.right, g.up, g.down,
                                        g.zero, lambda);
    auto const colours = tg::solvers::colour_columns(pattern);
    Eigen::VectorXd f(n);
    int const reps = 10;
    double const t_res = best_seconds(reps, [&] { sys.residual(x, f); });
    double const t_jac = best_seconds(reps, [&] { sys.fill_jacobian(x); });
    double const t_lin = best_seconds(3, [&] { sys.linearise(x); });
    // The hand-written Jacobian: the same structure, each value from the stencil.
    Eigen::SparseMatrix<double> H = sys.jacobian();
    double const c = h * h * lambda;
    double const t_hand = best_seconds(reps, [&] {
        for (Eigen::Index j = 0; j < H.outerSize(); ++j)
            for (Eigen::Index k = H.outerIndexPtr()[j]; k < H.outerIndexPtr()[j + 1]; ++k) {
                Eigen::Index const i = H.innerIndexPtr()[k];
                H.valuePtr()[k] = i == j ? -4.0 + c * std::exp(x(i)) : 1.0;
            }
    });
    sys.fill_jacobian(x);
    double const diff = (Eigen::Map<Eigen::VectorXd const>(sys.jacobian().valuePtr(), sys.jacobian().nonZeros()) -
                         Eigen::Map<Eigen::VectorXd const>(H.valuePtr(), H.nonZeros()))
                            .lpNorm<Eigen::Infinity>();
    std::printf("pattern from the type and the index arrays: %lld entries (5-point stencil: %d), %d colours, %.3f ms\n",
                static_cast<long long>(pattern.nonzeros()), 5 * n - 4 * m, colours.count, pattern_s * 1e3);
    std::printf("one residual %.3f ms; one Jacobian (a value pass, %d colours as lanes of tangent passes, the gather) %.3f ms = %.2f "
                "residuals; hand-written values %.3f ms (ratio %.1f); Jacobian + SparseLU factorisation %.3f ms\n",
                t_res * 1e3, colours.count, t_jac * 1e3, t_jac / t_res, t_hand * 1e3, t_jac / t_hand, t_lin * 1e3);
    check(diff < 1e-15, "the coloured Jacobian equals the hand-written one");
    check(pattern.nonzeros() == 5 * n - 4 * m, "the pattern is exactly the 5-point stencil");
    if (diff >= 1e-15 || pattern.nonzeros() != 5 * n - 4 * m) s.converged = false;
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    double lambda = 6.0;
    int m_report = 127;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--lambda")) lambda = std::atof(argv[i + 1]);
        if (!std::strcmp(argv[i], "--m")) m_report = std::atoi(argv[i + 1]);
    }
    if (m_report < 3 || m_report % 2 == 0) {
        std::fprintf(stderr, "bratu2d_sparse: --m must be odd and at least 3 (the centre is a node)\n");
        return 2;
    }
    std::printf("2-D Bratu, lambda = %g, 5-point stencil by gathers, sparse Jacobian (SparseLU)\n", lambda);
    solved const a = solve(31, lambda, false), b = solve(63, lambda, false), c = solve(127, lambda, m_report == 127);
    if (m_report != 127) solve(m_report, lambda, true);
    double const ratio = (b.centre - a.centre) / (c.centre - b.centre);
    std::printf("u(1/2, 1/2) differences between grids: %.3e, %.3e, ratio %.3f (second order: 4)\n", b.centre - a.centre,
                c.centre - b.centre, ratio);

    bool ok = true;
    for (auto const* s : {&a, &b, &c}) ok &= s->converged && s->iterations <= 8;
    check(ok, "every grid converged in at most 8 Newton iterations, and the checks above hold");
    ok &= check(ratio > 3.8 && ratio < 4.2, "u(1/2, 1/2) converges at second order");
    return ok ? 0 : 1;
}
