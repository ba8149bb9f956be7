// benchmarks/cases.hpp: the functions benchmarked, each as a typegrad expression
// and as hand-written value-and-gradient code.
//
// The hand-written code is what an expert would write for the same function: the
// primal computed as stated (so both sides round the same way up to reassociation),
// the adjoint written out once, with exact simplifications (a partial that is a
// constant multiplied in once, contributions that cancel exactly dropped, a shared
// sine and cosine, one division where one suffices). Both sides return
// tg::gradient_result<double, N>, so storing results costs the same.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <random>
#include <utility>
#include <vector>

#include <typegrad/typegrad.hpp>

// Forces a benchmark wrapper (never a typegrad function) inline into its caller.
#define BENCH_INLINE [[gnu::always_inline]] inline

namespace bench {

namespace tg = typegrad;
using namespace tg::literals;

template <std::size_t N>
using result = tg::gradient_result<double, N>;

// ---------------------------------------------------------------------------
// P2: z = x1 x2 + sin x1, gradient (x2 + cos x1, x1).
struct p2 {
    static constexpr char const* name = "P2";
    static constexpr std::size_t n = 2;
    static constexpr auto expr() { return tg::var<0>{} * tg::var<1>{} + sin(tg::var<0>{}); }
    BENCH_INLINE static result<n> hand(std::array<double, n> const& x) {
        double const s = std::sin(x[0]);
        double const c = std::cos(x[0]);
        return {x[0] * x[1] + s, {x[1] + c, x[0]}};
    }
    static std::array<double, n> sample(std::mt19937_64& rng) {
        std::uniform_real_distribution<double> u(-3.0, 3.0);
        return {u(rng), u(rng)};
    }
};

// ---------------------------------------------------------------------------
// P1: g1 = 3x, g2 = x^2 + x, h1 = 2 g1 + 1, h2 = 2 g1 + g2, loss = (h1 - h2)^2.
struct p1 {
    static constexpr char const* name = "P1";
    static constexpr std::size_t n = 1;
    static constexpr auto expr() {
        constexpr auto x = tg::var<0>{};
        constexpr auto g1 = 3_c * x;
        constexpr auto g2 = pow(x, 2_c) + x;
        constexpr auto h1 = 2_c * g1 + 1_c;
        constexpr auto h2 = 2_c * g1 + g2;
        return pow(h1 - h2, 2_c);
    }
    // The same program differentiated by hand. g1's adjoint is 2 dh1 + 2 dh2 =
    // 2 dd - 2 dd = 0 exactly (for finite values), so an expert drops that path.
    BENCH_INLINE static result<n> hand(std::array<double, n> const& in) {
        double const x = in[0];
        double const g1 = 3.0 * x;
        double const g2 = x * x + x;
        double const h1 = 2.0 * g1 + 1.0;
        double const h2 = 2.0 * g1 + g2;
        double const d = h1 - h2;
        // dloss/dx = dloss/dh2 * dh2/dg2 * dg2/dx = -(2d) (2x + 1)
        return {d * d, {-2.0 * d * (2.0 * x + 1.0)}};
    }
    // The closed form after algebra on the primal (h1 - h2 = 1 - x - x^2): not the
    // same program, shown for reference only.
    BENCH_INLINE static result<n> hand_closed(std::array<double, n> const& in) {
        double const x = in[0];
        double const d = 1.0 - x - x * x;
        return {d * d, {-2.0 * d * (1.0 + 2.0 * x)}};
    }
    static std::array<double, n> sample(std::mt19937_64& rng) {
        std::uniform_real_distribution<double> u(-2.0, 2.0);
        return {u(rng)};
    }
};

// ---------------------------------------------------------------------------
// Rosenbrock: sum_i 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2, folded at compile time.
template <std::size_t... I>
constexpr auto rosenbrock_expr(std::index_sequence<I...>) {
    return ((100_c * pow(tg::var<I + 1>{} - pow(tg::var<I>{}, 2_c), 2_c) + pow(1_c - tg::var<I>{}, 2_c)) + ...);
}

template <std::size_t N>
struct rosenbrock {
    static_assert(N >= 2);
    static constexpr char const* name = N == 2    ? "Rosenbrock2"
                                        : N == 8  ? "Rosenbrock8"
                                        : N == 16 ? "Rosenbrock16"
                                        : N == 32 ? "Rosenbrock32"
                                                  : "Rosenbrock";
    static constexpr std::size_t n = N;
    static constexpr auto expr() { return rosenbrock_expr(std::make_index_sequence<N - 1>{}); }
    // t = x_{i+1} - x_i^2, u = 1 - x_i:
    //   df/dx_i += -400 t x_i - 2 u = -2 (200 t x_i + u),  df/dx_{i+1} += 200 t.
    // The first term is peeled so that nothing starts as 0 + ... (0.0 + v is not v in IEEE).
    BENCH_INLINE static result<n> hand(std::array<double, n> const& x) {
        result<n> r;
        double t = x[1] - x[0] * x[0];
        double u = 1.0 - x[0];
        double s = 200.0 * t;  // 200 t: this term's part of df/dx_{i+1}
        double value = 100.0 * (t * t) + u * u;
        r.gradient[0] = -2.0 * (s * x[0] + u);
        for (std::size_t i = 1; i + 1 < N; ++i) {
            double const xi = x[i];
            double const carry = s;
            t = x[i + 1] - xi * xi;
            u = 1.0 - xi;
            s = 200.0 * t;
            value += 100.0 * (t * t) + u * u;
            r.gradient[i] = carry - 2.0 * (s * xi + u);
        }
        r.gradient[N - 1] = s;
        r.value = value;
        return r;
    }
    static std::array<double, n> sample(std::mt19937_64& rng) {
        std::uniform_real_distribution<double> u(-2.0, 2.0);
        std::array<double, n> x;
        for (auto& v : x) v = u(rng);
        return x;
    }
};

// ---------------------------------------------------------------------------
// A smooth function of 4 inputs with 20 operations and shared intermediates:
//   a1 = x0 x1        a2 = sin a1          a3 = x2 x3          a4 = tanh a3
//   a5 = x0 x0        a6 = x3 x3           a7 = a5 + a6        a8 = a7 + 1
//   a9 = sqrt a8      a10 = x1 - x2        a11 = a10 a10       a12 = -a11
//   a13 = exp a12     a14 = a2 a4          a15 = a13 a9        a16 = a14 + a15
//   a17 = a9 a4       a18 = a17 / a8       a19 = a16 - a18     f = a20 = a19 a2
struct smooth4 {
    static constexpr char const* name = "Smooth4";
    static constexpr std::size_t n = 4;
    static constexpr auto expr() {
        constexpr auto x0 = tg::var<0>{};
        constexpr auto x1 = tg::var<1>{};
        constexpr auto x2 = tg::var<2>{};
        constexpr auto x3 = tg::var<3>{};
        constexpr auto a1 = x0 * x1;
        constexpr auto a2 = sin(a1);
        constexpr auto a3 = x2 * x3;
        constexpr auto a4 = tanh(a3);
        constexpr auto a5 = x0 * x0;
        constexpr auto a6 = x3 * x3;
        constexpr auto a7 = a5 + a6;
        constexpr auto a8 = a7 + 1_c;
        constexpr auto a9 = sqrt(a8);
        constexpr auto a10 = x1 - x2;
        constexpr auto a11 = a10 * a10;
        constexpr auto a12 = -a11;
        constexpr auto a13 = exp(a12);
        constexpr auto a14 = a2 * a4;
        constexpr auto a15 = a13 * a9;
        constexpr auto a16 = a14 + a15;
        constexpr auto a17 = a9 * a4;
        constexpr auto a18 = a17 / a8;
        constexpr auto a19 = a16 - a18;
        return a19 * a2;
    }
    BENCH_INLINE static result<n> hand(std::array<double, n> const& x) {
        double const x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];
        // primal, as stated
        double const a1 = x0 * x1;
        double const a2 = std::sin(a1);
        double const c1 = std::cos(a1);
        double const a4 = std::tanh(x2 * x3);
        double const a8 = (x0 * x0 + x3 * x3) + 1.0;
        double const a9 = std::sqrt(a8);
        double const a10 = x1 - x2;
        double const a13 = std::exp(-(a10 * a10));
        double const a16 = a2 * a4 + a13 * a9;
        double const a18 = (a9 * a4) / a8;
        double const a19 = a16 - a18;
        // adjoints (bK = df/daK)
        double const b17 = -a2 / a8;                  // b18 = -a2, b17 = b18 / a8
        double const b9 = b17 * a4 + a2 * a13;        // from a17 and a15
        double const b8 = 0.5 * b9 / a9 - b17 * a18;  // from a9 = sqrt a8 and a18 = a17 / a8
        double const b4 = b17 * a9 + a2 * a2;         // from a17 and a14
        double const b2 = a19 + a2 * a4;              // from f and a14
        double const b3 = b4 * (1.0 - a4 * a4);       // tanh' = 1 - a4^2
        double const b1 = b2 * c1;                    // sin' = cos
        double const b10 = -2.0 * a10 * (a2 * a9 * a13);  // b13 = a2 a9, b11 = -b13 a13, b10 = 2 a10 b11
        double const b0sq = 2.0 * b8;                 // b5 = b6 = b8, d(x^2) = 2x
        return {a19 * a2,
                {b0sq * x0 + b1 * x1, b10 + b1 * x0, b3 * x3 - b10, b0sq * x3 + b3 * x2}};
    }
    static std::array<double, n> sample(std::mt19937_64& rng) {
        std::uniform_real_distribution<double> u(-1.5, 1.5);
        return {u(rng), u(rng), u(rng), u(rng)};
    }
};

// ---------------------------------------------------------------------------
// The same functions written as a user writes them, with plain numbers (run-time
// constants held in the expression) instead of _c constants. The hand-written code
// is the adjoint of that program as written, with the same exact simplifications.

// P1 with 3.0, 2.0, 1.0 and the square written as a product.
struct p1_numbers {
    static constexpr char const* name = "P1-numbers";
    static constexpr std::size_t n = 1;
    static constexpr auto expr() {
        constexpr auto x = tg::var<0>{};
        auto const g1 = 3.0 * x;
        auto const g2 = x * x + x;
        auto const h1 = 2.0 * g1 + 1.0;
        auto const h2 = 2.0 * g1 + g2;
        return (h1 - h2) * (h1 - h2);
    }
    // d = h1 - h2 enters the product twice: dloss/dd = d + d = 2d (exact). As in p1,
    // g1's adjoint 2 dd - 2 dd is exactly 0 and its path is dropped.
    BENCH_INLINE static result<n> hand(std::array<double, n> const& in) {
        double const x = in[0];
        double const g1 = 3.0 * x;
        double const g2 = x * x + x;
        double const h1 = 2.0 * g1 + 1.0;
        double const h2 = 2.0 * g1 + g2;
        double const d = h1 - h2;
        return {d * d, {-(d + d) * (x + x + 1.0)}};
    }
    static std::array<double, n> sample(std::mt19937_64& rng) { return p1::sample(rng); }
};

// Rosenbrock folded over the inputs: 100.0 * (b - a*a) * (b - a*a) + (1.0 - a) * (1.0 - a).
template <std::size_t... I>
constexpr auto rosenbrock_numbers_expr(std::index_sequence<I...>) {
    return ((100.0 * (tg::var<I + 1>{} - tg::var<I>{} * tg::var<I>{}) * (tg::var<I + 1>{} - tg::var<I>{} * tg::var<I>{}) +
             (1.0 - tg::var<I>{}) * (1.0 - tg::var<I>{})) +
            ...);
}

template <std::size_t N>
struct rosenbrock_numbers {
    static_assert(N >= 2);
    static constexpr char const* name = N == 2    ? "RosenNum2"
                                        : N == 8  ? "RosenNum8"
                                        : N == 16 ? "RosenNum16"
                                        : N == 32 ? "RosenNum32"
                                                  : "RosenNum";
    static constexpr std::size_t n = N;
    static constexpr auto expr() { return rosenbrock_numbers_expr(std::make_index_sequence<N - 1>{}); }
    // As written: value (100 t) t + u u; dt = t 100 + 100 t = 200 t (doubling is exact).
    BENCH_INLINE static result<n> hand(std::array<double, n> const& x) {
        result<n> r;
        double t = x[1] - x[0] * x[0];
        double u = 1.0 - x[0];
        double s = 200.0 * t;
        double value = 100.0 * t * t + u * u;
        r.gradient[0] = -(s * x[0] + s * x[0]) - (u + u);
        for (std::size_t i = 1; i + 1 < N; ++i) {
            double const xi = x[i];
            double const carry = s;
            t = x[i + 1] - xi * xi;
            u = 1.0 - xi;
            s = 200.0 * t;
            value = value + (100.0 * t * t + u * u);
            r.gradient[i] = carry - (s * xi + s * xi) - (u + u);
        }
        r.gradient[N - 1] = s;
        r.value = value;
        return r;
    }
    static std::array<double, n> sample(std::mt19937_64& rng) { return rosenbrock<N>::sample(rng); }
};

// A point-wise function with a shared product: x y sin z + exp(x y).
struct pointwise {
    static constexpr char const* name = "Pointwise";
    static constexpr std::size_t n = 3;
    static constexpr auto expr() {
        constexpr auto x = tg::var<0>{};
        constexpr auto y = tg::var<1>{};
        constexpr auto z = tg::var<2>{};
        return x * y * sin(z) + exp(x * y);
    }
    BENCH_INLINE static result<n> hand(std::array<double, n> const& in) {
        double const p = in[0] * in[1];
        double const s = std::sin(in[2]);
        double const e = std::exp(p);
        double const dp = s + e;
        return {p * s + e, {dp * in[1], dp * in[0], p * std::cos(in[2])}};
    }
    static std::array<double, n> sample(std::mt19937_64& rng) {
        std::uniform_real_distribution<double> u(-1.5, 1.5);
        return {u(rng), u(rng), u(rng)};
    }
};

// ---------------------------------------------------------------------------
// The variants compared on each case. Each is forced inline into the benchmark
// loop (BENCH_INLINE), as a direct call to tg::gradient in a user's loop would
// be written: the wrapper must not add a call of its own, and whether typegrad's
// passes inline into the caller is then up to typegrad.
struct typegrad_reverse {
    static constexpr char const* name = "typegrad-reverse";
    template <class Case>
    BENCH_INLINE static result<Case::n> run(std::array<double, Case::n> const& x) {
        return tg::gradient(Case::expr(), x);
    }
};
struct typegrad_forward {
    static constexpr char const* name = "typegrad-forward";
    template <class Case>
    BENCH_INLINE static result<Case::n> run(std::array<double, Case::n> const& x) {
        return tg::gradient<tg::forward>(Case::expr(), x);
    }
};
struct hand {
    static constexpr char const* name = "hand";
    template <class Case>
    BENCH_INLINE static result<Case::n> run(std::array<double, Case::n> const& x) {
        return Case::hand(x);
    }
};
struct hand_closed {
    static constexpr char const* name = "hand-closed";
    template <class Case>
    BENCH_INLINE static result<Case::n> run(std::array<double, Case::n> const& x) {
        return Case::hand_closed(x);
    }
};

/// Points drawn once (fixed seed) and cycled through, so nothing can be constant-folded.
template <class Case>
std::vector<std::array<double, Case::n>> make_points(std::size_t count) {
    std::mt19937_64 rng(20240611u + Case::n);
    std::vector<std::array<double, Case::n>> pts(count);
    for (auto& p : pts) p = Case::sample(rng);
    return pts;
}

/// |a - b| within a few ulps of the magnitudes involved.
inline bool close(double a, double b, double scale) {
    return std::abs(a - b) <= 1e-12 * (1.0 + std::abs(a) + std::abs(b) + scale);
}

/// Compares two results; the largest gradient component sets the scale, which absorbs
/// rounding in sums of large terms that cancel (Rosenbrock's -400 t x_i - 2 u + 200 t').
template <std::size_t N>
bool same_result(result<N> const& a, result<N> const& b) {
    double scale = 0.0;
    for (std::size_t i = 0; i < N; ++i) scale = std::max(scale, std::abs(b.gradient[i]));
    if (!close(a.value, b.value, 0.0)) return false;
    for (std::size_t i = 0; i < N; ++i)
        if (!close(a.gradient[i], b.gradient[i], scale)) return false;
    return true;
}

}  // namespace bench
