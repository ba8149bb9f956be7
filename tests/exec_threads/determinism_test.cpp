// Reductions give bit-identical results for any thread count (this suite is built
// with OpenMP): the chunks are fixed, and their parts are added in chunk order.
#include <doctest/doctest.h>

#include <cstring>
#include <random>
#include <vector>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

namespace {
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
}  // namespace

TEST_CASE("sum, its gradient and a map are bit-identical for 1, 2, 3, 4 and 7 threads") {
#if !defined(_OPENMP)
    FAIL("this suite must be compiled with OpenMP");
#endif
    std::size_t const n = 300007, k = 5;
    std::mt19937_64 rng(77);
    std::uniform_real_distribution<double> u(-2, 2);
    std::vector<double> X(n), Y(n * k), W(k), bias(k);
    for (auto& v : X) v = u(rng);
    for (auto& v : Y) v = u(rng);
    for (auto& v : W) v = u(rng);
    for (auto& v : bias) v = u(rng);
    auto [x, a, y, w, b] = tg::vars<"x", "a", "y", "w", "b">();
    auto const loss = exp(sin(a * x)) * tg::dot(y, w);
    auto const broadcast_loss = sin(y * x + b);
    auto const square_plus = x * x + a;

    struct result {
        double value, ga, broadcast_value;
        std::vector<double> gx, gy, gw, gb, mapped;
    };
    auto run = [&](int threads) {
        tg::cpu_options const o{threads};
        result r{};
        r.gx.resize(n);
        r.gy.resize(n * k);
        r.gw.resize(k);
        r.gb.resize(k);
        r.mapped.resize(n);
        auto const Yv = tg::view(Y.data(), n, k);
        r.value = tg::sum(o, loss, tg::gradient_to(r.gx, r.ga, tg::view(r.gy.data(), n, k), r.gw, tg::skip), X, 0.3,
                          Yv, W, 0.0);
        std::vector<double> gyb(n * k);
        r.broadcast_value = tg::sum(o, broadcast_loss, tg::gradient_to(tg::skip, tg::skip, tg::view(gyb.data(), n, k),
                                                                     tg::skip, r.gb),
                                    tg::view(X.data(), n, 1), 0.0, Yv, 0.0, bias);
        tg::map(o, square_plus, r.mapped, X, 1.0);
        return r;
    };
    result const ref = run(1);
    for (int threads : {2, 3, 4, 7}) {
        CAPTURE(threads);
        result const r = run(threads);
        CHECK(same_bits(r.value, ref.value));
        CHECK(same_bits(r.ga, ref.ga));
        CHECK(same_bits(r.broadcast_value, ref.broadcast_value));
        CHECK(std::memcmp(r.gx.data(), ref.gx.data(), n * sizeof(double)) == 0);
        CHECK(std::memcmp(r.gy.data(), ref.gy.data(), n * k * sizeof(double)) == 0);
        CHECK(std::memcmp(r.gw.data(), ref.gw.data(), k * sizeof(double)) == 0);
        CHECK(std::memcmp(r.gb.data(), ref.gb.data(), k * sizeof(double)) == 0);
        CHECK(std::memcmp(r.mapped.data(), ref.mapped.data(), n * sizeof(double)) == 0);
    }
    // And the threads were really used.
#if defined(_OPENMP)
    int seen = 0;
#pragma omp parallel num_threads(3)
    {
#pragma omp atomic
        ++seen;
    }
    CHECK(seen == 3);
#endif
}
