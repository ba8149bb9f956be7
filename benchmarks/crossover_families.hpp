// benchmarks/crossover_families.hpp: the function families f: R^n -> R^m of the
// forward-versus-reverse crossover benchmark (crossover.cpp) and of the peer
// comparison (peers/*.cpp, peers.py), each written three ways:
//
//   expr()         the typegrad expression (compile-time constants, so an empty type);
//   primal<T>(x,y) the same function as generic scalar code, for plain double (the
//                  "primal" baseline) and for the peers' AD number types; operations in
//                  the same order as the expression, so values agree to the last bit
//                  up to how each library evaluates the same operations;
//   hand(x,y,J)    values and the m x n Jacobian (row-major) differentiated by hand.
//
// Families (k = j mod n, c_j = (j + 1) / 8, mean = (x_0 + ... + x_{n-1}) / n):
//
//   chain  y_j = tanh(sin(c_j x_k) + mean)                  element-wise chain coupled
//          through one shared sum: 2n + 4m nodes, dense Jacobian (every output
//          depends on every input through the mean).
//   stat   d_i = x_i - mean, v = (d_0^2 + ... + d_{n-1}^2) / n, r = 1 / sqrt(v + 1),
//          y_j = (c_j d_k) r                                 standardised scores: a
//          reduction-heavy statistic, about 4n + 2m nodes, dense Jacobian, every
//          output depends on the whole reduction.
//   dense  y_j = tanh(w_0j x_0 + ... + w_{n-1,j} x_{n-1} + b_j), w_ij = (2 ((7i + 3j) mod 11) - 11) / 8,
//          b_j = (j + 1) / 16                               a dense layer: about 2nm
//          nodes, so only small n and m compile in reasonable time.
//
// Node counts decide compile cost: every pass is unrolled per node (and per lane
// in forward vector mode, per output in reverse mode), so the code generated for
// the Jacobian grows like nodes x min-or-max(n, m). See crossover.cpp for the grid.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>

#include <typegrad/typegrad.hpp>

namespace xover {

namespace tg = typegrad;
using namespace tg::literals;

constexpr std::intmax_t dense_w(std::size_t i, std::size_t j) {
    return 2 * static_cast<std::intmax_t>((7 * i + 3 * j) % 11) - 11;
}

namespace detail {

template <std::size_t... I>
constexpr auto sum_vars(std::index_sequence<I...>) {
    return (tg::var<I>{} + ...);
}

template <std::size_t N>
constexpr auto mean_expr() {
    return tg::constant<1, static_cast<std::intmax_t>(N)> * sum_vars(std::make_index_sequence<N>{});
}

// chain
template <std::size_t N, std::size_t J>
constexpr auto chain_output() {
    return tanh(sin(tg::constant<static_cast<std::intmax_t>(J + 1), 8> * tg::var<J % N>{}) + mean_expr<N>());
}
template <std::size_t N, std::size_t... J>
constexpr auto chain_outputs(std::index_sequence<J...>) {
    return tg::outputs(chain_output<N, J>()...);
}

// stat
template <std::size_t N, std::size_t I>
constexpr auto stat_dev() {
    return tg::var<I>{} - mean_expr<N>();
}
template <std::size_t N, std::size_t... I>
constexpr auto stat_inv_sd(std::index_sequence<I...>) {
    return 1_c / sqrt(tg::constant<1, static_cast<std::intmax_t>(N)> * (pow(stat_dev<N, I>(), 2_c) + ...) + 1_c);
}
template <std::size_t N, std::size_t J>
constexpr auto stat_output() {
    return (tg::constant<static_cast<std::intmax_t>(J + 1), 8> * stat_dev<N, J % N>()) *
           stat_inv_sd<N>(std::make_index_sequence<N>{});
}
template <std::size_t N, std::size_t... J>
constexpr auto stat_outputs(std::index_sequence<J...>) {
    return tg::outputs(stat_output<N, J>()...);
}

// dense
template <std::size_t J, std::size_t... I>
constexpr auto dense_pre(std::index_sequence<I...>) {
    return ((tg::constant<dense_w(I, J), 8> * tg::var<I>{}) + ...) + tg::constant<static_cast<std::intmax_t>(J + 1), 16>;
}
template <std::size_t N, std::size_t... J>
constexpr auto dense_outputs(std::index_sequence<J...>) {
    return tg::outputs(tanh(dense_pre<J>(std::make_index_sequence<N>{}))...);
}

}  // namespace detail

inline constexpr double c_of(std::size_t j) { return static_cast<double>(j + 1) / 8.0; }

template <std::size_t N, std::size_t M>
struct chain {
    static constexpr char const* family = "chain";
    static constexpr std::size_t n = N, m = M;
    static constexpr auto expr() { return detail::chain_outputs<N>(std::make_index_sequence<M>{}); }
    template <class T, class X>
    static void primal(X const* x, T* y) {
        using std::sin;
        using std::tanh;
        T s = x[0];
        for (std::size_t i = 1; i < N; ++i) s = s + x[i];
        T const mean = (1.0 / static_cast<double>(N)) * s;
        for (std::size_t j = 0; j < M; ++j) y[j] = tanh(sin(c_of(j) * x[j % N]) + mean);
    }
    static void hand(double const* x, double* y, double* J) {
        double s = x[0];
        for (std::size_t i = 1; i < N; ++i) s += x[i];
        double const inv = 1.0 / static_cast<double>(N);
        double const mean = inv * s;
        for (std::size_t j = 0; j < M; ++j) {
            std::size_t const k = j % N;
            double const c = c_of(j);
            double const u = c * x[k];
            double const t = std::tanh(std::sin(u) + mean);
            y[j] = t;
            double const a = 1.0 - t * t;
            double const an = a * inv;
            double* row = J + j * N;
            for (std::size_t i = 0; i < N; ++i) row[i] = an;
            row[k] += a * std::cos(u) * c;
        }
    }
};

template <std::size_t N, std::size_t M>
struct stat {
    static constexpr char const* family = "stat";
    static constexpr std::size_t n = N, m = M;
    static constexpr auto expr() { return detail::stat_outputs<N>(std::make_index_sequence<M>{}); }
    template <class T, class X>
    static void primal(X const* x, T* y) {
        using std::sqrt;
        double const inv = 1.0 / static_cast<double>(N);
        T s = x[0];
        for (std::size_t i = 1; i < N; ++i) s = s + x[i];
        T const mean = inv * s;
        std::array<T, N> d;
        for (std::size_t i = 0; i < N; ++i) d[i] = x[i] - mean;
        T q = d[0] * d[0];
        for (std::size_t i = 1; i < N; ++i) q = q + d[i] * d[i];
        T const r = 1.0 / sqrt(inv * q + 1.0);
        for (std::size_t j = 0; j < M; ++j) y[j] = (c_of(j) * d[j % N]) * r;
    }
    static void hand(double const* x, double* y, double* J) {
        double const inv = 1.0 / static_cast<double>(N);
        double s = x[0];
        for (std::size_t i = 1; i < N; ++i) s += x[i];
        double const mean = inv * s;
        double d[N];
        double q = 0.0;
        for (std::size_t i = 0; i < N; ++i) {
            d[i] = x[i] - mean;
            q += d[i] * d[i];
        }
        double const r = 1.0 / std::sqrt(inv * q + 1.0);
        double const r3n = r * r * r * inv;
        // dy_j/dx_i = c_j (r (delta_ik - 1/n) - d_k r^3 d_i / n), using sum_i d_i = 0.
        for (std::size_t j = 0; j < M; ++j) {
            std::size_t const k = j % N;
            double const c = c_of(j);
            y[j] = (c * d[k]) * r;
            double const base = -c * r * inv;
            double const g = -c * d[k] * r3n;
            double* row = J + j * N;
            for (std::size_t i = 0; i < N; ++i) row[i] = base + g * d[i];
            row[k] += c * r;
        }
    }
};

template <std::size_t N, std::size_t M>
struct dense {
    static constexpr char const* family = "dense";
    static constexpr std::size_t n = N, m = M;
    static constexpr auto expr() { return detail::dense_outputs<N>(std::make_index_sequence<M>{}); }
    static constexpr double w(std::size_t i, std::size_t j) { return static_cast<double>(dense_w(i, j)) / 8.0; }
    template <class T, class X>
    static void primal(X const* x, T* y) {
        using std::tanh;
        for (std::size_t j = 0; j < M; ++j) {
            T s = w(0, j) * x[0];
            for (std::size_t i = 1; i < N; ++i) s = s + w(i, j) * x[i];
            y[j] = tanh(s + static_cast<double>(j + 1) / 16.0);
        }
    }
    static void hand(double const* x, double* y, double* J) {
        for (std::size_t j = 0; j < M; ++j) {
            double s = w(0, j) * x[0];
            for (std::size_t i = 1; i < N; ++i) s += w(i, j) * x[i];
            double const t = std::tanh(s + static_cast<double>(j + 1) / 16.0);
            y[j] = t;
            double const a = 1.0 - t * t;
            double* row = J + j * N;
            for (std::size_t i = 0; i < N; ++i) row[i] = a * w(i, j);
        }
    }
};

}  // namespace xover
