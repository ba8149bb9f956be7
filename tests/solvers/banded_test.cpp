// Banded Jacobians from lower + upper + 1 coloured forward passes: against the dense Jacobian
// for an asymmetric band, the band LU against Eigen's, Newton's root and an implicit gradient
// against the dense route.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include <Eigen/Dense>

#include <typegrad/solvers.hpp>
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

namespace {

// F_i = 6 u_i + sin(u_i) - u_{i-1} + 0.5 u_{i+1} - 2 u_{i+2} - c_i, with u = 0 outside:
// U = concat(zeros(1), u, zeros(2)) and four slices of it. Band: 1 below, 2 above.
auto band_residual() {
    auto [u, c, z1, z2] = tg::vars<"u", "c", "z1", "z2">();
    auto const U = tg::concat(z1, u, z2);
    return 6.0 * tg::slice(U, 1, tg::end - 2) + sin(u) - tg::slice(U, 0, tg::end - 3) +
           0.5 * tg::slice(U, 2, tg::end - 1) - 2.0 * tg::slice(U, 3, tg::end) - c;
}

}  // namespace

TEST_CASE("an asymmetric band (1 below, 2 above) read from 4 coloured passes equals the dense Jacobian") {
    auto const F = band_residual();
    Eigen::VectorXd const z1 = Eigen::VectorXd::Zero(1), z2 = Eigen::VectorXd::Zero(2);
    for (int n : {1, 2, 3, 4, 5, 9, 14}) {
        CAPTURE(n);
        Eigen::VectorXd c(n), x(n);
        for (int i = 0; i < n; ++i) {
            c(i) = std::cos(0.4 * i);
            x(i) = 0.3 * std::sin(1.0 + i);
        }
        Eigen::MatrixXd const J = tg::solvers::dense_jacobian_of(F, x, c, z1, z2);
        auto sys = tg::solvers::make_system(F, tg::solvers::banded_jacobian{.lower = 1, .upper = 2}, n, c, z1, z2);
        sys.linearise(x);
        auto const& B = sys.jacobian();
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j) {
                CHECK(B(i, j) == doctest::Approx(J(i, j)).epsilon(1e-15));
                if (j - i < -1 || j - i > 2) CHECK(J(i, j) == 0.0);  // (the band is really the band)
            }
        Eigen::VectorXd b = c, bt = c;
        sys.solve(b);
        sys.solve_transposed(bt);
        CHECK((b - J.partialPivLu().solve(c)).lpNorm<Eigen::Infinity>() < 1e-14);
        CHECK((bt - J.transpose().partialPivLu().solve(c)).lpNorm<Eigen::Infinity>() < 1e-14);

        Eigen::VectorXd xb = Eigen::VectorXd::Zero(n), xd = Eigen::VectorXd::Zero(n);
        auto const rb = tg::solvers::newton(F, tg::solvers::banded_jacobian{1, 2}, xb, c, z1, z2);
        tg::solvers::newton(F, tg::solvers::dense_jacobian{}, xd, c, z1, z2);
        CHECK(rb.converged);
        CHECK((xb - xd).lpNorm<Eigen::Infinity>() < 1e-13);

        // d sum(u^2) / dc through the root: banded and dense agree.
        auto [u, cc, a1, a2] = tg::vars<"u", "c", "z1", "z2">();
        (void)cc, (void)a1, (void)a2;
        auto const L = tg::sum(u * u);
        Eigen::VectorXd gb(n), gd(n);
        tg::solvers::implicit_gradient(L, F, tg::solvers::banded_jacobian{1, 2}, xb,
                                       tg::gradient_to(gb, tg::skip, tg::skip), c, z1, z2);
        tg::solvers::implicit_gradient(L, F, tg::solvers::dense_jacobian{}, xb, tg::gradient_to(gd, tg::skip, tg::skip),
                                       c, z1, z2);
        CHECK((gb - gd).lpNorm<Eigen::Infinity>() < 1e-13);
    }
    CHECK_THROWS_WITH_AS(tg::solvers::make_system(F, tg::solvers::banded_jacobian{.lower = -1, .upper = 2}, 4, z1, z1, z2),
                         "typegrad::solvers::banded_jacobian: the bandwidths are -1 and 2, expected >= 0",
                         std::invalid_argument);
}

TEST_CASE("the band LU reports a zero pivot as a singular Jacobian") {
    auto [u] = tg::vars<"u">();
    auto const F = u * u + 1.0;  // J = diag(2u): singular at u = 0
    Eigen::VectorXd x = Eigen::VectorXd::Zero(4);
    CHECK_THROWS_WITH_AS(tg::solvers::newton(F, tg::solvers::banded_jacobian{2, 0}, x),
                         doctest::Contains("the banded Jacobian is singular to working precision: pivot 0 of 4"),
                         tg::solvers::newton_error);
}
