// abs, relu, min, max: values and derivatives in every mode against closed forms
// and finite differences away from the kinks, and the documented conventions at
// the kinks: abs'(0) = 0, relu'(0) = 0, relu(nan) = nan with derivative 0, ties of
// min and max split the derivative in halves.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include <typegrad/typegrad.hpp>

#include "support/finite_difference.hpp"
#include "support/op_check.hpp"

namespace tg = typegrad;
using namespace tg::literals;
using typegrad_test::check_binary;
using typegrad_test::check_binary_at;
using typegrad_test::check_binary_fd;
using typegrad_test::check_unary;
using typegrad_test::check_unary_at;
using typegrad_test::check_unary_fd;
using typegrad_test::inf;
using typegrad_test::qnan;

namespace {
constexpr std::initializer_list<double> off_kink = {-1e10, -3.5, -0.25, -1e-300, 1e-300, 0.5, 2.0, 1e10};
}

TEST_CASE("abs: |x| with derivative the sign of x") {
    auto [x] = tg::vars<1>();
    check_unary(
        tg::abs(x), [](double a) { return std::fabs(a); }, [](double a) { return a > 0 ? 1.0 : -1.0; }, off_kink);
    check_unary_fd(tg::abs(x), {-3.5, -0.25, 0.5, 2.0});
}

TEST_CASE("abs at the kink and at the edges: abs'(0) = 0") {
    auto [x] = tg::vars<1>();
    check_unary_at(tg::abs(x), 0.0, 0.0, 0.0);
    check_unary_at(tg::abs(x), -0.0, 0.0, 0.0);
    check_unary_at(tg::abs(x), inf, inf, 1.0);
    check_unary_at(tg::abs(x), -inf, inf, -1.0);
    // abs(nan) is nan; nan is neither > 0 nor < 0, so the sign rule gives 0.
    check_unary_at(tg::abs(x), qnan, qnan, 0.0);
}

TEST_CASE("relu: max(x, 0) with derivative 1 for x > 0, 0 for x < 0") {
    auto [x] = tg::vars<1>();
    check_unary(
        tg::relu(x), [](double a) { return a > 0 ? a : 0.0; }, [](double a) { return a > 0 ? 1.0 : 0.0; },
        off_kink);
    check_unary_fd(tg::relu(x), {-3.5, -0.25, 0.5, 2.0});
}

TEST_CASE("relu at the kink and the edges: relu'(0) = 0, relu(nan) = nan with derivative 0") {
    auto [x] = tg::vars<1>();
    check_unary_at(tg::relu(x), 0.0, 0.0, 0.0);
    check_unary_at(tg::relu(x), -0.0, 0.0, 0.0);
    check_unary_at(tg::relu(x), qnan, qnan, 0.0);
    check_unary_at(tg::relu(x), inf, inf, 1.0);
    check_unary_at(tg::relu(x), -inf, 0.0, 0.0);
}

TEST_CASE("min, max: the smaller/larger operand and its derivative") {
    auto [x, y] = tg::vars<2>();
    std::initializer_list<std::array<double, 2>> const points = {
        {1.0, 2.0}, {2.0, 1.0}, {-3.0, 0.5}, {0.5, -3.0}, {-1e300, 1e300}, {1e-300, 0.0}, {-inf, 1.0}};
    check_binary(
        tg::min(x, y), [](double a, double b) { return std::fmin(a, b); },
        [](double a, double b) { return a < b ? 1.0 : 0.0; }, [](double a, double b) { return b < a ? 1.0 : 0.0; },
        points);
    check_binary(
        tg::max(x, y), [](double a, double b) { return std::fmax(a, b); },
        [](double a, double b) { return a > b ? 1.0 : 0.0; }, [](double a, double b) { return b > a ? 1.0 : 0.0; },
        points);
    check_binary_fd(tg::min(x, y), {{1.0, 2.0}, {2.0, 1.0}, {-3.0, 0.5}, {0.5, -3.0}});
    check_binary_fd(tg::max(x, y), {{1.0, 2.0}, {2.0, 1.0}, {-3.0, 0.5}, {0.5, -3.0}});
}

TEST_CASE("min, max at a tie: each operand gets half") {
    auto [x, y] = tg::vars<2>();
    for (double t : {-2.0, 0.0, 1.5, inf, -inf}) {
        CAPTURE(t);
        check_binary_at(tg::min(x, y), t, t, t, 0.5, 0.5);
        check_binary_at(tg::max(x, y), t, t, t, 0.5, 0.5);
    }
    // +0 and -0 are equal: a tie.
    check_binary_at(tg::min(x, y), 0.0, -0.0, 0.0, 0.5, 0.5);
    check_binary_at(tg::max(x, y), -0.0, 0.0, 0.0, 0.5, 0.5);
}

TEST_CASE("min(x, x) and max(x, x) have derivative 1 everywhere") {
    auto [x] = tg::vars<1>();
    check_unary(
        tg::min(x, x), [](double a) { return a; }, [](double) { return 1.0; }, {-2.0, 0.0, 3.0, 1e300});
    check_unary(
        tg::max(x, x), [](double a) { return a; }, [](double) { return 1.0; }, {-2.0, 0.0, 3.0, 1e300});
    // The same input under two expressions that are equal in value: min(x, 1 * x).
    check_unary(
        tg::max(x, 1.0 * x), [](double a) { return a; }, [](double) { return 1.0; }, {-2.0, 0.0, 3.0});
}

TEST_CASE("min, max with a number: min(x, 2.0), max(0.0, x), and the tie at the number") {
    auto [x] = tg::vars<1>();
    check_unary(
        tg::min(x, 2.0), [](double a) { return std::fmin(a, 2.0); }, [](double a) { return a < 2.0 ? 1.0 : 0.0; },
        {-1.0, 1.5, 2.5, 10.0});
    check_unary(
        tg::max(0.0, x), [](double a) { return std::fmax(0.0, a); }, [](double a) { return a > 0.0 ? 1.0 : 0.0; },
        {-1.0, -1e-9, 1e-9, 3.0});
    check_unary(
        tg::max(x, 1_c), [](double a) { return std::fmax(a, 1.0); }, [](double a) { return a > 1.0 ? 1.0 : 0.0; },
        {-1.0, 0.5, 1.5});
    // At the tie the input gets half (the other half goes to the constant).
    check_unary_at(tg::min(x, 2.0), 2.0, 2.0, 0.5);
    check_unary_at(tg::max(0.0, x), 0.0, 0.0, 0.5);
    check_unary_at(tg::max(x, 1_c), 1.0, 1.0, 0.5);
    // Infinities.
    check_unary_at(tg::min(x, 2.0), -inf, -inf, 1.0);
    check_unary_at(tg::max(x, 2.0), inf, inf, 1.0);
}

TEST_CASE("abs, relu, min, max on plain numbers") {
    CHECK(tg::abs(-2.5) == 2.5);
    CHECK(tg::relu(-3.0) == 0.0);
    CHECK(tg::relu(3.0) == 3.0);
    CHECK(std::isnan(tg::relu(qnan)));
    CHECK(tg::min(1.0, 2.0) == 1.0);
    CHECK(tg::max(1.0, 2.0) == 2.0);
    CHECK(tg::min(3, 2.5) == 2.5);
    static_assert(std::is_same_v<decltype(tg::relu(-3)), double>);
    static_assert(std::is_same_v<decltype(tg::max(1.0f, 2.0f)), float>);
    static_assert(std::is_same_v<decltype(tg::min(1, 2)), double>);
    CHECK(tg::relu(-3) == 0.0);
}

TEST_CASE("a composite with kinks: relu(x - y) + abs(x) * min(x, y)") {
    auto [x, y] = tg::vars<2>();
    auto const f = tg::relu(x - y) + tg::abs(x) * tg::min(x, y);
    auto const value = [](double a, double b) { return std::fmax(a - b, 0.0) + std::fabs(a) * std::fmin(a, b); };
    auto const da = [](double a, double b) {
        double const sign = a > 0 ? 1.0 : -1.0;
        return (a > b ? 1.0 : 0.0) + sign * std::fmin(a, b) + std::fabs(a) * (a < b ? 1.0 : 0.0);
    };
    auto const db = [](double a, double b) { return (a > b ? -1.0 : 0.0) + std::fabs(a) * (b < a ? 1.0 : 0.0); };
    std::initializer_list<std::array<double, 2>> const points = {{1.5, 0.5}, {0.5, 1.5}, {-2.0, 1.0}, {-1.0, -3.0}};
    check_binary(f, value, da, db, points);
    check_binary_fd(f, points);
}
