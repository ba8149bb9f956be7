// P3 (vectorised logistic-regression gradient) and P5 (broadcasting graph) of
// REFERENCE_PROBLEMS.md: the loss written once, the gradient from tg::sum.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;
using namespace tg::literals;

TEST_CASE("P3: grad = X (s(w^T X) - t) from the cross-entropy loss written once") {
    std::size_t const K = 100, N = 1000;
    std::mt19937_64 rng(33);
    std::normal_distribution<double> normal;
    std::vector<double> X(K * N), w(K), t(N);  // X is K x N, examples in columns
    for (auto& v : X) v = normal(rng);
    for (auto& v : w) v = 0.1 * normal(rng);
    for (auto& v : t) v = normal(rng) > 0 ? 1.0 : 0.0;

    auto [wv, xv, tv] = tg::vars<"w", "x", "t">();
    auto const s = sigmoid(tg::dot(wv, xv));
    auto const loss = -(tv * log(s) + (1.0 - tv) * log(1.0 - s));
    std::vector<double> grad(K);
    auto const Xt = tg::transposed(tg::view(X.data(), K, N));  // N x K: example n is row n
    double const L = tg::sum(loss, tg::gradient_to(grad, tg::skip, tg::skip), w, Xt, t);

    // The closed form, fully vectorised in the course's order: u = w^T X, r = s(u) - t, X r.
    std::vector<double> u(N, 0.0), r(N), ref(K, 0.0);
    for (std::size_t k = 0; k < K; ++k)
        for (std::size_t n = 0; n < N; ++n) u[n] += w[k] * X[k * N + n];
    double ref_loss = 0;
    for (std::size_t n = 0; n < N; ++n) {
        double const sn = 1 / (1 + std::exp(-u[n]));
        r[n] = sn - t[n];
        ref_loss -= t[n] * std::log(sn) + (1 - t[n]) * std::log(1 - sn);
    }
    for (std::size_t k = 0; k < K; ++k)
        for (std::size_t n = 0; n < N; ++n) ref[k] += X[k * N + n] * r[n];

    CHECK(L == doctest::Approx(ref_loss).epsilon(1e-12));
    for (std::size_t k = 0; k < K; ++k) CHECK(grad[k] == doctest::Approx(ref[k]).epsilon(1e-10));

    SUBCASE("the per-example version: the gradient of each example's loss with respect to w summed") {
        // Per component in a double loop, as in the course's first version.
        std::vector<double> loop(K, 0.0);
        for (std::size_t n = 0; n < N; ++n) {
            double z = 0;
            for (std::size_t k = 0; k < K; ++k) z += w[k] * X[k * N + n];
            for (std::size_t k = 0; k < K; ++k) loop[k] += (1 / (1 + std::exp(-z)) - t[n]) * X[k * N + n];
        }
        for (std::size_t k = 0; k < K; ++k) CHECK(grad[k] == doctest::Approx(loop[k]).epsilon(1e-10));
    }
}

TEST_CASE("P5: e = (((a p) + (b - q) - (c + r)) d / s) u with 2x2 arrays and scalars") {
    auto [a, b, c, d, p, q, r, s] = tg::vars<"a", "b", "c", "d", "p", "q", "r", "s">();
    auto const u = 5_c;
    auto const e = (((a * p) + (b - q) - (c + r)) * d / s) * u;
    std::vector<double> A(4, 1.0), B(4, 2.0), C(4, 5.0), D(4, 3.0);
    auto m = [](std::vector<double>& v) { return tg::view(v.data(), 2, 2); };
    double const P = 1, Q = 2, R = 3, S = 4;

    std::vector<double> value(4);
    tg::map(e, m(value), m(A), m(B), m(C), m(D), P, Q, R, S);
    for (double v : value) CHECK(v == -26.25);  // (1 + 0 - 8) * 3 / 4 * 5

    // The gradient of sum(e) with respect to the variables c, d (2x2) and r, s (scalars),
    // and, for completeness, the placeholders.
    std::vector<double> ga(4), gb(4), gc(4), gd(4);
    double gp = 0, gq = 0, gr = 0, gs = 0;
    double const total = tg::sum(e, tg::gradient_to(m(ga), m(gb), m(gc), m(gd), gp, gq, gr, gs), m(A), m(B), m(C),
                                 m(D), P, Q, R, S);
    CHECK(total == 4 * -26.25);
    // By hand: inner = a p + b - q - c - r = -7; e = inner d u / s.
    for (int i = 0; i < 4; ++i) {
        CHECK(ga[i] == P * 3 * 5 / S);  // 3.75
        CHECK(gb[i] == 3.0 * 5 / S);    // 3.75
        CHECK(gc[i] == -3.0 * 5 / S);   // -3.75
        CHECK(gd[i] == -7.0 * 5 / S);   // -8.75
    }
    CHECK(gp == 4 * 1.0 * 3 * 5 / S);         // 15
    CHECK(gq == -4 * 3.0 * 5 / S);            // -15
    CHECK(gr == -4 * 3.0 * 5 / S);            // -15
    CHECK(gs == -4 * -7.0 * 3 * 5 / (S * S)); // 26.25
}
