// exp, log, log1p, expm1, sqrt, cbrt: values and derivatives in every mode against
// closed forms and finite differences, and the documented domain edges.
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

TEST_CASE("exp: value and derivative e^x") {
    auto [x] = tg::vars<1>();
    auto const f = tg::exp(x);
    check_unary(
        f, [](double a) { return std::exp(a); }, [](double a) { return std::exp(a); },
        {-30.0, -2.5, -0.1, 0.0, 0.7, 3.0, 20.0});
    check_unary_fd(f, {-2.5, -0.1, 0.0, 0.7, 3.0});
}

TEST_CASE("exp: overflow, underflow, infinities, nan") {
    auto [x] = tg::vars<1>();
    auto const f = tg::exp(x);
    check_unary_at(f, 1000.0, inf, inf);
    check_unary_at(f, -1000.0, 0.0, 0.0);
    check_unary_at(f, inf, inf, inf);
    check_unary_at(f, -inf, 0.0, 0.0);
    check_unary_at(f, qnan, qnan, qnan);
    // The largest finite result.
    check_unary_at(f, 709.0, std::exp(709.0), std::exp(709.0));
}

TEST_CASE("log: value and derivative 1/x") {
    auto [x] = tg::vars<1>();
    auto const f = tg::log(x);
    check_unary(
        f, [](double a) { return std::log(a); }, [](double a) { return 1.0 / a; },
        {1e-300, 1e-5, 0.3, 1.0, 2.718281828459045, 10.0, 1e300});
    check_unary_fd(f, {0.3, 1.0, 2.5, 10.0, 1e3});
}

TEST_CASE("log: log(0) = -inf with derivative +inf, inf and nan") {
    auto [x] = tg::vars<1>();
    auto const f = tg::log(x);
    check_unary_at(f, 0.0, -inf, inf);
    check_unary_at(f, inf, inf, 0.0);
    check_unary_at(f, qnan, qnan, qnan);
}

TEST_CASE("log: a negative argument gives nan, the derivative is still the formula 1/x (exp_log.hpp)") {
    auto [x] = tg::vars<1>();
    auto const f = tg::log(x);
    check_unary_at(f, -1.0, qnan, -1.0);
    check_unary_at(f, -0.5, qnan, -2.0);
    check_unary_at(f, -inf, qnan, -0.0);
}

TEST_CASE("log1p: value and derivative 1/(1+x), accurate near 0") {
    auto [x] = tg::vars<1>();
    auto const f = tg::log1p(x);
    check_unary(
        f, [](double a) { return std::log1p(a); }, [](double a) { return 1.0 / (1.0 + a); },
        {-0.9, -0.25, -1e-12, 0.0, 1e-12, 0.5, 3.0, 1e10});
    // log1p(1e-20) is 1e-20 to full precision, where log(1 + 1e-20) would be 0.
    check_unary_at(f, 1e-20, 1e-20, 1.0, 1e-15);
    CHECK(tg::value(f, 1e-20) / 1e-20 == doctest::Approx(1.0).epsilon(1e-15));
    check_unary_fd(f, {-0.5, 0.0, 0.5, 3.0});
}

TEST_CASE("log1p: edges at -1, below -1, inf, nan") {
    auto [x] = tg::vars<1>();
    auto const f = tg::log1p(x);
    check_unary_at(f, -1.0, -inf, inf);
    // Below -1 the value is nan (the header states no convention for the derivative there).
    CHECK(std::isnan(tg::value(f, -2.0)));
    CHECK(std::isnan(tg::gradient(f, -2.0).value));
    check_unary_at(f, inf, inf, 0.0);
    check_unary_at(f, qnan, qnan, qnan);
}

TEST_CASE("expm1: value and derivative e^x, accurate near 0") {
    auto [x] = tg::vars<1>();
    auto const f = tg::expm1(x);
    check_unary(
        f, [](double a) { return std::expm1(a); }, [](double a) { return std::exp(a); },
        {-5.0, -0.5, -1e-10, 0.0, 1e-10, 0.25, 2.0, 30.0});
    CHECK(tg::value(f, 1e-20) / 1e-20 == doctest::Approx(1.0).epsilon(1e-15));
    check_unary_fd(f, {-5.0, -0.5, 0.0, 0.25, 2.0});
}

TEST_CASE("expm1: overflow, -inf, nan") {
    auto [x] = tg::vars<1>();
    auto const f = tg::expm1(x);
    check_unary_at(f, 1000.0, inf, inf);
    check_unary_at(f, inf, inf, inf);
    check_unary_at(f, -inf, -1.0, 0.0);
    check_unary_at(f, -1000.0, -1.0, 0.0);
    check_unary_at(f, qnan, qnan, qnan);
}

TEST_CASE("sqrt: value and derivative 1/(2 sqrt x)") {
    auto [x] = tg::vars<1>();
    auto const f = tg::sqrt(x);
    check_unary(
        f, [](double a) { return std::sqrt(a); }, [](double a) { return 0.5 / std::sqrt(a); },
        {1e-300, 1e-8, 0.25, 1.0, 2.0, 9.0, 1e300});
    check_unary(
        f, [](double a) { return std::sqrt(a); }, [](double a) { return 0.5 * std::pow(a, -0.5); },
        {0.3, 7.0, 123.456});
    check_unary_fd(f, {0.25, 1.0, 2.0, 9.0, 1e4});
}

TEST_CASE("sqrt: sqrt'(0) = +inf, negative arguments give nan") {
    auto [x] = tg::vars<1>();
    auto const f = tg::sqrt(x);
    check_unary_at(f, 0.0, 0.0, inf);
    check_unary_at(f, -1.0, qnan, qnan);
    check_unary_at(f, inf, inf, 0.0);
    check_unary_at(f, qnan, qnan, qnan);
}

TEST_CASE("cbrt: value and derivative 1/(3 cbrt(x)^2), negative arguments included") {
    auto [x] = tg::vars<1>();
    auto const f = tg::cbrt(x);
    check_unary(
        f, [](double a) { return std::cbrt(a); },
        [](double a) { return std::pow(std::cbrt(a), -2.0) / 3.0; },
        {-1e300, -27.0, -8.0, -0.001, 1e-300, 0.125, 1.0, 2.0, 64.0, 1e300}, 1e-14);
    check_unary_fd(f, {-8.0, -0.5, 0.125, 1.0, 2.0, 64.0});
}

TEST_CASE("cbrt: cbrt'(0) = +inf, inf and nan") {
    auto [x] = tg::vars<1>();
    auto const f = tg::cbrt(x);
    check_unary_at(f, 0.0, 0.0, inf);
    check_unary_at(f, -0.0, 0.0, inf);
    check_unary_at(f, inf, inf, 0.0);
    check_unary_at(f, -inf, -inf, 0.0);
    check_unary_at(f, qnan, qnan, qnan);
}

TEST_CASE("sqrt'(-0.0) and log'(-0.0) keep the sign of zero (-inf), as documented") {
    // -0.0 arises from ordinary arithmetic, e.g. -x at x = 0; IEEE division by -0.0 gives -inf.
    auto [x] = tg::vars<1>();
    check_unary_at(tg::sqrt(x), -0.0, -0.0, -inf);
    check_unary_at(tg::log(x), -0.0, -inf, -inf);
    CHECK(std::signbit(tg::gradient(tg::sqrt(x), -0.0).gradient[0]));
}

TEST_CASE("exp, log, sqrt and friends on plain numbers") {
    CHECK(tg::exp(1.0) == doctest::Approx(std::exp(1.0)).epsilon(1e-15));
    CHECK(tg::log(2.0) == doctest::Approx(std::log(2.0)).epsilon(1e-15));
    CHECK(tg::log1p(0.5) == doctest::Approx(std::log1p(0.5)).epsilon(1e-15));
    CHECK(tg::expm1(0.5) == doctest::Approx(std::expm1(0.5)).epsilon(1e-15));
    CHECK(tg::sqrt(2.0) == doctest::Approx(std::sqrt(2.0)).epsilon(1e-15));
    CHECK(tg::cbrt(-27.0) == doctest::Approx(-3.0).epsilon(1e-15));
    // Integers are evaluated as double; float stays float.
    static_assert(std::is_same_v<decltype(tg::sqrt(4)), double>);
    static_assert(std::is_same_v<decltype(tg::exp(1.0f)), float>);
    CHECK(tg::sqrt(4) == 2.0);
}

TEST_CASE("composites: log(exp(x)) = x, sqrt(x)^2 chain, exp(-x*x)") {
    auto [x] = tg::vars<1>();
    check_unary(
        tg::log(tg::exp(x)), [](double a) { return a; }, [](double) { return 1.0; }, {-3.0, 0.0, 0.5, 10.0});
    check_unary(
        tg::exp(-(x * x)), [](double a) { return std::exp(-a * a); },
        [](double a) { return -2 * a * std::exp(-a * a); }, {-2.0, -0.5, 0.0, 0.7, 3.0});
    check_unary(
        tg::sqrt(tg::log1p(x * x)), [](double a) { return std::sqrt(std::log1p(a * a)); },
        [](double a) { return a / ((1 + a * a) * std::sqrt(std::log1p(a * a))); }, {-2.0, 0.5, 3.0}, 1e-13);
    check_unary_fd(tg::sqrt(tg::log1p(x * x)), {-2.0, 0.5, 3.0});
}
