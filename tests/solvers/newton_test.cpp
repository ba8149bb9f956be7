// Newton's method on array programs: the coloured tridiagonal Jacobian against its closed form
// and against the dense one, the Thomas solve against Eigen's LU, roots against known roots,
// Bratu's discretisation error against the exact solution (second order), and the errors.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include <Eigen/Dense>

#include <typegrad/solvers.hpp>
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;
using namespace typegrad::literals;

namespace {

// Bratu's residual on the interior points (u = 0 at both ends), times h^2:
// F_i = u_{i-1} - 2 u_i + u_{i+1} + h^2 lambda e^{u_i}.
auto bratu_residual(double h) {
    auto [u, lam] = tg::vars<"u", "lambda">();
    auto first = tg::slice(u, 1_c, 2_c) - 2.0 * tg::slice(u, 0_c, 1_c);
    auto middle = tg::slice(u, 0_c, tg::end - 2_c) - 2.0 * tg::slice(u, 1_c, tg::end - 1_c) + tg::slice(u, 2_c, tg::end);
    auto last = tg::slice(u, tg::end - 2_c, tg::end - 1_c) - 2.0 * tg::slice(u, tg::end - 1_c, tg::end);
    return tg::concat(first, middle, last) + (h * h) * lam * exp(u);
}

// The lower-branch solution of u'' + lambda e^u = 0, u(0) = u(1) = 0, for lambda = 1:
// u(x) = -2 log(cosh((x - 1/2) theta / 2) / cosh(theta / 4)), theta = sqrt(2) cosh(theta / 4).
double bratu_theta() {
    double t = 1.5;
    for (int k = 0; k < 100; ++k) t -= (t - std::sqrt(2.0) * std::cosh(t / 4)) / (1 - std::sqrt(2.0) / 4 * std::sinh(t / 4));
    return t;
}
double bratu_exact(double x, double theta) { return -2 * std::log(std::cosh((x - 0.5) * theta / 2) / std::cosh(theta / 4)); }

}  // namespace

TEST_CASE("the coloured tridiagonal Jacobian of a 3-point stencil is the closed form, for every size") {
    for (int n : {2, 3, 4, 5, 7, 12}) {
        CAPTURE(n);
        double const h = 1.0 / (n + 1), lam = 0.7;
        auto const F = bratu_residual(h);
        Eigen::VectorXd u(n);
        for (int i = 0; i < n; ++i) u(i) = std::sin(1.0 + i);
        auto const A = tg::solvers::tridiagonal_jacobian_of(F, u, lam);
        for (int i = 0; i < n; ++i) {
            CHECK(A.diagonal(i) == doctest::Approx(-2 + h * h * lam * std::exp(u(i))).epsilon(1e-14));
            CHECK(A.lower(i) == (i > 0 ? 1.0 : 0.0));
            CHECK(A.upper(i) == (i + 1 < n ? 1.0 : 0.0));
        }
        // The dense Jacobian (one pass per column) agrees, and holds nothing outside the band.
        Eigen::MatrixXd const J = tg::solvers::dense_jacobian_of(F, u, lam);
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j) {
                double const band = j == i ? A.diagonal(i) : j == i - 1 ? A.lower(i) : j == i + 1 ? A.upper(i) : 0.0;
                CHECK(J(i, j) == doctest::Approx(band).epsilon(1e-14));
            }
    }
}

TEST_CASE("Thomas solves agree with Eigen's LU, transposed too, a singular matrix is refused untouched") {
    int const n = 9;
    tg::solvers::tridiagonal_matrix A(n);
    Eigen::MatrixXd D = Eigen::MatrixXd::Zero(n, n);
    for (int i = 0; i < n; ++i) {
        A.diagonal(i) = 4.0 + 0.1 * i;
        D(i, i) = A.diagonal(i);
        if (i > 0) D(i, i - 1) = A.lower(i) = -1.0 + 0.05 * i;
        if (i + 1 < n) D(i, i + 1) = A.upper(i) = 0.5 - 0.1 * i;
    }
    Eigen::VectorXd b(n), scratch(n);
    for (int i = 0; i < n; ++i) b(i) = std::cos(0.3 * i);
    Eigen::VectorXd x = b;
    tg::solvers::thomas_solve(A, x, scratch);
    CHECK((x - D.partialPivLu().solve(b)).lpNorm<Eigen::Infinity>() < 1e-14);
    Eigen::VectorXd y = b;
    tg::solvers::thomas_solve_transposed(A, y, scratch);
    CHECK((y - D.transpose().partialPivLu().solve(b)).lpNorm<Eigen::Infinity>() < 1e-14);
    Eigen::VectorXd Ax(n);
    A.multiply(x, Ax);
    CHECK((Ax - b).lpNorm<Eigen::Infinity>() < 1e-14);

    // [[1, 1], [1, 1]]: the second pivot is 0.
    tg::solvers::tridiagonal_matrix S(2);
    S.diagonal << 1.0, 1.0;
    S.lower(1) = 1.0;
    S.upper(0) = 1.0;
    Eigen::VectorXd c(2), s2(2);
    c << 1.0, 2.0;
    CHECK_THROWS_WITH_AS(tg::solvers::thomas_solve(S, c, s2),
                         doctest::Contains("singular to working precision: pivot 1 of 2"), std::runtime_error);
    CHECK(c(0) == 1.0);
    CHECK(c(1) == 2.0);
    Eigen::VectorXd wrong(3);
    CHECK_THROWS_WITH_AS(tg::solvers::thomas_solve(S, wrong, s2), "typegrad::solvers::thomas_solve: the right-hand side has 3 entries and the scratch 2, expected 2 (the matrix's size) for both", std::invalid_argument);
}

TEST_CASE("Newton with a dense Jacobian finds a known root of a coupled system") {
    // F(x) = x^2 + sum(x) - c, with c made from the root (1, 2, 3): J = diag(2x) + ones.
    auto [x, c] = tg::vars<"x", "c">();
    auto const F = x * x + tg::sum(x) - c;
    Eigen::VectorXd const root = (Eigen::VectorXd(3) << 1.0, 2.0, 3.0).finished();
    Eigen::VectorXd const cv = root.array().square() + root.sum();
    Eigen::VectorXd x0 = (Eigen::VectorXd(3) << 1.5, 1.5, 2.5).finished();

    Eigen::MatrixXd const J = tg::solvers::dense_jacobian_of(F, x0, cv);
    Eigen::MatrixXd const closed = Eigen::MatrixXd::Ones(3, 3) + Eigen::MatrixXd(2.0 * x0.asDiagonal());
    CHECK((J - closed).lpNorm<Eigen::Infinity>() < 1e-15);

    auto const r = tg::solvers::newton(F, tg::solvers::dense_jacobian{}, x0, cv);
    CHECK(r.converged);
    CHECK((x0 - root).lpNorm<Eigen::Infinity>() < 1e-12);
    CHECK(r.residual_norms.size() == static_cast<std::size_t>(r.iterations) + 1);
    CHECK(r.iterations <= 8);
    // Quadratic convergence: the last full steps square the residual (roughly).
    for (std::size_t k = 1; k < r.residual_norms.size(); ++k) CHECK(r.residual_norms[k] < r.residual_norms[k - 1]);

    SUBCASE("one equation, through the tridiagonal route") {
        Eigen::VectorXd one(1);
        one << 3.0;
        Eigen::VectorXd c1(1);
        c1 << 2.0;  // x^2 + x - 2 = 0: roots 1 and -2; from 3 the iteration reaches 1
        auto const r1 = tg::solvers::newton(F, tg::solvers::tridiagonal_jacobian{}, one, c1);
        CHECK(std::abs(one(0) - 1.0) < 1e-9);  // |F| <= 1e-10 |F(x0)| = 1e-9, J = 3 at the root
        CHECK(r1.residual_norms.back() <= 1e-10 * r1.residual_norms.front());
        CHECK(r1.iterations <= 7);
    }
}

TEST_CASE("the backtracking line search rescues a Newton step that overshoots") {
    // atan(x) = 0 from x0 = 3: the full Newton step goes to about -9.5 and diverges without damping.
    auto [x] = tg::vars<"x">();
    auto const F = atan(x) * 1.0;
    Eigen::VectorXd x0(1);
    x0 << 3.0;
    auto const r = tg::solvers::newton(F, tg::solvers::dense_jacobian{}, x0);
    CHECK(r.converged);
    CHECK(std::abs(x0(0)) < 1e-10);
    CHECK(r.step_lengths.front() < 1.0);  // the first step was shortened
    CHECK(r.step_lengths.back() == 1.0);  // the last ones are full Newton steps
}

TEST_CASE("Bratu's problem: the discrete solution is second-order accurate against the exact one") {
    double const theta = bratu_theta();
    CHECK(theta == doctest::Approx(1.5171645990507543685).epsilon(1e-15));
    double err[2];
    int const sizes[2] = {99, 199};  // odd: x = 1/2 is a grid point
    for (int k = 0; k < 2; ++k) {
        int const n = sizes[k];
        double const h = 1.0 / (n + 1);
        Eigen::VectorXd u = Eigen::VectorXd::Zero(n);
        auto const r = tg::solvers::newton(bratu_residual(h), tg::solvers::tridiagonal_jacobian{}, u, 1.0);
        CHECK(r.converged);
        CHECK(r.iterations <= 6);
        err[k] = 0;
        for (int i = 0; i < n; ++i) err[k] = std::max(err[k], std::abs(u(i) - bratu_exact((i + 1) * h, theta)));
        CHECK(std::abs(u(n / 2) - bratu_exact(0.5, theta)) < 1e-4);
    }
    CHECK(err[0] / err[1] == doctest::Approx(4.0).epsilon(0.02));  // h halves, the error falls 4-fold
}

TEST_CASE("Newton's errors: singular Jacobians, no convergence, wrong sizes before anything is written") {
    auto [x, c] = tg::vars<"x", "c">();
    SUBCASE("a singular Jacobian at the start: x^2 + 1 at x = 0") {
        auto const F = x * x + 1.0;
        Eigen::VectorXd x0 = Eigen::VectorXd::Zero(2);
        try {
            tg::solvers::newton(F, tg::solvers::dense_jacobian{}, x0);
            FAIL("expected an error");
        } catch (tg::solvers::newton_error const& e) {
            CHECK(std::string(e.what()).find("the Jacobian is singular to working precision") != std::string::npos);
            CHECK(std::string(e.what()).find("(at iteration 1, |F|_2 = 1.41421)") != std::string::npos);
            CHECK(e.result.residual_norms.size() == 1);
        }
        CHECK_THROWS_WITH_AS(tg::solvers::newton(F, tg::solvers::tridiagonal_jacobian{}, x0),
                             doctest::Contains("the tridiagonal matrix is singular"), std::runtime_error);
        CHECK(x0.isZero());
    }
    SUBCASE("no real root: x^2 + 1 from x = 1 fails, by the line search or the iteration count") {
        auto const F = x * x + 1.0;
        Eigen::VectorXd x0 = Eigen::VectorXd::Ones(1);
        CHECK_THROWS_AS(tg::solvers::newton(F, tg::solvers::dense_jacobian{}, x0), tg::solvers::newton_error);
        tg::solvers::newton_options o;
        o.max_iterations = 2;
        auto const G = x * x * x - 2.0;  // a simple root, but 2 iterations from 10 are not enough
        Eigen::VectorXd y0 = Eigen::VectorXd::Constant(1, 10.0);
        CHECK_THROWS_WITH_AS(tg::solvers::newton(o, G, tg::solvers::dense_jacobian{}, y0),
                             doctest::Contains("no convergence in 2 iterations: |F|_2 = "), tg::solvers::newton_error);
    }
    SUBCASE("wrong sizes: a residual of another size, a parameter that does not broadcast") {
        Eigen::VectorXd x0 = Eigen::VectorXd::Constant(3, 0.5);
        auto const shorter = tg::slice(x, 1, tg::end) * 2.0;
        CHECK_THROWS_WITH_AS(tg::solvers::newton(shorter, tg::solvers::dense_jacobian{}, x0),
                             doctest::Contains("output 0 has shape (3,), expected (2,)"), std::invalid_argument);
        Eigen::VectorXd c2 = Eigen::VectorXd::Ones(2);
        CHECK_THROWS_AS(tg::solvers::newton(x * x - c, tg::solvers::tridiagonal_jacobian{}, x0, c2),
                        std::invalid_argument);
        CHECK((x0.array() == 0.5).all());
        tg::solvers::newton_options o;
        o.sufficient_decrease = 0.7;
        CHECK_THROWS_WITH_AS(tg::solvers::newton(o, x * x - c, tg::solvers::dense_jacobian{}, x0, x0),
                             "typegrad::solvers::newton: sufficient_decrease is 0.7, expected in (0, 0.5)",
                             std::invalid_argument);
    }
}
