// pow: compile-time integer exponents (pow(x, 3_c) and friends) and run-time
// exponents (pow(x, y), pow(x, 2.5), pow(2.0, x)), against closed forms and finite
// differences, with the documented conventions for pow(a, b) at b = 0, a = 0, a < 0.
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

TEST_CASE("pow(x, 0_c) is the constant 1 and pow(x, 1_c) is x itself") {
    auto [x] = tg::vars<1>();
    static_assert(std::is_same_v<decltype(tg::pow(x, 0_c)), tg::static_const<1>>);
    static_assert(std::is_same_v<decltype(tg::pow(x, 1_c)), tg::var<0>>);
    static_assert(std::is_same_v<decltype(tg::pow(x, tg::constant<1>)), tg::var<0>>);
    // pow(x, 0_c) = 1 everywhere, 0 and inf and nan included, with derivative 0.
    for (double v : {-2.0, 0.0, 3.5, inf, qnan}) {
        CAPTURE(v);
        CHECK(tg::value(tg::pow(x, 0_c), v) == 1.0);
        auto const r = tg::gradient(tg::pow(x, 0_c), v);
        CHECK(r.value == 1.0);
        CHECK(r.gradient[0] == 0.0);
        CHECK(tg::gradient<tg::forward>(tg::pow(x, 0_c), v).gradient[0] == 0.0);
    }
    check_unary(
        tg::pow(x, 1_c), [](double a) { return a; }, [](double) { return 1.0; }, {-2.0, 0.0, 3.5});
    // A power of a compound expression by 1_c is that expression, unchanged.
    static_assert(std::is_same_v<decltype(tg::pow(tg::sin(x), 1_c)), decltype(tg::sin(x))>);
}

TEST_CASE("pow(x, n_c) for n = 2, 3, 5, 10: values and n x^(n-1)") {
    auto [x] = tg::vars<1>();
    std::initializer_list<double> const xs = {-3.0, -1.5, -0.2, 0.0, 0.3, 1.0, 2.0, 7.5};
    // An integer power of an input is an empty type: the exponent lives in the type.
    static_assert(std::is_empty_v<decltype(tg::pow(x, 3_c))>);
    check_unary(
        tg::pow(x, 2_c), [](double a) { return std::pow(a, 2); }, [](double a) { return 2 * a; }, xs);
    check_unary(
        tg::pow(x, 3_c), [](double a) { return std::pow(a, 3); }, [](double a) { return 3 * std::pow(a, 2); }, xs);
    check_unary(
        tg::pow(x, 5_c), [](double a) { return std::pow(a, 5); }, [](double a) { return 5 * std::pow(a, 4); }, xs,
        1e-14);
    check_unary(
        tg::pow(x, 10_c), [](double a) { return std::pow(a, 10); }, [](double a) { return 10 * std::pow(a, 9); },
        xs, 1e-14);
    check_unary_fd(tg::pow(x, 3_c), xs);
    check_unary_fd(tg::pow(x, 5_c), {-1.5, -0.2, 0.3, 1.0, 2.0});
}

TEST_CASE("pow(x, -n_c) for n = 1, 2, 3: values and -n x^(-n-1)") {
    auto [x] = tg::vars<1>();
    std::initializer_list<double> const xs = {-3.0, -1.5, -0.2, 0.3, 1.0, 2.0, 7.5};
    check_unary(
        tg::pow(x, -1_c), [](double a) { return 1.0 / a; }, [](double a) { return -1.0 / (a * a); }, xs);
    check_unary(
        tg::pow(x, -2_c), [](double a) { return std::pow(a, -2); }, [](double a) { return -2 * std::pow(a, -3); },
        xs);
    check_unary(
        tg::pow(x, -3_c), [](double a) { return std::pow(a, -3); }, [](double a) { return -3 * std::pow(a, -4); },
        xs);
    check_unary_fd(tg::pow(x, -2_c), {-3.0, -1.5, 0.3, 1.0, 2.0, 7.5});
    // At 0: x^-2 = +inf, derivative -2 / x^3 = -inf (from +0).
    check_unary_at(tg::pow(x, -2_c), 0.0, inf, -inf);
    check_unary_at(tg::pow(x, -1_c), 0.0, inf, -inf);
}

TEST_CASE("pow(x, n_c) at infinities and nan") {
    auto [x] = tg::vars<1>();
    check_unary_at(tg::pow(x, 2_c), inf, inf, inf);
    check_unary_at(tg::pow(x, 2_c), -inf, inf, -inf);
    check_unary_at(tg::pow(x, 3_c), -inf, -inf, inf);
    check_unary_at(tg::pow(x, -2_c), inf, 0.0, 0.0);
    check_unary_at(tg::pow(x, 3_c), qnan, qnan, qnan);
    // Large finite x overflows to inf in the value and the derivative, not nan.
    check_unary_at(tg::pow(x, 2_c), 1e200, inf, 2e200);
    check_unary_at(tg::pow(x, 3_c), 1e200, inf, inf);
}

TEST_CASE("pow of a compound expression by n_c, and n_c powers of numbers") {
    auto [x] = tg::vars<1>();
    check_unary(
        tg::pow(tg::sin(x), 3_c), [](double a) { return std::pow(std::sin(a), 3); },
        [](double a) { return 3 * std::pow(std::sin(a), 2) * std::cos(a); }, {-1.0, 0.2, 2.0}, 1e-14);
    check_unary(
        tg::pow(1.0 + x, -2_c), [](double a) { return std::pow(1 + a, -2); },
        [](double a) { return -2 * std::pow(1 + a, -3); }, {-0.5, 0.2, 2.0});
    check_unary_fd(tg::pow(tg::sin(x), 3_c), {-1.0, 0.2, 2.0});
    // On numbers: computed by multiplications, as double for integers.
    CHECK(tg::pow(2.0, 3_c) == 8.0);
    CHECK(tg::pow(2.0, -2_c) == 0.25);
    CHECK(tg::pow(2.0, 0_c) == 1.0);
    static_assert(std::is_same_v<decltype(tg::pow(2, 3_c)), double>);
    static_assert(std::is_same_v<decltype(tg::pow(2.0f, 3_c)), float>);
    CHECK(tg::pow(2, 3_c) == 8.0);
    CHECK(tg::pow(1.5f, 2_c) == 2.25f);
}

TEST_CASE("pow(x, y) with a run-time exponent: partials y x^(y-1) and log(x) x^y") {
    auto [x, y] = tg::vars<2>();
    auto const f = tg::pow(x, y);
    check_binary(
        f, [](double a, double b) { return std::pow(a, b); },
        [](double a, double b) { return b * std::pow(a, b - 1); },
        [](double a, double b) { return std::log(a) * std::pow(a, b); },
        {{1.5, 0.5}, {2.0, 3.0}, {0.3, -1.7}, {10.0, 0.25}, {0.5, 2.5}, {1.0, 7.0}, {3.0, -2.0}});
    check_binary_fd(f, {{1.5, 0.5}, {2.0, 3.0}, {0.3, -1.7}, {10.0, 0.25}, {0.5, 2.5}});
}

TEST_CASE("pow(a, b) conventions: d/da = 0 where b = 0, d/db = 0 where a = 0, d/db = nan for a < 0") {
    auto [x, y] = tg::vars<2>();
    auto const f = tg::pow(x, y);
    // b = 0: pow(a, 0) is the constant 1, even at a = 0 and a < 0.
    check_binary_at(f, 2.0, 0.0, 1.0, 0.0, std::log(2.0));
    check_binary_at(f, 0.0, 0.0, 1.0, 0.0, 0.0);
    check_binary_at(f, -3.0, 0.0, 1.0, 0.0, qnan);
    // a = 0: d/db = 0 (the limit from the right for b > 0); d/da = b 0^(b-1).
    check_binary_at(f, 0.0, 2.0, 0.0, 0.0, 0.0);
    check_binary_at(f, 0.0, 1.0, 0.0, 1.0, 0.0);
    check_binary_at(f, 0.0, 3.0, 0.0, 0.0, 0.0);
    check_binary_at(f, 0.0, 0.5, 0.0, inf, 0.0);
    check_binary_at(f, 0.0, -1.0, inf, -inf, 0.0);
    // a < 0 with an integer b: value and d/da are finite, d/db is nan.
    check_binary_at(f, -2.0, 3.0, -8.0, 12.0, qnan);
    check_binary_at(f, -2.0, 2.0, 4.0, -4.0, qnan);
    check_binary_at(f, -0.5, -1.0, -2.0, -4.0, qnan);
    // a < 0 with a non-integer b: everything is nan.
    check_binary_at(f, -2.0, 0.5, qnan, qnan, qnan);
}

TEST_CASE("pow with numbers and constants on either side: pow(x, 2.5), pow(2.0, x), pow(x, ratio<1, 2>)") {
    auto [x] = tg::vars<1>();
    std::initializer_list<double> const xs = {0.2, 1.0, 1.5, 4.0, 9.0};
    check_unary(
        tg::pow(x, 2.5), [](double a) { return std::pow(a, 2.5); }, [](double a) { return 2.5 * std::pow(a, 1.5); },
        xs);
    check_unary(
        tg::pow(x, tg::ratio<1, 2>{}), [](double a) { return std::sqrt(a); },
        [](double a) { return 0.5 / std::sqrt(a); }, xs);
    check_unary(
        tg::pow(x, tg::ratio<-3, 2>{}), [](double a) { return std::pow(a, -1.5); },
        [](double a) { return -1.5 * std::pow(a, -2.5); }, xs);
    check_unary(
        tg::pow(2.0, x), [](double a) { return std::exp2(a); }, [](double a) { return std::log(2.0) * std::exp2(a); },
        {-3.0, -0.5, 0.0, 1.0, 2.5, 10.0});
    check_unary(
        tg::pow(x, 3), [](double a) { return a * a * a; }, [](double a) { return 3 * a * a; }, {-2.0, 0.5, 3.0});
    check_unary_fd(tg::pow(x, 2.5), xs);
    check_unary_fd(tg::pow(2.0, x), {-3.0, -0.5, 0.0, 1.0, 2.5});
    // A run-time exponent 0 as a number: d/da = 0 even at a = 0.
    check_unary_at(tg::pow(x, 0.0), 0.0, 1.0, 0.0);
    check_unary_at(tg::pow(x, 0.0), 5.0, 1.0, 0.0);
    // Base 0 as a number: d/db = 0.
    check_unary_at(tg::pow(0.0, x), 2.0, 0.0, 0.0);
    // A negative base as a number: d/db is nan.
    check_unary_at(tg::pow(-2.0, x), 2.0, 4.0, qnan);
}

TEST_CASE("pow(x, y) at large arguments: overflow gives inf, not nan") {
    auto [x, y] = tg::vars<2>();
    auto const f = tg::pow(x, y);
    check_binary_at(f, 10.0, 400.0, inf, inf, inf);
    check_binary_at(f, 10.0, -400.0, 0.0, -0.0, 0.0);
    check_binary_at(f, inf, 2.0, inf, inf, inf);
}
