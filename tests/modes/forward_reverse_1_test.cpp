// Forward mode against reverse mode, part 1: arithmetic, powers, constants, exp and log.
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
using typegrad_test::pos;
using typegrad_test::small;
using typegrad_test::sym;
using typegrad_test::wide;

TEST_CASE("forward == reverse: arithmetic, powers and constants") {
    check_modes("rational function", [](auto a, auto b) { return (a * a - 3_c * a * b + 2.5) / (1_c + b * b); },
                all<2>(sym));
    check_modes("horner polynomial, run-time coefficients",
                [](auto a) { return ((0.5 * a - 1.25) * a + 2.0) * a - 0.75; }, all<1>(wide));
    check_modes("numbers on either side",
                [](auto a, auto b, auto c) { return 2.0 - a / (3.0 + b * b) + 1.5 * c - c / 4.0 + 7 * a - b * 2; },
                all<3>(sym));
    check_modes("unary minus chain", [](auto a, auto b) { return -(-a * b) - (-(a - b)) + -(-(-a)); }, all<2>(sym));
    check_modes("compile-time integer powers",
                [](auto a, auto b) { return pow(a, 3_c) * pow(b, 2_c) - pow(a * b, 5_c) + pow(a, 0_c) + pow(b, 1_c); },
                all<2>(small));
    check_modes("negative integer powers", [](auto a, auto b) { return pow(a, -2_c) + pow(a + b, -3_c); },
                all<2>(box{0.5, 3.0}));
    check_modes("rational compile-time exponents",
                [](auto a) { return pow(a, tg::constant<1, 3>) + pow(a, tg::constant<5, 2>) - pow(a, -tg::constant<1, 2>); },
                all<1>(pos));
    check_modes("run-time exponents", [](auto a, auto b) { return pow(a, b) + pow(b, a * 0.5); }, all<2>(pos));
    check_modes("number base, number exponent", [](auto a) { return pow(2.0, a) + pow(a, 2.5) + pow(a, 3); },
                all<1>(pos));
    check_modes("folded compile-time constants",
                [](auto a, auto b) {
                    return (2_c * 3_c) * a + (1_c / 3_c) * b - tg::constant<5> * a * 0_c + a * 1_c + b / 1_c +
                           (4_c - 4_c) * b + a * b * (1_c / 2_c + 1_c / 2_c);
                },
                all<2>(sym));
    check_modes("rational constants",
                [](auto a, auto b) { return tg::constant<1, 3> * pow(a, 3_c) - tg::constant<-7, 4> * b / 2_c + 1_c / a; },
                std::array{pos, sym});
    check_modes("captured run-time constants",
                [c0 = 1.7, c1 = -0.3](auto a, auto b) {
                    return c0 * sin(a) + c1 * b * b + c0 / (c1 * c1 + a * a) - c1;
                },
                all<2>(sym));
    check_modes("constant result", [](auto a) { return a * 0_c + 2.5; }, all<1>(wide));
    check_modes("unused input", [](auto a, auto b, auto) { return a * b + sin(a); }, all<3>(sym));
}

TEST_CASE("forward == reverse: exp, log, roots") {
    check_modes("exp log log1p expm1",
                [](auto a, auto b) { return log(a) * exp(-b) + log1p(a * 0.5) - expm1(b / 2.0) + log1p(-a / 5.0); },
                std::array{box{0.1, 4.5}, sym});
    check_modes("sqrt and cbrt", [](auto a, auto b) { return sqrt(a * a + b * b + 1.0) + cbrt(a * b - 5.0) * cbrt(b); },
                std::array{sym, box{0.2, 2.0}});
    check_modes("log of a ratio (gradient cancels to 0)", [](auto a, auto b) { return log(a / b) - log(a) + log(b); },
                all<2>(pos));
    check_modes("exp of sums", [](auto a, auto b, auto c) { return exp(a + b - c) * exp(c) / exp(b); }, all<3>(sym));
    check_modes("gaussian negative log-likelihood",
                [](auto m, auto s, auto x) { return log(s) + 0.5 * pow((x - m) / s, 2_c) + 0.9189385332046727; },
                std::array{sym, box{0.3, 3.0}, wide});
    check_modes("log-sum-exp of four",
                [](auto a, auto b, auto c, auto d) { return log(exp(a) + exp(b) + exp(c) + exp(d)) - a; },
                all<4>(wide));
    check_modes("sqrt of compile-time constant", [](auto a) { return erf(a / sqrt(2_c)) * 0.5 + 0.5; }, all<1>(wide));
}
