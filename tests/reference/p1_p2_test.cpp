// Reference problems P1 (multivariate chain rule) and P2 (forward and reverse
// accumulation) from REFERENCE_PROBLEMS.md, against their closed forms.
#include <doctest/doctest.h>

#include <array>
#include <cmath>

#include <typegrad/typegrad.hpp>

#include "support/finite_difference.hpp"

namespace tg = typegrad;
using namespace tg::literals;

namespace {
// P1 written once, generically, as a user would: g1 feeds both h1 and h2.
template <class X>
auto p1_loss(X x) {
    auto g1 = 3_c * x;
    auto g2 = x * x + x;
    auto h1 = 2_c * g1 + 1_c;
    auto h2 = 2_c * g1 + g2;
    return (h1 - h2) * (h1 - h2);
}
double p1_closed_value(double x) { return (1 - x - x * x) * (1 - x - x * x); }
double p1_closed_derivative(double x) { return -2 * (1 - x - x * x) * (1 + 2 * x); }
}  // namespace

TEST_CASE("P1: value and derivative in forward and reverse mode match the closed form") {
    auto const loss = p1_loss(tg::var<0>{});
    for (double x : {-3.0, -1.0, -0.5, 0.0, 0.3, 0.7, 1.0, 2.5, 10.0}) {
        CAPTURE(x);
        auto const r = tg::gradient(loss, x);
        auto const f = tg::gradient<tg::forward>(loss, x);
        CHECK(typegrad_test::close(r.value, p1_closed_value(x), 1e-14));
        CHECK(typegrad_test::close(r.gradient[0], p1_closed_derivative(x), 1e-14));
        CHECK(typegrad_test::close(f.gradient[0], p1_closed_derivative(x), 1e-14));
        CHECK(f.value == r.value);
        // The same generic function evaluated on plain doubles.
        CHECK(p1_loss(x) == doctest::Approx(p1_closed_value(x)));
    }
}

TEST_CASE("P2: z = x1 x2 + sin x1, gradient (x2 + cos x1, x1) in both modes") {
    auto [x1, x2] = tg::vars<"x1", "x2">();
    auto const z = x1 * x2 + sin(x1);
    auto const [v, g] = tg::gradient(z, 1.5, 0.5);
    CHECK(v == doctest::Approx(0.75 + std::sin(1.5)).epsilon(1e-15));
    CHECK(g[0] == doctest::Approx(0.5 + std::cos(1.5)).epsilon(1e-15));
    CHECK(g[1] == 1.5);
    auto const f = tg::gradient<tg::forward>(z, 1.5, 0.5);
    CHECK(f.gradient == g);
    // One forward sweep per input, seeds (1, 0) and (0, 1), gives the same components.
    auto const [v1, d1] = tg::jvp(z, std::array{1.5, 0.5}, std::array{1.0, 0.0});
    auto const [v2, d2] = tg::jvp(z, std::array{1.5, 0.5}, std::array{0.0, 1.0});
    CHECK(v1 == v);
    CHECK(v2 == v);
    CHECK(d1 == g[0]);
    CHECK(d2 == g[1]);
}

TEST_CASE("P2: the documented call forms all agree") {
    auto [x1, x2] = tg::vars<2>();
    auto const f = x1 * x2 + sin(x1);
    double const v = tg::value(f, 1.5, 0.5);
    auto const [val, g] = tg::gradient(f, 1.5, 0.5);
    auto const r = tg::gradient<tg::forward>(f, 1.5, 0.5);
    auto const [v2, dv] = tg::jvp(f, std::array{1.5, 0.5}, std::array{1.0, 0.0});
    auto const h = [](auto a, auto b) { return a * b + sin(a); };
    auto const [v3, g3] = tg::gradient(h, 1.5, 0.5);
    auto const ga = tg::gradient(f, std::array{1.5, 0.5});
    CHECK(v == val);
    CHECK(r.value == val);
    CHECK(v2 == val);
    CHECK(v3 == val);
    CHECK(h(1.5, 0.5) == val);
    CHECK(r.gradient == g);
    CHECK(g3 == g);
    CHECK(ga.gradient == g);
    CHECK(dv == g[0]);
}
