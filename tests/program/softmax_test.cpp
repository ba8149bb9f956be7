// Softmax, log-softmax and softmax cross-entropy: values against the definitions
// (computed here in long double), stability at large logits, adjoints against
// central differences, label errors.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "support/program_check.hpp"

namespace tg = typegrad;
using typegrad_test::arr;
using typegrad_test::fill_uniform;
using typegrad_test::gradient_error;
using typegrad_test::near;

TEST_CASE("softmax and log_softmax along the last axis and along axis 0") {
    auto [z] = tg::vars<"z">();
    arr<2> a(3, 5);
    fill_uniform(a, 21, -3.0, 3.0);
    a.v[0] = 800.0;  // would overflow exp without the shift by the max
    arr<2> s(3, 5), l(3, 5), s0(3, 5);
    tg::map(tg::softmax(z), s.ref(), a.cref());
    tg::map(tg::log_softmax(z), l.ref(), a.cref());
    tg::map(tg::softmax(z, tg::axis<0>), s0.ref(), a.cref());
    for (int i = 0; i < 3; ++i) {
        long double m = -1e300L, tot = 0;
        for (int j = 0; j < 5; ++j) m = std::max(m, static_cast<long double>(a.v[static_cast<std::size_t>(i * 5 + j)]));
        for (int j = 0; j < 5; ++j) tot += std::exp(static_cast<long double>(a.v[static_cast<std::size_t>(i * 5 + j)]) - m);
        for (int j = 0; j < 5; ++j) {
            long double const lj = static_cast<long double>(a.v[static_cast<std::size_t>(i * 5 + j)]) - m - std::log(tot);
            CHECK(near(l.v[static_cast<std::size_t>(i * 5 + j)], static_cast<double>(lj), 1e-14));
            CHECK(near(s.v[static_cast<std::size_t>(i * 5 + j)], static_cast<double>(std::exp(lj)), 1e-14));
        }
    }
    for (int j = 0; j < 5; ++j) {
        double col = 0;
        for (int i = 0; i < 3; ++i) col += s0.v[static_cast<std::size_t>(i * 5 + j)];
        CHECK(near(col, 1.0, 1e-14));
    }
    SUBCASE("adjoints") {
        fill_uniform(a, 22);
        arr<2> w(3, 5);
        fill_uniform(w, 23);
        auto f = tg::sum(tg::softmax(z * 2.0) * cos(z)) + tg::sum(square(tg::log_softmax(z, tg::axis<0>)));
        arr<2> g(3, 5);
        tg::gradient(f, tg::gradient_to(g.ref()), a.cref());
        CHECK(gradient_error([&] { return tg::value(f, a.cref()); }, a, g) < 1e-8);
    }
}

TEST_CASE("softmax cross-entropy with integer labels") {
    auto [z, y] = tg::vars<"z", "y">();
    arr<2> a(4, 3);
    fill_uniform(a, 24, -2.0, 2.0);
    std::vector<int> labels{2, 0, 1, 2};
    auto loss = tg::mean(tg::softmax_cross_entropy(z, y));
    double ref = 0;
    for (int i = 0; i < 4; ++i) {
        double tot = 0;
        for (int j = 0; j < 3; ++j) tot += std::exp(a.v[static_cast<std::size_t>(i * 3 + j)]);
        ref += std::log(tot) - a.v[static_cast<std::size_t>(i * 3 + labels[static_cast<std::size_t>(i)])];
    }
    CHECK(near(tg::value(loss, a.cref(), labels), ref / 4.0, 1e-14));
    // The same as the log-softmax picked by hand.
    auto picked = -tg::mean(tg::sum(tg::log_softmax(z) * y, tg::axis<1>));
    arr<2> onehot(4, 3);
    for (int i = 0; i < 4; ++i) onehot.v[static_cast<std::size_t>(i * 3 + labels[static_cast<std::size_t>(i)])] = 1.0;
    CHECK(near(tg::value(picked, a.cref(), onehot.cref()), ref / 4.0, 1e-14));

    arr<2> g(4, 3);
    tg::gradient(loss, tg::gradient_to(g.ref(), tg::skip), a.cref(), labels);
    for (int i = 0; i < 4; ++i) {
        double tot = 0;
        for (int j = 0; j < 3; ++j) tot += std::exp(a.v[static_cast<std::size_t>(i * 3 + j)]);
        for (int j = 0; j < 3; ++j) {
            double const p = std::exp(a.v[static_cast<std::size_t>(i * 3 + j)]) / tot;
            CHECK(near(g.v[static_cast<std::size_t>(i * 3 + j)], (p - (labels[static_cast<std::size_t>(i)] == j ? 1.0 : 0.0)) / 4.0, 1e-14));
        }
    }
    SUBCASE("labels out of range or of the wrong count are refused before anything is written") {
        g.v.assign(g.v.size(), 42.0);
        std::vector<int> bad{2, 0, 3, 2}, short_labels{1, 1};
        CHECK_THROWS_WITH_AS(tg::gradient(loss, tg::gradient_to(g.ref(), tg::skip), a.cref(), bad),
                             doctest::Contains("softmax_cross_entropy(z, y): a label is out of range"), std::invalid_argument);
        CHECK_THROWS_WITH_AS(tg::gradient(loss, tg::gradient_to(g.ref(), tg::skip), a.cref(), short_labels),
                             doctest::Contains("one label per row"), std::invalid_argument);
        for (double v : g.v) CHECK(v == 42.0);
    }
}
