// benchmarks/hand/logsumexp.hpp: log-sum-exp of a vector and its gradient (the softmax),
// by hand, as the reference for typegrad's log(sum(exp(x - max(x)))) + max(x).
//
//     lse(x) = m + log(sum_i exp(x_i - m)),  m = max_i x_i   (no overflow, no 0/0)
//     d lse / d x_i = exp(x_i - m) / sum_j exp(x_j - m)
//
// Written to vectorise without -ffast-math: each pass is a simple loop, and the two
// reductions keep `lanes` partial results that are combined at the end (a compiler may
// not reorder one floating-point accumulator by itself). exp is libm's, as for typegrad.
// n >= 1; a vector holding +inf or nan gives nan, as the formula does.
#pragma once

#include <cmath>
#include <cstddef>

namespace hand {

namespace detail {
inline constexpr std::size_t lse_lanes = 8;

inline double max_of(double const* x, std::size_t n) {
    double lane[lse_lanes];
    for (std::size_t l = 0; l < lse_lanes; ++l) lane[l] = x[0];
    std::size_t i = 0;
    for (; i + lse_lanes <= n; i += lse_lanes)
        for (std::size_t l = 0; l < lse_lanes; ++l) lane[l] = x[i + l] > lane[l] ? x[i + l] : lane[l];
    double m = x[0];
    for (std::size_t l = 0; l < lse_lanes; ++l) m = lane[l] > m ? lane[l] : m;
    for (; i < n; ++i) m = x[i] > m ? x[i] : m;
    return m;
}

// e_i = exp(x_i - m) written to e; returns their sum.
inline double exp_shifted(double const* x, std::size_t n, double m, double* e) {
    for (std::size_t i = 0; i < n; ++i) e[i] = std::exp(x[i] - m);
    double lane[lse_lanes] = {};
    std::size_t i = 0;
    for (; i + lse_lanes <= n; i += lse_lanes)
        for (std::size_t l = 0; l < lse_lanes; ++l) lane[l] += e[i + l];
    double s = 0.0;
    for (std::size_t l = 0; l < lse_lanes; ++l) s += lane[l];
    for (; i < n; ++i) s += e[i];
    return s;
}
}  // namespace detail

/// lse(x) alone; scratch (n entries) holds exp(x - m).
inline double logsumexp(double const* x, std::size_t n, double* scratch) {
    double const m = detail::max_of(x, n);
    return m + std::log(detail::exp_shifted(x, n, m, scratch));
}

/// lse(x), with its gradient softmax(x) written to g (n entries).
inline double logsumexp_gradient(double const* x, std::size_t n, double* g) {
    double const m = detail::max_of(x, n);
    double const s = detail::exp_shifted(x, n, m, g);
    double const inv = 1.0 / s;
    for (std::size_t i = 0; i < n; ++i) g[i] *= inv;
    return m + std::log(s);
}

}  // namespace hand
