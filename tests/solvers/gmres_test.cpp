// Matrix-free Newton (GMRES on forward-mode products) and the reverse-mode transposed product,
// against the dense Jacobian and the tridiagonal route.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include <Eigen/Dense>

#include <typegrad/solvers.hpp>
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;
using namespace typegrad::literals;

TEST_CASE("J^T w by one reverse pass equals the dense Jacobian's transpose times w") {
    auto [x, c] = tg::vars<"x", "c">();
    auto const F = x * x * tg::sum(sin(x)) + tg::slice(tg::concat(x, x), 1, 6) * c;  // dense J, rotated rows
    Eigen::VectorXd const at = (Eigen::VectorXd(5) << 0.3, -0.7, 1.1, 0.2, -0.4).finished();
    Eigen::VectorXd const w = (Eigen::VectorXd(5) << 1.0, -2.0, 0.5, 3.0, -1.5).finished();
    Eigen::MatrixXd const J = tg::solvers::dense_jacobian_of(F, at, 2.0);
    auto sys = tg::solvers::make_system(F, tg::solvers::gmres_jacobian{}, 5, 2.0);
    Eigen::VectorXd out(5), jv(5);
    sys.vjp(at, w, out);
    CHECK((out - J.transpose() * w).lpNorm<Eigen::Infinity>() < 1e-14);
    sys.jvp(at, w, jv);
    CHECK((jv - J * w).lpNorm<Eigen::Infinity>() < 1e-14);
    Eigen::VectorXd wrong(4);
    CHECK_THROWS_WITH_AS(sys.vjp(at, wrong, out),
                         "typegrad::solvers::system: a vector has 4 entries, expected 5 (the number of unknowns)",
                         std::invalid_argument);

    SUBCASE("GMRES solves with J and J^T agree with LU") {
        sys.linearise(at);
        Eigen::VectorXd b = w;
        sys.solve(b);
        CHECK((b - J.partialPivLu().solve(w)).lpNorm<Eigen::Infinity>() < 1e-10);
        Eigen::VectorXd bt = w;
        sys.solve_transposed(bt);
        CHECK((bt - J.transpose().partialPivLu().solve(w)).lpNorm<Eigen::Infinity>() < 1e-10);
    }
}

TEST_CASE("matrix-free Newton on Bratu's problem: the tridiagonal route's root and implicit gradient") {
    int const n = 63;
    double const h = 1.0 / (n + 1);
    auto [u, lam] = tg::vars<"u", "lambda">();
    auto const F = tg::concat(tg::slice(u, 1_c, 2_c) - 2.0 * tg::slice(u, 0_c, 1_c),
                              tg::slice(u, 0_c, tg::end - 2_c) - 2.0 * tg::slice(u, 1_c, tg::end - 1_c) +
                                  tg::slice(u, 2_c, tg::end),
                              tg::slice(u, tg::end - 2_c, tg::end - 1_c) - 2.0 * tg::slice(u, tg::end - 1_c, tg::end)) +
                   (h * h) * lam * exp(u);
    Eigen::VectorXd a = Eigen::VectorXd::Zero(n), b = Eigen::VectorXd::Zero(n);
    auto const ra = tg::solvers::newton(F, tg::solvers::tridiagonal_jacobian{}, a, 1.0);
    tg::solvers::gmres_jacobian g;
    g.restart = n;  // unpreconditioned GMRES on a Laplacian: restarts stall
    auto const rb = tg::solvers::newton(F, g, b, 1.0);
    CHECK(rb.converged);
    CHECK(rb.iterations == ra.iterations);
    CHECK((a - b).lpNorm<Eigen::Infinity>() < 1e-10);

    auto const L = tg::sum(tg::slice(u, 31, 32));
    double ga = 0, gb = 0;
    tg::solvers::implicit_gradient(L, F, tg::solvers::tridiagonal_jacobian{}, a, tg::gradient_to(ga), 1.0);
    tg::solvers::implicit_gradient(L, F, g, a, tg::gradient_to(gb), 1.0);
    CHECK(gb == doctest::Approx(ga).epsilon(1e-9));

    SUBCASE("a GMRES that cannot converge is reported, with Newton's history") {
        tg::solvers::gmres_jacobian weak;
        weak.restart = 2;
        weak.max_iterations = 3;
        Eigen::VectorXd c = Eigen::VectorXd::Zero(n);
        try {
            tg::solvers::newton(F, weak, c, 1.0);
            FAIL("expected an error");
        } catch (tg::solvers::newton_error const& e) {
            CHECK(std::string(e.what()).find("GMRES did not reach its tolerance") != std::string::npos);
            CHECK(e.result.residual_norms.size() == 1);
        }
    }
}
