// Whole array programs: the two-layer network of P6 against a backprop written here,
// log-sum-exp, a normal log-likelihood whose log(sigma) is computed once, sinks of
// every kind, and a workspace that stops allocating after the first call.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <new>
#include <vector>

#include <typegrad/train.hpp>

#include "support/program_check.hpp"

namespace tg = typegrad;
using typegrad_test::arr;
using typegrad_test::fill_uniform;
using typegrad_test::gradient_error;
using typegrad_test::near;

// Counts heap allocations while `counting` is set (replaces the global operator new).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
namespace {
bool counting = false;
long allocations = 0;
}  // namespace
void* operator new(std::size_t n) {
    if (counting) ++allocations;
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void* operator new[](std::size_t n) {
    if (counting) ++allocations;
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

struct p6_grads {
    std::vector<double> w1, b1, w2, b2;
    double loss = 0;
};

// yhat = relu(relu(X W1 + b1) W2 + b2), loss = mean((yhat - y)^2), by hand.
p6_grads backprop(arr<2> const& X, arr<2> const& W1, arr<1> const& b1, arr<2> const& W2, arr<1> const& b2,
                  arr<2> const& y) {
    int const N = static_cast<int>(X.shape[0]), K = static_cast<int>(X.shape[1]), H = static_cast<int>(W1.shape[1]);
    p6_grads g{std::vector<double>(static_cast<std::size_t>(K * H)), std::vector<double>(static_cast<std::size_t>(H)),
               std::vector<double>(static_cast<std::size_t>(H)), std::vector<double>(1), 0};
    for (int n = 0; n < N; ++n) {
        std::vector<double> z(static_cast<std::size_t>(H)), h(static_cast<std::size_t>(H));
        double o = b2[0];
        for (int j = 0; j < H; ++j) {
            double s = b1[static_cast<std::size_t>(j)];
            for (int k = 0; k < K; ++k) s += X[static_cast<std::size_t>(n * K + k)] * W1[static_cast<std::size_t>(k * H + j)];
            z[static_cast<std::size_t>(j)] = s;
            h[static_cast<std::size_t>(j)] = s > 0 ? s : 0;
            o += h[static_cast<std::size_t>(j)] * W2[static_cast<std::size_t>(j)];
        }
        double const yh = o > 0 ? o : 0;
        double const r = yh - y[static_cast<std::size_t>(n)];
        g.loss += r * r / N;
        double const dyh = 2 * r / N;
        double const dout = o > 0 ? dyh : 0;
        g.b2[0] += dout;
        for (int j = 0; j < H; ++j) {
            g.w2[static_cast<std::size_t>(j)] += h[static_cast<std::size_t>(j)] * dout;
            double const dz = z[static_cast<std::size_t>(j)] > 0 ? dout * W2[static_cast<std::size_t>(j)] : 0;
            g.b1[static_cast<std::size_t>(j)] += dz;
            for (int k = 0; k < K; ++k) g.w1[static_cast<std::size_t>(k * H + j)] += X[static_cast<std::size_t>(n * K + k)] * dz;
        }
    }
    return g;
}

}  // namespace

TEST_CASE("P6: the two-layer network's loss and gradients equal hand-written backprop") {
    auto [X, W1, b1, W2, b2, y] = tg::vars<"X", "W1", "b1", "W2", "b2", "y">();
    auto const hidden = relu(tg::matmul(X, W1) + b1);
    auto const yhat = relu(tg::matmul(hidden, W2) + b2);
    auto const loss = tg::mean(tg::square(yhat - y));

    int const N = 40, K = 7, H = 5;
    arr<2> x(N, K), w1(K, H), w2(H, 1), yv(N, 1);
    arr<1> bb1(H), bb2(1);
    fill_uniform(x, 31);
    fill_uniform(w1, 32);
    fill_uniform(bb1, 33, -0.2, 0.5);
    fill_uniform(w2, 34);
    fill_uniform(bb2, 35, 0.1, 0.5);
    fill_uniform(yv, 36);
    auto const hand = backprop(x, w1, bb1, w2, bb2, yv);

    arr<2> gw1(K, H), gw2(H, 1);
    arr<1> gb1(H), gb2(1);
    double const L = tg::gradient(loss, tg::gradient_to(tg::skip, gw1.ref(), gb1.ref(), gw2.ref(), gb2.ref(), tg::skip),
                                  x.cref(), w1.cref(), bb1.cref(), w2.cref(), bb2.cref(), yv.cref());
    CHECK(near(L, hand.loss, 1e-13));
    CHECK(near(tg::value(loss, x.cref(), w1.cref(), bb1.cref(), w2.cref(), bb2.cref(), yv.cref()), hand.loss, 1e-13));
    for (std::size_t i = 0; i < hand.w1.size(); ++i) CHECK(near(gw1.v[i], hand.w1[i], 1e-13));
    for (std::size_t i = 0; i < hand.b1.size(); ++i) CHECK(near(gb1.v[i], hand.b1[i], 1e-13));
    for (std::size_t i = 0; i < hand.w2.size(); ++i) CHECK(near(gw2.v[i], hand.w2[i], 1e-13));
    CHECK(near(gb2.v[0], hand.b2[0], 1e-13));

    SUBCASE("and central differences") {
        auto value = [&] { return tg::value(loss, x.cref(), w1.cref(), bb1.cref(), w2.cref(), bb2.cref(), yv.cref()); };
        CHECK(gradient_error(value, w1, gw1) < 1e-7);
        CHECK(gradient_error(value, bb1, gb1) < 1e-7);
        CHECK(gradient_error(value, w2, gw2) < 1e-7);
    }
    SUBCASE("a workspace kept across calls allocates nothing after the first") {
        tg::workspace ws;
        for (int step = 0; step < 3; ++step) {
            counting = true;
            allocations = 0;
            tg::gradient(ws, loss, tg::gradient_to(tg::skip, gw1.ref(), gb1.ref(), gw2.ref(), gb2.ref(), tg::skip),
                         x.cref(), w1.cref(), bb1.cref(), w2.cref(), bb2.cref(), yv.cref());
            counting = false;
            if (step > 0) CHECK(allocations == 0);
        }
        CHECK(ws.capacity() > 0);  // this program's buffers did not fit the inline storage
        for (std::size_t i = 0; i < hand.w1.size(); ++i) CHECK(near(gw1.v[i], hand.w1[i], 1e-13));
    }
}

TEST_CASE("element-wise calls and small programs never allocate") {
    auto [x, w] = tg::vars<"x", "w">();
    std::vector<double> xv(10, 0.5), g(10), out(10);
    double gw = 0;
    counting = true;
    allocations = 0;
    double const s = tg::sum(log1p(exp(w * x)), tg::gradient_to(g, gw), xv, 2.0);
    tg::map(x * w + 1.0, out, xv, 3.0);
    double const l = tg::value(tg::logsumexp(x * w), xv, 2.0);
    counting = false;
    CHECK(allocations == 0);
    CHECK(near(s, 10 * std::log1p(std::exp(1.0)), 1e-14));
    CHECK(out[3] == 2.5);
    CHECK(near(l, 1.0 + std::log(10.0), 1e-14));
}

TEST_CASE("log-sum-exp written once: value and gradient") {
    auto [x] = tg::vars<"x">();
    auto const lse = log(tg::sum(exp(x - tg::max(x)))) + tg::max(x);
    arr<1> v(1000), g(1000);
    fill_uniform(v, 41, -5.0, 5.0);
    v.v[17] = 700.0;  // exp(700) is near overflow; the shifted form stays finite
    long double m = -1e300L, tot = 0;
    for (double q : v.v) m = std::max(m, static_cast<long double>(q));
    for (double q : v.v) tot += std::exp(static_cast<long double>(q) - m);
    double const ref = static_cast<double>(m + std::log(tot));
    double const value = tg::gradient(lse, tg::gradient_to(g.ref()), v.cref());
    CHECK(near(value, ref, 1e-14));
    double gs = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        CHECK(near(g.v[i], static_cast<double>(std::exp(static_cast<long double>(v.v[i]) - m) / tot), 1e-14));
        gs += g.v[i];
    }
    CHECK(near(gs, 1.0, 1e-13));
    CHECK(near(tg::value(tg::logsumexp(x), v.cref()), ref, 1e-14));
}

TEST_CASE("normal log-likelihood over data, differentiated in (mu, sigma)") {
    auto [d, mu, sigma] = tg::vars<"d", "mu", "sigma">();
    auto const z = (d - mu) / sigma;
    auto const loglik = tg::sum(-log(sigma) - 0.9189385332046727 - 0.5 * z * z);
    arr<1> data(1024);
    fill_uniform(data, 42, -3.0, 5.0);
    double const m = 0.7, s = 1.9;
    double gm = 0, gs = 0;
    double const L = tg::gradient(loglik, tg::gradient_to(tg::skip, gm, gs), data.cref(), m, s);
    double ref = 0, rgm = 0, rgs = 0;
    for (double q : data.v) {
        double const t = (q - m) / s;
        ref += -std::log(s) - 0.9189385332046727 - 0.5 * t * t;
        rgm += t / s;
        rgs += -1.0 / s + t * t / s;
    }
    CHECK(near(L, ref, 1e-13));
    CHECK(near(gm, rgm, 1e-13));
    CHECK(near(gs, rgs, 1e-13));
    // log(sigma) depends on no array element: it is a stage of its own, computed once.
    using P = tg::detail::program::program<std::remove_cvref_t<decltype(loglik)>, tg::array_ref<double const, 1>,
                                           tg::array_ref<double const, 0>, tg::array_ref<double const, 0>>;
    std::size_t hoisted = 0;
    for (std::size_t k = 0; k < P::G::size; ++k)
        hoisted += P::t.stage[k] && P::t.kinds[k] == tg::detail::program::kind::elementwise && P::t.rank[k] == 0;
    CHECK(hoisted >= 1);
}

TEST_CASE("sinks: numbers, skip, strided arrays, and inputs used twice") {
    auto [a, b] = tg::vars<"a", "b">();
    arr<2> m(3, 4);
    fill_uniform(m, 43);
    auto const f = tg::sum(exp(a) * b + a * a) + tg::max(a) * b;
    double gb = 0;
    std::vector<double> store(3 * 8, 42.0);  // a strided (column-major) gradient with gaps
    auto const gstrided = tg::strided_view(store.data(), std::array<std::ptrdiff_t, 2>{3, 4}, std::array<std::ptrdiff_t, 2>{1, 6});
    double const v = tg::gradient(f, tg::gradient_to(gstrided, gb), m.cref(), 0.5);
    arr<2> g(3, 4);
    double gb2 = 0;
    CHECK(near(tg::gradient(f, tg::gradient_to(g.ref(), gb2), m.cref(), 0.5), v, 1e-15));
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 4; ++j) CHECK(store[static_cast<std::size_t>(i + 6 * j)] == g.v[static_cast<std::size_t>(i * 4 + j)]);
    for (int j = 0; j < 4; ++j)
        for (int i = 3; i < 6; ++i) CHECK(store[static_cast<std::size_t>(i + 6 * j)] == 42.0);  // gaps untouched
    CHECK(gb == gb2);
    CHECK(gradient_error([&] { return tg::value(f, m.cref(), 0.5); }, m, g) < 1e-8);
    double sum_exp = 0, mx = -1e300;
    for (double q : m.v) sum_exp += std::exp(q), mx = std::max(mx, q);
    CHECK(near(gb, sum_exp + mx, 1e-13));
}

TEST_CASE("a function with array operations at a point of numbers") {
    auto [x, y] = tg::vars<"x", "y">();
    auto const f = tg::sum(x * y) + tg::logsumexp(x);
    CHECK(near(tg::value(f, 2.0, 3.0), 8.0, 1e-15));
    auto const [v, g] = tg::gradient(f, 2.0, 3.0);
    CHECK(near(v, 8.0, 1e-15));
    CHECK(near(g[0], 4.0, 1e-15));
    CHECK(near(g[1], 2.0, 1e-15));
}

TEST_CASE("a convolutional network's gradient and an Adam step allocate nothing after the first call") {
    auto [X, K1, c1, K2, y] = tg::vars<"X", "K1", "c1", "K2", "y">();
    auto const h = tg::max_pool2d(relu(tg::conv2d(X, K1, 1, 1) + tg::reshape(c1, 3, 1, 1)), 2);
    auto const logits = tg::reshape(tg::avg_pool2d(tg::conv2d(h, K2), 3), -1, 4);
    auto const loss = tg::mean(tg::softmax_cross_entropy(logits, y));
    arr<4> x(4, 1, 10, 10), k1(3, 1, 3, 3), k2(4, 3, 3, 3), gk1(3, 1, 3, 3), gk2(4, 3, 3, 3);
    arr<1> b(3), gb(3);
    fill_uniform(x, 71);
    fill_uniform(k1, 72);
    fill_uniform(k2, 73);
    fill_uniform(b, 74);
    std::vector<long> labels{0, 3, 2, 1};
    tg::workspace ws;
    tg::train::adam<> opt({.learning_rate = 0.01});
    double first = 0, last = 0;
    for (int step = 0; step < 4; ++step) {
        counting = true;
        allocations = 0;
        double const L = tg::gradient(ws, loss, tg::gradient_to(tg::skip, gk1.ref(), gb.ref(), gk2.ref(), tg::skip),
                                      x.cref(), k1.cref(), b.cref(), k2.cref(), labels);
        if (step > 0)
            opt.step(tg::train::param(k1.v, gk1.v), tg::train::param(b.v, gb.v), tg::train::param(k2.v, gk2.v));
        counting = false;
        if (step > 0) CHECK(allocations == 0);
        if (step == 0) {
            first = L;
            // The optimizer's state is allocated at its first step, outside the counted calls.
            opt.step(tg::train::param(k1.v, gk1.v), tg::train::param(b.v, gb.v), tg::train::param(k2.v, gk2.v));
        }
        last = L;
    }
    CHECK(ws.capacity() > 0);
    CHECK(last < first);
}
