// Forward mode against reverse mode, part 2: trigonometric, hyperbolic, activations and special functions.
//
// Each expression is a generic callable checked at 10,000 pseudo-random points of a
// domain where it is defined: the value is the same in every mode, the forward
// gradient equals the reverse gradient to rounding, tg::jvp along a random direction
// equals the gradient's dot product with it, and on 20 points the gradient matches
// central differences (see support/mode_check.hpp).
#include <doctest/doctest.h>

#include <array>

#include <typegrad/typegrad.hpp>

#include "support/mode_check.hpp"

namespace tg = typegrad;
using namespace tg::literals;
using typegrad_test::all;
using typegrad_test::box;
using typegrad_test::check_modes;
using typegrad_test::small;
using typegrad_test::sym;
using typegrad_test::unit;
using typegrad_test::wide;

TEST_CASE("forward == reverse: trigonometric and hyperbolic") {
    check_modes("sin cos tan", [](auto a, auto b) { return sin(a) * cos(b) + tan(a * 0.5) - cos(a * b); },
                all<2>(sym));
    check_modes("asin acos atan", [](auto a, auto b) { return asin(a) + acos(b) * atan(a * b * 3.0); }, all<2>(unit));
    check_modes("atan2 and hypot in the right half plane", [](auto a, auto b) { return atan2(b, a) * hypot(a, b); },
                std::array{box{0.2, 3.0}, sym});
    check_modes("atan2 with numbers and constants", [](auto a, auto b) { return atan2(a, 2_c) + atan2(1.5, b) * a; },
                all<2>(sym));
    check_modes("sin^2 + cos^2 (gradient cancels to 0)", [](auto a) { return sin(a) * sin(a) + cos(a) * cos(a); },
                all<1>(wide));
    check_modes("sinh cosh tanh", [](auto a, auto b) { return sinh(a) * cosh(b) - tanh(a - b); }, all<2>(sym));
    check_modes("tanh unit of three", [](auto a, auto b, auto c) { return tanh(0.3 * a - 0.7 * b + 0.2 * c + 0.1) * 1.5; },
                all<3>(wide));
    check_modes("asinh via log and sqrt", [](auto a) { return log(a + sqrt(a * a + 1_c)) * cosh(a / 4_c); },
                all<1>(sym));
}

TEST_CASE("forward == reverse: activations, special functions") {
    check_modes("sigmoid and softplus", [](auto a, auto b) { return tg::sigmoid(a * b) + tg::softplus(a - b); },
                all<2>(wide));
    check_modes("logistic loss",
                [](auto a, auto b, auto c) { return softplus(-(a * b + c)) + 0.01 * (a * a + b * b); }, all<3>(wide));
    check_modes("steep sigmoid", [](auto a) { return sigmoid(10.0 * a) + sigmoid(-a); }, all<1>(small));
    check_modes("hypot and erf", [](auto a, auto b) { return hypot(a, b) * erf(a - b); }, all<2>(sym));
    check_modes("nested hypot", [](auto a, auto b, auto c) { return hypot(hypot(a, b), c); },
                std::array{sym, sym, box{0.5, 2.0}});
    check_modes("small network of five",
                [](auto a, auto b, auto c, auto d, auto e) {
                    auto const h1 = tanh(0.5 * a - 0.2 * b + 0.1 * c + 0.3);
                    auto const h2 = sigmoid(-0.4 * c + 0.6 * d - 0.1 * e);
                    auto const h3 = softplus(0.2 * a + 0.3 * e - 0.5);
                    return softplus(1.3 * h1 - 0.7 * h2 + 0.4 * h3 + e * 0.1);
                },
                all<5>(sym));
}
