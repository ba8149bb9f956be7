// Reductions inside expressions: values against loops written here, gradients against
// central differences, axes, keepdims, ties, empty arrays and their errors.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "support/program_check.hpp"

namespace tg = typegrad;
using typegrad_test::arr;
using typegrad_test::fill_uniform;
using typegrad_test::gradient_error;
using typegrad_test::near;

TEST_CASE("reductions over every element: values and gradients") {
    auto [x] = tg::vars<"x">();
    arr<2> a(3, 4);
    fill_uniform(a, 11, -2.0, 2.0);
    double sum = 0, mx = -1e300, mn = 1e300;
    for (double v : a.v) sum += v, mx = std::max(mx, v), mn = std::min(mn, v);
    double lse = 0;
    for (double v : a.v) lse += std::exp(v - mx);
    lse = mx + std::log(lse);

    CHECK(near(tg::value(tg::sum(x), a.cref()), sum, 1e-14));
    CHECK(near(tg::value(tg::mean(x), a.cref()), sum / 12.0, 1e-14));
    CHECK(tg::value(tg::max(x), a.cref()) == mx);
    CHECK(tg::value(tg::min(x), a.cref()) == mn);
    CHECK(near(tg::value(tg::logsumexp(x), a.cref()), lse, 1e-14));

    SUBCASE("gradients of smooth reductions against central differences") {
        auto f = tg::logsumexp(x * 1.5) + tg::mean(sin(x)) * tg::sum(x * x);
        arr<2> g(3, 4);
        double const v = tg::gradient(f, tg::gradient_to(g.ref()), a.cref());
        CHECK(near(v, tg::value(f, a.cref()), 1e-14));
        CHECK(gradient_error([&] { return tg::value(f, a.cref()); }, a, g) < 1e-8);
    }
    SUBCASE("max and min send the adjoint to the first element that attains them") {
        arr<1> t(5);
        t.v = {1.0, 3.0, -2.0, 3.0, -2.0};
        arr<1> g(5);
        tg::gradient(tg::max(x) * 2.0 + tg::min(x), tg::gradient_to(g.ref()), t.cref());
        CHECK(g.v == std::vector<double>{0.0, 2.0, 1.0, 0.0, 0.0});
    }
}

TEST_CASE("reductions over one axis, with and without keepdims") {
    auto [x] = tg::vars<"x">();
    arr<3> a(2, 3, 4);
    fill_uniform(a, 12);
    auto at = [&](int i, int j, int k) { return a.v[static_cast<std::size_t>((i * 3 + j) * 4 + k)]; };

    arr<2> out(2, 4);
    tg::map(tg::sum(x, tg::axis<1>), out.ref(), a.cref());
    for (int i = 0; i < 2; ++i)
        for (int k = 0; k < 4; ++k) CHECK(near(out.v[static_cast<std::size_t>(i * 4 + k)], at(i, 0, k) + at(i, 1, k) + at(i, 2, k), 1e-15));

    arr<3> kept(2, 1, 4);
    tg::map(tg::max(x, tg::axis<1>, tg::keepdims), kept.ref(), a.cref());
    for (int i = 0; i < 2; ++i)
        for (int k = 0; k < 4; ++k)
            CHECK(kept.v[static_cast<std::size_t>(i * 4 + k)] == std::max({at(i, 0, k), at(i, 1, k), at(i, 2, k)}));

    SUBCASE("a keepdims reduction broadcasts back: normalisation over an axis") {
        auto f = tg::sum(tg::square(x - tg::mean(x, tg::axis<2>, tg::keepdims)) * tg::logsumexp(x, tg::axis<0>, tg::keepdims));
        arr<3> g(2, 3, 4);
        tg::gradient(f, tg::gradient_to(g.ref()), a.cref());
        double ref = 0;
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 3; ++j)
                for (int k = 0; k < 4; ++k) {
                    double m = 0;
                    for (int q = 0; q < 4; ++q) m += at(i, j, q) / 4.0;
                    double const l = std::log(std::exp(at(0, j, k)) + std::exp(at(1, j, k)));
                    ref += (at(i, j, k) - m) * (at(i, j, k) - m) * l;
                }
        CHECK(near(tg::value(f, a.cref()), ref, 1e-13));
        CHECK(gradient_error([&] { return tg::value(f, a.cref()); }, a, g) < 1e-8);
    }
    SUBCASE("every axis of a rank-3 array") {
        auto f0 = tg::sum(exp(tg::min(x, tg::axis<0>)));
        auto f2 = tg::sum(tg::logsumexp(x, tg::axis<2>) * tg::mean(x, tg::axis<2>));
        arr<3> g0(2, 3, 4), g2(2, 3, 4);
        tg::gradient(f0, tg::gradient_to(g0.ref()), a.cref());
        tg::gradient(f2, tg::gradient_to(g2.ref()), a.cref());
        CHECK(gradient_error([&] { return tg::value(f0, a.cref()); }, a, g0) < 1e-8);
        CHECK(gradient_error([&] { return tg::value(f2, a.cref()); }, a, g2) < 1e-8);
    }
}

TEST_CASE("empty reductions: sum 0, mean NaN, max refused before anything is written") {
    auto [x] = tg::vars<"x">();
    std::vector<double> none;
    CHECK(tg::value(tg::sum(x), none) == 0.0);
    CHECK(std::isnan(tg::value(tg::mean(x), none)));
    CHECK_THROWS_WITH_AS(tg::value(tg::max(x) + 1.0, none),
                         doctest::Contains("max(x): it reduces over no elements"), std::invalid_argument);
    std::vector<double> g{7.0};
    std::vector<double> one{2.0};
    CHECK_THROWS_AS(tg::gradient(tg::logsumexp(x) + tg::max(tg::slice(x, 1, tg::end)), tg::gradient_to(g), one),
                    std::invalid_argument);
    CHECK(g[0] == 7.0);  // untouched
}

TEST_CASE("a reduction's axis must exist: compile-time rank, printed axis") {
    auto [x] = tg::vars<"x">();
    auto s = tg::sum(x, tg::axis<1>, tg::keepdims);
    CHECK(tg::to_string(s) == "sum(x, axis=1, keepdims)");
    CHECK(tg::to_string(tg::logsumexp(x)) == "logsumexp(x)");
}
