// Comparisons and select(cond, a, b): comparisons are 1 or 0 with derivative 0;
// select's derivative flows only into the branch taken and never into the condition.
#include <doctest/doctest.h>

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
constexpr std::initializer_list<std::array<double, 2>> compare_points = {
    {1.0, 2.0}, {2.0, 1.0}, {1.5, 1.5}, {0.0, -0.0}, {-inf, inf}, {inf, inf}, {qnan, 1.0}, {1.0, qnan}};

double truth(bool b) { return b ? 1.0 : 0.0; }
double zero(double, double) { return 0.0; }
}  // namespace

TEST_CASE("comparisons of two inputs: value 1 or 0, derivative 0") {
    auto [x, y] = tg::vars<2>();
    for (auto const& p : compare_points) {
        double const a = p[0];
        double const b = p[1];
        check_binary_at(x < y, a, b, truth(a < b), 0.0, 0.0);
        check_binary_at(x <= y, a, b, truth(a <= b), 0.0, 0.0);
        check_binary_at(x > y, a, b, truth(a > b), 0.0, 0.0);
        check_binary_at(x >= y, a, b, truth(a >= b), 0.0, 0.0);
        check_binary_at(x == y, a, b, truth(a == b), 0.0, 0.0);
        check_binary_at(x != y, a, b, truth(a != b), 0.0, 0.0);
    }
    // The derivative is structurally zero: jvp gives exactly 0 too.
    CHECK(tg::jvp(x < y, std::array{1.0, 2.0}, std::array{1.0, 1.0}).tangent == 0.0);
    CHECK(tg::jvp(x < y, std::array{1.0, 2.0}, std::array{1.0, 1.0}).value == 1.0);
}

TEST_CASE("comparisons with numbers and compile-time constants on either side") {
    auto [x] = tg::vars<1>();
    for (double a : {-1.0, 0.0, 0.5, 2.0, qnan}) {
        CAPTURE(a);
        check_unary_at(x < 0.5, a, truth(a < 0.5), 0.0);
        check_unary_at(0.5 < x, a, truth(0.5 < a), 0.0);
        check_unary_at(x >= 0, a, truth(a >= 0), 0.0);
        check_unary_at(x > 0_c, a, truth(a > 0), 0.0);
        check_unary_at(2_c <= x, a, truth(2 <= a), 0.0);
        check_unary_at(x == 2.0, a, truth(a == 2.0), 0.0);
        check_unary_at(x != 0_c, a, truth(a != 0), 0.0);
    }
    // Two compile-time constants compare at compile time, to a bool.
    static_assert(1_c < 2_c);
    static_assert(!(tg::ratio<1, 2>{} > tg::ratio<2, 3>{}));
    static_assert(std::is_same_v<decltype(1_c == 1_c), bool>);
}

TEST_CASE("a comparison used as a number: (x < y) * x") {
    auto [x, y] = tg::vars<2>();
    check_binary(
        (x < y) * x, [](double a, double b) { return a < b ? a : 0.0; },
        [](double a, double b) { return a < b ? 1.0 : 0.0; }, zero, {{1.0, 2.0}, {2.0, 1.0}, {-3.0, 0.5}});
}

TEST_CASE("select: value and derivative of the branch taken") {
    auto [x, y] = tg::vars<2>();
    auto const f = tg::select(x > y, x * x, 3.0 * y);
    std::initializer_list<std::array<double, 2>> const points = {{2.0, 1.0}, {1.0, 2.0}, {-0.5, -2.0}, {0.3, 0.7}};
    check_binary(
        f, [](double a, double b) { return a > b ? a * a : 3 * b; },
        [](double a, double b) { return a > b ? 2 * a : 0.0; }, [](double a, double b) { return a > b ? 0.0 : 3.0; },
        points);
    check_binary_fd(f, points);
    // At the switching point x == y: x > y is false, so the derivative is that of 3 y.
    check_binary_at(f, 1.0, 1.0, 3.0, 0.0, 3.0);
}

TEST_CASE("select with numbers and constants as branches, abs and relu written with select") {
    auto [x] = tg::vars<1>();
    std::initializer_list<double> const xs = {-2.0, -0.5, 0.5, 3.0};
    check_unary(
        tg::select(x > 0_c, x, -x), [](double a) { return std::fabs(a); },
        [](double a) { return a > 0 ? 1.0 : -1.0; }, xs);
    check_unary(
        tg::select(x < 0_c, 0_c, x), [](double a) { return a < 0 ? 0.0 : a; },
        [](double a) { return a < 0 ? 0.0 : 1.0; }, xs);
    check_unary(
        tg::select(x > 1.0, 2.0, x * x), [](double a) { return a > 1 ? 2.0 : a * a; },
        [](double a) { return a > 1 ? 0.0 : 2 * a; }, xs);
    check_unary_fd(tg::select(x > 1.0, 2.0, x * x), xs);
    // The taken branch at inf.
    check_unary_at(tg::select(x > 0_c, x, 0_c), inf, inf, 1.0);
    // A nan condition from a comparison is false: the second branch is taken.
    check_unary_at(tg::select(x > 0_c, 0_c, 2.0 * x), qnan, qnan, 2.0);
}

TEST_CASE("select: a non-zero condition value counts as true") {
    auto [x] = tg::vars<1>();
    // x - 1 is 0 (false) only at x = 1.
    auto const f = tg::select(x - 1.0, x, 2_c * x);
    check_unary_at(f, 1.0, 2.0, 2.0);
    check_unary_at(f, 3.0, 3.0, 1.0);
    check_unary_at(f, -2.0, -2.0, 1.0);
    // A nan condition value is non-zero: true.
    auto [a, b] = tg::vars<2>();
    check_binary_at(tg::select(a, b, 5.0), qnan, 4.0, 4.0, 0.0, 1.0);
}

TEST_CASE("select: no derivative flows into the condition") {
    auto [x, y] = tg::vars<2>();
    // The branches are constants: the derivative is 0 everywhere, whatever the condition does.
    check_binary(
        tg::select(x * y > 1.0, 1.0, 2.0), [](double a, double b) { return a * b > 1 ? 1.0 : 2.0; }, zero, zero,
        {{1.0, 2.0}, {0.1, 0.1}, {-3.0, -3.0}});
    // The condition is an input itself.
    check_binary(
        tg::select(x, y, 5.0), [](double a, double b) { return a != 0 ? b : 5.0; }, zero,
        [](double a, double) { return a != 0 ? 1.0 : 0.0; }, {{1.0, 2.0}, {0.0, 2.0}, {-3.0, 7.0}});
    // Only the branch's own dependence on x counts: d/dx select(x > y, x * y, y) = y where x > y.
    check_binary(
        tg::select(x > y, x * y, y), [](double a, double b) { return a > b ? a * b : b; },
        [](double a, double b) { return a > b ? b : 0.0; }, [](double a, double b) { return a > b ? a : 1.0; },
        {{2.0, 1.0}, {1.0, 2.0}});
}

TEST_CASE("select: an infinite or nan derivative in the branch not taken does not leak") {
    // The documented convention: the derivative flows only into the branch taken. The
    // branch not taken may be outside its domain (sqrt or log of 0 or of a negative
    // number); its infinite or nan derivative must not turn the result into nan.
    auto [x] = tg::vars<1>();
    // sqrt(x) for x > 0, else 0: at 0 the derivative is that of the constant 0.
    check_unary_at(tg::select(x > 0_c, tg::sqrt(x), 0_c), 0.0, 0.0, 0.0);
    // sqrt(x) for x >= 0, else -x: at -1 the value is 1 and the derivative -1.
    check_unary_at(tg::select(x >= 0_c, tg::sqrt(x), -x), -1.0, 1.0, -1.0);
    // log(x) for x > 0, else x: at 0 the value is 0 and the derivative 1.
    check_unary_at(tg::select(x > 0_c, tg::log(x), x), 0.0, 0.0, 1.0);
    // 1 / x for x != 0, else 0.
    check_unary_at(tg::select(x != 0_c, 1.0 / x, 0_c), 0.0, 0.0, 0.0);
}

TEST_CASE("select on plain numbers") {
    CHECK(tg::select(true, 1.0, 2.0) == 1.0);
    CHECK(tg::select(false, 1.0, 2.0) == 2.0);
    CHECK(tg::select(0.0, 1.0, 2) == 2.0);
    CHECK(tg::select(3, 1.0, 2.0) == 1.0);
    static_assert(std::is_same_v<decltype(tg::select(true, 1, 2)), double>);
    static_assert(std::is_same_v<decltype(tg::select(true, 1.0f, 2.0f)), float>);
}
