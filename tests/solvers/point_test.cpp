// Small systems of scalar expressions at fixed-size Eigen vectors: a root and its implicit
// gradient against closed forms and against differences of whole Newton solves.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include <Eigen/Dense>

#include <typegrad/solvers.hpp>
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

TEST_CASE("a circle meets a line: the root and d(x1 + x2 + r)/d(r, s) in closed form") {
    // x1^2 + x2^2 = r, x1 = s x2: x2 = sqrt(r / (1 + s^2)), x1 = s x2.
    auto [x1, x2, r, s] = tg::vars<"x1", "x2", "r", "s">();
    auto const F = tg::outputs(x1 * x1 + x2 * x2 - r, x1 - s * x2);
    auto const L = x1 + x2 + r;
    Eigen::Vector2d x(1.0, 1.0);
    Eigen::Vector2d const p(4.0, 0.5);
    auto const res = tg::solvers::newton(F, x, p);
    double const X2 = std::sqrt(4.0 / 1.25), X1 = 0.5 * X2;
    CHECK(res.converged);
    CHECK(res.iterations <= 8);
    CHECK(std::abs(x(0) - X1) < 1e-12);
    CHECK(std::abs(x(1) - X2) < 1e-12);

    auto const g = tg::solvers::implicit_gradient(L, F, x, p);
    CHECK(g.value == doctest::Approx(X1 + X2 + 4.0).epsilon(1e-14));
    // L = (1 + s) sqrt(r / (1 + s^2)) + r.
    double const rr = 4.0, ss = 0.5, q = std::sqrt(rr / (1 + ss * ss));
    double const dr = (1 + ss) * q / (2 * rr) + 1.0;
    double const ds = q - (1 + ss) * q * ss / (1 + ss * ss);
    CHECK(g.gradient(0) == doctest::Approx(dr).epsilon(1e-12));
    CHECK(g.gradient(1) == doctest::Approx(ds).epsilon(1e-12));

    // Against central differences of two Newton solves each.
    auto solved = [&](Eigen::Vector2d const& pp) {
        Eigen::Vector2d y(1.0, 1.0);
        tg::solvers::newton(F, y, pp);
        return y(0) + y(1) + pp(0);
    };
    double const d = 1e-6;
    CHECK(g.gradient(0) == doctest::Approx((solved({rr + d, ss}) - solved({rr - d, ss})) / (2 * d)).epsilon(1e-8));
    CHECK(g.gradient(1) == doctest::Approx((solved({rr, ss + d}) - solved({rr, ss - d})) / (2 * d)).epsilon(1e-8));
}

TEST_CASE("small systems without parameters, and their errors") {
    auto [a, b] = tg::vars<"a", "b">();
    // Rosenbrock's residuals (10 (b - a^2), 1 - a) from (-1.2, 1): the full first step (to
    // (1, -3.84)) raises |F| from 4.9 to 48.4, so the line search damps it (undamped Newton would
    // land on (1, 1) in two steps); the root is reached all the same.
    auto const G = tg::outputs(10.0 * (b - a * a), 1.0 - a);
    Eigen::Vector2d x(-1.2, 1.0);
    auto const r = tg::solvers::newton(G, x);
    CHECK(r.converged);
    CHECK(r.step_lengths.front() < 1.0);
    CHECK(r.step_lengths.back() == 1.0);
    CHECK((x - Eigen::Vector2d(1.0, 1.0)).lpNorm<Eigen::Infinity>() < 1e-12);

    auto const S = tg::outputs(a + b - 1.0, 2.0 * a + 2.0 * b - 3.0);  // parallel lines: J singular everywhere
    Eigen::Vector2d y(0.0, 0.0);
    CHECK_THROWS_WITH_AS(tg::solvers::newton(S, y), doctest::Contains("the Jacobian is singular to working precision"),
                         tg::solvers::newton_error);
    CHECK(y.isZero());
}
