// examples/support/lstm_hand.hpp: a one-layer LSTM with a dense read-out, by hand-written
// backpropagation through time: the reference examples/lstm.cpp and benchmarks/lstm.cpp
// check and time typegrad's tg::scan against.
//
//   z_t = x_t W + h_{t-1} U + b                  x_t: B x D, W: D x 4H, U: H x 4H, b: 4H
//   i, f, g, o = sig(z[:, 0:H]), sig(z[:, H:2H]), tanh(z[:, 2H:3H]), sig(z[:, 3H:4H])
//   c_t = f c_{t-1} + i g,   h_t = o tanh(c_t)      (h_{-1}, c_{-1} from s0 = [h | c], B x 2H)
//   yhat = h_{T-1} V + c,    loss = mean((yhat - y)^2)   V: H, c: a number, y: B
//
// Backward, from dh = dyhat V^T at the last step and dc = 0:
//   do = dh tanh(c_t);  dc += dh o (1 - tanh(c_t)^2);  di = dc g;  dg = dc i;  df = dc c_{t-1}
//   dz = [di i(1-i), df f(1-f), dg (1-g^2), do o(1-o)];  dh = dz U^T;  dc = dc f
// and the weights' gradients from all steps at once: dW = X^T dZ, dU = H_prev^T dZ,
// db = column sums of dZ (X, H_prev, dZ stacked over t: (T B) rows). The input products
// x_t W of every step are one product too. Every product goes through a Dense back end of
// benchmarks/hand/dense.hpp (plain loops, or CBLAS where TYPEGRAD_HAND_CBLAS is defined),
// and all scratch lives in an lstm_workspace: a gradient allocates nothing.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "../../benchmarks/hand/dense.hpp"

namespace hand {

struct lstm_sizes {
    std::size_t steps;   // T
    std::size_t batch;   // B
    std::size_t inputs;  // D
    std::size_t hidden;  // H
};

/// Read-only weights: W (D x 4H), U (H x 4H), b (4H), V (H), c (1). Row-major, not owned.
struct lstm_weights {
    double const* W;
    double const* U;
    double const* b;
    double const* V;
    double const* c;
};

/// Their gradients (overwritten).
struct lstm_gradients {
    double* W;
    double* U;
    double* b;
    double* V;
    double* c;
};

struct lstm_workspace {
    explicit lstm_workspace(lstm_sizes s)
        : sizes(s), Z(s.steps * s.batch * 4 * s.hidden), dZ(Z.size()), h((s.steps + 1) * s.batch * s.hidden),
          cell(h.size()), tanh_cell(s.steps * s.batch * s.hidden), yhat(s.batch), dh(s.batch * s.hidden),
          dcell(s.batch * s.hidden) {}
    lstm_sizes sizes;
    std::vector<double> Z, dZ;         // T B x 4H: the gates (activated in place), their adjoints
    std::vector<double> h, cell;       // (T + 1) B x H: h_{-1}, h_0, ..., h_{T-1}; the same for c
    std::vector<double> tanh_cell;     // T B x H
    std::vector<double> yhat;          // B
    std::vector<double> dh, dcell;     // B x H
};

namespace detail {
inline double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

// The forward sweep: gates, cells and states of every step into ws; returns the loss.
template <class Dense>
double lstm_forward(double const* xs, double const* s0, double const* y, lstm_weights w, lstm_workspace& ws) {
    std::size_t const T = ws.sizes.steps, B = ws.sizes.batch, D = ws.sizes.inputs, H = ws.sizes.hidden, G = 4 * H;
    double* Z = ws.Z.data();
    for (std::size_t r = 0; r < T * B; ++r)
        for (std::size_t j = 0; j < G; ++j) Z[r * G + j] = w.b[j];
    Dense::gemm(op::none, op::none, T * B, G, D, 1.0, xs, w.W, 1.0, Z);  // every step's x_t W at once
    for (std::size_t i = 0; i < B; ++i)
        for (std::size_t j = 0; j < H; ++j) {
            ws.h[i * H + j] = s0[i * 2 * H + j];
            ws.cell[i * H + j] = s0[i * 2 * H + H + j];
        }
    for (std::size_t t = 0; t < T; ++t) {
        double* z = Z + t * B * G;
        double const* h_prev = ws.h.data() + t * B * H;
        double const* c_prev = ws.cell.data() + t * B * H;
        double* h_next = ws.h.data() + (t + 1) * B * H;
        double* c_next = ws.cell.data() + (t + 1) * B * H;
        double* tc = ws.tanh_cell.data() + t * B * H;
        Dense::gemm(op::none, op::none, B, G, H, 1.0, h_prev, w.U, 1.0, z);
        for (std::size_t i = 0; i < B; ++i) {
            double* zi = z + i * G;
            for (std::size_t j = 0; j < H; ++j) {
                double const ig = sigmoid(zi[j]), fg = sigmoid(zi[H + j]), gg = std::tanh(zi[2 * H + j]),
                             og = sigmoid(zi[3 * H + j]);
                zi[j] = ig, zi[H + j] = fg, zi[2 * H + j] = gg, zi[3 * H + j] = og;
                double const cn = fg * c_prev[i * H + j] + ig * gg;
                double const tcn = std::tanh(cn);
                c_next[i * H + j] = cn;
                tc[i * H + j] = tcn;
                h_next[i * H + j] = og * tcn;
            }
        }
    }
    double const* h_last = ws.h.data() + T * B * H;
    Dense::gemv(op::none, B, H, 1.0, h_last, w.V, 0.0, ws.yhat.data());
    double sum = 0.0;
    for (std::size_t i = 0; i < B; ++i) {
        ws.yhat[i] += w.c[0];
        double const r = ws.yhat[i] - y[i];
        sum += r * r;
    }
    return sum / static_cast<double>(B);
}
}  // namespace detail

/// The loss; xs is T x B x D, s0 is B x 2H ([h | c]), y is B.
template <class Dense = loops>
double lstm_loss(double const* xs, double const* s0, double const* y, lstm_weights w, lstm_workspace& ws) {
    return detail::lstm_forward<Dense>(xs, s0, y, w, ws);
}

/// The loss and its gradient in the five weight arrays (overwritten).
template <class Dense = loops>
double lstm_value_and_gradient(double const* xs, double const* s0, double const* y, lstm_weights w, lstm_gradients g,
                               lstm_workspace& ws) {
    std::size_t const T = ws.sizes.steps, B = ws.sizes.batch, D = ws.sizes.inputs, H = ws.sizes.hidden, G = 4 * H;
    double const loss = detail::lstm_forward<Dense>(xs, s0, y, w, ws);
    double const* h_last = ws.h.data() + T * B * H;
    // The read-out: dyhat = 2 (yhat - y) / B; dV = h^T dyhat; dc = sum dyhat; dh = dyhat V^T.
    double dc = 0.0;
    for (std::size_t i = 0; i < B; ++i) {
        ws.yhat[i] = 2.0 * (ws.yhat[i] - y[i]) / static_cast<double>(B);  // now dyhat
        dc += ws.yhat[i];
    }
    g.c[0] = dc;
    Dense::gemv(op::trans, B, H, 1.0, h_last, ws.yhat.data(), 0.0, g.V);
    for (std::size_t i = 0; i < B; ++i)
        for (std::size_t j = 0; j < H; ++j) {
            ws.dh[i * H + j] = ws.yhat[i] * w.V[j];
            ws.dcell[i * H + j] = 0.0;
        }
    for (std::size_t t = T; t-- > 0;) {
        double const* a = ws.Z.data() + t * B * G;
        double* dz = ws.dZ.data() + t * B * G;
        double const* c_prev = ws.cell.data() + t * B * H;
        double const* tc = ws.tanh_cell.data() + t * B * H;
        for (std::size_t i = 0; i < B; ++i) {
            double const* ai = a + i * G;
            double* dzi = dz + i * G;
            for (std::size_t j = 0; j < H; ++j) {
                std::size_t const e = i * H + j;
                double const ig = ai[j], fg = ai[H + j], gg = ai[2 * H + j], og = ai[3 * H + j];
                double const dh = ws.dh[e], tce = tc[e];
                double const dcell = ws.dcell[e] + dh * og * (1.0 - tce * tce);
                dzi[j] = dcell * gg * ig * (1.0 - ig);
                dzi[H + j] = dcell * c_prev[e] * fg * (1.0 - fg);
                dzi[2 * H + j] = dcell * ig * (1.0 - gg * gg);
                dzi[3 * H + j] = dh * tce * og * (1.0 - og);
                ws.dcell[e] = dcell * fg;
            }
        }
        if (t > 0) Dense::gemm(op::none, op::trans, B, H, G, 1.0, dz, w.U, 0.0, ws.dh.data());  // dh = dz U^T
    }
    // Every step's contribution at once: dW = X^T dZ, dU = H_prev^T dZ, db = column sums of dZ.
    Dense::gemm(op::trans, op::none, D, G, T * B, 1.0, xs, ws.dZ.data(), 0.0, g.W);
    Dense::gemm(op::trans, op::none, H, G, T * B, 1.0, ws.h.data(), ws.dZ.data(), 0.0, g.U);
    for (std::size_t j = 0; j < G; ++j) g.b[j] = 0.0;
    for (std::size_t r = 0; r < T * B; ++r)
        for (std::size_t j = 0; j < G; ++j) g.b[j] += ws.dZ[r * G + j];
    return loss;
}

}  // namespace hand
