// Array programs give bit-identical values and gradients for any thread count: their
// regions run in fixed chunks whose parts are added in chunk order (this suite is built
// with OpenMP).
#include <doctest/doctest.h>

#include <cstring>
#include <random>
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

namespace {
bool same_bits(std::vector<double> const& a, std::vector<double> const& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}
}  // namespace

TEST_CASE("a network loss, log-sum-exp and Rosenbrock by slices: bit-identical for 1, 2, 3 and 5 threads") {
#if !defined(_OPENMP)
    FAIL("this suite must be compiled with OpenMP");
#endif
    std::ptrdiff_t const N = 40000, K = 7, H = 3;
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> u(-1, 1);
    auto fill = [&](std::size_t n) {
        std::vector<double> v(n);
        for (auto& x : v) x = u(rng);
        return v;
    };
    auto const Xv = fill(static_cast<std::size_t>(N * K)), W1v = fill(static_cast<std::size_t>(K * H)), b1v = fill(3), yv = fill(static_cast<std::size_t>(N)),
               xv = fill(100003);
    auto [X, W, b, y] = tg::vars<"X", "W", "b", "y">();
    auto const loss = tg::mean(tg::square(tg::sum(tanh(tg::matmul(X, W) + b), tg::axis<1>) - y)) + tg::logsumexp(W);
    auto [x] = tg::vars<"x">();
    auto const lse = log(tg::sum(exp(x - tg::max(x)))) + tg::max(x);
    auto const rosen = tg::sum(100.0 * tg::square(tg::slice(x, 1, tg::end) - tg::square(tg::slice(x, 0, tg::end - 1))) +
                               tg::square(1.0 - tg::slice(x, 0, tg::end - 1)));

    struct result {
        std::vector<double> values, gW, gb, gx, gr;
    };
    auto run = [&](int threads) {
        tg::workspace ws(tg::cpu_options{.threads = threads});
        result r{{}, std::vector<double>(static_cast<std::size_t>(K * H)), std::vector<double>(3), std::vector<double>(xv.size()),
                 std::vector<double>(xv.size())};
        r.values.push_back(tg::gradient(ws, loss, tg::gradient_to(tg::skip, tg::view(r.gW.data(), K, H), r.gb, tg::skip),
                                        tg::view(Xv.data(), N, K), tg::view(W1v.data(), K, H), b1v, yv));
        r.values.push_back(tg::gradient(ws, lse, tg::gradient_to(r.gx), xv));
        r.values.push_back(tg::gradient(ws, rosen, tg::gradient_to(r.gr), xv));
        r.values.push_back(tg::value(ws, loss, tg::view(Xv.data(), N, K), tg::view(W1v.data(), K, H), b1v, yv));
        return r;
    };
    auto const one = run(1);
    for (int threads : {2, 3, 5}) {
        auto const r = run(threads);
        CHECK(same_bits(r.values, one.values));
        CHECK(same_bits(r.gW, one.gW));
        CHECK(same_bits(r.gb, one.gb));
        CHECK(same_bits(r.gx, one.gx));
        CHECK(same_bits(r.gr, one.gr));
    }
}
