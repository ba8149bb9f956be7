// benchmarks/hand/normal_loglik.hpp: the log-likelihood of data d_0..d_{n-1} under a
// normal distribution, and its gradient in (mu, sigma), by hand: the reference for the
// same sum written once as a typegrad array program.
//
//     L = sum_i -log(sigma) - 0.5 log(2 pi) - 0.5 ((d_i - mu) / sigma)^2
//       = -n log(sigma) - 0.5 n log(2 pi) - S2 / (2 sigma^2)
//     dL/dmu    = S1 / sigma^2
//     dL/dsigma = -n / sigma + S2 / sigma^3
// with r_i = d_i - mu, S1 = sum r_i, S2 = sum r_i^2: one pass over the data, the terms
// that do not depend on a data point computed once. The two sums keep `lanes` partial
// sums so that the pass vectorises without -ffast-math. sigma > 0.
#pragma once

#include <cmath>
#include <cstddef>
#include <numbers>

namespace hand {

struct normal_loglik_result {
    double value;
    double d_mu;
    double d_sigma;
};

/// L and its gradient in (mu, sigma).
inline normal_loglik_result normal_loglik_gradient(double const* d, std::size_t n, double mu, double sigma) {
    constexpr std::size_t lanes = 4;
    double s1[lanes] = {}, s2[lanes] = {};
    std::size_t i = 0;
    for (; i + lanes <= n; i += lanes)
        for (std::size_t l = 0; l < lanes; ++l) {
            double const r = d[i + l] - mu;
            s1[l] += r;
            s2[l] += r * r;
        }
    double S1 = 0.0, S2 = 0.0;
    for (std::size_t l = 0; l < lanes; ++l) {
        S1 += s1[l];
        S2 += s2[l];
    }
    for (std::size_t l = 0; l < n - i; ++l) {  // the tail (written so g++ -O3 sees its bound)
        double const r = d[i + l] - mu;
        S1 += r;
        S2 += r * r;
    }
    double const N = static_cast<double>(n);
    double const inv = 1.0 / sigma;
    double const inv2 = inv * inv;
    double const half_log_2pi = 0.5 * std::log(2.0 * std::numbers::pi);
    return {-N * (std::log(sigma) + half_log_2pi) - 0.5 * S2 * inv2, S1 * inv2, (S2 * inv2 - N) * inv};
}

/// L alone, term by term as written (a second, independent text for the tests).
inline double normal_loglik(double const* d, std::size_t n, double mu, double sigma) {
    double const half_log_2pi = 0.5 * std::log(2.0 * std::numbers::pi);
    double L = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        double const z = (d[i] - mu) / sigma;
        L += -std::log(sigma) - half_log_2pi - 0.5 * z * z;
    }
    return L;
}

}  // namespace hand
