// Test support: central finite differences, computed independently of typegrad's passes.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>

namespace typegrad_test {

/// d f / d x_i at x by a 4-point central difference (error O(h^4)), step scaled to |x_i|.
/// f takes a std::array<double, N> and returns a double.
template <class F, std::size_t N>
double central_difference(F const& f, std::array<double, N> x, std::size_t i) {
    double const h = 1e-3 * (1.0 + std::abs(x[i]));
    double const xi = x[i];
    auto at = [&](double step) {
        x[i] = xi + step;
        double const v = f(x);
        x[i] = xi;
        return v;
    };
    return (8.0 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12.0 * h);
}

/// |a - b| <= rel * max(1, |a|, |b|): a tolerance that is relative for large values and absolute near 0.
inline bool close(double a, double b, double rel) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    if (std::isinf(a) || std::isinf(b)) return a == b;
    double const scale = std::fmax(1.0, std::fmax(std::abs(a), std::abs(b)));
    return std::abs(a - b) <= rel * scale;
}

}  // namespace typegrad_test
