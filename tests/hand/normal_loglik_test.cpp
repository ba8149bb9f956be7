// benchmarks/hand/normal_loglik.hpp: value against the sum as written, gradient against
// central differences, and the maximum-likelihood closed forms (zero gradient there).
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <numbers>
#include <vector>

#include "benchmarks/hand/normal_loglik.hpp"
#include "hand/central_difference.hpp"
#include "support/finite_difference.hpp"

TEST_CASE("hand normal log-likelihood: value and gradient against the sum and central differences") {
    for (std::size_t n : {1u, 2u, 7u, 1024u, 1027u}) {
        CAPTURE(n);
        auto const d = hand_test::uniform_vector(n, -2, 5, "normal data");
        std::vector<double> p{0.7, 1.9};  // mu, sigma
        auto const r = hand::normal_loglik_gradient(d.data(), n, p[0], p[1]);
        CHECK(typegrad_test::close(r.value, hand::normal_loglik(d.data(), n, p[0], p[1]), 1e-13));
        auto L = [&] { return hand::normal_loglik(d.data(), n, p[0], p[1]); };
        CHECK(typegrad_test::close(r.d_mu, hand_test::central_difference(L, p, 0), 1e-9));
        CHECK(typegrad_test::close(r.d_sigma, hand_test::central_difference(L, p, 1), 1e-9));
    }
}

TEST_CASE("hand normal log-likelihood: zero gradient at the maximum-likelihood estimates") {
    auto const d = hand_test::uniform_vector(1024, -2, 5, "normal mle");
    double mean = 0;
    for (double v : d) mean += v;
    mean /= 1024;
    double var = 0;
    for (double v : d) var += (v - mean) * (v - mean);
    var /= 1024;
    auto const r = hand::normal_loglik_gradient(d.data(), d.size(), mean, std::sqrt(var));
    CHECK(std::abs(r.d_mu) < 1e-11);
    CHECK(std::abs(r.d_sigma) < 1e-11);
    // At the estimates, L = -n/2 (log(2 pi var) + 1).
    CHECK(r.value == doctest::Approx(-512.0 * (std::log(2 * std::numbers::pi * var) + 1)).epsilon(1e-14));
}
