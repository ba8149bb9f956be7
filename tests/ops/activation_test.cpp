// sigmoid and softplus: values and derivatives in every mode against closed forms
// (written independently of the library's formulas) and finite differences, and
// the large-argument behaviour: finite, no overflow, no nan.
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
// sigmoid(x) = (1 + tanh(x / 2)) / 2 and sigmoid'(x) = 1 / (4 cosh^2(x / 2)).
double sigmoid_closed(double x) { return 0.5 + 0.5 * std::tanh(0.5 * x); }
double sigmoid_derivative_closed(double x) {
    double const c = std::cosh(0.5 * x);
    return 0.25 / (c * c);
}
// softplus(x) = log(1 + e^x), written for each sign so that nothing overflows.
double softplus_closed(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

constexpr std::initializer_list<double> points = {-30.0, -6.0, -1.5, -0.25, 0.0, 0.1, 1.0, 4.5, 12.0};
}  // namespace

TEST_CASE("sigmoid: value 1 / (1 + e^-x) and derivative sigmoid (1 - sigmoid)") {
    auto [x] = tg::vars<1>();
    check_unary(tg::sigmoid(x), sigmoid_closed, sigmoid_derivative_closed, points);
    check_unary_fd(tg::sigmoid(x), points);
    // sigmoid(0) = 1/2 and sigmoid'(0) = 1/4 exactly.
    check_unary_at(tg::sigmoid(x), 0.0, 0.5, 0.25, 0.0);
}

TEST_CASE("sigmoid at large arguments: finite, 0 or 1, derivative 0, never nan") {
    auto [x] = tg::vars<1>();
    check_unary_at(tg::sigmoid(x), 800.0, 1.0, 0.0);
    check_unary_at(tg::sigmoid(x), -800.0, 0.0, 0.0);
    check_unary_at(tg::sigmoid(x), inf, 1.0, 0.0);
    check_unary_at(tg::sigmoid(x), -inf, 0.0, 0.0);
    check_unary_at(tg::sigmoid(x), qnan, qnan, qnan);
    // Far in the left tail the value is tiny but still correct to full relative precision.
    double const v = tg::value(tg::sigmoid(x), -700.0);
    CHECK(v / std::exp(-700.0) == doctest::Approx(1.0).epsilon(1e-13));
    CHECK(tg::gradient(tg::sigmoid(x), -700.0).gradient[0] / std::exp(-700.0) == doctest::Approx(1.0).epsilon(1e-13));
}

TEST_CASE("softplus: value log(1 + e^x) and derivative sigmoid(x)") {
    auto [x] = tg::vars<1>();
    check_unary(tg::softplus(x), softplus_closed, sigmoid_closed, points);
    check_unary_fd(tg::softplus(x), points);
    check_unary_at(tg::softplus(x), 0.0, std::log(2.0), 0.5);
}

TEST_CASE("softplus at large arguments: softplus(1000) = 1000, not inf, the left tail is 0") {
    auto [x] = tg::vars<1>();
    check_unary_at(tg::softplus(x), 1000.0, 1000.0, 1.0);
    check_unary_at(tg::softplus(x), 800.0, 800.0, 1.0);
    check_unary_at(tg::softplus(x), -1000.0, 0.0, 0.0);
    check_unary_at(tg::softplus(x), inf, inf, 1.0);
    check_unary_at(tg::softplus(x), -inf, 0.0, 0.0);
    check_unary_at(tg::softplus(x), qnan, qnan, qnan);
    // In the left tail softplus(x) ~ e^x, to full relative precision.
    CHECK(tg::value(tg::softplus(x), -50.0) / std::exp(-50.0) == doctest::Approx(1.0).epsilon(1e-14));
}

TEST_CASE("sigmoid and softplus on plain numbers and in a composite") {
    CHECK(tg::sigmoid(0.0) == 0.5);
    CHECK(tg::sigmoid(2.0) == doctest::Approx(sigmoid_closed(2.0)).epsilon(1e-15));
    CHECK(tg::softplus(0.0) == doctest::Approx(std::log(2.0)).epsilon(1e-15));
    CHECK(tg::softplus(1000.0) == 1000.0);
    CHECK(tg::sigmoid(0) == 0.5);
    auto [x] = tg::vars<1>();
    // softplus(x) - softplus(-x) = x.
    check_unary(
        tg::softplus(x) - tg::softplus(-x), [](double a) { return a; }, [](double) { return 1.0; },
        {-3.0, -0.5, 0.0, 2.0, 40.0}, 1e-14);
    // sigmoid(x) + sigmoid(-x) = 1.
    check_unary(
        tg::sigmoid(x) + tg::sigmoid(-x), [](double) { return 1.0; }, [](double) { return 0.0; },
        {-3.0, -0.5, 0.0, 2.0, 40.0}, 1e-15);
    check_unary(
        tg::sigmoid(3.0 * x - 1.0), [](double a) { return sigmoid_closed(3 * a - 1); },
        [](double a) { return 3 * sigmoid_derivative_closed(3 * a - 1); }, {-1.0, 0.0, 0.5, 2.0});
}
