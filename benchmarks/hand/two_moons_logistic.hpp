// benchmarks/hand/two_moons_logistic.hpp: P4's model (REFERENCE_PROBLEMS.md) by hand: the
// loss, its gradient, and the 100 steps of gradient descent, as the reference for
// examples/two_moons.cpp.
//
//     X: n x 2 row-major, t_i in {0, 1}, w in R^2 (no bias), a = X w
//     p = 0.5 (tanh(a) + 1),   L = -sum_i t_i log p_i + (1 - t_i) log(1 - p_i)
//
// p = sigmoid(2 a), so dL/da_i = 2 (p_i - t_i) and dL/dw = 2 X^T (p - t). The value is
// computed as written (log of p), the formula the example differentiates.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>

namespace hand {

/// L alone.
inline double two_moons_loss(double const* X, double const* t, std::size_t n, std::array<double, 2> w) {
    double L = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        double const p = 0.5 * (std::tanh(X[2 * i] * w[0] + X[2 * i + 1] * w[1]) + 1.0);
        L -= t[i] * std::log(p) + (1.0 - t[i]) * std::log(1.0 - p);
    }
    return L;
}

/// L, with dL/dw written to g.
inline double two_moons_loss_gradient(double const* X, double const* t, std::size_t n, std::array<double, 2> w,
                                      std::array<double, 2>& g) {
    double L = 0.0, g0 = 0.0, g1 = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        double const x0 = X[2 * i], x1 = X[2 * i + 1];
        double const p = 0.5 * (std::tanh(x0 * w[0] + x1 * w[1]) + 1.0);
        L -= t[i] * std::log(p) + (1.0 - t[i]) * std::log(1.0 - p);
        double const r = 2.0 * (p - t[i]);
        g0 += r * x0;
        g1 += r * x1;
    }
    g = {g0, g1};
    return L;
}

/// P4's training: `steps` steps of w -= learning_rate * dL/dw from w. loss_per_step (steps
/// entries, may be null) gets the loss at the weights each step starts from. Returns the
/// final weights.
inline std::array<double, 2> two_moons_gradient_descent(double const* X, double const* t, std::size_t n,
                                                        std::array<double, 2> w, std::size_t steps,
                                                        double learning_rate, double* loss_per_step) {
    std::array<double, 2> g{};
    for (std::size_t s = 0; s < steps; ++s) {
        double const L = two_moons_loss_gradient(X, t, n, w, g);
        if (loss_per_step) loss_per_step[s] = L;
        w[0] -= learning_rate * g[0];
        w[1] -= learning_rate * g[1];
    }
    return w;
}

}  // namespace hand
