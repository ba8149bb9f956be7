// benchmarks/hand/logistic_nll.hpp: the three versions against each other, the naive
// cross-entropy, central differences and the closed form at w = 0; stable for huge z.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <numbers>
#include <vector>

#include "benchmarks/hand/logistic_nll.hpp"
#include "hand/central_difference.hpp"
#include "support/finite_difference.hpp"

namespace {
struct problem {
    std::size_t n, k;
    std::vector<double> X, t, w;
};
problem make(std::size_t n, std::size_t k, double w_scale) {
    problem p{n, k, hand_test::uniform_vector(n * k, -1, 1, "lr X"), hand_test::uniform_vector(n, 0, 1, "lr t"),
              hand_test::uniform_vector(k, -w_scale, w_scale, "lr w")};
    for (double& v : p.t) v = v < 0.4 ? 0.0 : 1.0;
    return p;
}

template <class Dense>
void check_versions(problem p) {
    std::vector<double> z(p.n), g(p.k), gf(p.k);
    double const L = hand::logistic_nll_gradient<Dense>(p.X.data(), p.t.data(), p.w.data(), p.n, p.k, z.data(), g.data());
    double const Lf = hand::logistic_nll_gradient_fused(p.X.data(), p.t.data(), p.w.data(), p.n, p.k, gf.data());
    CHECK(typegrad_test::close(L, Lf, 1e-13));
    CHECK(typegrad_test::close(L, hand::logistic_nll(p.X.data(), p.t.data(), p.w.data(), p.n, p.k), 1e-13));
    // The naive cross-entropy, -sum t log s + (1 - t) log(1 - s), fine at moderate z.
    double naive = 0;
    for (std::size_t i = 0; i < p.n; ++i) {
        double z_i = 0;
        for (std::size_t j = 0; j < p.k; ++j) z_i += p.X[i * p.k + j] * p.w[j];
        double const s = 1 / (1 + std::exp(-z_i));
        naive -= p.t[i] * std::log(s) + (1 - p.t[i]) * std::log(1 - s);
    }
    CHECK(typegrad_test::close(L, naive, 1e-12));
    for (std::size_t j = 0; j < p.k; ++j) {
        CAPTURE(j);
        double const fd = hand_test::central_difference(
            [&] { return hand::logistic_nll(p.X.data(), p.t.data(), p.w.data(), p.n, p.k); }, p.w, j);
        CHECK(typegrad_test::close(g[j], fd, 1e-9));
        CHECK(typegrad_test::close(gf[j], g[j], 1e-12));
    }
}
}  // namespace

TEST_CASE("hand logistic NLL: two gemv (loops), one pass and the value agree with central differences") {
    check_versions<hand::loops>(make(37, 5, 1.0));
    check_versions<hand::loops>(make(200, 13, 3.0));
}

#if defined(TYPEGRAD_HAND_CBLAS)
TEST_CASE("hand logistic NLL: two gemv (cblas) agree with central differences") {
    check_versions<hand::cblas>(make(37, 5, 1.0));
    check_versions<hand::cblas>(make(200, 13, 3.0));
}
#endif

TEST_CASE("hand logistic NLL: closed form at w = 0 and no overflow at huge z") {
    auto p = make(50, 4, 1.0);
    p.w.assign(p.k, 0.0);
    std::vector<double> z(p.n), g(p.k);
    double const L = hand::logistic_nll_gradient(p.X.data(), p.t.data(), p.w.data(), p.n, p.k, z.data(), g.data());
    CHECK(L == doctest::Approx(50 * std::numbers::ln2).epsilon(1e-15));  // softplus(0) = log 2
    for (std::size_t j = 0; j < p.k; ++j) {
        double want = 0;  // X^T (1/2 - t)
        for (std::size_t i = 0; i < p.n; ++i) want += p.X[i * p.k + j] * (0.5 - p.t[i]);
        CHECK(g[j] == doctest::Approx(want).epsilon(1e-14));
    }
    // z = +-800: softplus(800) - 800 = 0 for t = 1 and softplus(-800) = 0 for t = 0, exactly.
    std::vector<double> X{800.0, -800.0}, t{1.0, 0.0}, w{1.0}, z2(2), g2(1);
    CHECK(hand::logistic_nll_gradient(X.data(), t.data(), w.data(), 2, 1, z2.data(), g2.data()) == 0.0);
    CHECK(g2[0] == 0.0);
    // t = 0 at z = 800: L = 800, gradient = 800 * (1 - 0).
    t = {0.0, 0.0};
    CHECK(hand::logistic_nll_gradient(X.data(), t.data(), w.data(), 2, 1, z2.data(), g2.data()) == 800.0);
    CHECK(g2[0] == 800.0);
}
