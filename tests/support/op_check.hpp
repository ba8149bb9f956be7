// Test support for the per-operation suites (tests/ops): checks an expression's
// value and derivatives in every mode (tg::value, reverse and forward
// tg::gradient, tg::jvp) against closed forms written in the test, and against
// central finite differences.
//
// The templates only evaluate (typegrad's passes); the assertions live in plain
// inline functions so that each expression checked adds little to compile time.
// A failure names the test line that called the check (called_from). close() is
// absolute below 1: check tiny results relatively where that matters.
#pragma once

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <string>

#include <typegrad/typegrad.hpp>

#include "support/finite_difference.hpp"

namespace typegrad_test {

inline constexpr double inf = std::numeric_limits<double>::infinity();
inline constexpr double qnan = std::numeric_limits<double>::quiet_NaN();

/// A double with all its digits, for failure messages.
inline std::string show(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

/// "file:line" of the test line that called a check, for failure messages.
inline std::string site(char const* file, int line) {
    std::string f = file;
    auto const slash = f.find_last_of('/');
    if (slash != std::string::npos) f = f.substr(slash + 1);
    return f + ":" + std::to_string(line);
}

/// CHECKs that `actual` is close() to `expected` (infinities and nans must match
/// exactly); `what` names the quantity in the failure message.
inline void check_close(char const* what, double actual, double expected, double rel) {
    std::string const message = std::string(what) + " = " + show(actual) + ", expected " + show(expected);
    CHECK_MESSAGE(close(actual, expected, rel), message);
}

}  // namespace typegrad_test

/// CHECK that `actual` is close() to `expected`; the message shows both with all digits.
#define TG_CHECK_CLOSE(actual, expected, rel) ::typegrad_test::check_close(#actual, actual, expected, rel)

namespace typegrad_test {

/// Everything typegrad computes for a one-input expression at one point.
struct unary_results {
    double value;                                         // tg::value
    double reverse_value, forward_value, jvp_value;       // the values the passes return
    double reverse, forward, reverse_array, jvp, jvp_scaled;  // derivatives; jvp_scaled along -2.5
};

template <class F>
unary_results evaluate_unary(F const& f, double x) {
    namespace tg = typegrad;
    auto const r = tg::gradient(f, x);
    auto const fw = tg::gradient<tg::forward>(f, x);
    auto const ga = tg::gradient(f, std::array{x});
    auto const j = tg::jvp(f, std::array{x}, std::array{1.0});
    auto const j2 = tg::jvp(f, std::array{x}, std::array{-2.5});
    return {tg::value(f, x), r.value, fw.value, j.value, r.gradient[0], fw.gradient[0], ga.gradient[0], j.tangent,
            j2.tangent};
}

inline void verify_unary(unary_results const& u, double x, double v, double d, double rel) {
    CAPTURE(x);
    check_close("tg::value", u.value, v, rel);
    check_close("reverse value", u.reverse_value, v, rel);
    check_close("forward value", u.forward_value, v, rel);
    check_close("jvp value", u.jvp_value, v, rel);
    check_close("reverse derivative", u.reverse, d, rel);
    check_close("forward derivative", u.forward, d, rel);
    check_close("reverse derivative (array point)", u.reverse_array, d, rel);
    check_close("jvp tangent", u.jvp, d, rel);
    check_close("jvp tangent along -2.5", u.jvp_scaled, -2.5 * d, rel);
}

/// Value and derivative of a one-input expression f in every mode against closed forms,
/// at each point of xs: value(x) and deriv(x) are the expected value and derivative.
template <class F, class V, class D>
void check_unary(F const& f, V const& value, D const& deriv, std::initializer_list<double> xs,
                 double rel = 1e-14, char const* file = __builtin_FILE(), int line = __builtin_LINE()) {
    std::string const called_from = site(file, line);
    CAPTURE(called_from);
    for (double const x : xs) verify_unary(evaluate_unary(f, x), x, value(x), deriv(x), rel);
}

/// The same at a single point with the expected value and derivative given (edges:
/// infinities and nans must match exactly, the rest within rel).
template <class F>
void check_unary_at(F const& f, double x, double v, double d, double rel = 1e-14,
                    char const* file = __builtin_FILE(), int line = __builtin_LINE()) {
    std::string const called_from = site(file, line);
    CAPTURE(called_from);
    verify_unary(evaluate_unary(f, x), x, v, d, rel);
}

inline void verify_fd(char const* what, double x, double reverse, double forward, double fd, double rel) {
    CAPTURE(x);
    std::string const which = what;
    CAPTURE(which);
    check_close("reverse derivative vs central difference", reverse, fd, rel);
    check_close("forward derivative vs central difference", forward, fd, rel);
}

/// The derivative of a one-input expression (reverse and forward) against a 4-point central difference.
template <class F>
void check_unary_fd(F const& f, std::initializer_list<double> xs, double rel = 1e-8,
                    char const* file = __builtin_FILE(), int line = __builtin_LINE()) {
    namespace tg = typegrad;
    std::string const called_from = site(file, line);
    CAPTURE(called_from);
    auto const fv = [&f](std::array<double, 1> const& p) { return tg::value(f, p); };
    for (double const x : xs)
        verify_fd("d/dx", x, tg::gradient(f, x).gradient[0], tg::gradient<tg::forward>(f, x).gradient[0],
                  central_difference(fv, std::array{x}, 0), rel);
}

/// Everything typegrad computes for a two-input expression at one point.
struct binary_results {
    double value, reverse_value, forward_value, jvp_value;
    std::array<double, 2> reverse, forward, reverse_array;
    double jvp0, jvp1, jvp_mixed;  // along (1, 0), (0, 1), (0.5, -2)
};

template <class F>
binary_results evaluate_binary(F const& f, double a, double b, bool with_jvp) {
    namespace tg = typegrad;
    std::array const p{a, b};
    auto const r = tg::gradient(f, a, b);
    auto const fw = tg::gradient<tg::forward>(f, a, b);
    auto const ga = tg::gradient(f, p);
    binary_results res{tg::value(f, a, b), r.value, fw.value, r.value, r.gradient, fw.gradient, ga.gradient,
                       0, 0, 0};
    if (with_jvp) {
        auto const j0 = tg::jvp(f, p, std::array{1.0, 0.0});
        res.jvp_value = j0.value;
        res.jvp0 = j0.tangent;
        res.jvp1 = tg::jvp(f, p, std::array{0.0, 1.0}).tangent;
        res.jvp_mixed = tg::jvp(f, p, std::array{0.5, -2.0}).tangent;
    }
    return res;
}

inline void verify_binary(binary_results const& r, double a, double b, double v, double da, double db, double rel,
                          bool with_jvp) {
    CAPTURE(a);
    CAPTURE(b);
    check_close("tg::value", r.value, v, rel);
    check_close("reverse value", r.reverse_value, v, rel);
    check_close("forward value", r.forward_value, v, rel);
    check_close("reverse d/da", r.reverse[0], da, rel);
    check_close("reverse d/db", r.reverse[1], db, rel);
    check_close("forward d/da", r.forward[0], da, rel);
    check_close("forward d/db", r.forward[1], db, rel);
    check_close("reverse d/da (array point)", r.reverse_array[0], da, rel);
    check_close("reverse d/db (array point)", r.reverse_array[1], db, rel);
    if (with_jvp) {
        check_close("jvp value", r.jvp_value, v, rel);
        check_close("jvp along (1, 0)", r.jvp0, da, rel);
        check_close("jvp along (0, 1)", r.jvp1, db, rel);
        // A mixed direction: the tolerance follows the size of the terms, not of their sum.
        double const em = 0.5 * da - 2.0 * db;
        double const scale = 1.0 + std::abs(0.5 * da) + std::abs(2.0 * db);
        CHECK_MESSAGE(std::abs(r.jvp_mixed - em) <= 4 * rel * scale,
                      "jvp along (0.5, -2) = " << show(r.jvp_mixed) << ", expected " << show(em));
    }
}

/// Value and both partials of a two-input expression f in every mode against closed forms
/// value(a, b), da(a, b), db(a, b), at each point.
template <class F, class V, class DA, class DB>
void check_binary(F const& f, V const& value, DA const& da, DB const& db,
                  std::initializer_list<std::array<double, 2>> points, double rel = 1e-14,
                  char const* file = __builtin_FILE(), int line = __builtin_LINE()) {
    std::string const called_from = site(file, line);
    CAPTURE(called_from);
    for (auto const& p : points)
        verify_binary(evaluate_binary(f, p[0], p[1], true), p[0], p[1], value(p[0], p[1]), da(p[0], p[1]),
                      db(p[0], p[1]), rel, true);
}

/// The same at a single point with the expected value and partials given. jvp is left
/// out: along (1, 0) an infinite partial in the other input would give inf * 0.
template <class F>
void check_binary_at(F const& f, double a, double b, double v, double da, double db, double rel = 1e-14,
                     char const* file = __builtin_FILE(), int line = __builtin_LINE()) {
    std::string const called_from = site(file, line);
    CAPTURE(called_from);
    verify_binary(evaluate_binary(f, a, b, false), a, b, v, da, db, rel, false);
}

/// Both partials of a two-input expression (reverse and forward mode) against central differences.
template <class F>
void check_binary_fd(F const& f, std::initializer_list<std::array<double, 2>> points, double rel = 1e-8,
                     char const* file = __builtin_FILE(), int line = __builtin_LINE()) {
    namespace tg = typegrad;
    std::string const called_from = site(file, line);
    CAPTURE(called_from);
    auto const fv = [&f](std::array<double, 2> const& p) { return tg::value(f, p); };
    for (auto const& p : points) {
        CAPTURE(p[1]);
        auto const r = tg::gradient(f, p);
        auto const fw = tg::gradient<tg::forward>(f, p);
        verify_fd("d/da", p[0], r.gradient[0], fw.gradient[0], central_difference(fv, p, 0), rel);
        verify_fd("d/db", p[0], r.gradient[1], fw.gradient[1], central_difference(fv, p, 1), rel);
    }
}

}  // namespace typegrad_test
