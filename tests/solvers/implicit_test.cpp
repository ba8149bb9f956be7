// Implicit-function gradients at a root: against central differences through whole Newton
// solves, the dense and tridiagonal routes against each other, Bratu's against the derivative of
// the exact solution, and the errors (nothing written).
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include <Eigen/Dense>

#include <typegrad/solvers.hpp>
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;
using namespace typegrad::literals;

namespace {

auto bratu_residual(double h) {
    auto [u, lam] = tg::vars<"u", "lambda">();
    auto first = tg::slice(u, 1_c, 2_c) - 2.0 * tg::slice(u, 0_c, 1_c);
    auto middle = tg::slice(u, 0_c, tg::end - 2_c) - 2.0 * tg::slice(u, 1_c, tg::end - 1_c) + tg::slice(u, 2_c, tg::end);
    auto last = tg::slice(u, tg::end - 2_c, tg::end - 1_c) - 2.0 * tg::slice(u, tg::end - 1_c, tg::end);
    return tg::concat(first, middle, last) + (h * h) * lam * exp(u);
}

tg::solvers::newton_options tight() {
    tg::solvers::newton_options o;
    o.relative_tolerance = 1e-14;
    o.step_tolerance = 1e-15;
    return o;
}

}  // namespace

TEST_CASE("Bratu: d u(1/2) / d lambda by one adjoint solve, against Newton solves and the exact derivative") {
    int const n = 51;  // x = 1/2 is node 25
    double const h = 1.0 / (n + 1);
    auto const F = bratu_residual(h);
    auto [u, lam] = tg::vars<"u", "lambda">();
    auto const L = tg::sum(tg::slice(u, 25, 26));  // lambda unused by L: its direct part is 0
    (void)lam;
    auto solve = [&](double l) {
        Eigen::VectorXd x = Eigen::VectorXd::Zero(n);
        tg::solvers::newton(tight(), F, tg::solvers::tridiagonal_jacobian{}, x, l);
        return x;
    };
    double const lambda = 1.0;
    Eigen::VectorXd const x = solve(lambda);
    double g_tri = 0, g_dense = 0;
    double const v = tg::solvers::implicit_gradient(L, F, tg::solvers::tridiagonal_jacobian{}, x, tg::gradient_to(g_tri),
                                                    lambda);
    tg::solvers::implicit_gradient(L, F, tg::solvers::dense_jacobian{}, x, tg::gradient_to(g_dense), lambda);
    CHECK(v == x(25));
    CHECK(g_tri == doctest::Approx(g_dense).epsilon(1e-12));

    double const d = 1e-4;
    double const fd = (8 * (solve(lambda + d)(25) - solve(lambda - d)(25)) - (solve(lambda + 2 * d)(25) - solve(lambda - 2 * d)(25))) / (12 * d);
    CHECK(g_tri == doctest::Approx(fd).epsilon(1e-9));

    // The continuous problem: u(1/2) = 2 log cosh(theta/4), theta = sqrt(2 lambda) cosh(theta/4).
    double t = 1.5;
    for (int k = 0; k < 100; ++k) t -= (t - std::sqrt(2.0) * std::cosh(t / 4)) / (1 - std::sqrt(2.0) / 4 * std::sinh(t / 4));
    double const dtheta = (std::cosh(t / 4) / std::sqrt(2.0)) / (1 - std::sqrt(2.0) * std::sinh(t / 4) / 4);
    double const exact = std::tanh(t / 4) / 2 * dtheta;
    CHECK(std::abs(g_tri - exact) < h * h);  // second order, as the solution itself
    CHECK(std::abs(g_tri - exact) > 1e-3 * h * h);  // (and not by accident the continuous value)
}

TEST_CASE("a loss of the root and of the parameters themselves, with an array parameter (dense route)") {
    // F(x, c) = x^2 + sum(x) - c; L(x, c) = sum(sin(x)) + sum(c^2) / 2 + 3 s.
    auto [x, c, s] = tg::vars<"x", "c", "s">();
    auto const F = x * x + tg::sum(x) - c;  // s unused by F
    auto const L = tg::sum(sin(x)) + 0.5 * tg::sum(c * c) + 3.0 * s;
    Eigen::VectorXd const root = (Eigen::VectorXd(3) << 1.0, 2.0, 3.0).finished();
    Eigen::VectorXd const cv = root.array().square() + root.sum();
    auto solve = [&](Eigen::VectorXd const& cc) {
        Eigen::VectorXd y = root;
        tg::solvers::newton(tight(), F, tg::solvers::dense_jacobian{}, y, cc, 0.5);
        return y;
    };
    auto loss = [&](Eigen::VectorXd const& cc) { return solve(cc).array().sin().sum() + 0.5 * cc.squaredNorm() + 1.5; };
    Eigen::VectorXd gc = Eigen::VectorXd::Constant(3, 99.0);
    double gs = 99.0;
    double const v = tg::solvers::implicit_gradient(L, F, tg::solvers::dense_jacobian{}, root, tg::gradient_to(gc, gs), cv, 0.5);
    CHECK(v == doctest::Approx(loss(cv)).epsilon(1e-14));
    CHECK(gs == doctest::Approx(3.0).epsilon(1e-15));  // s enters L only
    // The closed form: dx/dc = J^-1, so dL/dc = J^-T cos(x) + c.
    Eigen::MatrixXd const J = Eigen::MatrixXd::Ones(3, 3) + Eigen::MatrixXd(2.0 * root.asDiagonal());
    Eigen::VectorXd const closed = J.transpose().partialPivLu().solve(Eigen::VectorXd(root.array().cos())) + cv;
    CHECK((gc - closed).lpNorm<Eigen::Infinity>() < 1e-13);
    for (int k = 0; k < 3; ++k) {
        double const d = 1e-5;
        Eigen::VectorXd p = cv, m = cv;
        p(k) += d;
        m(k) -= d;
        CHECK(gc(k) == doctest::Approx((loss(p) - loss(m)) / (2 * d)).epsilon(1e-8));
    }

    SUBCASE("errors: a sink of the wrong shape, a singular Jacobian; nothing written") {
        Eigen::VectorXd wrong = Eigen::VectorXd::Constant(2, 7.0);
        double g2 = 7.0;
        CHECK_THROWS_WITH_AS(
            tg::solvers::implicit_gradient(L, F, tg::solvers::dense_jacobian{}, root, tg::gradient_to(wrong, g2), cv, 0.5),
            doctest::Contains("has shape (2,), expected (3,)"), std::invalid_argument);
        CHECK((wrong.array() == 7.0).all());
        CHECK(g2 == 7.0);
        Eigen::VectorXd const at = (Eigen::VectorXd(3) << 0.0, 0.0, 1.0).finished();  // J = diag(2x) + 1 1^T: two equal rows
        Eigen::VectorXd g3 = Eigen::VectorXd::Constant(3, 7.0);
        CHECK_THROWS_WITH_AS(
            tg::solvers::implicit_gradient(L, F, tg::solvers::dense_jacobian{}, at, tg::gradient_to(g3, g2), cv, 0.5),
            doctest::Contains("singular"), std::runtime_error);
        CHECK((g3.array() == 7.0).all());
    }
}
