// tg::fori: values, both modes and the checkpointing policies against closed forms,
// naive loops and finite differences; outer variables, run-time numbers, nested
// loops and gradients through inner gradient steps (tg::d in the body).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

namespace {
template <class F, class... X>
double central(F const& f, std::size_t i, X... x) {
    double p[] = {static_cast<double>(x)...};
    double const h = 1e-6 * (1.0 + std::abs(p[i]));
    p[i] += h;
    double const up = std::apply([&](auto... v) { return tg::value(f, v...); }, std::tuple{p[0], p[1]});
    p[i] -= 2 * h;
    double const down = std::apply([&](auto... v) { return tg::value(f, v...); }, std::tuple{p[0], p[1]});
    return (up - down) / (2 * h);
}
}  // namespace

TEST_CASE("a scalar loop y <- a y gives y0 a^n, with its gradient in both modes") {
    auto const y = tg::named<0, "y">(); auto const a = tg::named<1, "a">();
    for (int n : {0, 1, 2, 5, 17}) {
        auto const yn = tg::fori(n, [&](auto s) { return s * a; }, y);
        double const y0 = 2.0, av = 1.25;
        CHECK(tg::value(yn, y0, av) == doctest::Approx(y0 * std::pow(av, n)).epsilon(1e-14));
        auto const r = tg::gradient(yn, y0, av);
        auto const f = tg::gradient<tg::forward>(yn, y0, av);
        double const dy = std::pow(av, n), da = n == 0 ? 0.0 : y0 * n * std::pow(av, n - 1);
        CHECK(r.gradient[0] == doctest::Approx(dy).epsilon(1e-14));
        CHECK(r.gradient[1] == doctest::Approx(da).epsilon(1e-14));
        CHECK(f.gradient[0] == doctest::Approx(dy).epsilon(1e-14));
        CHECK(f.gradient[1] == doctest::Approx(da).epsilon(1e-14));
    }
}

TEST_CASE("a negative trip count is refused with the count in the message") {
    auto const y = tg::named<0, "y">();
    try {
        (void)tg::fori(-3, [](auto s) { return s * s; }, y);
        FAIL("no exception");
    } catch (std::invalid_argument const& e) {
        CHECK(std::string(e.what()) == "typegrad: tg::fori: the trip count must be at least 0; it is -3");
    }
}

namespace {
// x_{k+1} = x_k + h sin(a x_k) and its adjoint, written out: the naive reference.
struct sine_map {
    double h;
    double value(double x, double a, int n) const {
        for (int k = 0; k < n; ++k) x += h * std::sin(a * x);
        return x;
    }
    std::array<double, 2> gradient(double x0, double a, int n) const {
        std::vector<double> xs(static_cast<std::size_t>(n) + 1);
        xs[0] = x0;
        for (int k = 0; k < n; ++k) xs[k + 1] = xs[k] + h * std::sin(a * xs[k]);
        double bx = 1.0, ba = 0.0;
        for (int k = n; k-- > 0;) {
            double const c = std::cos(a * xs[k]);
            ba += bx * h * c * xs[k];
            bx *= 1.0 + h * c * a;
        }
        return {bx, ba};
    }
};
}  // namespace

TEST_CASE("every checkpointing policy gives the gradient of the naive adjoint") {
    auto const x = tg::named<0, "x">(); auto const a = tg::named<1, "a">();
    double const h = 0.01;
    sine_map const ref{h};
    for (int n : {1, 2, 3, 7, 64, 65, 200, 1000}) {
        CAPTURE(n);
        auto const expect = ref.gradient(0.3, 1.7, n);
        auto const check = [&](auto const& loop) {
            auto const g = tg::gradient(loop, 0.3, 1.7);
            CHECK(g.value == doctest::Approx(ref.value(0.3, 1.7, n)).epsilon(1e-13));
            CHECK(g.gradient[0] == doctest::Approx(expect[0]).epsilon(1e-12));
            CHECK(g.gradient[1] == doctest::Approx(expect[1]).epsilon(1e-12));
        };
        check(tg::fori(n, [&](auto s) { return s + h * sin(a * s); }, x));
        check(tg::fori<tg::store_all>(n, [&](auto s) { return s + h * sin(a * s); }, x));
        check(tg::fori<tg::checkpoints<1>>(n, [&](auto s) { return s + h * sin(a * s); }, x));
        check(tg::fori<tg::checkpoints<2>>(n, [&](auto s) { return s + h * sin(a * s); }, x));
        check(tg::fori<tg::checkpoints<5>>(n, [&](auto s) { return s + h * sin(a * s); }, x));
        auto const f = tg::gradient<tg::forward>(tg::fori(n, [&](auto s) { return s + h * sin(a * s); }, x), 0.3, 1.7);
        CHECK(f.gradient[0] == doctest::Approx(expect[0]).epsilon(1e-12));
        CHECK(f.gradient[1] == doctest::Approx(expect[1]).epsilon(1e-12));
    }
}

TEST_CASE("binomial checkpointing pulls every step once, last first, within its snapshots") {
    for (std::size_t n : {1u, 2u, 10u, 100u, 1000u, 5000u}) {
        for (std::size_t free : {0u, 1u, 2u, 4u, 9u}) {
            if (free == 0 && n > 100) continue;  // quadratic without snapshots
            CAPTURE(n);
            CAPTURE(free);
            std::size_t advances = 0, next = n, highest = 0;
            bool in_order = true;
            // A state is its step index; free snapshots and a spare above slot 0.
            std::vector<double> slots(free + 2, -1.0);
            slots[0] = 0.0;
            auto const advance = [&](std::size_t from, std::size_t to, std::size_t m) {
                advances += m;
                highest = std::max(highest, to);
                slots.at(to) = slots.at(from) + static_cast<double>(m);
            };
            auto const pull = [&](std::size_t slot, std::size_t i) {
                in_order = in_order && i + 1 == next && slots.at(slot) == static_cast<double>(i);
                next = i;
            };
            tg::detail::reverse_slots(0, n, 0, free, advance, pull);
            CHECK(in_order);
            CHECK(next == 0);
            CHECK(highest <= free + 1);
            if (free > 0) {
                // With c snapshots and r repetitions reaching n, no step is advanced more than r times.
                std::size_t r = 1;
                while (tg::detail::binomial_reach(free, r) < n) ++r;
                CHECK(advances <= r * n);
            }
        }
    }
}

TEST_CASE("binomial_reach is C(c + r, c)") {
    CHECK(tg::detail::binomial_reach(1, 1) == 2);
    CHECK(tg::detail::binomial_reach(2, 3) == 10);
    CHECK(tg::detail::binomial_reach(3, 3) == 20);
    CHECK(tg::detail::binomial_reach(99, 2) == 5050);
    CHECK(tg::detail::binomial_reach(100, 100) == (std::size_t{1} << 62));  // saturated
}

TEST_CASE("a state of two numbers, numbers as initial state, and several uses of the results") {
    auto const y = tg::named<0, "y">(); auto const a = tg::named<1, "a">();
    auto const loop = [&](int n) { return tg::fori(n, [&](auto p, auto q) { return std::tuple{q, p + q * a}; }, y, 1.0); };
    auto const naive = [](double yv, double av, int n) {
        double p = yv, q = 1.0;
        for (int k = 0; k < n; ++k) {
            double const np = q, nq = p + q * av;
            p = np;
            q = nq;
        }
        return p * q + 0.5 * yv;
    };
    for (int n : {0, 1, 4, 9}) {
        CAPTURE(n);
        auto [u, v] = loop(n);
        auto const f = u * v + 0.5 * y;
        double const yv = 2.0, av = 1.5;
        CHECK(tg::value(f, yv, av) == doctest::Approx(naive(yv, av, n)).epsilon(1e-14));
        auto const r = tg::gradient(f, yv, av);
        auto const fw = tg::gradient<tg::forward>(f, yv, av);
        double const e = 1e-6;
        double const fd0 = (naive(yv + e, av, n) - naive(yv - e, av, n)) / (2 * e);
        double const fd1 = (naive(yv, av + e, n) - naive(yv, av - e, n)) / (2 * e);
        CHECK(r.gradient[0] == doctest::Approx(fd0).epsilon(1e-7));
        CHECK(r.gradient[1] == doctest::Approx(fd1).epsilon(1e-7));
        CHECK(fw.gradient[0] == doctest::Approx(r.gradient[0]).epsilon(1e-13));
        CHECK(fw.gradient[1] == doctest::Approx(r.gradient[1]).epsilon(1e-13));
    }
}

TEST_CASE("the results of a loop as outputs of a Jacobian, in both modes") {
    auto const p0 = tg::named<0, "p0">(); auto const q0 = tg::named<1, "q0">(); auto const w = tg::named<2, "w">();
    double const h = 0.05;
    // A rotation by h w per step (symplectic Euler): closed form cos/sin for small h checked by FD.
    auto const [p, q] = tg::fori(40, [&](auto p_, auto q_) {
        auto const qn = q_ - h * w * p_;
        return std::tuple{p_ + h * w * qn, qn};
    }, p0, q0);
    auto const outs = tg::outputs(p, q);
    auto const jf = tg::jacobian<tg::forward>(outs, 1.0, 0.5, 0.8);
    auto const jr = tg::jacobian<tg::reverse>(outs, 1.0, 0.5, 0.8);
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 3; ++j) CHECK(jf.jacobian(i, j) == doctest::Approx(jr.jacobian(i, j)).epsilon(1e-13));
    // d(p, q)/d(p0, q0) is the 40th power of a matrix of determinant 1 (the map is symplectic).
    double const det = jr.jacobian(0, 0) * jr.jacobian(1, 1) - jr.jacobian(0, 1) * jr.jacobian(1, 0);
    CHECK(det == doctest::Approx(1.0).epsilon(1e-12));
}

TEST_CASE("outer variables and run-time numbers in the body, a loop's value as another's input") {
    auto const x = tg::named<0, "x">(); auto const a = tg::named<1, "a">();
    double const h = 0.1, k = 3.0;
    auto const inner = tg::fori(5, [&](auto s) { return s + h * (a - s) * k; }, x);
    auto const outer = tg::fori(3, [&](auto s) { return s * a + 0.5; }, inner);
    auto const naive = [&](double xv, double av) {
        for (int i = 0; i < 5; ++i) xv += h * (av - xv) * k;
        for (int i = 0; i < 3; ++i) xv = xv * av + 0.5;
        return xv;
    };
    auto const g = tg::gradient(outer, 0.2, 1.1);
    CHECK(g.value == doctest::Approx(naive(0.2, 1.1)).epsilon(1e-14));
    double const e = 1e-6;
    CHECK(g.gradient[0] == doctest::Approx((naive(0.2 + e, 1.1) - naive(0.2 - e, 1.1)) / (2 * e)).epsilon(1e-7));
    CHECK(g.gradient[1] == doctest::Approx((naive(0.2, 1.1 + e) - naive(0.2, 1.1 - e)) / (2 * e)).epsilon(1e-7));
}

TEST_CASE("a loop nested in another's body") {
    auto const x = tg::named<0, "x">(); auto const a = tg::named<1, "a">();
    // Outer: 4 steps of s <- inner(s), inner: 3 steps of t <- t * a + s (s fixed in the inner loop).
    auto const loop = tg::fori(4, [&](auto s) { return tg::fori(3, [&](auto t) { return t * a + s; }, s); }, x);
    auto const naive = [](double s, double av) {
        for (int i = 0; i < 4; ++i) {
            double t = s;
            for (int j = 0; j < 3; ++j) t = t * av + s;
            s = t;
        }
        return s;
    };
    auto const g = tg::gradient(loop, 0.3, 0.9);
    auto const f = tg::gradient<tg::forward>(loop, 0.3, 0.9);
    CHECK(g.value == doctest::Approx(naive(0.3, 0.9)).epsilon(1e-14));
    double const e = 1e-6;
    double const fd0 = (naive(0.3 + e, 0.9) - naive(0.3 - e, 0.9)) / (2 * e);
    double const fd1 = (naive(0.3, 0.9 + e) - naive(0.3, 0.9 - e)) / (2 * e);
    CHECK(g.gradient[0] == doctest::Approx(fd0).epsilon(1e-7));
    CHECK(g.gradient[1] == doctest::Approx(fd1).epsilon(1e-7));
    CHECK(f.gradient[0] == doctest::Approx(g.gradient[0]).epsilon(1e-13));
    CHECK(f.gradient[1] == doctest::Approx(g.gradient[1]).epsilon(1e-13));
}

TEST_CASE("gradients through inner gradient steps: a saddle point in closed form") {
    // f(x, z) = x z - z^2: n steps of gradient ascent in z, z <- z + eta df/dz, then L(x) = f(x, z_n).
    // With r = 1 - 2 eta: z_n = r^n z0 + x (1 - r^n) / 2, and
    // dL/dx = z_n + (x - 2 z_n) dz_n/dx, dz_n/dx = (1 - r^n) / 2;  dL/dz0 = (x - 2 z_n) r^n.
    auto const x = tg::named<0, "x">(); auto const z = tg::named<1, "z">();
    double const eta = 0.1;
    auto const f = [](auto const& xv, auto const& zv) { return xv * zv - zv * zv; };
    for (int n : {1, 5, 30}) {
        CAPTURE(n);
        auto const zn = tg::fori(n, [&](auto s) { return s + eta * tg::d(f(x, s), s); }, z);
        auto const loss = f(x, zn);
        double const xv = 1.5, z0 = -0.4, r = 1 - 2 * eta, rn = std::pow(r, n);
        double const znv = rn * z0 + xv * (1 - rn) / 2;
        auto const g = tg::gradient(loss, xv, z0);
        CHECK(g.value == doctest::Approx(xv * znv - znv * znv).epsilon(1e-13));
        CHECK(g.gradient[0] == doctest::Approx(znv + (xv - 2 * znv) * (1 - rn) / 2).epsilon(1e-13));
        CHECK(g.gradient[1] == doctest::Approx((xv - 2 * znv) * rn).epsilon(1e-13));
        auto const fw = tg::gradient<tg::forward>(loss, xv, z0);
        CHECK(fw.gradient[0] == doctest::Approx(g.gradient[0]).epsilon(1e-13));
        CHECK(fw.gradient[1] == doctest::Approx(g.gradient[1]).epsilon(1e-13));
    }
}

TEST_CASE("a loop prints as one node with its body") {
    auto const y = tg::named<0, "y">(); auto const a = tg::named<1, "a">();
    auto const yn = tg::fori(7, [&](auto s) { return s * a + 0.5; }, y);
    CHECK(tg::to_string(yn) == "fori(7, (s0) -> outputs(((s0 * a) + 0.5)), y)");
    auto const [p, q] = tg::fori(2, [&](auto u, auto v) { return std::tuple{v, u}; }, y, a);
    CHECK(tg::to_string(p + q) == "(fori(2, (s0, s1) -> outputs(s1, s0), y, a)[0] + fori(2, (s0, s1) -> outputs(s1, s0), y, a)[1])");
    std::string const dot = tg::to_dot(yn);
    CHECK(dot.find("label=\"fori(7, (s0) -> outputs(((s0 * a) + 0.5)), y)\"") != std::string::npos);
}

TEST_CASE("a loop of a constant state has a zero gradient, an unused state number gets none") {
    auto const a = tg::named<0, "a">();
    auto const c = tg::fori(3, [](auto s) { return s * 2.0; }, 1.0);
    auto const g = tg::gradient(c + a, 5.0);
    CHECK(g.value == doctest::Approx(13.0));
    CHECK(g.gradient[0] == 1.0);
    auto const [u, v] = tg::fori(3, [&](auto p, auto q) { return std::tuple{p * a, q + 1.0}; }, a, 0.0);
    (void)v;
    auto const gu = tg::gradient(u, 2.0);
    CHECK(gu.gradient[0] == doctest::Approx(4.0 * 8.0));  // u = a^4: 4 a^3
}

TEST_CASE("the schedule's split agrees with the binomial coefficients it stands for") {
    for (std::size_t c = 1; c <= 70; c += 3)
        for (std::size_t l = 2; l <= 20000; l = l * 3 / 2 + 1) {
            std::size_t r = 1;
            while (tg::detail::binomial_reach(c, r) < l) ++r;
            auto const s = tg::detail::split_for(c, l);
            CHECK(s.repetitions == r);
            CHECK(s.right == tg::detail::binomial_reach(c - 1, r));
        }
}

TEST_CASE("store_all reuses the value pass's states only when it starts from the same numbers") {
    auto const x = tg::named<0, "x">();
    auto const a = tg::named<1, "a">();
    double const h = 0.01;
    sine_map const ref{h};
    auto const loop = tg::fori<tg::store_all>(300, [&](auto s) { return s + h * sin(a * s); }, x);
    // Value passes at other points in between: the reverse step must not use their states.
    (void)tg::value(loop, 0.9, 0.2);
    auto const g1 = tg::gradient(loop, 0.3, 1.7);
    (void)tg::value(loop, -0.5, 3.0);
    auto const g2 = tg::gradient(loop, 0.3, 1.7);
    auto const expect = ref.gradient(0.3, 1.7, 300);
    CHECK(g1.gradient[0] == doctest::Approx(expect[0]).epsilon(1e-12));
    CHECK(g1.gradient[1] == doctest::Approx(expect[1]).epsilon(1e-12));
    CHECK(g2.gradient[0] == g1.gradient[0]);
    CHECK(g2.gradient[1] == g1.gradient[1]);
    // A nested store_all loop inside a store_all loop's body.
    auto const nested = tg::fori<tg::store_all>(
        5, [&](auto s) { return tg::fori<tg::store_all>(4, [&](auto t) { return t + h * sin(a * t + s); }, s); }, x);
    auto const naive = [&](double xv, double av) {
        for (int i = 0; i < 5; ++i) {
            double t = xv;
            for (int j = 0; j < 4; ++j) t += h * std::sin(av * t + xv);
            xv = t;
        }
        return xv;
    };
    auto const g = tg::gradient(nested, 0.4, 1.3);
    double const e = 1e-6;
    CHECK(g.gradient[0] == doctest::Approx((naive(0.4 + e, 1.3) - naive(0.4 - e, 1.3)) / (2 * e)).epsilon(1e-8));
    CHECK(g.gradient[1] == doctest::Approx((naive(0.4, 1.3 + e) - naive(0.4, 1.3 - e)) / (2 * e)).epsilon(1e-8));
}

TEST_CASE("a loop's type, so its compiled code, does not depend on its count") {
    auto const y = tg::named<0, "y">();
    auto const a = tg::named<1, "a">();
    auto const step = [&](auto s) { return s * a + 1.0; };
    auto const short_loop = tg::fori(3, step, y);
    auto const long_loop = tg::fori(3'000'000, step, y);
    static_assert(std::is_same_v<decltype(short_loop), decltype(long_loop)>);
    static_assert(tg::node_count<decltype(short_loop)> == 7);  // y, a; the count and 1.0 with their two data nodes; the loop
    CHECK(tg::value(short_loop, 1.0, 1.0) == 4.0);
}
