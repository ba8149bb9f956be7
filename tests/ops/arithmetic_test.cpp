// + - * / and unary minus: values and partials in every mode against closed forms
// and finite differences, numbers on either side, compile-time constant folding,
// IEEE edges, float and integer evaluation.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

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

namespace {
using typegrad_test::inf;
using typegrad_test::qnan;

constexpr std::initializer_list<std::array<double, 2>> points = {
    {1.5, 0.5}, {-2.25, 3.0}, {0.1, -7.5}, {1e3, 1e-3}, {-0.3, -0.4}, {0.0, 2.0}};
}  // namespace

TEST_CASE("x + y, x - y, x * y, x / y: values and partials against closed forms in every mode") {
    auto [x, y] = tg::vars<2>();
    check_binary(
        x + y, [](double a, double b) { return a + b; }, [](double, double) { return 1.0; },
        [](double, double) { return 1.0; }, points);
    check_binary(
        x - y, [](double a, double b) { return a - b; }, [](double, double) { return 1.0; },
        [](double, double) { return -1.0; }, points);
    check_binary(
        x * y, [](double a, double b) { return a * b; }, [](double, double b) { return b; },
        [](double a, double) { return a; }, points);
    check_binary(
        x / y, [](double a, double b) { return a / b; }, [](double, double b) { return 1.0 / b; },
        [](double a, double b) { return -a / (b * b); }, points);
}

TEST_CASE("x + y, x - y, x * y, x / y against central differences") {
    auto [x, y] = tg::vars<2>();
    check_binary_fd(x + y, points);
    check_binary_fd(x - y, points);
    check_binary_fd(x * y, points);
    check_binary_fd(x / y, {{1.5, 0.5}, {-2.25, 3.0}, {0.1, -7.5}, {-0.3, -0.4}, {0.0, 2.0}});
}

TEST_CASE("unary minus") {
    auto [x] = tg::vars<1>();
    check_unary(
        -x, [](double a) { return -a; }, [](double) { return -1.0; }, {-3.0, 0.0, 0.25, 1e10});
    check_unary_fd(-x, {-3.0, 0.0, 0.25});
    // -(-x) is x itself, and negating a compile-time constant folds.
    static_assert(std::is_same_v<decltype(-(-x)), tg::var<0>>);
    static_assert(std::is_same_v<decltype(-(2_c)), tg::static_const<-2>>);
    check_unary_at(-x, inf, -inf, -1.0);
    check_unary_at(-x, qnan, qnan, -1.0);
}

TEST_CASE("one input used twice: x + x, x - x, x * x, x / x") {
    auto [x] = tg::vars<1>();
    std::initializer_list<double> const xs = {-2.0, -0.5, 0.75, 3.0, 1e5};
    check_unary(
        x + x, [](double a) { return 2 * a; }, [](double) { return 2.0; }, xs);
    check_unary(
        x - x, [](double) { return 0.0; }, [](double) { return 0.0; }, xs);
    check_unary(
        x * x, [](double a) { return a * a; }, [](double a) { return 2 * a; }, xs);
    check_unary(
        x / x, [](double) { return 1.0; }, [](double) { return 0.0; }, xs);
    check_unary_fd(x * x, xs);
    check_unary_fd(x / x, xs);
}

TEST_CASE("numbers on either side: 2.0 * x, x * 2, x / 3.0, 3.0 / x, 1 - x, x - 0.5, 2.5 + x, x + 1") {
    auto [x] = tg::vars<1>();
    std::initializer_list<double> const xs = {-4.0, -0.5, 0.3, 1.0, 7.25};
    check_unary(
        2.0 * x, [](double a) { return 2.0 * a; }, [](double) { return 2.0; }, xs);
    check_unary(
        x * 2, [](double a) { return 2.0 * a; }, [](double) { return 2.0; }, xs);
    check_unary(
        x * -1.5, [](double a) { return -1.5 * a; }, [](double) { return -1.5; }, xs);
    check_unary(
        x / 3.0, [](double a) { return a / 3.0; }, [](double) { return 1.0 / 3.0; }, xs);
    check_unary(
        3.0 / x, [](double a) { return 3.0 / a; }, [](double a) { return -3.0 / (a * a); }, xs);
    check_unary(
        1 - x, [](double a) { return 1.0 - a; }, [](double) { return -1.0; }, xs);
    check_unary(
        x - 0.5, [](double a) { return a - 0.5; }, [](double) { return 1.0; }, xs);
    check_unary(
        2.5 + x, [](double a) { return 2.5 + a; }, [](double) { return 1.0; }, xs);
    check_unary(
        x + 1, [](double a) { return a + 1.0; }, [](double) { return 1.0; }, xs);
    check_unary(
        2 / x, [](double a) { return 2.0 / a; }, [](double a) { return -2.0 / (a * a); }, xs);
    check_unary_fd(3.0 / x, xs);
    check_unary_fd(x / 3.0, xs);
    check_unary_fd(1 - x, xs);
}

TEST_CASE("compile-time constants on either side: 3_c * x, x / 2_c, 1_c - x, x + ratio<1, 3>") {
    auto [x] = tg::vars<1>();
    std::initializer_list<double> const xs = {-4.0, -0.5, 0.3, 1.0, 7.25};
    check_unary(
        3_c * x, [](double a) { return 3.0 * a; }, [](double) { return 3.0; }, xs);
    check_unary(
        x / 2_c, [](double a) { return a / 2.0; }, [](double) { return 0.5; }, xs);
    check_unary(
        1_c - x, [](double a) { return 1.0 - a; }, [](double) { return -1.0; }, xs);
    check_unary(
        x + tg::ratio<1, 3>{}, [](double a) { return a + 1.0 / 3.0; }, [](double) { return 1.0; }, xs);
    check_unary(
        2_c / x, [](double a) { return 2.0 / a; }, [](double a) { return -2.0 / (a * a); }, xs);
    // Expressions of constants and one input stay empty types.
    static_assert(std::is_empty_v<decltype(3_c * x + 1_c)>);
    static_assert(!std::is_empty_v<decltype(3.0 * x)>);
}

TEST_CASE("compile-time constants fold and identities vanish") {
    auto [x] = tg::vars<1>();
    static_assert(std::is_same_v<decltype(2_c * 3_c), tg::static_const<6>>);
    static_assert(std::is_same_v<decltype(2_c + 3_c), tg::static_const<5>>);
    static_assert(std::is_same_v<decltype(2_c - 3_c), tg::static_const<-1>>);
    static_assert(std::is_same_v<decltype(1_c / 3_c), tg::static_const<1, 3>>);
    static_assert(std::is_same_v<decltype(tg::ratio<2, 4>{}), tg::static_const<1, 2>>);
    static_assert(std::is_same_v<decltype(x * 1_c), tg::var<0>>);
    static_assert(std::is_same_v<decltype(1_c * x), tg::var<0>>);
    static_assert(std::is_same_v<decltype(x + 0_c), tg::var<0>>);
    static_assert(std::is_same_v<decltype(0_c + x), tg::var<0>>);
    static_assert(std::is_same_v<decltype(x - 0_c), tg::var<0>>);
    static_assert(std::is_same_v<decltype(x / 1_c), tg::var<0>>);
    static_assert(std::is_same_v<decltype(x * 0_c), tg::static_const<0>>);
    static_assert(std::is_same_v<decltype(0_c * x), tg::static_const<0>>);
    static_assert(std::is_same_v<decltype(0_c / x), tg::static_const<0>>);
    // x * 0_c is the symbolic zero: 0 even where x is inf or nan, with derivative 0.
    for (double v : {2.0, inf, -inf, qnan}) {
        CAPTURE(v);
        auto const r = tg::gradient(x * 0_c, v);
        CHECK(r.value == 0.0);
        CHECK(r.gradient[0] == 0.0);
        CHECK(tg::gradient<tg::forward>(x * 0_c, v).gradient[0] == 0.0);
    }
    // A run-time zero is never folded: IEEE arithmetic stands.
    CHECK(std::isnan(tg::value(x * 0.0, inf)));
    CHECK(std::isnan(tg::value(0.0 * x, qnan)));
}

TEST_CASE("IEEE edges of + - * /") {
    auto [x, y] = tg::vars<2>();
    // Division by zero: 1/0 = inf, d/dx = 1/0 = inf, d/dy = -1/0^2 = -inf.
    check_binary_at(x / y, 1.0, 0.0, inf, inf, -inf);
    check_binary_at(x / y, -1.0, 0.0, -inf, inf, inf);
    // 0/0: qnan value, d/dx = 1/0 = inf, d/dy = -0/0 = qnan.
    check_binary_at(x / y, 0.0, 0.0, qnan, inf, qnan);
    // Division by inf: 0, d/dx = 0, d/dy = -1/inf^2 = -0.
    check_binary_at(x / y, 1.0, inf, 0.0, 0.0, 0.0);
    check_binary_at(x * y, inf, 2.0, inf, 2.0, inf);
    check_binary_at(x * y, inf, 0.0, qnan, 0.0, inf);
    check_binary_at(x + y, inf, -inf, qnan, 1.0, 1.0);
    check_binary_at(x - y, inf, inf, qnan, 1.0, -1.0);
    check_binary_at(x + y, qnan, 1.0, qnan, 1.0, 1.0);
    check_binary_at(x * y, qnan, 3.0, qnan, 3.0, qnan);
    check_unary_at(1.0 / x, 0.0, inf, -inf);
    check_unary_at(1.0 / x, inf, 0.0, 0.0);
}

TEST_CASE("a small composite: x * y - x / (1 + y) against its closed form and differences") {
    auto [x, y] = tg::vars<2>();
    auto const f = x * y - x / (1.0 + y) + 2_c * (-x);
    check_binary(
        f, [](double a, double b) { return a * b - a / (1 + b) - 2 * a; },
        [](double, double b) { return b - 1 / (1 + b) - 2; },
        [](double a, double b) { return a + a / ((1 + b) * (1 + b)); }, {{1.5, 0.5}, {-2.0, 3.0}, {0.25, -0.5}},
        1e-13);
    check_binary_fd(f, {{1.5, 0.5}, {-2.0, 3.0}, {0.25, -0.5}});
}

TEST_CASE("float evaluation stays float, integers are evaluated as double") {
    auto [x, y] = tg::vars<2>();
    auto const f = x * y + x / y - 1.0 * y;

    auto const rf = tg::gradient(f, 1.5f, 0.5f);
    static_assert(std::is_same_v<std::remove_cvref_t<decltype(rf.value)>, float>);
    static_assert(std::is_same_v<std::remove_cvref_t<decltype(rf.gradient)>, std::array<float, 2>>);
    auto const ff = tg::gradient<tg::forward>(f, 1.5f, 0.5f);
    static_assert(std::is_same_v<std::remove_cvref_t<decltype(ff.gradient)>, std::array<float, 2>>);
    auto const jf = tg::jvp(f, std::array{1.5f, 0.5f}, std::array{1.0f, 0.0f});
    static_assert(std::is_same_v<std::remove_cvref_t<decltype(jf.tangent)>, float>);
    static_assert(std::is_same_v<decltype(tg::value(f, 1.5f, 0.5f)), float>);
    // f = 0.75 + 3 - 0.5, df/dx = y + 1/y = 2.5, df/dy = x - x/y^2 - 1 = 1.5 - 6 - 1.
    CHECK(rf.value == doctest::Approx(3.25).epsilon(1e-6));
    CHECK(rf.gradient[0] == doctest::Approx(2.5).epsilon(1e-6));
    CHECK(rf.gradient[1] == doctest::Approx(-5.5).epsilon(1e-6));
    CHECK(ff.gradient[0] == rf.gradient[0]);
    CHECK(ff.gradient[1] == rf.gradient[1]);
    CHECK(jf.tangent == rf.gradient[0]);

    // Integers become double; the result is exactly the double evaluation.
    static_assert(std::is_same_v<decltype(tg::value(f, 1, 2)), double>);
    auto const ri = tg::gradient(f, 1, 2);
    static_assert(std::is_same_v<std::remove_cvref_t<decltype(ri.gradient)>, std::array<double, 2>>);
    auto const rd = tg::gradient(f, 1.0, 2.0);
    CHECK(tg::value(f, 1, 2) == tg::value(f, 1.0, 2.0));
    CHECK(ri.value == rd.value);
    CHECK(ri.gradient == rd.gradient);
    // 1 / 2 is 0.5 here, not integer division.
    CHECK(tg::value(x / y, 1, 2) == 0.5);
    // Mixed int and float arguments take their common type after promotion (double).
    static_assert(std::is_same_v<decltype(tg::value(f, 1, 2.0f)), double>);
}

TEST_CASE("float evaluation through every operation family agrees with double evaluation") {
    // A consistency check of the float instantiation of every rule (the double results
    // are checked against closed forms in the other files of this suite).
    auto [x, y] = tg::vars<2>();
    auto const f = tg::sin(x) * tg::cos(y) + tg::tan(0.5 * x) + tg::asin(0.5 * y) + tg::acos(0.3 * x) +
                   tg::atan(x) + tg::atan2(x, y) + tg::exp(y) + tg::log(x) + tg::log1p(y) + tg::expm1(x) +
                   tg::sqrt(x) + tg::cbrt(y) + tg::sinh(x) + tg::cosh(y) + tg::tanh(x) + tg::sigmoid(y) +
                   tg::softplus(x) + tg::abs(y) + tg::min(x, y) + tg::max(x, y) + tg::relu(x) + tg::hypot(x, y) +
                   tg::erf(y) + tg::pow(x, y) + tg::pow(x, 3_c) + tg::select(x > y, x, y);
    for (auto const& p : {std::array{1.25, 0.5}, std::array{0.5, 1.5}, std::array{2.0, -0.75}}) {
        CAPTURE(p[0]);
        CAPTURE(p[1]);
        auto const rf = tg::gradient(f, static_cast<float>(p[0]), static_cast<float>(p[1]));
        auto const ff = tg::gradient<tg::forward>(f, static_cast<float>(p[0]), static_cast<float>(p[1]));
        static_assert(std::is_same_v<std::remove_cvref_t<decltype(rf.gradient)>, std::array<float, 2>>);
        auto const rd = tg::gradient(f, p);
        TG_CHECK_CLOSE(rf.value, rd.value, 1e-5);
        TG_CHECK_CLOSE(ff.value, rd.value, 1e-5);
        for (std::size_t i = 0; i < 2; ++i) {
            CAPTURE(i);
            TG_CHECK_CLOSE(rf.gradient[i], rd.gradient[i], 1e-5);
            TG_CHECK_CLOSE(ff.gradient[i], rd.gradient[i], 1e-5);
        }
    }
}

// The operations are constrained: asking whether one applies to something that is neither
// an expression nor a number is false, not a hard error inside the library.
namespace constrained {
template <class T>
constexpr bool has_sin = requires(T const& t) { tg::sin(t); };
template <class T>
constexpr bool has_pow = requires(T const& t) { tg::pow(tg::var<0>{}, t); };
template <class T>
constexpr bool has_plus = requires(T const& t) { tg::var<0>{} + t; };
template <class T>
constexpr bool has_less = requires(T const& t) { tg::var<0>{} < t; };
static_assert(has_sin<double> && has_sin<tg::var<0>> && has_pow<int> && has_plus<float> && has_less<double>);
static_assert(!has_sin<std::string> && !has_pow<std::string> && !has_plus<std::string> && !has_less<std::string>);
static_assert(!has_sin<std::vector<double>> && !has_plus<char const*>);
}  // namespace constrained

TEST_CASE("misuse: an expression is not a bool and cannot be assigned an expression of another type") {
    // Checked at compile time; here, that the ordinary forms still work.
    auto [x] = tg::vars<1>();
    static_assert(std::is_constructible_v<bool, decltype(x > 0.0)>);  // the explicit conversion exists (to say no)
    static_assert(!std::is_convertible_v<decltype(x > 0.0), bool>);   // never implicitly
    auto e = x * 2.0;
    e = x * 3.0;  // same type: plain assignment (the run-time constant is replaced)
    CHECK(tg::value(e, 2.0) == 6.0);
}
