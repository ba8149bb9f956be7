// hypot and erf: values and derivatives in every mode against closed forms and
// finite differences; hypot's partials are 0 at the origin, and hypot neither
// overflows nor underflows where sqrt(a^2 + b^2) would.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <numbers>

#include <typegrad/typegrad.hpp>

#include "support/finite_difference.hpp"
#include "support/op_check.hpp"

namespace tg = typegrad;
using typegrad_test::check_binary;
using typegrad_test::check_binary_at;
using typegrad_test::check_binary_fd;
using typegrad_test::check_unary;
using typegrad_test::check_unary_at;
using typegrad_test::check_unary_fd;
using typegrad_test::inf;
using typegrad_test::qnan;

TEST_CASE("hypot: value sqrt(a^2 + b^2), partials a / r and b / r") {
    auto [x, y] = tg::vars<2>();
    auto const f = tg::hypot(x, y);
    std::initializer_list<std::array<double, 2>> const points = {
        {3.0, 4.0}, {-3.0, 4.0}, {0.5, -1.5}, {-2.0, -0.1}, {1.0, 0.0}, {0.0, -2.0}, {1e-3, 7.0}};
    check_binary(
        f, [](double a, double b) { return std::sqrt(a * a + b * b); },
        [](double a, double b) { return a / std::sqrt(a * a + b * b); },
        [](double a, double b) { return b / std::sqrt(a * a + b * b); }, points);
    check_binary_fd(f, points);
    // Exact at a Pythagorean triple.
    check_binary_at(f, 3.0, 4.0, 5.0, 0.6, 0.8, 1e-15);
}

TEST_CASE("hypot: both partials 0 at the origin") {
    auto [x, y] = tg::vars<2>();
    auto const f = tg::hypot(x, y);
    check_binary_at(f, 0.0, 0.0, 0.0, 0.0, 0.0);
    check_binary_at(f, -0.0, 0.0, 0.0, 0.0, 0.0);
    check_binary_at(f, 0.0, -0.0, 0.0, 0.0, 0.0);
    // hypot(x, x) at 0 as well.
    auto [z] = tg::vars<1>();
    check_unary_at(tg::hypot(z, z), 0.0, 0.0, 0.0);
}

TEST_CASE("hypot at very large and very small scales: no overflow, no underflow") {
    auto [x, y] = tg::vars<2>();
    auto const f = tg::hypot(x, y);
    for (double s : {1e-300, 1e-200, 1e200, 1e300}) {
        CAPTURE(s);
        // (3s, 4s): r = 5s, partials 3/5 and 4/5.
        check_binary_at(f, 3 * s, 4 * s, 5 * s, 0.6, 0.8, 1e-15);
    }
    // A subnormal on one axis: r = |a|, partials (sign a, 0).
    check_binary_at(f, -5e-324, 0.0, 5e-324, -1.0, 0.0);
}

TEST_CASE("hypot with infinities and nan") {
    auto [x, y] = tg::vars<2>();
    auto const f = tg::hypot(x, y);
    // hypot(inf, 1) = inf; d/db = 1 / inf = 0. (d/da is a / r = inf / inf: no convention is
    // documented for it, so it is not checked.)
    auto const r = tg::gradient(f, inf, 1.0);
    CHECK(r.value == inf);
    CHECK(r.gradient[1] == 0.0);
    CHECK(tg::gradient<tg::forward>(f, inf, 1.0).gradient[1] == 0.0);
    // hypot(inf, nan) = inf as in the C library.
    CHECK(tg::value(f, inf, qnan) == inf);
    check_binary_at(f, qnan, 1.0, qnan, qnan, qnan);
}

TEST_CASE("hypot with a number, and of one input with itself") {
    auto [x] = tg::vars<1>();
    check_unary(
        tg::hypot(x, 2.0), [](double a) { return std::sqrt(a * a + 4.0); },
        [](double a) { return a / std::sqrt(a * a + 4.0); }, {-3.0, 0.0, 0.5, 10.0});
    check_unary(
        tg::hypot(1.5, x), [](double a) { return std::sqrt(2.25 + a * a); },
        [](double a) { return a / std::sqrt(2.25 + a * a); }, {-3.0, 0.0, 0.5, 10.0});
    // hypot(x, x) = sqrt(2) |x|, derivative sqrt(2) sign(x).
    check_unary(
        tg::hypot(x, x), [](double a) { return std::numbers::sqrt2 * std::fabs(a); },
        [](double a) { return a > 0 ? std::numbers::sqrt2 : -std::numbers::sqrt2; }, {-3.0, 0.5, 10.0});
    CHECK(tg::hypot(3.0, 4.0) == doctest::Approx(5.0).epsilon(1e-15));
    CHECK(tg::hypot(3, 4) == doctest::Approx(5.0).epsilon(1e-15));
}

TEST_CASE("erf: value and derivative 2 / sqrt(pi) e^(-x^2)") {
    auto [x] = tg::vars<1>();
    double const c = 2.0 / std::sqrt(std::numbers::pi);
    check_unary(
        tg::erf(x), [](double a) { return std::erf(a); }, [c](double a) { return c * std::exp(-a * a); },
        {-3.0, -1.0, -0.2, 0.0, 1e-8, 0.5, 1.5, 4.0});
    check_unary_fd(tg::erf(x), {-3.0, -1.0, -0.2, 0.0, 0.5, 1.5});
    // erf'(0) = 2 / sqrt(pi), to the last digit: a wrong constant in the rule shows here.
    auto const r = tg::gradient(tg::erf(x), 0.0);
    CHECK(r.gradient[0] == doctest::Approx(2.0 * std::numbers::inv_sqrtpi).epsilon(1e-16));
    // erf(x) ~ 2x / sqrt(pi) near 0.
    CHECK(tg::value(tg::erf(x), 1e-10) / 1e-10 == doctest::Approx(c).epsilon(1e-15));
}

TEST_CASE("erf at large arguments, infinities and nan") {
    auto [x] = tg::vars<1>();
    check_unary_at(tg::erf(x), 30.0, 1.0, 0.0);
    check_unary_at(tg::erf(x), -30.0, -1.0, 0.0);
    check_unary_at(tg::erf(x), 1e200, 1.0, 0.0);
    check_unary_at(tg::erf(x), inf, 1.0, 0.0);
    check_unary_at(tg::erf(x), -inf, -1.0, 0.0);
    check_unary_at(tg::erf(x), qnan, qnan, qnan);
    CHECK(tg::erf(0.5) == doctest::Approx(std::erf(0.5)).epsilon(1e-15));
}

TEST_CASE("a composite: erf(x / hypot(x, y))") {
    auto [x, y] = tg::vars<2>();
    auto const f = tg::erf(x / tg::hypot(x, y));
    double const c = 2.0 / std::sqrt(std::numbers::pi);
    auto const value = [](double a, double b) { return std::erf(a / std::sqrt(a * a + b * b)); };
    // u = a / r: du/da = b^2 / r^3, du/db = -a b / r^3.
    auto const da = [c](double a, double b) {
        double const r = std::sqrt(a * a + b * b);
        double const u = a / r;
        return c * std::exp(-u * u) * b * b / (r * r * r);
    };
    auto const db = [c](double a, double b) {
        double const r = std::sqrt(a * a + b * b);
        double const u = a / r;
        return -c * std::exp(-u * u) * a * b / (r * r * r);
    };
    check_binary(f, value, da, db, {{1.0, 2.0}, {-0.5, 0.3}, {3.0, -4.0}}, 1e-14);
    check_binary_fd(f, {{1.0, 2.0}, {-0.5, 0.3}, {3.0, -4.0}});
}
