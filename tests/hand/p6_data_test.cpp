// examples/support/p6_data.hpp and portable_random.hpp: shapes, standard normal moments,
// determinism, and indices in range.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

#include "examples/support/p6_data.hpp"

namespace {
void check_standard_normal(std::vector<double> const& v, double tol_mean, double tol_var) {
    double sum = 0, sq = 0;
    for (double e : v) sum += e;
    double const m = sum / static_cast<double>(v.size());
    for (double e : v) sq += (e - m) * (e - m);
    double const var = sq / static_cast<double>(v.size());
    CHECK(std::abs(m) < tol_mean);
    CHECK(std::abs(var - 1) < tol_var);
}
}  // namespace

TEST_CASE("P6 data: 1000 x 100 inputs, 1000 targets, 100 x 10 / 10 / 10 / 1 weights, standard normal") {
    auto const p = example_data::make_p6_problem(2024);
    CHECK(p.rows == 1000);
    CHECK(p.inputs == 100);
    CHECK(p.hidden == 10);
    CHECK(p.X.size() == 100000);
    CHECK(p.y.size() == 1000);
    CHECK(p.W1.size() == 1000);
    CHECK(p.b1.size() == 10);
    CHECK(p.W2.size() == 10);
    CHECK(p.b2.size() == 1);
    check_standard_normal(p.X, 0.015, 0.02);  // 1e5 draws: standard errors 0.003 and 0.0045
    check_standard_normal(p.y, 0.12, 0.15);   // 1e3 draws: 0.03 and 0.045
    check_standard_normal(p.W1, 0.12, 0.15);
}

TEST_CASE("P6 data: the same seed gives the same numbers, another seed others") {
    auto const a = example_data::make_p6_problem(5, 20, 3, 2);
    auto const b = example_data::make_p6_problem(5, 20, 3, 2);
    auto const c = example_data::make_p6_problem(6, 20, 3, 2);
    CHECK(a.X == b.X);
    CHECK(a.y == b.y);
    CHECK(a.W1 == b.W1);
    CHECK(a.b2 == b.b2);
    CHECK(a.X != c.X);
    // The draw order is X, y, W1, b1, W2, b2 from one stream.
    std::mt19937_64 rng(5);
    example_data::standard_normal normal;
    for (double v : a.X) CHECK(v == normal(rng));
    for (double v : a.y) CHECK(v == normal(rng));
}

TEST_CASE("portable random: uniforms from 0 up to 1, indices below n with every index hit") {
    std::mt19937_64 rng(17);
    std::vector<int> hits(7, 0);
    for (int i = 0; i < 7000; ++i) {
        double const u = example_data::uniform01(rng);
        CHECK(u >= 0.0);
        CHECK(u < 1.0);
        std::size_t const j = example_data::draw_index(rng, 7);
        REQUIRE(j < 7);
        ++hits[j];
    }
    for (int h : hits) CHECK(std::abs(h - 1000) < 150);
    // A normal stream's moments.
    example_data::standard_normal normal;
    std::vector<double> v(200000);
    for (double& e : v) e = normal(rng);
    check_standard_normal(v, 0.01, 0.015);
}
