// benchmarks/hand/mlp.hpp: P6's two-layer network by hand-written backprop, the reference
// that typegrad's array program is checked and timed against.
//
//     hidden = relu(X W1 + b1)        X: rows x K, W1: K x H, b1: H (added to every row)
//     yhat   = relu(hidden W2 + b2)   W2: H x 1, b2: 1
//     loss   = mean((yhat - y)^2)     over all rows x 1 entries
//
// Backprop, with B the number of rows, z1 = X W1 + b1 and z2 = hidden W2 + b2:
//     delta2 = 2 (yhat - y) / B * [z2 > 0]          (B)
//     dW2 = hidden^T delta2,  db2 = sum(delta2)
//     delta1 = (delta2 W2^T) * [z1 > 0]             (B x H)
//     dW1 = X^T delta1,       db1 = column sums of delta1
// relu'(0) = 0, as typegrad's relu. Arrays are row-major and not owned. Every product goes
// through the Dense back end (hand::loops, or hand::cblas for "the same BLAS"), and all
// scratch lives in an mlp_workspace, so neither a gradient nor an SGD step allocates.
#pragma once

#include <cstddef>
#include <random>
#include <vector>

#include "../../examples/support/portable_random.hpp"
#include "dense.hpp"

namespace hand {

/// K (inputs) and H (hidden units); the network has one output.
struct mlp_sizes {
    std::size_t inputs;
    std::size_t hidden;
};

/// The four parameter arrays, read only: W1 (K x H), b1 (H), W2 (H), b2 (1).
struct mlp_weights {
    double const* W1;
    double const* b1;
    double const* W2;
    double const* b2;
};

/// The same four arrays, written: gradients, or the weights an SGD step updates.
struct mlp_weights_out {
    double* W1;
    double* b1;
    double* W2;
    double* b2;
    operator mlp_weights() const { return {W1, b1, W2, b2}; }
};

/// Scratch for up to max_rows rows (a full batch needs the data's row count); also holds
/// the gathered rows of an SGD batch and the gradient the step applies.
struct mlp_workspace {
    mlp_workspace(std::size_t max_rows, mlp_sizes s)
        : rows(max_rows), sizes(s), z1(max_rows * s.hidden), a1(max_rows * s.hidden), delta1(max_rows * s.hidden),
          z2(max_rows), delta2(max_rows), batch_X(max_rows * s.inputs), batch_y(max_rows),
          grad_W1(s.inputs * s.hidden), grad_b1(s.hidden), grad_W2(s.hidden), grad_b2(1) {}
    std::size_t rows;
    mlp_sizes sizes;
    std::vector<double> z1, a1, delta1;  // rows x H
    std::vector<double> z2, delta2;      // rows
    std::vector<double> batch_X, batch_y;
    std::vector<double> grad_W1, grad_b1, grad_W2, grad_b2;
    mlp_weights_out gradient() { return {grad_W1.data(), grad_b1.data(), grad_W2.data(), grad_b2.data()}; }
};

namespace detail {
inline double relu(double v) { return v > 0.0 ? v : 0.0; }

// Forward pass over `rows` rows into ws.z1, ws.a1, ws.z2; returns the loss.
template <class Dense>
double mlp_forward(double const* X, double const* y, std::size_t rows, mlp_weights w, mlp_workspace& ws) {
    std::size_t const K = ws.sizes.inputs, H = ws.sizes.hidden;
    double* z1 = ws.z1.data();
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < H; ++j) z1[i * H + j] = w.b1[j];
    Dense::gemm(op::none, op::none, rows, H, K, 1.0, X, w.W1, 1.0, z1);
    for (std::size_t i = 0; i < rows * H; ++i) ws.a1[i] = relu(z1[i]);
    Dense::gemv(op::none, rows, H, 1.0, ws.a1.data(), w.W2, 0.0, ws.z2.data());
    double sum = 0.0;
    for (std::size_t i = 0; i < rows; ++i) {
        ws.z2[i] += w.b2[0];
        double const r = relu(ws.z2[i]) - y[i];
        sum += r * r;
    }
    return sum / static_cast<double>(rows);
}
}  // namespace detail

/// The loss over `rows` rows of X (rows x K) and y (rows); rows <= ws.rows.
template <class Dense = loops>
double mlp_loss(double const* X, double const* y, std::size_t rows, mlp_weights w, mlp_workspace& ws) {
    return detail::mlp_forward<Dense>(X, y, rows, w, ws);
}

/// The loss and its gradient, written into g (all four arrays overwritten).
template <class Dense = loops>
double mlp_value_and_gradient(double const* X, double const* y, std::size_t rows, mlp_weights w, mlp_weights_out g,
                              mlp_workspace& ws) {
    std::size_t const K = ws.sizes.inputs, H = ws.sizes.hidden;
    double const loss = detail::mlp_forward<Dense>(X, y, rows, w, ws);
    double const scale = 2.0 / static_cast<double>(rows);
    double db2 = 0.0;
    for (std::size_t i = 0; i < rows; ++i) {
        double const z = ws.z2[i];
        double const d = z > 0.0 ? scale * (z - y[i]) : 0.0;  // yhat = z where z > 0
        ws.delta2[i] = d;
        db2 += d;
    }
    g.b2[0] = db2;
    Dense::gemv(op::trans, rows, H, 1.0, ws.a1.data(), ws.delta2.data(), 0.0, g.W2);
    for (std::size_t j = 0; j < H; ++j) g.b1[j] = 0.0;
    for (std::size_t i = 0; i < rows; ++i) {
        double const d = ws.delta2[i];
        double const* z1 = ws.z1.data() + i * H;
        double* d1 = ws.delta1.data() + i * H;
        for (std::size_t j = 0; j < H; ++j) {
            d1[j] = z1[j] > 0.0 ? d * w.W2[j] : 0.0;
            g.b1[j] += d1[j];
        }
    }
    Dense::gemm(op::trans, op::none, K, H, rows, 1.0, X, ws.delta1.data(), 0.0, g.W1);
    return loss;
}

/// One SGD step of P6: draws `batch` rows of the n-row data (with replacement,
/// example_data::draw_index, in order), computes the batch loss and gradient, and moves
/// w by -learning_rate times the gradient. Returns the batch loss before the step.
/// batch <= ws.rows; the gradient is left in ws.gradient().
template <class Dense = loops>
double mlp_sgd_step(double const* X, double const* y, std::size_t n, std::size_t batch, double learning_rate,
                    std::mt19937_64& rng, mlp_weights_out w, mlp_workspace& ws) {
    std::size_t const K = ws.sizes.inputs, H = ws.sizes.hidden;
    for (std::size_t b = 0; b < batch; ++b) {
        std::size_t const r = example_data::draw_index(rng, n);
        for (std::size_t k = 0; k < K; ++k) ws.batch_X[b * K + k] = X[r * K + k];
        ws.batch_y[b] = y[r];
    }
    mlp_weights_out const g = ws.gradient();
    double const loss = mlp_value_and_gradient<Dense>(ws.batch_X.data(), ws.batch_y.data(), batch, w, g, ws);
    for (std::size_t i = 0; i < K * H; ++i) w.W1[i] -= learning_rate * g.W1[i];
    for (std::size_t j = 0; j < H; ++j) {
        w.b1[j] -= learning_rate * g.b1[j];
        w.W2[j] -= learning_rate * g.W2[j];
    }
    w.b2[0] -= learning_rate * g.b2[0];
    return loss;
}

}  // namespace hand
