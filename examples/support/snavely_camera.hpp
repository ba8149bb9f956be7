// examples/support/snavely_camera.hpp: the reprojection error of Snavely's camera (Bundler, BAL),
// once as a typegrad expression and once as a template for Ceres's Jet.
//
// A camera is 9 numbers: angle-axis rotation w (3), translation t (3), focal length f and radial
// distortion k1, k2; a point X is 3. With R(w) the rotation by |w| about w / |w| (Rodrigues),
//   P = R(w) X + t,   p = -(P.x, P.y) / P.z   (Bundler's cameras look down -z),
//   predicted = f (1 + k1 |p|^2 + k2 |p|^4) p,   residual = predicted - observed.
// For |w|^2 at or below 1e-16 the rotation is taken to first order, R(w) X = X + w x X: the
// closed form divides by |w| (0 / 0 at w = 0) and its 1 - cos |w| cancels to nothing there,
// while the first-order form is exact to rounding and has the right derivatives.
#pragma once

#include <cmath>

#include <typegrad/typegrad.hpp>

namespace example_ba {

/// |w|^2 above which the closed-form rotation is used.
inline constexpr double small_angle2 = 1e-16;

/// The residual as a typegrad expression of 12 inputs (camera's 9, then the point's 3); the
/// observation (u, v) is held in the expression as run-time constants.
inline auto snavely_residual(double u, double v) {
    namespace tg = typegrad;
    auto [w0, w1, w2, t0, t1, t2, f, k1, k2, x0, x1, x2] =
        tg::vars<"w0", "w1", "w2", "t0", "t1", "t2", "f", "k1", "k2", "X0", "X1", "X2">();
    // Everything up to the subtraction of (u, v) holds no number, so equal subtrees (w x X,
    // the condition, P.z) are one node by type: no tg::let is needed.
    auto const theta2 = w0 * w0 + w1 * w1 + w2 * w2;
    auto const theta = sqrt(theta2);
    auto const c = cos(theta);
    auto const a = sin(theta) / theta;       // sin|w| / |w|
    auto const b = (tg::constant<1> - c) / theta2;       // (1 - cos|w|) / |w|^2
    auto const wx0 = w1 * x2 - w2 * x1;      // w x X
    auto const wx1 = w2 * x0 - w0 * x2;
    auto const wx2 = w0 * x1 - w1 * x0;
    auto const wdx = (w0 * x0 + w1 * x1 + w2 * x2) * b;
    auto const closed = theta2 > tg::ratio<1, 10000000000000000>{};
    auto const p0 = tg::select(closed, x0 * c + wx0 * a + w0 * wdx, x0 + wx0) + t0;
    auto const p1 = tg::select(closed, x1 * c + wx1 * a + w1 * wdx, x1 + wx1) + t1;
    auto const p2 = tg::select(closed, x2 * c + wx2 * a + w2 * wdx, x2 + wx2) + t2;
    auto const px = -p0 / p2;
    auto const py = -p1 / p2;
    auto const r2 = px * px + py * py;
    auto const scale = f * (tg::constant<1> + r2 * (k1 + k2 * r2));
    return tg::outputs(scale * px - u, scale * py - v);
}

/// The same model as a template over the number type (double, ceres::Jet): the functor that
/// ceres::AutoDiffCostFunction<snavely_functor, 2, 9, 3> expects.
struct snavely_functor {
    double u, v;

    template <class T>
    bool operator()(T const* camera, T const* point, T* residual) const {
        using std::cos;
        using std::sin;
        using std::sqrt;
        T const* w = camera;
        T const theta2 = w[0] * w[0] + w[1] * w[1] + w[2] * w[2];
        T const wx[3] = {w[1] * point[2] - w[2] * point[1], w[2] * point[0] - w[0] * point[2],
                         w[0] * point[1] - w[1] * point[0]};
        T p[3];
        if (theta2 > small_angle2) {
            T const theta = sqrt(theta2);
            T const c = cos(theta);
            T const a = sin(theta) / theta;
            T const wdx = (w[0] * point[0] + w[1] * point[1] + w[2] * point[2]) * ((1.0 - c) / theta2);
            for (int i = 0; i < 3; ++i) p[i] = point[i] * c + wx[i] * a + w[i] * wdx;
        } else {
            for (int i = 0; i < 3; ++i) p[i] = point[i] + wx[i];
        }
        for (int i = 0; i < 3; ++i) p[i] += camera[3 + i];
        T const px = -p[0] / p[2];
        T const py = -p[1] / p[2];
        T const r2 = px * px + py * py;
        T const scale = camera[6] * (1.0 + r2 * (camera[7] + camera[8] * r2));
        residual[0] = scale * px - u;
        residual[1] = scale * py - v;
        return true;
    }
};

}  // namespace example_ba
