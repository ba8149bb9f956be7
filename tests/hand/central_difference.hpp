// tests/hand/central_difference.hpp: central differences over a vector of any length
// (tests/support/finite_difference.hpp's works on fixed-size points), and random vectors.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "support/sweep.hpp"

namespace hand_test {

/// d f / d v[i] by a 4-point central difference (error O(h^4)); f() reads v, which is
/// perturbed in place and restored.
template <class F>
double central_difference(F const& f, std::vector<double>& v, std::size_t i, double rel_step = 1e-3) {
    double const vi = v[i];
    double const h = rel_step * (1.0 + std::abs(vi));
    auto at = [&](double step) {
        v[i] = vi + step;
        double const r = f();
        v[i] = vi;
        return r;
    };
    return (8.0 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12.0 * h);
}

/// n numbers uniform in [lo, hi], seeded by name.
inline std::vector<double> uniform_vector(std::size_t n, double lo, double hi, char const* name) {
    std::mt19937_64 rng(typegrad_test::seed_for(name));
    std::vector<double> v(n);
    for (double& e : v) e = typegrad_test::uniform(rng, lo, hi);
    return v;
}

}  // namespace hand_test
