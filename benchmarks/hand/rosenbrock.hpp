// benchmarks/hand/rosenbrock.hpp: the chained Rosenbrock function and its gradient in one
// loop, by hand, as the reference for typegrad's version written with slices.
//
//     f(x) = sum_{i < n-1} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2
//     df/dx_i = 200 (x_i - x_{i-1}^2) [i > 0] - 400 x_i (x_{i+1} - x_i^2) - 2 (1 - x_i) [i < n-1]
//
// Each g_i is written once from its neighbours (no read-modify-write of g_{i+1}), so the
// loop carries nothing but the value's sum, which g++ vectorises in order (no -ffast-math,
// the same rounding as the scalar loop). n < 2 gives f = 0 and a zero gradient.
#pragma once

#include <cstddef>

namespace hand {

/// f(x), with its gradient written to g (n entries).
inline double rosenbrock_gradient(double const* x, std::size_t n, double* g) {
    if (n < 2) {
        if (n == 1) g[0] = 0.0;
        return 0.0;
    }
    // Term i couples x_i and x_{i+1}: d_i = x_{i+1} - x_i^2, e_i = 1 - x_i. g_i takes
    // 200 d_{i-1} from term i - 1 and -400 x_i d_i - 2 e_i from term i.
    double const d0 = x[1] - x[0] * x[0], e0 = 1.0 - x[0];
    double f = 100.0 * d0 * d0 + e0 * e0;
    g[0] = -400.0 * x[0] * d0 - 2.0 * e0;
    for (std::size_t i = 1; i < n - 1; ++i) {
        double const left = x[i] - x[i - 1] * x[i - 1];
        double const d = x[i + 1] - x[i] * x[i];
        double const e = 1.0 - x[i];
        f += 100.0 * d * d + e * e;
        g[i] = 200.0 * left - 400.0 * x[i] * d - 2.0 * e;
    }
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
