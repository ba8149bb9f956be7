// examples/logistic_gradient.cpp: P3 of REFERENCE_PROBLEMS.md.
//
// The cross-entropy loss of logistic regression is written once, element by element,
// with w^T x as tg::dot; tg::sum gives the loss and its gradient in one pass over X.
// The course's three hand-derived versions of grad = X (s(w^T X) - t) (per component
// in a double loop, per example, fully vectorised) are computed beside it and must agree.
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    std::size_t const K = 100, N = 1000;  // features, examples (the columns of X)
    std::mt19937_64 rng(2024);
    std::normal_distribution<double> normal;
    std::vector<double> X(K * N), w(K), t(N);
    for (auto& v : X) v = normal(rng);
    for (auto& v : w) v = 0.1 * normal(rng);
    for (auto& v : t) v = normal(rng) > 0 ? 1.0 : 0.0;
    auto x_at = [&](std::size_t k, std::size_t n) { return X[k * N + n]; };
    auto s = [](double u) { return 1 / (1 + std::exp(-u)); };

    // typegrad: the loss of one example, summed over the examples.
    auto [wv, xv, tv] = tg::vars<"w", "x", "t">();
    auto const p = sigmoid(tg::dot(wv, xv));
    auto const loss = -(tv * log(p) + (1.0 - tv) * log(1.0 - p));
    std::vector<double> grad(K);
    auto const examples = tg::transposed(tg::view(X.data(), K, N));  // row n is example n
    double const L = tg::sum(loss, tg::gradient_to(grad, tg::skip, tg::skip), w, examples, t);
    std::printf("loss: %s\nloss over %zu examples = %.12g\n", tg::to_string(loss).c_str(), N, L);

    // Version 1: per component, a double loop.
    std::vector<double> v1(K, 0.0);
    for (std::size_t k = 0; k < K; ++k)
        for (std::size_t n = 0; n < N; ++n) {
            double u = 0;
            for (std::size_t j = 0; j < K; ++j) u += w[j] * x_at(j, n);
            v1[k] += x_at(k, n) * (s(u) - t[n]);
        }
    // Version 2: per example, the whole column at once.
    std::vector<double> v2(K, 0.0);
    for (std::size_t n = 0; n < N; ++n) {
        double u = 0;
        for (std::size_t j = 0; j < K; ++j) u += w[j] * x_at(j, n);
        double const r = s(u) - t[n];
        for (std::size_t k = 0; k < K; ++k) v2[k] += x_at(k, n) * r;
    }
    // Version 3: vectorised, u = w^T X, r = s(u) - t, grad = X r.
    std::vector<double> u(N, 0.0), r(N), v3(K, 0.0);
    for (std::size_t k = 0; k < K; ++k)
        for (std::size_t n = 0; n < N; ++n) u[n] += w[k] * x_at(k, n);
    for (std::size_t n = 0; n < N; ++n) r[n] = s(u[n]) - t[n];
    for (std::size_t k = 0; k < K; ++k)
        for (std::size_t n = 0; n < N; ++n) v3[k] += x_at(k, n) * r[n];

    double worst = 0;
    for (std::size_t k = 0; k < K; ++k)
        for (double ref : {v1[k], v2[k], v3[k]})
            worst = std::max(worst, std::abs(grad[k] - ref) / std::max(1.0, std::abs(ref)));
    std::printf("\n%-4s %16s %16s %16s %16s\n", "k", "double loop", "per example", "vectorised", "typegrad");
    for (std::size_t k = 0; k < 5; ++k)
        std::printf("%-4zu %16.10f %16.10f %16.10f %16.10f\n", k, v1[k], v2[k], v3[k], grad[k]);
    std::printf("...\nlargest relative difference from the three versions: %.2e\n", worst);
    if (!(worst < 1e-12)) {
        std::printf("MISMATCH\n");
        return 1;
    }
    return 0;
}
