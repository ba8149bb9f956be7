// examples/bratu_newton.cpp: Bratu's problem u'' + lambda e^u = 0 on (0, 1), u(0) = u(1) = 0,
// by Newton's method with the Jacobian from typegrad's forward mode.
//
// The residual on n interior points is one array program of the unknowns u (tg::slice for the
// 3-point stencil, tg::concat for the two boundary rows), times h^2:
//     F_i = u_{i-1} - 2 u_i + u_{i+1} + h^2 lambda e^{u_i}.
// Its Jacobian is tridiagonal, so three forward passes along the colours [j mod 3 == c] give
// all three diagonals, and the Thomas algorithm solves each Newton step.
//
// Checked against the exact lower-branch solution u(x) = -2 log(cosh((x - 1/2) theta/2) /
// cosh(theta/4)), theta = sqrt(2 lambda) cosh(theta/4): u(1/2) to the discretisation's O(h^2),
// at most 6 Newton iterations; and the implicit-function gradient d u(1/2) / d lambda against a
// central difference of two Newton solves and against the derivative of the exact solution.
// Prints the cost of a Jacobian against one residual and against hand-written loops.
//
//   bratu_newton [--n N] [--lambda L]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <Eigen/Core>

#include <typegrad/solvers.hpp>
#include <typegrad/typegrad.hpp>

#include "support/self_check.hpp"

namespace tg = typegrad;
using example_support::best_seconds;
using example_support::check;
using namespace typegrad::literals;

namespace {

// theta = sqrt(2 lambda) cosh(theta / 4), the smaller root (Newton from 0).
double exact_theta(double lambda) {
    double t = 0.0;
    for (int k = 0; k < 100; ++k) {
        double const g = t - std::sqrt(2 * lambda) * std::cosh(t / 4);
        t -= g / (1 - std::sqrt(2 * lambda) / 4 * std::sinh(t / 4));
    }
    return t;
}
double exact_u(double x, double theta) { return -2 * std::log(std::cosh((x - 0.5) * theta / 2) / std::cosh(theta / 4)); }
// d u(1/2) / d lambda = d/d lambda [2 log cosh(theta/4)] = tanh(theta/4) / 2 * d theta / d lambda.
double exact_du_mid_dlambda(double lambda) {
    double const t = exact_theta(lambda), s = std::sqrt(2 * lambda);
    double const dtheta = (std::cosh(t / 4) / s) / (1 - s * std::sinh(t / 4) / 4);
    return std::tanh(t / 4) / 2 * dtheta;
}

}  // namespace

int main(int argc, char** argv) {
    long n = 100000;
    double lambda = 1.0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--n")) n = std::atol(argv[i + 1]);
        if (!std::strcmp(argv[i], "--lambda")) lambda = std::atof(argv[i + 1]);
    }
    if (n < 4 || n % 2 != 0) {
        std::fprintf(stderr, "bratu_newton: --n must be even and at least 4 (x = 1/2 lies between two nodes)\n");
        return 2;
    }
    double const h = 1.0 / double(n + 1);

    auto [u, lam] = tg::vars<"u", "lambda">();
    auto const first = tg::slice(u, 1_c, 2_c) - 2.0 * tg::slice(u, 0_c, 1_c);
    auto const middle =
        tg::slice(u, 0_c, tg::end - 2_c) - 2.0 * tg::slice(u, 1_c, tg::end - 1_c) + tg::slice(u, 2_c, tg::end);
    auto const last = tg::slice(u, tg::end - 2_c, tg::end - 1_c) - 2.0 * tg::slice(u, tg::end - 1_c, tg::end);
    auto const F = tg::concat(first, middle, last) + (h * h) * lam * exp(u);
    // The band the tridiagonal kind relies on is the one the residual's type spans.
    static_assert(tg::solvers::band_of(decltype(F){}).lower == 1 && tg::solvers::band_of(decltype(F){}).upper == 1);
    // u(1/2) from the two nodes beside it (x_i = (i + 1) h): their mean is O(h^2) accurate.
    long const mid = n / 2 - 1;
    auto const L = 0.5 * tg::sum(tg::slice(u, mid, mid + 2));

    Eigen::VectorXd x = Eigen::VectorXd::Zero(n);
    auto const t0 = std::chrono::steady_clock::now();
    auto const r = tg::solvers::newton(F, tg::solvers::tridiagonal_jacobian{}, x, lambda);
    double const solve_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    std::printf("Bratu, lambda = %g, n = %ld interior points, h = %.3g\n", lambda, n, h);
    std::printf("Newton (3-colour tridiagonal Jacobian, Thomas solve): %d iterations in %.3f s\n", r.iterations, solve_s);
    for (std::size_t k = 0; k < r.residual_norms.size(); ++k)
        std::printf("  iteration %zu: |F|_2 = %.3e%s\n", k, r.residual_norms[k],
                    k == 0 ? "" : (r.step_lengths[k - 1] == 1.0 ? "" : " (damped step)"));

    double const theta = exact_theta(lambda);
    double const u_mid = 0.5 * (x(mid) + x(mid + 1)), u_exact = exact_u(0.5, theta);
    double max_err = 0;
    for (long i = 0; i < n; ++i) max_err = std::max(max_err, std::abs(x(i) - exact_u(double(i + 1) * h, theta)));
    std::printf("theta = %.17g\n", theta);
    std::printf("u(1/2) = %.15f, exact %.15f, error %.3e = %.3f h^2; max error over the nodes %.3e = %.3f h^2\n", u_mid,
                u_exact, std::abs(u_mid - u_exact), std::abs(u_mid - u_exact) / (h * h), max_err, max_err / (h * h));

    // The implicit-function gradient against two more Newton solves.
    double dL = 0;
    auto const tg0 = std::chrono::steady_clock::now();
    double const Lv = tg::solvers::implicit_gradient(L, F, tg::solvers::tridiagonal_jacobian{}, x, tg::gradient_to(dL), lambda);
    double const grad_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - tg0).count();
    double const delta = 1e-4;
    auto solve_at = [&](double l) {
        Eigen::VectorXd y = x;  // from the root at lambda: two or three iterations
        tg::solvers::newton(F, tg::solvers::tridiagonal_jacobian{}, y, l);
        return 0.5 * (y(mid) + y(mid + 1));
    };
    double const fd = (solve_at(lambda + delta) - solve_at(lambda - delta)) / (2 * delta);
    double const dexact = exact_du_mid_dlambda(lambda);
    std::printf("d u(1/2) / d lambda: implicit gradient %.12f (%.3f ms), central difference of Newton solves %.12f, "
                "exact %.12f\n",
                dL, grad_s * 1e3, fd, dexact);

    // Cost of the Jacobian against one residual and against hand-written loops.
    auto sys = tg::solvers::make_system(F, tg::solvers::tridiagonal_jacobian{}, n, lambda);
    Eigen::VectorXd f(n), fh(n);
    tg::solvers::tridiagonal_matrix H(n);
    int const reps = 30;
    double const t_res = best_seconds(reps, [&] { sys.residual(x, f); });
    double const t_jac = best_seconds(reps, [&] { sys.linearise(x); });
    Eigen::VectorXd v = Eigen::VectorXd::Ones(n), jv(n);
    double const t_jvp = best_seconds(reps, [&] { sys.jvp(x, v, jv); });
    double const t_res_hand = best_seconds(reps, [&] {
        double const c = h * h * lambda;
        for (long i = 0; i < n; ++i)
            fh(i) = (i > 0 ? x(i - 1) : 0.0) - 2 * x(i) + (i + 1 < n ? x(i + 1) : 0.0) + c * std::exp(x(i));
    });
    double const t_jac_hand = best_seconds(reps, [&] {
        double const c = h * h * lambda;
        for (long i = 0; i < n; ++i) {
            H.lower(i) = i > 0 ? 1.0 : 0.0;
            H.diagonal(i) = -2 + c * std::exp(x(i));
            H.upper(i) = i + 1 < n ? 1.0 : 0.0;
        }
    });
    sys.linearise(x);
    auto const& A = sys.jacobian();
    double jac_diff = (A.diagonal - H.diagonal).lpNorm<Eigen::Infinity>() + (A.lower - H.lower).lpNorm<Eigen::Infinity>() +
                      (A.upper - H.upper).lpNorm<Eigen::Infinity>();
    std::printf("one residual: %.3f ms (hand loop %.3f ms); one J v: %.3f ms; one Jacobian (a value pass, one tangent pass with the 3 colours as lanes, the gather): "
                "%.3f ms = %.2f residuals (hand-written Jacobian %.3f ms, ratio %.1f)\n",
                t_res * 1e3, t_res_hand * 1e3, t_jvp * 1e3, t_jac * 1e3, t_jac / t_res, t_jac_hand * 1e3,
                t_jac / t_jac_hand);

    bool ok = true;
    ok &= check(r.converged && r.iterations <= 6, "converged in at most 6 Newton iterations");
    ok &= check(std::abs(theta - 1.5171645990507543685) < 1e-14 || lambda != 1.0, "theta(1) = 1.5171645990507543685");
    // The error is O(h^2): the scheme's truncation (u'''' h^2 / 12) and the mean of two nodes
    // (u'' h^2 / 8) each stay below h^2 here (|u''| = lambda e^u < 1.2, |u''''| < 3).
    ok &= check(std::abs(u_mid - u_exact) < h * h, "u(1/2) within h^2 of the exact solution");
    ok &= check(max_err < h * h, "every node within h^2 of the exact solution");
    ok &= check((fh - f).lpNorm<Eigen::Infinity>() < 1e-15, "the residual equals the hand-written loop");
    ok &= check(jac_diff < 1e-15, "the coloured Jacobian equals the hand-written one");
    ok &= check(std::abs(Lv - u_mid) < 1e-15, "the loss is u(1/2)");
    ok &= check(std::abs(dL - fd) < 1e-7 * std::abs(fd), "the implicit gradient matches the central difference");
    ok &= check(std::abs(dL - dexact) < 10 * h * h, "the implicit gradient matches the exact derivative to O(h^2)");
    return ok ? 0 : 1;
}
