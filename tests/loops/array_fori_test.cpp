// tg::fori over an array state (a step with array operations): values, gradients under
// every policy and forward mode against a naive loop and finite differences; bad shapes.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

namespace {
// A recurrent layer, written out: S <- tanh(S W + b) + 0.5 S over n steps (S: B x H).
struct recurrent {
    std::size_t B, H;
    int n;
    double loss(std::vector<double> s, std::vector<double> const& w, std::vector<double> const& b) const {
        for (int k = 0; k < n; ++k) {
            std::vector<double> next(B * H);
            for (std::size_t i = 0; i < B; ++i)
                for (std::size_t j = 0; j < H; ++j) {
                    double a = b[j];
                    for (std::size_t l = 0; l < H; ++l) a += s[i * H + l] * w[l * H + j];
                    next[i * H + j] = std::tanh(a) + 0.5 * s[i * H + j];
                }
            s = next;
        }
        double L = 0;
        for (std::size_t i = 0; i < B * H; ++i) L += s[i] * s[i] * (1.0 + 0.1 * static_cast<double>(i));
        return L;
    }
};

std::vector<double> filled(std::size_t n, double scale, double shift) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = scale * std::sin(1.3 * static_cast<double>(i) + shift);
    return v;
}

template <class Loop>
void check_recurrent(Loop const& loop, recurrent const& ref) {
    auto const weight = tg::named<3, "c">();
    auto const loss = tg::sum(tg::square(loop) * weight);
    std::size_t const B = ref.B, H = ref.H;
    auto s = filled(B * H, 0.5, 0.1), w = filled(H * H, 0.4, 0.7), b = filled(H, 0.3, 2.0);
    std::vector<double> c(B * H);
    for (std::size_t i = 0; i < B * H; ++i) c[i] = 1.0 + 0.1 * static_cast<double>(i);
    auto const S = tg::view(s.data(), B, H);
    auto const W = tg::view(w.data(), H, H);
    auto const C = tg::view(c.data(), B, H);
    CHECK(tg::value(loss, S, W, b, C) == doctest::Approx(ref.loss(s, w, b)).epsilon(1e-13));
    std::vector<double> gs(B * H), gw(H * H), gb(H);
    double const L = tg::gradient(loss, tg::gradient_to(tg::view(gs.data(), B, H), tg::view(gw.data(), H, H), gb, tg::skip),
                                  S, W, b, C);
    CHECK(L == doctest::Approx(ref.loss(s, w, b)).epsilon(1e-13));
    double const e = 1e-6;
    auto fd = [&](std::vector<double>& v, std::size_t i) {
        double const keep = v[i];
        v[i] = keep + e;
        double const up = ref.loss(s, w, b);
        v[i] = keep - e;
        double const down = ref.loss(s, w, b);
        v[i] = keep;
        return (up - down) / (2 * e);
    };
    for (std::size_t i = 0; i < B * H; ++i) CHECK(gs[i] == doctest::Approx(fd(s, i)).epsilon(1e-6));
    for (std::size_t i = 0; i < H * H; ++i) CHECK(gw[i] == doctest::Approx(fd(w, i)).epsilon(1e-6));
    for (std::size_t i = 0; i < H; ++i) CHECK(gb[i] == doctest::Approx(fd(b, i)).epsilon(1e-6));
    // Forward mode along the gradient's own direction in W gives |gW|^2.
    auto const jv = tg::jvp(loss, tg::along(tg::skip, tg::view(gw.data(), H, H), tg::skip, tg::skip), S, W, b, C);
    double gw2 = 0;
    for (double v : gw) gw2 += v * v;
    CHECK(jv.value == doctest::Approx(L).epsilon(1e-14));
    CHECK(jv.tangent == doctest::Approx(gw2).epsilon(1e-11));
}
}  // namespace

TEST_CASE("a loop over a matrix state with a matrix product, under every policy and in forward mode") {
    auto const S0 = tg::named<0, "S">();
    auto const W = tg::named<1, "W">();
    auto const b = tg::named<2, "b">();
    for (int n : {0, 1, 3, 9, 40}) {
        CAPTURE(n);
        recurrent const ref{3, 4, n};
        check_recurrent(tg::fori(n, [&](auto s) { return tanh(tg::matmul(s, W) + b) + 0.5 * s; }, S0), ref);
        check_recurrent(tg::fori<tg::store_all>(n, [&](auto s) { return tanh(tg::matmul(s, W) + b) + 0.5 * s; }, S0), ref);
        check_recurrent(tg::fori<tg::checkpoints<1>>(n, [&](auto s) { return tanh(tg::matmul(s, W) + b) + 0.5 * s; }, S0), ref);
        check_recurrent(tg::fori<tg::checkpoints<3>>(n, [&](auto s) { return tanh(tg::matmul(s, W) + b) + 0.5 * s; }, S0), ref);
    }
}

TEST_CASE("an array loop with a number among its outer variables, its printout") {
    auto const x = tg::named<0, "x">();
    auto const a = tg::named<1, "a">();
    // x <- x - a * (x - mean(x)): the spread shrinks by (1 - a) per step; the mean stays.
    auto const loop = tg::fori(6, [&](auto s) { return s - a * (s - tg::mean(s)); }, x);
    std::vector<double> xv{1.0, 2.0, 4.0};
    double const av = 0.25;
    double const m = 7.0 / 3.0;
    // sum((x_n - m)^2) = (1 - a)^12 sum((x - m)^2): its derivative in a is -12 (1 - a)^11 sum((x - m)^2).
    auto const spread = tg::sum(tg::square(loop - tg::mean(x)));
    double v0 = 0;
    for (double v : xv) v0 += (v - m) * (v - m);
    double ga = 0;
    std::vector<double> gx(3);
    double const L = tg::gradient(spread, tg::gradient_to(gx, ga), xv, av);
    CHECK(L == doctest::Approx(std::pow(1 - av, 12) * v0).epsilon(1e-13));
    CHECK(ga == doctest::Approx(-12 * std::pow(1 - av, 11) * v0).epsilon(1e-12));
    CHECK(tg::to_string(loop) == "fori(6, (s0) -> (s0 - (a * (s0 - mean(s0)))), x)");
}

TEST_CASE("a step that changes an array state's shape is refused with both shapes") {
    auto const x = tg::named<0, "x">();
    auto const loop = tg::fori(2, [](auto s) { return tg::slice(s, 1, tg::end); }, x);
    std::vector<double> xv{1.0, 2.0, 4.0};
    try {
        (void)tg::value(tg::sum(loop), xv);
        FAIL("no exception");
    } catch (std::invalid_argument const& e) {
        std::string const what = e.what();
        CHECK(what.find("typegrad: tg::fori: a step must give an array of the state's shape (3,)") == 0);
        CHECK(what.find("(2,)") != std::string::npos);
    }
}

TEST_CASE("two store_all array loops of one type in one program keep apart") {
    auto const x = tg::named<0, "x">();
    // One lambda type, two loops that differ only in a number their bodies hold.
    auto const make = [&](double k) {
        return tg::fori<tg::store_all>(3, [&x, k](auto s) { return s * k + tg::mean(s) + 0.0 * x; }, x);
    };
    auto const loss = tg::sum(make(0.5)) + 2.0 * tg::sum(make(0.7));
    std::vector<double> xv{1.0, 2.0, 4.0};
    auto const naive = [](std::vector<double> s, double k) {
        for (int t = 0; t < 3; ++t) {
            double const m = (s[0] + s[1] + s[2]) / 3;
            for (double& v : s) v = v * k + m;
        }
        return s[0] + s[1] + s[2];
    };
    auto const ref = [&](std::vector<double> const& v) { return naive(v, 0.5) + 2.0 * naive(v, 0.7); };
    std::vector<double> g(3);
    double const L = tg::gradient(loss, tg::gradient_to(g), xv);
    CHECK(L == doctest::Approx(ref(xv)).epsilon(1e-14));
    // The sum of every state is linear in x: each gradient entry is the same, sum / 3 per unit.
    double const e = 1e-6;
    for (std::size_t i = 0; i < 3; ++i) {
        auto up = xv, down = xv;
        up[i] += e;
        down[i] -= e;
        CHECK(g[i] == doctest::Approx((ref(up) - ref(down)) / (2 * e)).epsilon(1e-8));
    }
}
