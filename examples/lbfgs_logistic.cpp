// examples/lbfgs_logistic.cpp: P3 of REFERENCE_PROBLEMS.md trained by L-BFGS.
//
// K features, N examples as the columns of X (K x N), targets t in {0, 1}^N. The cross-entropy
// of logistic regression is written once as an array program,
//     L(w) = sum_n [ t_n softplus(-u_n) + (1 - t_n) softplus(u_n) ],   u = X^T w,
// (softplus(-u) = -log s(u), without the overflow of log(1 - s(u)) for large u), and L-BFGS
// (LBFGS++) minimises it with typegrad's reverse-mode gradient. The labels are drawn from a true
// logistic model, so the minimiser is finite.
//
// Checks: typegrad's gradient equals P3's X (s(X^T w) - t) computed by hand; L-BFGS reaches a
// gradient below 1e-7 |grad(0)|; its minimiser equals Newton's method on the same loss (the
// Hessian X diag(s (1 - s)) X^T written by hand) to 1e-6. Prints iterations, evaluations and the
// cost of one value and gradient against the hand-written vectorised version.
//
//   lbfgs_logistic [--n N] [--k K]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <typegrad/interop/lbfgspp.hpp>
#include <typegrad/typegrad.hpp>

#include "support/self_check.hpp"

namespace tg = typegrad;
using example_support::best_seconds;
using example_support::check;

namespace {

using matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// P3's vectorised gradient, and the loss beside it.
double hand_loss(matrix const& X, Eigen::VectorXd const& t, Eigen::VectorXd const& w, Eigen::VectorXd& grad,
                 Eigen::VectorXd& u) {
    u.noalias() = X.transpose() * w;
    double L = 0;
    for (Eigen::Index n = 0; n < u.size(); ++n) {
        double const a = u(n), sp = std::max(a, 0.0) + std::log1p(std::exp(-std::abs(a)));  // softplus(a)
        L += t(n) * (sp - a) + (1 - t(n)) * sp;
        u(n) = 1 / (1 + std::exp(-a)) - t(n);  // s(u) - t
    }
    grad.noalias() = X * u;
    return L;
}

}  // namespace

int main(int argc, char** argv) {
    long N = 2000, K = 10;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--n")) N = std::atol(argv[i + 1]);
        if (!std::strcmp(argv[i], "--k")) K = std::atol(argv[i + 1]);
    }
    if (N < 1 || K < 1) {
        std::fprintf(stderr, "lbfgs_logistic: --n and --k must be positive\n");
        return 2;
    }
    // Data from a true model: features N(0, 1), labels Bernoulli(s(x^T w_true)).
    std::mt19937_64 rng(2026);
    std::normal_distribution<double> normal;
    std::uniform_real_distribution<double> uniform;
    matrix X(K, N);
    Eigen::VectorXd w_true(K), t(N);
    for (Eigen::Index k = 0; k < K; ++k) w_true(k) = std::sin(1.0 + double(k));
    for (Eigen::Index k = 0; k < K; ++k)
        for (Eigen::Index n = 0; n < N; ++n) X(k, n) = normal(rng);
    for (Eigen::Index n = 0; n < N; ++n) t(n) = uniform(rng) < 1 / (1 + std::exp(-X.col(n).dot(w_true))) ? 1.0 : 0.0;

    auto [w, x, y] = tg::vars<"w", "X", "t">();
    auto const u = tg::matmul(tg::transpose(x), w);  // u_n = w^T x_n
    auto const loss = tg::sum(y * softplus(-u) + (1.0 - y) * softplus(u));
    auto const Xv = tg::view(X.data(), K, N);
    auto const tv = tg::view(t.data(), N);

    // The gradient at a point against P3's formula.
    Eigen::VectorXd w0 = Eigen::VectorXd::Constant(K, 0.3), g(K), gh(K), scratch(N);
    double const L0 = tg::gradient(loss, tg::gradient_to(tg::view(g.data(), K), tg::skip, tg::skip),
                                   tg::view(w0.data(), K), Xv, tv);
    double const L0h = hand_loss(X, t, w0, gh, scratch);
    double const grad_err = (g - gh).lpNorm<Eigen::Infinity>() / gh.lpNorm<Eigen::Infinity>();
    std::printf("P3, N = %ld examples, K = %ld features\nloss: %s\n", N, K, tg::to_string(loss).c_str());
    std::printf("at w = 0.3: loss %.12g (hand %.12g), gradient relative difference %.2e\n", L0, L0h, grad_err);

    // L-BFGS from w = 0.
    Eigen::VectorXd wl = Eigen::VectorXd::Zero(K), g0(K);
    hand_loss(X, t, wl, g0, scratch);
    LBFGSpp::LBFGSParam<double> param;
    // |grad| below 1e-7 of the start: tighter, a step's decrease of the loss (about 850) falls
    // below its rounding and the line search cannot see it.
    param.epsilon = 1e-7 * g0.norm();
    param.epsilon_rel = 0;
    param.max_iterations = 500;
    auto const t0 = std::chrono::steady_clock::now();
    auto const r = tg::lbfgspp::minimize(param, loss, wl, Xv, tv);
    double const solve_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    Eigen::VectorXd gl(K);
    hand_loss(X, t, wl, gl, scratch);
    std::printf("L-BFGS: %d iterations, %d evaluations, %.3f ms; loss %.12g; |grad| = %.2e (at w = 0: %.2e)\n",
                r.iterations, r.evaluations, solve_s * 1e3, r.value, gl.norm(), g0.norm());

    // Newton's method with the hand-written Hessian, as the reference minimiser.
    Eigen::VectorXd wn = Eigen::VectorXd::Zero(K), gn(K);
    for (int it = 0; it < 50; ++it) {
        hand_loss(X, t, wn, gn, scratch);
        Eigen::VectorXd const s = (X.transpose() * wn).unaryExpr([](double a) { return 1 / (1 + std::exp(-a)); });
        matrix const H = X * (s.array() * (1 - s.array())).matrix().asDiagonal() * X.transpose();
        Eigen::VectorXd const step = H.ldlt().solve(gn);
        wn -= step;
        if (step.lpNorm<Eigen::Infinity>() < 1e-14) break;
    }
    double const w_err = (wl - wn).lpNorm<Eigen::Infinity>();
    std::printf("Newton's minimiser (hand Hessian): max |w_lbfgs - w_newton| = %.2e; max |w - w_true| = %.3f\n", w_err,
                (wn - w_true).lpNorm<Eigen::Infinity>());

    // One value and gradient: typegrad against the hand-written vectorised version.
    tg::lbfgspp::objective obj(loss, Xv, tv);
    int const reps = 50;
    double const t_tg = best_seconds(reps, [&] { obj(w0, g); });
    double const t_hand = best_seconds(reps, [&] { hand_loss(X, t, w0, gh, scratch); });
    std::printf("one value and gradient: typegrad %.1f us, hand-written (Eigen products) %.1f us, ratio %.2f\n", t_tg * 1e6,
                t_hand * 1e6, t_tg / t_hand);

    bool ok = true;
    ok &= check(grad_err < 1e-12 && std::abs(L0 - L0h) < 1e-10 * std::abs(L0h),
                "the loss and gradient equal P3's X (s(X^T w) - t)");
    ok &= check(gl.norm() < 1e-7 * g0.norm(), "L-BFGS reached a gradient below 1e-7 of the starting one");
    ok &= check(w_err < 1e-6, "L-BFGS's minimiser equals Newton's");
    return ok ? 0 : 1;
}
