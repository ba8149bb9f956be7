// tg::while_loop: the steps taken at the point, differentiated in both modes.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <tuple>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

TEST_CASE("a while loop stops where its condition fails, its derivative is that of the steps it took") {
    auto const s = tg::named<0, "s">();
    auto const a = tg::named<1, "a">();
    auto const grow = tg::while_loop([](auto v) { return v < 10.0; }, [&](auto v) { return v * a; }, s);
    // From s = 1 with a = 1.5: 1.5^5 = 7.6 < 10, 1.5^6 = 11.4: six steps, s a^6.
    double const av = 1.5;
    CHECK(tg::value(grow, 1.0, av) == doctest::Approx(std::pow(av, 6)).epsilon(1e-14));
    auto const r = tg::gradient(grow, 1.0, av);
    auto const f = tg::gradient<tg::forward>(grow, 1.0, av);
    CHECK(r.gradient[0] == doctest::Approx(std::pow(av, 6)).epsilon(1e-14));
    CHECK(r.gradient[1] == doctest::Approx(6 * std::pow(av, 5)).epsilon(1e-14));
    CHECK(f.gradient[0] == doctest::Approx(r.gradient[0]).epsilon(1e-14));
    CHECK(f.gradient[1] == doctest::Approx(r.gradient[1]).epsilon(1e-14));
    // A start where the condition fails at once: no step, the identity.
    auto const g = tg::gradient(grow, 12.0, av);
    CHECK(g.value == 12.0);
    CHECK(g.gradient[0] == 1.0);
    CHECK(g.gradient[1] == 0.0);
}

TEST_CASE("Newton's method to a tolerance: sqrt(a) and its derivative 1 / (2 sqrt(a))") {
    auto const z = tg::named<0, "z">();
    auto const a = tg::named<1, "a">();
    auto const root = tg::while_loop([&](auto v) { return abs(v * v - a) > 1e-13; },
                                     [&](auto v) { return 0.5 * (v + a / v); }, z);
    for (double av : {0.5, 2.0, 9.0, 1e4}) {
        CAPTURE(av);
        auto const r = tg::gradient(root, 1.0, av);
        auto const f = tg::gradient<tg::forward>(root, 1.0, av);
        CHECK(r.value == doctest::Approx(std::sqrt(av)).epsilon(1e-13));
        // Converged: the derivative of the iterates converges with them (quadratically).
        CHECK(r.gradient[1] == doctest::Approx(0.5 / std::sqrt(av)).epsilon(1e-9));
        CHECK(std::abs(r.gradient[0]) < 1e-6);  // the start is forgotten
        CHECK(f.gradient[1] == doctest::Approx(r.gradient[1]).epsilon(1e-13));
    }
    // Checkpointed with one snapshot: the same numbers.
    auto const tight = tg::while_loop<tg::checkpoints<1>>([&](auto v) { return abs(v * v - a) > 1e-13; },
                                                          [&](auto v) { return 0.5 * (v + a / v); }, z);
    CHECK(tg::gradient(tight, 1.0, 1e4).gradient[1] == doctest::Approx(tg::gradient(root, 1.0, 1e4).gradient[1]).epsilon(1e-15));
}

TEST_CASE("a while loop over two numbers prints with its condition") {
    auto const x = tg::named<0, "x">();
    auto const [p, q] = tg::while_loop([](auto u, auto) { return u < 3.0; },
                                       [](auto u, auto v) { return std::tuple{u + 1.0, v * 2.0}; }, x, 1.0);
    // From x = 0.5: u = 0.5, 1.5, 2.5, 3.5 (three steps), v = 8.
    auto const g = tg::gradient(p * q, 0.5);
    CHECK(g.value == doctest::Approx(3.5 * 8.0));
    CHECK(g.gradient[0] == doctest::Approx(8.0));
    CHECK(tg::to_string(p).find("while_loop((s0, s1) -> outputs((s0 + 1), (s1 * 2), (s0 < 3)), x, 1)[0]") == 0);
}
