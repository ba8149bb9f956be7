// Symbolic derivatives, Hessians (forward over reverse) and Hessian-vector products.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <type_traits>

#include <typegrad/typegrad.hpp>

#include "support/finite_difference.hpp"

namespace tg = typegrad;
using namespace tg::literals;
using typegrad_test::close;

TEST_CASE("symbolic d is an expression that simplifies at compile time") {
    auto [x, y] = tg::vars<2>();
    auto const f = x * y + sin(x);
    static_assert(std::is_same_v<decltype(tg::d(f, y)), tg::var<0>>);
    static_assert(std::is_same_v<decltype(tg::d(tg::d(f, x), y)), tg::static_const<1>>);
    static_assert(std::is_same_v<decltype(tg::d(f * 0_c, x)), tg::static_const<0>>);
    CHECK(tg::to_string(tg::d(f, x)) == "(x1 + cos(x0))");
    CHECK(tg::value(tg::d(tg::d(f, x), x), 1.5, 0.5) == -std::sin(1.5));
}

TEST_CASE("derivatives up to order 4 against closed forms") {
    auto [x] = tg::vars<1>();
    auto const f = exp(2_c * x) * sin(x);  // closed form: e^{2x} (a_k sin x + b_k cos x)
    auto const d1 = tg::d(f, x);
    auto const d2 = tg::d(d1, x);
    auto const d3 = tg::d(d2, x);
    auto const d4 = tg::d(d3, x);
    for (double v : {-1.0, 0.0, 0.4, 1.3}) {
        double const e = std::exp(2 * v), s = std::sin(v), c = std::cos(v);
        // (2 + i)^k e^{2x} gives a_k, b_k: k=1: (2, 1), k=2: (3, 4), k=3: (2, 11), k=4: (-7, 24).
        CHECK(close(tg::value(d1, v), e * (2 * s + c), 1e-14));
        CHECK(close(tg::value(d2, v), e * (3 * s + 4 * c), 1e-14));
        CHECK(close(tg::value(d3, v), e * (2 * s + 11 * c), 1e-13));
        CHECK(close(tg::value(d4, v), e * (-7 * s + 24 * c), 1e-13));
    }
}

TEST_CASE("hessian: symmetric, equal to symbolic second derivatives and to differences of gradients") {
    auto const rosen = [](auto a, auto b) { return pow(1_c - a, 2_c) + 100_c * pow(b - a * a, 2_c); };
    auto [x, y] = tg::vars<2>();
    auto const f = rosen(x, y) + sin(x * y) * exp(y) + atan2(x, y) + tg::sigmoid(x - y);
    for (auto const& p : {std::array{0.3, -0.4}, std::array{1.2, 0.8}, std::array{-0.7, 2.0}}) {
        auto const [v, g, H] = tg::hessian(f, p);
        CHECK(H(0, 1) == H(1, 0));
        CHECK(close(v, tg::value(f, p), 1e-15));
        CHECK(close(g[0], tg::gradient(f, p).gradient[0], 1e-14));
        CHECK(close(H(0, 0), tg::value(tg::d(tg::d(f, x), x), p), 1e-13));
        CHECK(close(H(0, 1), tg::value(tg::d(tg::d(f, x), y), p), 1e-13));
        CHECK(close(H(1, 1), tg::value(tg::d(tg::d(f, y), y), p), 1e-13));
        // Central differences of the reverse gradient.
        for (std::size_t j = 0; j < 2; ++j) {
            auto const dg0 = typegrad_test::central_difference(
                [&](std::array<double, 2> q) { return tg::gradient(f, q).gradient[0]; }, p, j);
            CHECK(close(H(0, j), dg0, 1e-6));
        }
    }
    // Rosenbrock alone, closed form at (1, 1): [[802, -400], [-400, 200]].
    auto const h = tg::hessian(rosen, 1.0, 1.0).hessian;
    CHECK(h(0, 0) == 802.0);
    CHECK(h(0, 1) == -400.0);
    CHECK(h(1, 1) == 200.0);
}

TEST_CASE("hvp is H v") {
    auto const f = [](auto a, auto b, auto c) { return a * a * b + exp(b * c) + sqrt(1_c + c * c) * a; };
    std::array const p{0.5, -0.2, 0.9};
    std::array const v{1.0, 2.0, -0.5};
    auto const H = tg::hessian(f, p).hessian;
    auto const r = tg::hvp(f, p, v);
    for (std::size_t i = 0; i < 3; ++i) {
        double e = 0;
        for (std::size_t j = 0; j < 3; ++j) e += H(i, j) * v[j];
        CHECK(close(r.hvp[i], e, 1e-14));
    }
}

TEST_CASE("the derivative of a branch not taken is exactly 0 in every mode") {
    auto [x] = tg::vars<1>();
    auto const f = tg::select(x > 0_c, sqrt(x), 0_c);
    CHECK(tg::gradient(f, 0.0).gradient[0] == 0.0);
    CHECK(tg::gradient<tg::forward>(f, 0.0).gradient[0] == 0.0);
    CHECK(tg::value(tg::d(f, x), 0.0) == 0.0);
    CHECK(tg::hessian(f, 0.0).hessian(0, 0) == 0.0);
    CHECK(tg::gradient(f, 4.0).gradient[0] == 0.25);
}
