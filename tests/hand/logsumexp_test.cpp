// benchmarks/hand/logsumexp.hpp: value and softmax gradient against closed forms,
// the naive formula, and central differences; stable where the naive one overflows.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <vector>

#include "benchmarks/hand/logsumexp.hpp"
#include "hand/central_difference.hpp"
#include "support/finite_difference.hpp"

TEST_CASE("hand log-sum-exp: closed forms (equal entries, two entries, huge entries)") {
    for (std::size_t n : {1u, 3u, 8u, 17u, 1024u}) {
        CAPTURE(n);
        std::vector<double> x(n, 2.5), g(n);
        CHECK(hand::logsumexp_gradient(x.data(), n, g.data()) ==
              doctest::Approx(2.5 + std::log(static_cast<double>(n))).epsilon(1e-15));
        for (double v : g) CHECK(v == doctest::Approx(1.0 / static_cast<double>(n)).epsilon(1e-15));
    }
    std::vector<double> x{0.3, -1.2}, g(2);
    double const want = std::log(std::exp(0.3) + std::exp(-1.2));
    CHECK(hand::logsumexp_gradient(x.data(), 2, g.data()) == doctest::Approx(want).epsilon(1e-15));
    CHECK(g[0] == doctest::Approx(std::exp(0.3 - want)).epsilon(1e-15));
    CHECK(g[1] == doctest::Approx(std::exp(-1.2 - want)).epsilon(1e-15));
    // exp(1000) overflows; lse does not: 1000 + log(1 + e^-1).
    std::vector<double> big{1000.0, 999.0}, gb(2), scratch(2);
    CHECK(hand::logsumexp(big.data(), 2, scratch.data()) == doctest::Approx(1000.0 + std::log1p(std::exp(-1.0))));
    hand::logsumexp_gradient(big.data(), 2, gb.data());
    CHECK(gb[0] == doctest::Approx(1.0 / (1.0 + std::exp(-1.0))).epsilon(1e-15));
}

TEST_CASE("hand log-sum-exp: every length's remainder, against the naive sum and central differences") {
    for (std::size_t n = 1; n <= 35; ++n) {
        CAPTURE(n);
        auto x = hand_test::uniform_vector(n, -3, 3, "lse");
        std::vector<double> g(n), scratch(n);
        double naive = 0;
        for (double v : x) naive += std::exp(v);
        double const L = hand::logsumexp_gradient(x.data(), n, g.data());
        CHECK(typegrad_test::close(L, std::log(naive), 1e-14));
        CHECK(hand::logsumexp(x.data(), n, scratch.data()) == L);
        double sum = 0;
        for (std::size_t i = 0; i < n; ++i) {
            sum += g[i];
            double const fd = hand_test::central_difference(
                [&] { return hand::logsumexp(x.data(), n, scratch.data()); }, x, i);
            CHECK(typegrad_test::close(g[i], fd, 1e-9));
        }
        CHECK(sum == doctest::Approx(1.0).epsilon(1e-14));
    }
}

TEST_CASE("hand log-sum-exp: the maximum may sit anywhere, and ties are harmless") {
    std::vector<double> x(13, -1.0), g(13), scratch(13);
    for (std::size_t at = 0; at < 13; ++at) {
        x.assign(13, -1.0);
        x[at] = 5.0;
        double const want = 5.0 + std::log1p(12.0 * std::exp(-6.0));
        CHECK(hand::logsumexp(x.data(), 13, scratch.data()) == doctest::Approx(want).epsilon(1e-15));
    }
    x.assign(13, 7.0);
    CHECK(hand::logsumexp_gradient(x.data(), 13, g.data()) == doctest::Approx(7.0 + std::log(13.0)).epsilon(1e-15));
}
