// benchmarks/hand/snavely_hand.hpp: Snavely's reprojection error with its Jacobian written out
// by hand, as a ceres::SizedCostFunction<2, 9, 3>: the reference a per-Jacobian time is judged
// against. The same model as examples/support/snavely_camera.hpp (closed-form rotation above
// |w|^2 = small_angle2, first order below); bundle_adjustment.cpp checks it against Jet.
//
// With s = |w|^2, theta = sqrt(s), c = cos theta, a = sin theta / theta, b = (1 - c) / s,
// d = w . X, e = w x X:  P = c X + a e + b d w + t, and
//   dc/dw = -a w,  da/dw = (c - a) / s w,  db/dw = (a - 2 b) / s w,  de/dw = -[X]x,
//   dP/dw = X dc/dw^T + e da/dw^T - a [X]x + b (d I + w X^T) + d w db/dw^T,
//   dP/dX = c I + a [w]x + b w w^T;   below the threshold dP/dw = -[X]x, dP/dX = I + [w]x.
// Then p = -(P0, P1) / P2, L = 1 + r2 (k1 + k2 r2), residual = f L p - observed.
#pragma once

#include <ceres/sized_cost_function.h>

#include <cmath>

#include "examples/support/snavely_camera.hpp"

namespace bench_hand {

class snavely_cost : public ceres::SizedCostFunction<2, 9, 3> {
public:
    snavely_cost(double u, double v) : u_(u), v_(v) {}

    bool Evaluate(double const* const* parameters, double* residuals, double** jacobians) const override {
        double const* cam = parameters[0];
        double const* X = parameters[1];
        double const* w = cam;
        double const s = w[0] * w[0] + w[1] * w[1] + w[2] * w[2];
        double const e[3] = {w[1] * X[2] - w[2] * X[1], w[2] * X[0] - w[0] * X[2], w[0] * X[1] - w[1] * X[0]};
        double P[3], dPdw[3][3], dPdX[3][3];
        // [X]x and [w]x, the cross-product matrices.
        double const Xx[3][3] = {{0, -X[2], X[1]}, {X[2], 0, -X[0]}, {-X[1], X[0], 0}};
        double const wx[3][3] = {{0, -w[2], w[1]}, {w[2], 0, -w[0]}, {-w[1], w[0], 0}};
        if (s > example_ba::small_angle2) {
            double const theta = std::sqrt(s);
            double const c = std::cos(theta), a = std::sin(theta) / theta, b = (1 - c) / s;
            double const d = w[0] * X[0] + w[1] * X[1] + w[2] * X[2];
            double const da = (c - a) / s, db = (a - 2 * b) / s;
            for (int i = 0; i < 3; ++i) {
                P[i] = c * X[i] + a * e[i] + b * d * w[i] + cam[3 + i];
                for (int j = 0; j < 3; ++j) {
                    double const dij = i == j ? 1.0 : 0.0;
                    dPdw[i][j] = -a * X[i] * w[j] + e[i] * da * w[j] - a * Xx[i][j] + b * (d * dij + w[i] * X[j]) +
                                 d * w[i] * db * w[j];
                    dPdX[i][j] = c * dij + a * wx[i][j] + b * w[i] * w[j];
                }
            }
        } else {
            for (int i = 0; i < 3; ++i) {
                P[i] = X[i] + e[i] + cam[3 + i];
                for (int j = 0; j < 3; ++j) {
                    dPdw[i][j] = -Xx[i][j];
                    dPdX[i][j] = (i == j ? 1.0 : 0.0) + wx[i][j];
                }
            }
        }
        double const iz = 1 / P[2];
        double const x = -P[0] * iz, y = -P[1] * iz;
        double const f = cam[6], k1 = cam[7], k2 = cam[8];
        double const r2 = x * x + y * y;
        double const L = 1 + r2 * (k1 + k2 * r2);
        double const dL = k1 + 2 * k2 * r2;  // dL / dr2
        residuals[0] = f * L * x - u_;
        residuals[1] = f * L * y - v_;
        if (!jacobians) return true;
        // d residual / d (x, y), then d (x, y) / dP: M = d residual / dP, 2 x 3.
        double const g[2][2] = {{f * (L + 2 * x * x * dL), f * 2 * x * y * dL}, {f * 2 * x * y * dL, f * (L + 2 * y * y * dL)}};
        double const h[2][3] = {{-iz, 0, -x * iz}, {0, -iz, -y * iz}};
        double M[2][3];
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 3; ++j) M[i][j] = g[i][0] * h[0][j] + g[i][1] * h[1][j];
        if (double* J = jacobians[0]) {
            for (int i = 0; i < 2; ++i) {
                for (int j = 0; j < 3; ++j) {
                    J[9 * i + j] = M[i][0] * dPdw[0][j] + M[i][1] * dPdw[1][j] + M[i][2] * dPdw[2][j];
                    J[9 * i + 3 + j] = M[i][j];
                }
                double const pi = i == 0 ? x : y;
                J[9 * i + 6] = L * pi;
                J[9 * i + 7] = f * r2 * pi;
                J[9 * i + 8] = f * r2 * r2 * pi;
            }
        }
        if (double* J = jacobians[1])
            for (int i = 0; i < 2; ++i)
                for (int j = 0; j < 3; ++j)
                    J[3 * i + j] = M[i][0] * dPdX[0][j] + M[i][1] * dPdX[1][j] + M[i][2] * dPdX[2][j];
        return true;
    }

private:
    double u_, v_;
};

}  // namespace bench_hand
