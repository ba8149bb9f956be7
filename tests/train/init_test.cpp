// tg::train initialisation: the generator against splitmix64's published outputs,
// reproducibility, and the mean, variance and bounds of He and Glorot draws.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include <typegrad/train.hpp>

namespace tg = typegrad;

namespace {
struct moments {
    double mean, variance, max_abs;
};
moments of(std::vector<double> const& v) {
    double s = 0, m = 0;
    for (double x : v) s += x;
    double const mean = s / static_cast<double>(v.size());
    double ss = 0;
    for (double x : v) {
        ss += (x - mean) * (x - mean);
        m = std::fmax(m, std::abs(x));
    }
    return {mean, ss / static_cast<double>(v.size() - 1), m};
}
}  // namespace

TEST_CASE("the generator is splitmix64") {
    // The first outputs of splitmix64 from seed 0 and seed 1234567, as published with the algorithm.
    tg::train::generator g0(0);
    CHECK(g0.next() == 0xE220A8397B1DCDAFull);
    tg::train::generator g(1234567);
    CHECK(g.next() == 6457827717110365317ull);
    CHECK(g.next() == 3203168211198807973ull);
    tg::train::generator u(5);
    for (int i = 0; i < 1000; ++i) {
        double const x = u.uniform();
        CHECK((x >= 0.0 && x < 1.0));
    }
}

TEST_CASE("he_normal: mean 0 and variance 2 / fan_in within sampling bounds, the same seed, the same numbers") {
    // Kernels (O, C, KH, KW) = (64, 8, 5, 5): fan_in = 200, 12800 elements... drawn 8 times over for the check.
    std::vector<double> w(64 * 8 * 5 * 5 * 8);
    tg::array_ref<double, 4> const k{w.data(), {512, 8, 5, 5}, {200, 25, 5, 1}};
    tg::train::generator gen(42);
    tg::train::he_normal(k, gen);
    auto const m = of(w);
    double const var = 2.0 / 200.0, n = static_cast<double>(w.size());
    CHECK(std::abs(m.mean) < 5.0 * std::sqrt(var / n));
    // The variance of the sample variance of a normal is 2 var^2 / (n - 1): 5 standard errors.
    CHECK(std::abs(m.variance - var) < 5.0 * var * std::sqrt(2.0 / (n - 1)));

    std::vector<double> again(w.size());
    tg::train::generator gen2(42);
    tg::train::he_normal(tg::array_ref<double, 4>{again.data(), {512, 8, 5, 5}, {200, 25, 5, 1}}, gen2);
    CHECK(again == w);
    std::vector<double> other(w.size());
    tg::train::generator gen3(43);
    tg::train::he_normal(tg::array_ref<double, 4>{other.data(), {512, 8, 5, 5}, {200, 25, 5, 1}}, gen3);
    CHECK(other != w);
}

TEST_CASE("glorot_uniform: inside +-sqrt(6 / (fan_in + fan_out)), variance a^2 / 3") {
    std::vector<double> w(300 * 100 * 4);
    // A matrix (in, out) = (1200, 100) as in matmul(X, W).
    tg::array_ref<double, 2> const W{w.data(), {1200, 100}, {100, 1}};
    tg::train::generator gen(7);
    tg::train::glorot_uniform(W, gen);
    double const a = std::sqrt(6.0 / 1300.0), n = static_cast<double>(w.size());
    auto const m = of(w);
    CHECK(m.max_abs <= a);
    CHECK(m.max_abs > 0.99 * a);
    double const var = a * a / 3.0;
    CHECK(std::abs(m.mean) < 5.0 * std::sqrt(var / n));
    // Uniform: the variance of x^2 is a^4 (1/5 - 1/9), so the sample variance's standard error is about that over sqrt(n).
    CHECK(std::abs(m.variance - var) < 5.0 * a * a * std::sqrt(1.0 / 5 - 1.0 / 9) / std::sqrt(n));
}

TEST_CASE("he_uniform and glorot_normal, explicit fans, fans from shapes") {
    std::vector<double> w(100000);
    tg::array_ref<double, 1> const v{w.data(), {100000}, {1}};
    tg::train::generator gen(9);
    tg::train::he_uniform(v, gen, tg::train::fans{.in = 50, .out = 1});
    auto m = of(w);
    CHECK(m.max_abs <= std::sqrt(6.0 / 50.0));
    CHECK(std::abs(m.variance - 2.0 / 50.0) < 0.03 * 2.0 / 50.0);
    tg::train::glorot_normal(v, gen, tg::train::fans{.in = 30, .out = 70});
    m = of(w);
    CHECK(std::abs(m.variance - 2.0 / 100.0) < 0.03 * 2.0 / 100.0);

    std::vector<double> k(16 * 8 * 3 * 3);
    auto const f = tg::train::fans_of(tg::array_ref<double, 4>{k.data(), {16, 8, 3, 3}, {72, 9, 3, 1}});
    CHECK(f.in == 72.0);
    CHECK(f.out == 144.0);
    CHECK_THROWS_AS(tg::train::he_normal(v, gen, tg::train::fans{.in = 0, .out = 1}), std::invalid_argument);
}
