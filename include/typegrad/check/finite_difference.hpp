// typegrad/check/finite_difference.hpp: checking derivatives against central differences.
//
// tg::check_gradient(f, point) and tg::check_jacobian(f, point) compare typegrad's
// derivatives with 4-point central differences whose step is scaled to each
// coordinate (h = cbrt(eps) * max(1, |x_i|)). The report holds the largest
// absolute and relative errors and where they occur; it prints readably and
// converts to bool against a tolerance on the relative error.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <ostream>
#include <string>

#include "../modes/gradient.hpp"
#include "../modes/jacobian.hpp"
#include "../modes/values.hpp"

namespace typegrad {

/// Largest disagreement between typegrad's derivatives and finite differences.
struct check_report {
    double max_abs_error = 0;
    double max_rel_error = 0;  // |ad - fd| / max(1, |ad|, |fd|)
    std::size_t worst_output = 0;
    std::size_t worst_input = 0;
    std::size_t worst_element = 0;  ///< array programs: the element (row-major) of worst_input
    bool over_arrays = false;       ///< set by the array-program check
    double worst_ad = 0;
    double worst_fd = 0;
    double tolerance = 1e-6;

    /// True when the largest relative error is within the tolerance.
    explicit operator bool() const { return max_rel_error <= tolerance; }
    /// The same report judged against another tolerance.
    check_report within(double tol) const {
        check_report r = *this;
        r.tolerance = tol;
        return r;
    }
    std::string to_string() const {
        char buf[320];
        if (over_arrays) {
            std::snprintf(buf, sizeof buf,
                          "%s: max relative error %.3g (tolerance %.3g), max absolute error %.3g; worst at "
                          "input %zu, element %zu: typegrad %.17g, finite differences %.17g",
                          *this ? "ok" : "MISMATCH", max_rel_error, tolerance, max_abs_error, worst_input,
                          worst_element, worst_ad, worst_fd);
            return buf;
        }
        std::snprintf(buf, sizeof buf,
                      "%s: max relative error %.3g (tolerance %.3g), max absolute error %.3g; worst at "
                      "d output %zu / d input %zu: typegrad %.17g, finite differences %.17g",
                      *this ? "ok" : "MISMATCH", max_rel_error, tolerance, max_abs_error, worst_output, worst_input,
                      worst_ad, worst_fd);
        return buf;
    }
    friend std::ostream& operator<<(std::ostream& os, check_report const& r) { return os << r.to_string(); }
};

namespace detail {

template <class V, std::size_t N>
std::array<double, N> central_differences_of(V const& value_at, std::array<double, N> x) {
    std::array<double, N> d{};
    double const root_eps = std::cbrt(std::numeric_limits<double>::epsilon());
    for (std::size_t i = 0; i < N; ++i) {
        double const xi = x[i];
        double const h = root_eps * std::fmax(1.0, std::abs(xi));
        auto at = [&](double step) {
            x[i] = xi + step;
            double const v = value_at(x);
            x[i] = xi;
            return v;
        };
        d[i] = (8.0 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12.0 * h);
    }
    return d;
}

inline void record(check_report& r, std::size_t out, std::size_t in, double ad, double fd) {
    double const abs_err = std::abs(ad - fd);
    double const rel = abs_err / std::fmax(1.0, std::fmax(std::abs(ad), std::abs(fd)));
    bool const nan = std::isnan(ad) != std::isnan(fd);
    if (nan || rel > r.max_rel_error || (r.max_rel_error == 0 && out == 0 && in == 0)) {
        r.max_rel_error = nan ? std::numeric_limits<double>::infinity() : rel;
        r.worst_output = out;
        r.worst_input = in;
        r.worst_ad = ad;
        r.worst_fd = fd;
    }
    if (abs_err > r.max_abs_error) r.max_abs_error = abs_err;
}

}  // namespace detail

/// Compares tg::gradient (reverse mode) of a scalar function with central differences.
template <class F, class A, std::size_t N>
check_report check_gradient(F const& f, std::array<A, N> const& point, double tolerance = 1e-6) {
    std::array<double, N> x{};
    for (std::size_t i = 0; i < N; ++i) x[i] = static_cast<double>(point[i]);
    auto const ad = gradient(f, x).gradient;
    auto const fd = detail::central_differences_of([&](std::array<double, N> const& p) { return value(f, p); }, x);
    check_report r{};
    r.tolerance = tolerance;
    for (std::size_t i = 0; i < N; ++i) detail::record(r, 0, i, ad[i], fd[i]);
    return r;
}

/// Compares tg::jacobian of a function with several outputs with central differences.
template <class F, class A, std::size_t N>
check_report check_jacobian(F const& f, std::array<A, N> const& point, double tolerance = 1e-6) {
    std::array<double, N> x{};
    for (std::size_t i = 0; i < N; ++i) x[i] = static_cast<double>(point[i]);
    auto const ad = jacobian(f, x);
    constexpr std::size_t M = decltype(ad.value){}.size();
    check_report r{};
    r.tolerance = tolerance;
    for (std::size_t j = 0; j < M; ++j) {
        auto const fd = detail::central_differences_of(
            [&](std::array<double, N> const& p) { return jacobian<forward>(f, p).value[j]; }, x);
        for (std::size_t i = 0; i < N; ++i) detail::record(r, j, i, ad.jacobian(j, i), fd[i]);
    }
    return r;
}

}  // namespace typegrad
