// Bands read off a residual's type (tg::solvers::band_of): the offsets of stencils written
// with compile-time slice bounds, against the dense Jacobian; what has no band is said.
#include <doctest/doctest.h>

#include <cmath>

#include <Eigen/Dense>

#include <typegrad/solvers.hpp>
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;
using namespace tg::literals;
using tg::solvers::detail::stencil_problem;

namespace {
auto const u = tg::named<0, "u">();
auto const lam = tg::named<1, "lambda">();

// Bratu's residual, as examples/bratu_newton.cpp writes it: a 3-point stencil.
auto bratu(double h) {
    auto const first = tg::slice(u, 1_c, 2_c) - 2.0 * tg::slice(u, 0_c, 1_c);
    auto const middle = tg::slice(u, 0_c, tg::end - 2_c) - 2.0 * tg::slice(u, 1_c, tg::end - 1_c) + tg::slice(u, 2_c, tg::end);
    auto const last = tg::slice(u, tg::end - 2_c, tg::end - 1_c) - 2.0 * tg::slice(u, tg::end - 1_c, tg::end);
    return tg::concat(first, middle, last) + (h * h) * lam * exp(u);
}

// Offsets -2, 0 and +1: u_i - 0.1 u_{i-2} + 0.05 u_{i+1} (with u_{i-2} read as u_i in the first two
// rows and u_{i+1} as u_i in the last), plus a point-wise term.
auto lopsided() {
    auto const back = tg::concat(tg::slice(u, 0_c, 2_c), tg::slice(u, 0_c, tg::end - 2_c));
    auto const ahead = tg::concat(tg::slice(u, 1_c, tg::end), tg::slice(u, tg::end - 1_c, tg::end));
    return u + sin(u) * lam - 0.1 * back + 0.05 * ahead;
}
}  // namespace

TEST_CASE("the band of a stencil is read from its type") {
    using B = tg::solvers::stencil_band<decltype(bratu(0.1))>;
    static_assert(B::problem == stencil_problem::none && B::lower == 1 && B::upper == 1);
    using L = tg::solvers::stencil_band<decltype(lopsided())>;
    static_assert(L::problem == stencil_problem::none && L::lower == 2 && L::upper == 1);
    auto const k = tg::solvers::band_of(lopsided());
    CHECK(k.lower == 2);
    CHECK(k.upper == 1);
}

TEST_CASE("what has no band from its type is named") {
    // A reduction of the unknowns: every entry depends on every unknown.
    static_assert(tg::solvers::stencil_band<decltype(u - tg::sum(u))>::problem == stencil_problem::not_a_stencil);
    // Run-time bounds: the offsets are not in the type.
    static_assert(tg::solvers::stencil_band<decltype(tg::concat(tg::slice(u, 1, tg::end), tg::slice(u, 0, 1)))>::problem ==
                  stencil_problem::runtime_bounds);
    // A wrap-around: row 0 reads u_{n-1}.
    using wrap = decltype(u - tg::concat(tg::slice(u, tg::end - 1_c, tg::end), tg::slice(u, 0_c, tg::end - 1_c)));
    static_assert(tg::solvers::stencil_band<wrap>::problem == stencil_problem::moving_offset);
    // One entry short.
    static_assert(tg::solvers::stencil_band<decltype(tg::slice(u, 1_c, tg::end))>::problem == stencil_problem::wrong_length);
    // Parameters only: no dependence, the band (0, 0) of a constant residual.
    static_assert(tg::solvers::stencil_band<decltype(lam * 2.0)>::problem == stencil_problem::none);
}

TEST_CASE("the band read from the type holds the whole dense Jacobian") {
    auto const F = lopsided();
    auto const kind = tg::solvers::band_of(F);
    for (int n : {3, 4, 7, 12}) {
        CAPTURE(n);
        Eigen::VectorXd x(n);
        for (int i = 0; i < n; ++i) x(i) = 0.4 * std::sin(0.7 + i);
        Eigen::MatrixXd const J = tg::solvers::dense_jacobian_of(F, x, 0.8);
        auto sys = tg::solvers::make_system(F, kind, n, 0.8);
        sys.linearise(x);
        auto const& band = sys.jacobian();
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j) {
                CAPTURE(i);
                CAPTURE(j);
                if (j - i < -kind.lower || j - i > kind.upper)
                    CHECK(J(i, j) == 0.0);
                else
                    CHECK(band.bands(i, j - i + kind.lower) == doctest::Approx(J(i, j)).epsilon(1e-14));
            }
    }
}

TEST_CASE("Newton on Bratu with the band from the type matches the tridiagonal route") {
    int const n = 200;
    double const h = 1.0 / (n + 1);
    auto const F = bratu(h);
    Eigen::VectorXd a = Eigen::VectorXd::Zero(n), b = Eigen::VectorXd::Zero(n);
    auto const ra = tg::solvers::newton(F, tg::solvers::band_of(F), a, 1.0);
    auto const rb = tg::solvers::newton(F, tg::solvers::tridiagonal_jacobian{}, b, 1.0);
    CHECK(ra.iterations == rb.iterations);
    CHECK((a - b).lpNorm<Eigen::Infinity>() < 1e-12);
}
