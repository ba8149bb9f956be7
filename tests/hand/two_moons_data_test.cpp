// examples/support/two_moons.hpp: counts per label, noiseless points on their half circles
// with t evenly spaced on [0, pi], shuffling, noise of the asked size, determinism.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <vector>

#include "examples/support/two_moons.hpp"

TEST_CASE("two moons: n / 2 outer points with label 0, the rest inner with label 1") {
    for (std::size_t n : {0u, 1u, 2u, 7u, 500u, 501u}) {
        CAPTURE(n);
        auto const d = example_data::make_two_moons(n, 0.1, 1);
        REQUIRE(d.size() == n);
        REQUIRE(d.X.size() == 2 * n);
        auto const zeros = static_cast<std::size_t>(std::count(d.labels.begin(), d.labels.end(), 0.0));
        auto const ones = static_cast<std::size_t>(std::count(d.labels.begin(), d.labels.end(), 1.0));
        CHECK(zeros == n / 2);
        CHECK(ones == n - n / 2);
    }
}

TEST_CASE("two moons: without noise, each point lies on its half circle, t evenly spaced from 0 to pi") {
    std::size_t const n = 501;  // 250 outer, 251 inner
    auto const d = example_data::make_two_moons(n, 0.0, 5);
    std::vector<double> t_outer, t_inner;
    for (std::size_t i = 0; i < n; ++i) {
        double const x = d.X[2 * i], y = d.X[2 * i + 1];
        if (d.labels[i] == 0.0) {  // (cos t, sin t)
            CHECK(x * x + y * y == doctest::Approx(1.0).epsilon(1e-14));
            CHECK(y >= 0.0);
            t_outer.push_back(std::atan2(y, x));
        } else {  // (1 - cos t, 1 - sin t - 0.5): centre (1, 0.5), lower half
            CHECK((x - 1) * (x - 1) + (y - 0.5) * (y - 0.5) == doctest::Approx(1.0).epsilon(1e-14));
            CHECK(y <= 0.5);
            t_inner.push_back(std::atan2(0.5 - y, 1 - x));
        }
    }
    for (auto* ts : {&t_outer, &t_inner}) {
        std::sort(ts->begin(), ts->end());
        double const step = std::numbers::pi / static_cast<double>(ts->size() - 1);
        for (std::size_t i = 0; i < ts->size(); ++i)
            CHECK((*ts)[i] == doctest::Approx(static_cast<double>(i) * step).epsilon(1e-12).scale(1.0));
    }
    CHECK(t_outer.size() == 250);
    CHECK(t_inner.size() == 251);
}

TEST_CASE("two moons: shuffled, with noise of the given standard deviation on each coordinate") {
    auto const clean = example_data::make_two_moons(2000, 0.0, 9);
    auto const noisy = example_data::make_two_moons(2000, 0.1, 9);
    // The same seed shuffles the same way; the noise is drawn after the shuffle.
    CHECK(clean.labels == noisy.labels);
    // Not left in generation order: the first half holds both labels.
    auto const first_half_ones = std::count(clean.labels.begin(), clean.labels.begin() + 1000, 1.0);
    CHECK(first_half_ones > 400);
    CHECK(first_half_ones < 600);
    double sum = 0, sq = 0;
    for (std::size_t i = 0; i < clean.X.size(); ++i) {
        double const e = noisy.X[i] - clean.X[i];
        sum += e;
        sq += e * e;
    }
    double const m = sum / 4000, sd = std::sqrt(sq / 4000 - m * m);
    CHECK(std::abs(m) < 0.01);             // standard error 0.0016
    CHECK(std::abs(sd - 0.1) < 0.005);     // standard error about 0.0011
}

TEST_CASE("two moons: the same seed gives the same data, another seed other data") {
    auto const a = example_data::make_two_moons(500, 0.1, 42);
    auto const b = example_data::make_two_moons(500, 0.1, 42);
    auto const c = example_data::make_two_moons(500, 0.1, 43);
    CHECK(a.X == b.X);
    CHECK(a.labels == b.labels);
    CHECK(a.X != c.X);
}
