// examples/lbfgs_rosenbrock.cpp: the chained Rosenbrock function of n = 1000 variables,
//     f(x) = sum_i 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2,
// written once as an array program (two tg::slice of x), minimised by L-BFGS (LBFGS++) with
// typegrad's reverse-mode gradient. Checks: the gradient against a hand-written one, the
// minimiser x = 1 to 1e-6 and f < 1e-10; prints iterations, evaluations and the cost of one
// typegrad value-and-gradient against the hand-written loop.
//
//   lbfgs_rosenbrock [--n N]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <Eigen/Core>

#include <typegrad/interop/lbfgspp.hpp>
#include <typegrad/typegrad.hpp>

#include "support/self_check.hpp"

namespace tg = typegrad;
using example_support::best_seconds;
using example_support::check;

namespace {

double hand_rosenbrock(Eigen::VectorXd const& x, Eigen::VectorXd& g) {
    Eigen::Index const n = x.size();
    double f = 0;
    g.setZero();
    for (Eigen::Index i = 0; i + 1 < n; ++i) {
        double const a = x(i + 1) - x(i) * x(i), b = 1 - x(i);
        f += 100 * a * a + b * b;
        g(i) += -400 * a * x(i) - 2 * b;
        g(i + 1) += 200 * a;
    }
    return f;
}

}  // namespace

int main(int argc, char** argv) {
    long n = 1000;
    for (int i = 1; i + 1 < argc; i += 2)
        if (!std::strcmp(argv[i], "--n")) n = std::atol(argv[i + 1]);
    if (n < 2) {
        std::fprintf(stderr, "lbfgs_rosenbrock: --n must be at least 2\n");
        return 2;
    }

    auto [x] = tg::vars<"x">();
    auto const xs = tg::slice(x, 1, tg::end);
    auto const xp = tg::slice(x, 0, tg::end - 1);
    auto const rosen = tg::sum(100.0 * tg::square(xs - xp * xp) + tg::square(1.0 - xp));

    // The classic start (-1.2, 1) repeated.
    Eigen::VectorXd x0(n);
    for (long i = 0; i < n; ++i) x0(i) = i % 2 == 0 ? -1.2 : 1.0;

    // The gradient against the hand-written one, at the start.
    tg::lbfgspp::objective obj(rosen);
    Eigen::VectorXd g(n), gh(n);
    double const f0 = obj(x0, g), fh0 = hand_rosenbrock(x0, gh);
    double const grad_err = (g - gh).lpNorm<Eigen::Infinity>() / gh.lpNorm<Eigen::Infinity>();

    LBFGSpp::LBFGSParam<double> param;
    param.epsilon = 1e-9;  // |g| below this (absolute; the relative test is off)
    param.epsilon_rel = 0;
    param.max_iterations = 20000;
    Eigen::VectorXd xm = x0;
    auto const t0 = std::chrono::steady_clock::now();
    auto const r = tg::lbfgspp::minimize(param, rosen, xm);
    double const secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double const dist = (xm.array() - 1.0).abs().maxCoeff();
    std::printf("chained Rosenbrock, n = %ld, from (-1.2, 1, -1.2, ...): f = %.6g -> %.3e\n", n, f0, r.value);
    std::printf("L-BFGS (LBFGS++, m = %d): %d iterations, %d value-and-gradient evaluations, %.3f s\n", param.m,
                r.iterations, r.evaluations, secs);
    std::printf("max |x_i - 1| = %.3e\n", dist);

    double const t_tg = best_seconds(200, [&] { obj(x0, g); });
    double const t_hand = best_seconds(200, [&] { hand_rosenbrock(x0, gh); });
    std::printf("one value and gradient: typegrad %.2f us, hand-written %.2f us (ratio %.2f)\n", t_tg * 1e6,
                t_hand * 1e6, t_tg / t_hand);

    bool ok = true;
    ok &= check(std::abs(f0 - fh0) <= 1e-13 * fh0, "the value equals the hand-written one");
    ok &= check(grad_err < 1e-14, "the gradient equals the hand-written one");
    ok &= check(dist < 1e-6, "the minimiser is x = 1 to 1e-6");
    ok &= check(r.value < 1e-10, "f < 1e-10 at the minimiser");
    return ok ? 0 : 1;
}
