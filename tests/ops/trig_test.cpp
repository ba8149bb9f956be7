// sin, cos, tan, asin, acos, atan, atan2: values and derivatives in every mode
// against closed forms and finite differences, and the documented edges.
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

namespace {
constexpr double pi = std::numbers::pi;
}

TEST_CASE("sin, cos: values and derivatives cos, -sin") {
    auto [x] = tg::vars<1>();
    std::initializer_list<double> const xs = {-7.0, -pi / 2, -0.5, 0.0, 0.3, 1.5, pi, 100.0};
    check_unary(
        tg::sin(x), [](double a) { return std::sin(a); }, [](double a) { return std::cos(a); }, xs);
    check_unary(
        tg::cos(x), [](double a) { return std::cos(a); }, [](double a) { return -std::sin(a); }, xs);
    // Finite differences with the step scaled to |x| (1e-3 (1 + |x|)) need moderate |x|.
    check_unary_fd(tg::sin(x), {-7.0, -pi / 2, -0.5, 0.0, 0.3, 1.5, pi});
    check_unary_fd(tg::cos(x), {-7.0, -pi / 2, -0.5, 0.0, 0.3, 1.5, pi});
}

TEST_CASE("tan: value and derivative 1 / cos^2") {
    auto [x] = tg::vars<1>();
    check_unary(
        tg::tan(x), [](double a) { return std::tan(a); },
        [](double a) { return 1.0 / (std::cos(a) * std::cos(a)); }, {-1.2, -0.5, 0.0, 0.3, 1.0, 1.5, 4.0},
        1e-13);
    check_unary_fd(tg::tan(x), {-1.2, -0.5, 0.0, 0.3, 1.0, 4.0});
}

TEST_CASE("asin, acos: values and derivatives +-1 / sqrt(1 - x^2)") {
    auto [x] = tg::vars<1>();
    std::initializer_list<double> const xs = {-0.99, -0.5, -0.1, 0.0, 0.25, 0.7, 0.9};
    check_unary(
        tg::asin(x), [](double a) { return std::asin(a); },
        [](double a) { return 1.0 / std::sqrt((1.0 - a) * (1.0 + a)); }, xs, 1e-14);
    check_unary(
        tg::acos(x), [](double a) { return std::acos(a); },
        [](double a) { return -1.0 / std::sqrt((1.0 - a) * (1.0 + a)); }, xs, 1e-14);
    check_unary_fd(tg::asin(x), {-0.7, -0.5, -0.1, 0.0, 0.25, 0.7});
    check_unary_fd(tg::acos(x), {-0.7, -0.5, -0.1, 0.0, 0.25, 0.7});
}

TEST_CASE("asin, acos at +-1: derivative +inf (asin) and -inf (acos), outside [-1, 1] nan") {
    auto [x] = tg::vars<1>();
    // asin increases on [-1, 1]: its derivative 1 / sqrt(1 - x^2) tends to +inf at both ends.
    check_unary_at(tg::asin(x), 1.0, pi / 2, inf);
    check_unary_at(tg::asin(x), -1.0, -pi / 2, inf);
    check_unary_at(tg::acos(x), 1.0, 0.0, -inf);
    check_unary_at(tg::acos(x), -1.0, pi, -inf);
    check_unary_at(tg::asin(x), 2.0, qnan, qnan);
    check_unary_at(tg::asin(x), -1.5, qnan, qnan);
    check_unary_at(tg::acos(x), 2.0, qnan, qnan);
    check_unary_at(tg::acos(x), inf, qnan, qnan);
    check_unary_at(tg::asin(x), qnan, qnan, qnan);
}

TEST_CASE("atan: value and derivative 1 / (1 + x^2), and the limits at +-inf") {
    auto [x] = tg::vars<1>();
    check_unary(
        tg::atan(x), [](double a) { return std::atan(a); }, [](double a) { return 1.0 / (1.0 + a * a); },
        {-1e8, -10.0, -1.0, -0.2, 0.0, 0.5, 3.0, 1e3});
    check_unary_fd(tg::atan(x), {-10.0, -1.0, -0.2, 0.0, 0.5, 3.0});
    check_unary_at(tg::atan(x), inf, pi / 2, 0.0);
    check_unary_at(tg::atan(x), -inf, -pi / 2, 0.0);
    check_unary_at(tg::atan(x), qnan, qnan, qnan);
}

TEST_CASE("sin, cos, tan at inf and nan") {
    auto [x] = tg::vars<1>();
    check_unary_at(tg::sin(x), inf, qnan, qnan);
    check_unary_at(tg::cos(x), -inf, qnan, qnan);
    check_unary_at(tg::tan(x), inf, qnan, qnan);
    check_unary_at(tg::sin(x), qnan, qnan, qnan);
}

TEST_CASE("atan2(y, x): value and partials x / r^2, -y / r^2 in all four quadrants") {
    auto [a, b] = tg::vars<2>();
    auto const f = tg::atan2(a, b);
    std::initializer_list<std::array<double, 2>> const points = {
        {1.0, 1.0}, {0.5, -2.0}, {-3.0, -0.25}, {-1.5, 4.0}, {0.0, 1.0}, {2.0, 0.0}, {1e-3, 5.0}};
    check_binary(
        f, [](double y, double x) { return std::atan2(y, x); }, [](double y, double x) { return x / (x * x + y * y); },
        [](double y, double x) { return -y / (x * x + y * y); }, points);
    check_binary_fd(f, points);
    // On the negative x axis the value jumps between pi and -pi; the partials are still 1/r there.
    check_binary_at(f, 0.0, -2.0, pi, -0.5, 0.0);
}

TEST_CASE("atan2: both partials 0 at the origin") {
    auto [a, b] = tg::vars<2>();
    auto const f = tg::atan2(a, b);
    check_binary_at(f, 0.0, 0.0, 0.0, 0.0, 0.0);
    check_binary_at(f, 0.0, -0.0, pi, 0.0, 0.0);
    check_binary_at(f, -0.0, 0.0, -0.0, 0.0, 0.0);
}

TEST_CASE("atan2: partials away from the origin at very small and very large scales") {
    // Exact: at (s, s), d/dy = s / (2 s^2) = 1 / (2 s) and d/dx = -1 / (2 s). The origin
    // convention must apply only at the origin; the partials are representable here.
    auto [a, b] = tg::vars<2>();
    auto const f = tg::atan2(a, b);
    for (double s : {1e-200, 1e-170, 1e170, 1e200}) {
        CAPTURE(s);
        auto const r = tg::gradient(f, s, s);
        auto const fw = tg::gradient<tg::forward>(f, s, s);
        CHECK(r.value == doctest::Approx(pi / 4).epsilon(1e-15));
        // Relative checks: s * partial is +-1/2 (close() would accept 0 for the tiny partials at 1e200).
        CHECK(r.gradient[0] * s == doctest::Approx(0.5).epsilon(1e-14));
        CHECK(r.gradient[1] * s == doctest::Approx(-0.5).epsilon(1e-14));
        CHECK(fw.gradient[0] * s == doctest::Approx(0.5).epsilon(1e-14));
        CHECK(fw.gradient[1] * s == doctest::Approx(-0.5).epsilon(1e-14));
    }
}

TEST_CASE("atan2 with a number on either side, and inf") {
    auto [x] = tg::vars<1>();
    check_unary(
        tg::atan2(x, 2.0), [](double y) { return std::atan2(y, 2.0); }, [](double y) { return 2.0 / (4.0 + y * y); },
        {-3.0, 0.0, 1.5});
    check_unary(
        tg::atan2(1.0, x), [](double v) { return std::atan2(1.0, v); }, [](double v) { return -1.0 / (1.0 + v * v); },
        {-3.0, 0.0, 1.5});
    // atan2(1, inf) = 0: d/dx = -1 / inf = -0.
    check_unary_at(tg::atan2(1.0, x), inf, 0.0, 0.0);
}

TEST_CASE("trigonometric functions on plain numbers") {
    CHECK(tg::sin(0.5) == doctest::Approx(std::sin(0.5)).epsilon(1e-15));
    CHECK(tg::cos(0.5) == doctest::Approx(std::cos(0.5)).epsilon(1e-15));
    CHECK(tg::tan(0.5) == doctest::Approx(std::tan(0.5)).epsilon(1e-15));
    CHECK(tg::asin(0.5) == doctest::Approx(std::asin(0.5)).epsilon(1e-15));
    CHECK(tg::acos(0.5) == doctest::Approx(std::acos(0.5)).epsilon(1e-15));
    CHECK(tg::atan(0.5) == doctest::Approx(std::atan(0.5)).epsilon(1e-15));
    CHECK(tg::atan2(1.0, -1.0) == doctest::Approx(std::atan2(1.0, -1.0)).epsilon(1e-15));
    CHECK(tg::atan2(1, 1) == doctest::Approx(std::atan2(1.0, 1.0)).epsilon(1e-15));
}

TEST_CASE("a composite: sin(x) * cos(y) + atan(x * y)") {
    auto [x, y] = tg::vars<2>();
    auto const f = tg::sin(x) * tg::cos(y) + tg::atan(x * y);
    check_binary(
        f, [](double a, double b) { return std::sin(a) * std::cos(b) + std::atan(a * b); },
        [](double a, double b) { return std::cos(a) * std::cos(b) + b / (1 + a * a * b * b); },
        [](double a, double b) { return -std::sin(a) * std::sin(b) + a / (1 + a * a * b * b); },
        {{0.5, 1.5}, {-1.0, 0.3}, {2.0, -2.0}}, 1e-14);
    check_binary_fd(f, {{0.5, 1.5}, {-1.0, 0.3}, {2.0, -2.0}});
}
