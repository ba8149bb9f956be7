// L-BFGS through LBFGS++ on typegrad losses: a weighted least-squares loss with array
// parameters, whose minimiser is known (x = c); the objective's gradient against differences;
// a wrong gradient size refused before anything is written.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include <typegrad/interop/lbfgspp.hpp>
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

TEST_CASE("L-BFGS minimises a loss with array and number parameters to its known minimiser") {
    auto [x, c, w, s] = tg::vars<"x", "c", "w", "s">();
    // f = s * sum(w (x - c)^2) + sum(log(cosh(x - c))): minimum 0 at x = c, for w, s > 0.
    auto const f = s * tg::sum(w * tg::square(x - c)) + tg::sum(log(cosh(x - c)));
    int const n = 50;
    Eigen::VectorXd cv(n), wv(n), xv = Eigen::VectorXd::Zero(n);
    for (int i = 0; i < n; ++i) {
        cv(i) = std::sin(0.7 * i);
        wv(i) = 1.0 + 0.1 * i;
    }
    tg::lbfgspp::objective obj(f, cv, wv, 2.0);
    Eigen::VectorXd g(n);
    double const v = obj(xv, g);
    double direct = 0;
    for (int i = 0; i < n; ++i) direct += 2.0 * wv(i) * cv(i) * cv(i) + std::log(std::cosh(cv(i)));
    CHECK(v == doctest::Approx(direct).epsilon(1e-14));
    for (int i : {0, 17, 49}) {  // the closed form: 4 w (x - c) + tanh(x - c)
        CHECK(g(i) == doctest::Approx(4.0 * wv(i) * (0 - cv(i)) + std::tanh(0 - cv(i))).epsilon(1e-14));
    }
    CHECK(obj.evaluations == 1);

    LBFGSpp::LBFGSParam<double> param;
    param.epsilon = 1e-10;
    param.epsilon_rel = 0;
    auto const r = tg::lbfgspp::minimize(param, f, xv, cv, wv, 2.0);
    CHECK((xv - cv).lpNorm<Eigen::Infinity>() < 1e-10);
    CHECK(r.value < 1e-18);
    CHECK(r.iterations > 0);
    CHECK(r.evaluations >= r.iterations);

    Eigen::VectorXd short_g = Eigen::VectorXd::Constant(3, 5.0);
    CHECK_THROWS_WITH_AS(obj(xv, short_g),
                         "typegrad::lbfgspp::objective: the gradient has 3 entries, expected 50 (x's size)",
                         std::invalid_argument);
    CHECK((short_g.array() == 5.0).all());
}
