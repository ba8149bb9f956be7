// benchmarks/hand/rosenbrock.hpp: the chained Rosenbrock function and its gradient in one
// loop, by hand, as the reference for typegrad's version written with slices.
//
//     f(x) = sum_{i < n-1} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2
//     df/dx_i = 200 (x_i - x_{i-1}^2) [i > 0] - 400 x_i (x_{i+1} - x_i^2) - 2 (1 - x_i) [i < n-1]
//
// Each g_i is written once from its neighbours (no read-modify-write of g_{i+1}), so the
// loop has no carried dependence but the value's sum, which keeps `lanes` partial sums
// so that it vectorises without -ffast-math. n < 2 gives f = 0 and a zero gradient.
#pragma once

#include <cstddef>

namespace hand {

/// f(x), with its gradient written to g (n entries).
inline double rosenbrock_gradient(double const* x, std::size_t n, double* g) {
    if (n < 2) {
        if (n == 1) g[0] = 0.0;
        return 0.0;
    }
    constexpr std::size_t lanes = 4;
    double lane[lanes] = {};
    // Term i couples x_i and x_{i+1}; g_i takes its left part from term i - 1.
    auto term = [&](std::size_t i, double& f) {
        double const d = x[i + 1] - x[i] * x[i];
        double const e = 1.0 - x[i];
        f += 100.0 * d * d + e * e;
        return -400.0 * x[i] * d - 2.0 * e;
    };
    double f0 = 0.0;
    g[0] = term(0, f0);
    std::size_t i = 1;
    for (; i + lanes <= n - 1; i += lanes)
        for (std::size_t l = 0; l < lanes; ++l) {
            std::size_t const j = i + l;
            double const left = x[j] - x[j - 1] * x[j - 1];
            g[j] = 200.0 * left + term(j, lane[l]);
        }
    double f = f0;
    for (std::size_t l = 0; l < lanes; ++l) f += lane[l];
    for (; i < n - 1; ++i) g[i] = 200.0 * (x[i] - x[i - 1] * x[i - 1]) + term(i, f);
    g[n - 1] = 200.0 * (x[n - 1] - x[n - 2] * x[n - 2]);
    return f;
}

/// f(x) alone.
inline double rosenbrock(double const* x, std::size_t n) {
    double f = 0.0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
        double const d = x[i + 1] - x[i] * x[i];
        double const e = 1.0 - x[i];
        f += 100.0 * d * d + e * e;
    }
    return f;
}

}  // namespace hand
