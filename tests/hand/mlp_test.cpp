// benchmarks/hand/mlp.hpp (P6 by hand-written backprop): gradient against central
// differences and a closed form, back ends against each other, the SGD step against its
// definition, no allocation per step, and P6's training lowering the loss.
#include <doctest/doctest.h>

#include <array>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <new>
#include <random>
#include <vector>

#include "benchmarks/hand/mlp.hpp"
#include "examples/support/p6_data.hpp"
#include "hand/central_difference.hpp"
#include "support/finite_difference.hpp"

// Counts every global allocation of this test program, so a test can show that a call
// allocates nothing.
namespace {
std::atomic<long> allocations{0};
}
void* operator new(std::size_t n) {
    ++allocations;
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {
using example_data::p6_problem;

// W1, b1, W2, b2 as four owned arrays.
struct params {
    std::array<std::vector<double>, 4> a;
    explicit params(p6_problem const& p) : a{p.W1, p.b1, p.W2, p.b2} {}
    params(std::size_t K, std::size_t H)
        : a{std::vector<double>(K * H), std::vector<double>(H), std::vector<double>(H), std::vector<double>(1)} {}
    hand::mlp_weights_out out() { return {a[0].data(), a[1].data(), a[2].data(), a[3].data()}; }
};

hand::mlp_sizes sizes_of(p6_problem const& p) { return {p.inputs, p.hidden}; }

// Every coordinate of every parameter array against central differences of mlp_loss.
template <class Dense>
void check_against_differences(p6_problem const& p) {
    hand::mlp_workspace ws(p.rows, sizes_of(p));
    params w(p), g(p.inputs, p.hidden);
    double const L = hand::mlp_value_and_gradient<Dense>(p.X.data(), p.y.data(), p.rows, w.out(), g.out(), ws);
    CHECK(L == doctest::Approx(hand::mlp_loss<Dense>(p.X.data(), p.y.data(), p.rows, w.out(), ws)).epsilon(1e-14));
    auto loss = [&] { return hand::mlp_loss<Dense>(p.X.data(), p.y.data(), p.rows, w.out(), ws); };
    int checked = 0;
    for (int a = 0; a < 4; ++a)
        for (std::size_t i = 0; i < w.a[a].size(); ++i) {
            CAPTURE(a);
            CAPTURE(i);
            // A small step: a relu must not switch inside it (the data keep every pre-activation away from 0).
            double const fd = hand_test::central_difference(loss, w.a[a], i, 1e-6);
            CHECK(typegrad_test::close(g.a[a][i], fd, 1e-7));
            ++checked;
        }
    CHECK(checked == static_cast<int>(p.inputs * p.hidden + 2 * p.hidden + 1));
}
}  // namespace

TEST_CASE("hand P6: the backprop gradient matches central differences (loops)") {
    // Rows and sizes small enough to check every coordinate; standard normal as in P6.
    auto const p = example_data::make_p6_problem(11, 9, 6, 4);
    check_against_differences<hand::loops>(p);
}

#if defined(TYPEGRAD_HAND_CBLAS)
TEST_CASE("hand P6: the backprop gradient matches central differences (cblas), and loops") {
    auto const p = example_data::make_p6_problem(11, 9, 6, 4);
    check_against_differences<hand::cblas>(p);
    auto const q = example_data::make_p6_problem(5);  // P6's sizes
    hand::mlp_workspace ws(q.rows, sizes_of(q));
    params w(q), g1(q.inputs, q.hidden), g2(q.inputs, q.hidden);
    double const L1 = hand::mlp_value_and_gradient<hand::loops>(q.X.data(), q.y.data(), q.rows, w.out(), g1.out(), ws);
    double const L2 = hand::mlp_value_and_gradient<hand::cblas>(q.X.data(), q.y.data(), q.rows, w.out(), g2.out(), ws);
    CHECK(typegrad_test::close(L1, L2, 1e-13));
    for (int a = 0; a < 4; ++a)
        for (std::size_t i = 0; i < g1.a[a].size(); ++i)
            CHECK(typegrad_test::close(g1.a[a][i], g2.a[a][i], 1e-11));
}
#endif

TEST_CASE("hand P6: closed forms where the network is linear or dead") {
    // One input, one hidden unit, all positive: yhat = (x w1 + b1) w2 + b2, so with
    // r = yhat - y over B rows, dL/db2 = 2 mean(r), dL/dw2 = 2 mean(r h), dL/dw1 = 2 w2 mean(r x).
    std::vector<double> X{1.0, 2.0, 3.0}, y{0.5, -1.0, 4.0};
    std::vector<double> W1{0.5}, b1{0.25}, W2{2.0}, b2{0.125};
    hand::mlp_workspace ws(3, {1, 1});
    std::vector<double> gW1(1), gb1(1), gW2(1), gb2(1);
    double const L = hand::mlp_value_and_gradient(X.data(), y.data(), 3, {W1.data(), b1.data(), W2.data(), b2.data()},
                                                  {gW1.data(), gb1.data(), gW2.data(), gb2.data()}, ws);
    double sr = 0, srh = 0, srx = 0, sq = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        double const h = X[i] * 0.5 + 0.25, r = h * 2.0 + 0.125 - y[i];
        sr += r, srh += r * h, srx += r * X[i], sq += r * r;
    }
    CHECK(L == doctest::Approx(sq / 3).epsilon(1e-15));
    CHECK(gb2[0] == doctest::Approx(2 * sr / 3).epsilon(1e-15));
    CHECK(gW2[0] == doctest::Approx(2 * srh / 3).epsilon(1e-15));
    CHECK(gb1[0] == doctest::Approx(2 * 2.0 * sr / 3).epsilon(1e-15));
    CHECK(gW1[0] == doctest::Approx(2 * 2.0 * srx / 3).epsilon(1e-15));
    // Output bias far below zero: yhat = 0, loss = mean(y^2), every gradient 0 (relu'(z < 0) = 0).
    b2[0] = -100.0;
    double const L0 = hand::mlp_value_and_gradient(X.data(), y.data(), 3, {W1.data(), b1.data(), W2.data(), b2.data()},
                                                   {gW1.data(), gb1.data(), gW2.data(), gb2.data()}, ws);
    CHECK(L0 == doctest::Approx((0.25 + 1.0 + 16.0) / 3).epsilon(1e-15));
    CHECK(gW1[0] == 0.0);
    CHECK(gb1[0] == 0.0);
    CHECK(gW2[0] == 0.0);
    CHECK(gb2[0] == 0.0);
}

TEST_CASE("hand P6: an SGD step is the gradient on the drawn rows, and allocates nothing") {
    auto const p = example_data::make_p6_problem(3, 40, 6, 4);
    hand::mlp_workspace ws(5, sizes_of(p));
    params w(p), expect(p), g(p.inputs, p.hidden);
    std::mt19937_64 rng(99), replay(99);
    for (int step = 0; step < 3; ++step) {
        long const before = allocations.load();
        double const L = hand::mlp_sgd_step(p.X.data(), p.y.data(), p.rows, 5, 0.05, rng, w.out(), ws);
        CHECK(allocations.load() == before);
        // The definition: the same five rows (drawn in order), their gradient, one step.
        std::vector<double> bx, by;
        for (int b = 0; b < 5; ++b) {
            std::size_t const r = example_data::draw_index(replay, p.rows);
            bx.insert(bx.end(), p.X.begin() + static_cast<long>(r * p.inputs),
                      p.X.begin() + static_cast<long>((r + 1) * p.inputs));
            by.push_back(p.y[r]);
        }
        hand::mlp_workspace ws2(5, sizes_of(p));
        double const L2 = hand::mlp_value_and_gradient(bx.data(), by.data(), 5, expect.out(), g.out(), ws2);
        CHECK(L == L2);
        for (int a = 0; a < 4; ++a)
            for (std::size_t i = 0; i < g.a[a].size(); ++i) {
                expect.a[a][i] -= 0.05 * g.a[a][i];
                CHECK(w.a[a][i] == expect.a[a][i]);
            }
    }
}

TEST_CASE("hand P6: 5000 SGD steps of batch 5 lower the full-data loss several-fold") {
    auto const p = example_data::make_p6_problem(2024);
    hand::mlp_workspace full(p.rows, sizes_of(p)), batch(5, sizes_of(p));
    params w(p);
    double const before = hand::mlp_loss(p.X.data(), p.y.data(), p.rows, w.out(), full);
    std::mt19937_64 rng(1);
    for (int s = 0; s < 5000; ++s) hand::mlp_sgd_step(p.X.data(), p.y.data(), p.rows, 5, 0.05, rng, w.out(), batch);
    double const after = hand::mlp_loss(p.X.data(), p.y.data(), p.rows, w.out(), full);
    MESSAGE("P6 full-data loss: " << before << " before, " << after << " after");
    CHECK(std::isfinite(after));
    CHECK(after < 0.25 * before);
}
