// examples/support/bal_synthetic.hpp: a bundle-adjustment problem with a known solution.
//
// Cameras on a circle of radius 5 in the x-z plane, each turned to look at the origin (up to a
// small random tilt), see every point of a cloud of radius 1 about the origin; the observations
// are the exact projections (snavely_functor with doubles), so the true parameters have cost 0.
// The start is the truth perturbed by normal noise, except the first cameras (two by default):
// held constant in the solve, they fix the similarity (rotation, translation and scale) that
// projections cannot see, so the truth is the one solution. Everything follows from the seed
// (portable_random.hpp: the same numbers with every standard library).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <random>

#include <typegrad/io/bal.hpp>

#include "portable_random.hpp"
#include "snavely_camera.hpp"

namespace example_ba {

struct synthetic_problem {
    typegrad::io::bal_problem truth;  // exact parameters and observations
    typegrad::io::bal_problem start;  // the same observations, perturbed parameters
};

/// Noise added to the truth to make the start (standard deviations).
struct perturbation {
    double rotation = 0.01;     // radians, each angle-axis coordinate
    double translation = 0.05;  // scene units (the cloud has radius 1)
    double focal = 1.0;         // pixels (f is about 500)
    double distortion = 1e-3;   // k1 and k2
    double point = 0.05;
    std::size_t held = 2;  // cameras [0, held) keep the truth: held constant, they fix the gauge
};

/// R(w) x by Rodrigues' formula (|w| > 0).
inline void rotate(double const* w, double const* x, double* out) {
    double const theta = std::sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
    double const k[3] = {w[0] / theta, w[1] / theta, w[2] / theta};
    double const kx = k[0] * x[0] + k[1] * x[1] + k[2] * x[2];
    double const cross[3] = {k[1] * x[2] - k[2] * x[1], k[2] * x[0] - k[0] * x[2], k[0] * x[1] - k[1] * x[0]};
    for (int d = 0; d < 3; ++d)
        out[d] = x[d] * std::cos(theta) + cross[d] * std::sin(theta) + k[d] * kx * (1 - std::cos(theta));
}

inline synthetic_problem make_synthetic_problem(std::size_t cameras, std::size_t points, std::uint64_t seed,
                                                perturbation const& noise = {}) {
    std::mt19937_64 rng(seed);
    example_data::standard_normal normal;
    synthetic_problem s;
    auto& t = s.truth;
    t.cameras.resize(typegrad::io::bal_problem::camera_size * cameras);
    t.points.resize(typegrad::io::bal_problem::point_size * points);
    for (std::size_t i = 0; i < cameras; ++i) {
        double* c = t.camera(i);
        // A camera at angle phi sees the origin along its -z axis when R = R_y(-phi), i.e.
        // w = (0, -phi, 0); t = -R(w) centre. The tilt keeps the rotations general.
        double const phi = 2.0 * std::numbers::pi * (double(i) / double(cameras)) - std::numbers::pi / 2;
        double const centre[3] = {5.0 * std::sin(phi), 0.3 * normal(rng), 5.0 * std::cos(phi)};
        c[0] = 0.02 * normal(rng);
        c[1] = -phi;
        c[2] = 0.02 * normal(rng);
        double rc[3];
        rotate(c, centre, rc);
        for (int d = 0; d < 3; ++d) c[3 + d] = -rc[d];
        c[6] = 500.0 + 20.0 * normal(rng);
        c[7] = 0.05 * normal(rng);
        c[8] = 0.01 * normal(rng);
    }
    for (std::size_t j = 0; j < points; ++j)
        for (int d = 0; d < 3; ++d) t.point(j)[d] = 0.5 * normal(rng);
    for (std::size_t i = 0; i < cameras; ++i)
        for (std::size_t j = 0; j < points; ++j) {
            double r[2];
            snavely_functor{0.0, 0.0}(t.camera(i), t.point(j), r);
            t.observations.push_back({i, j, r[0], r[1]});
        }
    s.start = t;
    for (std::size_t i = noise.held; i < cameras; ++i) {
        double* c = s.start.camera(i);
        for (int d = 0; d < 3; ++d) c[d] += noise.rotation * normal(rng);
        for (int d = 3; d < 6; ++d) c[d] += noise.translation * normal(rng);
        c[6] += noise.focal * normal(rng);
        c[7] += noise.distortion * normal(rng);
        c[8] += noise.distortion * normal(rng);
    }
    for (double& x : s.start.points) x += noise.point * normal(rng);
    return s;
}

}  // namespace example_ba
