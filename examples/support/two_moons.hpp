// examples/support/two_moons.hpp: the two-moons data set of P4 (REFERENCE_PROBLEMS.md),
// made with the recipe of scikit-learn's make_moons, seeded so that runs reproduce.
//
// Recipe: n points, n / 2 (rounded down) on the outer half circle with label 0 and the
// rest on the inner one with label 1; on each, t is evenly spaced on [0, pi] (both ends
// included) and the point is
//     outer (cos t, sin t),    inner (1 - cos t, 1 - sin t - 0.5);
// the rows are shuffled, then Gaussian noise of standard deviation `noise` is added to
// each coordinate (first the shuffle, then x0, y0, x1, y1, ... of the shuffled rows).
// The numbers come from std::mt19937_64(seed) through portable_random.hpp, so they are
// the same with every standard library; they are not scikit-learn's numbers.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <random>
#include <utility>
#include <vector>

#include "portable_random.hpp"

namespace example_data {

struct two_moons {
    std::vector<double> X;       ///< n x 2, row-major: point i is (X[2 i], X[2 i + 1])
    std::vector<double> labels;  ///< n entries, 0.0 (outer moon) or 1.0 (inner moon)
    std::size_t size() const { return labels.size(); }
};

/// P4's data is make_two_moons(500, 0.1, seed); noise = 0 gives the points on the curves.
inline two_moons make_two_moons(std::size_t n, double noise, std::uint64_t seed) {
    std::size_t const n_outer = n / 2;
    std::size_t const n_inner = n - n_outer;
    two_moons d;
    d.X.resize(2 * n);
    d.labels.resize(n);
    // t_i = pi i / (m - 1), i < m; one point sits at t = 0.
    auto t_at = [](std::size_t i, std::size_t m) {
        return m > 1 ? std::numbers::pi * static_cast<double>(i) / static_cast<double>(m - 1) : 0.0;
    };
    for (std::size_t i = 0; i < n_outer; ++i) {
        double const t = t_at(i, n_outer);
        d.X[2 * i] = std::cos(t);
        d.X[2 * i + 1] = std::sin(t);
        d.labels[i] = 0.0;
    }
    for (std::size_t i = 0; i < n_inner; ++i) {
        double const t = t_at(i, n_inner);
        std::size_t const r = n_outer + i;
        d.X[2 * r] = 1.0 - std::cos(t);
        d.X[2 * r + 1] = 1.0 - std::sin(t) - 0.5;
        d.labels[r] = 1.0;
    }
    std::mt19937_64 rng(seed);
    shuffle_rows(rng, n, [&](std::size_t a, std::size_t b) {
        std::swap(d.X[2 * a], d.X[2 * b]);
        std::swap(d.X[2 * a + 1], d.X[2 * b + 1]);
        std::swap(d.labels[a], d.labels[b]);
    });
    if (noise != 0.0) {
        standard_normal normal;
        for (double& v : d.X) v += noise * normal(rng);
    }
    return d;
}

}  // namespace example_data
