// sinh, cosh, tanh: values and derivatives in every mode against closed forms and
// finite differences; large arguments, infinities and nan.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include <typegrad/typegrad.hpp>

#include "support/finite_difference.hpp"
#include "support/op_check.hpp"

namespace tg = typegrad;
using typegrad_test::check_unary;
using typegrad_test::check_unary_at;
using typegrad_test::check_unary_fd;
using typegrad_test::inf;
using typegrad_test::qnan;

namespace {
constexpr std::initializer_list<double> points = {-5.0, -1.2, -0.3, 0.0, 1e-8, 0.5, 2.0, 10.0};
}

TEST_CASE("sinh: value and derivative (e^x + e^-x) / 2") {
    auto [x] = tg::vars<1>();
    check_unary(
        tg::sinh(x), [](double a) { return std::sinh(a); },
        [](double a) { return (std::exp(a) + std::exp(-a)) / 2; }, points);
    check_unary_fd(tg::sinh(x), points);
}

TEST_CASE("cosh: value and derivative (e^x - e^-x) / 2") {
    auto [x] = tg::vars<1>();
    check_unary(
        tg::cosh(x), [](double a) { return std::cosh(a); },
        [](double a) { return (std::exp(a) - std::exp(-a)) / 2; }, {-5.0, -1.2, -0.3, 0.0, 0.5, 2.0, 10.0});
    check_unary_fd(tg::cosh(x), points);
}

TEST_CASE("tanh: value and derivative 1 / cosh^2") {
    auto [x] = tg::vars<1>();
    check_unary(
        tg::tanh(x), [](double a) { return std::tanh(a); },
        [](double a) { return 1.0 / (std::cosh(a) * std::cosh(a)); }, points);
    check_unary_fd(tg::tanh(x), points);
}

TEST_CASE("sinh, cosh, tanh at large arguments, infinities and nan") {
    auto [x] = tg::vars<1>();
    // Overflow gives inf (with the right sign) in value and derivative, never nan.
    check_unary_at(tg::sinh(x), 800.0, inf, inf);
    check_unary_at(tg::sinh(x), -800.0, -inf, inf);
    check_unary_at(tg::cosh(x), 800.0, inf, inf);
    check_unary_at(tg::cosh(x), -800.0, inf, -inf);
    check_unary_at(tg::sinh(x), inf, inf, inf);
    check_unary_at(tg::cosh(x), -inf, inf, -inf);
    // tanh saturates: the value is +-1 and the derivative 0, not nan.
    check_unary_at(tg::tanh(x), 800.0, 1.0, 0.0);
    check_unary_at(tg::tanh(x), -800.0, -1.0, 0.0);
    check_unary_at(tg::tanh(x), inf, 1.0, 0.0);
    check_unary_at(tg::tanh(x), -inf, -1.0, 0.0);
    check_unary_at(tg::sinh(x), qnan, qnan, qnan);
    check_unary_at(tg::cosh(x), qnan, qnan, qnan);
    check_unary_at(tg::tanh(x), qnan, qnan, qnan);
    // The largest arguments with finite results.
    check_unary_at(tg::cosh(x), 700.0, std::cosh(700.0), std::sinh(700.0));
}

TEST_CASE("hyperbolic functions on plain numbers, and a composite") {
    CHECK(tg::sinh(0.5) == doctest::Approx(std::sinh(0.5)).epsilon(1e-15));
    CHECK(tg::cosh(0.5) == doctest::Approx(std::cosh(0.5)).epsilon(1e-15));
    CHECK(tg::tanh(0.5) == doctest::Approx(std::tanh(0.5)).epsilon(1e-15));
    CHECK(tg::tanh(1) == doctest::Approx(std::tanh(1.0)).epsilon(1e-15));
    auto [x] = tg::vars<1>();
    // cosh^2 - sinh^2 = 1: derivative 0 up to rounding.
    check_unary(
        tg::cosh(x) * tg::cosh(x) - tg::sinh(x) * tg::sinh(x), [](double) { return 1.0; },
        [](double) { return 0.0; }, {-1.0, 0.0, 0.5, 2.0}, 1e-13);
    check_unary(
        tg::tanh(2.0 * x), [](double a) { return std::tanh(2 * a); },
        [](double a) { return 2.0 / (std::cosh(2 * a) * std::cosh(2 * a)); }, {-1.0, 0.0, 0.5, 2.0});
}
