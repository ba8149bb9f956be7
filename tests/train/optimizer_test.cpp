// tg::train::sgd and tg::train::adam against their update formulas written out here,
// numbers worked by hand for the first steps, and the errors of mismatched parameters.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include <typegrad/train.hpp>

namespace tg = typegrad;

namespace {
bool near(double a, double b, double rel = 1e-14) { return std::abs(a - b) <= rel * std::fmax(1.0, std::fmax(std::abs(a), std::abs(b))); }

// A gradient sequence that changes sign and size from step to step.
double grad_at(int step, std::size_t i) { return std::sin(1.3 * step + 0.7 * static_cast<double>(i)) * (1.0 + 0.1 * step); }
}  // namespace

TEST_CASE("sgd with momentum: the first steps by hand") {
    std::vector<double> p{1.0}, g{0.5};
    tg::train::sgd<> opt({.learning_rate = 0.1, .momentum = 0.9});
    opt.step(tg::train::param(p, g));  // v = 0.5, p = 1 - 0.05
    CHECK(near(p[0], 0.95));
    g[0] = -0.2;
    opt.step(tg::train::param(p, g));  // v = 0.45 - 0.2 = 0.25, p = 0.95 - 0.025
    CHECK(near(p[0], 0.925));
    g[0] = 0.0;
    opt.step(tg::train::param(p, g));  // v = 0.225, p = 0.925 - 0.0225
    CHECK(near(p[0], 0.9025));
    CHECK(opt.steps() == 3);
}

TEST_CASE("sgd against v = mu v + g + wd p, p -= lr v, over arrays of two ranks") {
    double const lr = 0.03, mu = 0.8, wd = 0.01;
    std::vector<double> w(6), b(3), gw(6), gb(3);
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = 0.1 * static_cast<double>(i) - 0.2;
    for (std::size_t i = 0; i < b.size(); ++i) b[i] = 0.5 - 0.3 * static_cast<double>(i);
    std::vector<double> rw = w, rb = b, vw(6, 0.0), vb(3, 0.0);
    tg::array_ref<double, 2> const W{w.data(), {2, 3}, {3, 1}};
    tg::array_ref<double const, 2> const GW{gw.data(), {2, 3}, {3, 1}};
    tg::train::sgd<> opt({.learning_rate = lr, .momentum = mu, .weight_decay = wd});
    for (int t = 1; t <= 6; ++t) {
        for (std::size_t i = 0; i < 6; ++i) gw[i] = grad_at(t, i);
        for (std::size_t i = 0; i < 3; ++i) gb[i] = grad_at(t, 10 + i);
        opt.step(tg::train::param(W, GW), tg::train::param(b, gb));
        for (std::size_t i = 0; i < 6; ++i) {
            vw[i] = mu * vw[i] + (gw[i] + wd * rw[i]);
            rw[i] -= lr * vw[i];
        }
        for (std::size_t i = 0; i < 3; ++i) {
            vb[i] = mu * vb[i] + (gb[i] + wd * rb[i]);
            rb[i] -= lr * vb[i];
        }
        for (std::size_t i = 0; i < 6; ++i) CHECK(near(w[i], rw[i]));
        for (std::size_t i = 0; i < 3; ++i) CHECK(near(b[i], rb[i]));
    }
    SUBCASE("momentum 0 is plain gradient descent") {
        std::vector<double> p{2.0, -1.0}, g{0.5, 4.0};
        tg::train::sgd<> plain({.learning_rate = 0.25});
        plain.step(tg::train::param(p, g));
        plain.step(tg::train::param(p, g));
        CHECK(near(p[0], 2.0 - 2 * 0.125));
        CHECK(near(p[1], -1.0 - 2 * 1.0));
    }
}

TEST_CASE("adam: the first step moves every element by the learning rate against its gradient's sign") {
    // m1 = (1 - b1) g, v1 = (1 - b2) g^2: the corrected ratio is g / |g| (up to epsilon).
    std::vector<double> p{1.0, -2.0, 0.5}, g{3.0, -0.001, 0.0};
    tg::train::adam<> opt({.learning_rate = 0.01});
    opt.step(tg::train::param(p, g));
    CHECK(near(p[0], 1.0 - 0.01 * 3.0 / (3.0 + 1e-8), 1e-15));
    CHECK(near(p[1], -2.0 + 0.01 * 0.001 / (0.001 + 1e-8), 1e-15));
    CHECK(p[2] == 0.5);  // a zero gradient: m = 0, the step is 0
}

TEST_CASE("adam against its formulas with bias correction, over several steps") {
    double const lr = 0.002, b1 = 0.85, b2 = 0.99, eps = 1e-7, wd = 0.02;
    std::vector<double> p(5), g(5);
    for (std::size_t i = 0; i < p.size(); ++i) p[i] = 0.3 * static_cast<double>(i) - 0.6;
    std::vector<double> r = p, m(5, 0.0), v(5, 0.0);
    tg::train::adam<> opt({.learning_rate = lr, .beta1 = b1, .beta2 = b2, .epsilon = eps, .weight_decay = wd});
    for (int t = 1; t <= 8; ++t) {
        for (std::size_t i = 0; i < 5; ++i) g[i] = grad_at(t, i);
        opt.step(tg::train::param(p, g));
        for (std::size_t i = 0; i < 5; ++i) {
            double const gi = g[i] + wd * r[i];
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            double const mhat = m[i] / (1 - std::pow(b1, t)), vhat = v[i] / (1 - std::pow(b2, t));
            r[i] -= lr * mhat / (std::sqrt(vhat) + eps);
        }
        for (std::size_t i = 0; i < 5; ++i) CHECK(near(p[i], r[i], 1e-13));
    }
    CHECK(opt.steps() == 8);
}

TEST_CASE("float parameters") {
    std::vector<float> p{1.0f, 2.0f}, g{0.5f, -0.5f};
    tg::train::sgd<float> opt({.learning_rate = 0.5});
    opt.step(tg::train::param(p, g));
    CHECK(p[0] == 0.75f);
    CHECK(p[1] == 2.25f);
}

TEST_CASE("mismatched parameters raise std::invalid_argument before anything is written") {
    std::vector<double> a{1.0, 2.0}, ga{0.1, 0.1}, b{3.0}, gb{0.2};
    CHECK_THROWS_AS(tg::train::param(a, gb), std::invalid_argument);
    tg::array_ref<double, 2> const A{a.data(), {1, 2}, {2, 1}};
    tg::array_ref<double const, 2> const GA{ga.data(), {2, 1}, {1, 1}};
    CHECK_THROWS_AS(tg::train::param(A, GA), std::invalid_argument);
    tg::array_ref<double const, 2> const strided{ga.data(), {1, 1}, {2, 2}};
    tg::array_ref<double, 2> const one{a.data(), {1, 1}, {2, 2}};
    CHECK_NOTHROW(tg::train::param(one, strided));  // a single element is contiguous

    tg::train::adam<> opt;
    opt.step(tg::train::param(a, ga), tg::train::param(b, gb));
    std::vector<double> const a1 = a, b1 = b;
    std::vector<double> c{1.0, 2.0, 3.0}, gc{0.0, 0.0, 0.0};
    try {
        opt.step(tg::train::param(a, ga), tg::train::param(c, gc));
        FAIL("no exception");
    } catch (std::invalid_argument const& e) {
        std::string const m = e.what();
        CHECK(m.find("parameter 1 has 3 elements; expected 1") != std::string::npos);
    }
    CHECK_THROWS_AS(opt.step(tg::train::param(a, ga)), std::invalid_argument);
    CHECK(a == a1);
    CHECK(b == b1);
    CHECK(opt.steps() == 1);
}
