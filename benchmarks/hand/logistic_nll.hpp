// benchmarks/hand/logistic_nll.hpp: the negative log-likelihood of logistic regression and
// its gradient in the weights, by hand: the reference for typegrad's matmul-based program.
//
//     X: n x k row-major (row i is example i), t_i in {0, 1}, w: k weights, z = X w
//     L = sum_i softplus(z_i) - t_i z_i,         softplus(z) = log(1 + e^z)
//     dL/dw = X^T (sigmoid(z) - t)
//
// softplus and sigmoid share one exp(-|z|), so neither overflows:
//     softplus(z) = max(z, 0) + log1p(e),  sigmoid(z) = 1 / (1 + e) or e / (1 + e),  e = exp(-|z|).
// Three versions:
//   logistic_nll_gradient<Dense>  two matrix-vector products (z = X w, then X^T r) on
//                                 hand::loops or hand::cblas ("the same BLAS")
//   logistic_nll_gradient_fused   one pass over X: each row's dot product, residual and
//                                 gradient contribution together (X read once)
//   logistic_nll                  the value alone
#pragma once

#include <cmath>
#include <cstddef>

#include "dense.hpp"

namespace hand {

namespace detail {
struct softplus_sigmoid {
    double softplus;
    double sigmoid;
};
inline softplus_sigmoid softplus_and_sigmoid(double z) {
    double const e = std::exp(-std::abs(z));
    double const inv = 1.0 / (1.0 + e);
    return {(z > 0.0 ? z : 0.0) + std::log1p(e), z >= 0.0 ? inv : e * inv};
}
}  // namespace detail

/// L, with dL/dw written to g (k entries); z is scratch of n entries (left holding sigmoid(z) - t).
template <class Dense = loops>
double logistic_nll_gradient(double const* X, double const* t, double const* w, std::size_t n, std::size_t k,
                             double* z, double* g) {
    Dense::gemv(op::none, n, k, 1.0, X, w, 0.0, z);
    double L = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        auto const [sp, s] = detail::softplus_and_sigmoid(z[i]);
        L += sp - t[i] * z[i];
        z[i] = s - t[i];
    }
    Dense::gemv(op::trans, n, k, 1.0, X, z, 0.0, g);
    return L;
}

/// The same L and dL/dw in one pass over X (no scratch).
inline double logistic_nll_gradient_fused(double const* X, double const* t, double const* w, std::size_t n,
                                          std::size_t k, double* g) {
    for (std::size_t j = 0; j < k; ++j) g[j] = 0.0;
    double L = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        double const* row = X + i * k;
        double z = 0.0;
        for (std::size_t j = 0; j < k; ++j) z += row[j] * w[j];
        auto const [sp, s] = detail::softplus_and_sigmoid(z);
        L += sp - t[i] * z;
        double const r = s - t[i];
        for (std::size_t j = 0; j < k; ++j) g[j] += r * row[j];
    }
    return L;
}

/// L alone.
inline double logistic_nll(double const* X, double const* t, double const* w, std::size_t n, std::size_t k) {
    double L = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        double z = 0.0;
        for (std::size_t j = 0; j < k; ++j) z += X[i * k + j] * w[j];
        L += detail::softplus_and_sigmoid(z).softplus - t[i] * z;
    }
    return L;
}

}  // namespace hand
