// benchmarks/crossover.hpp: the cells of the forward-versus-reverse crossover
// benchmark. A cell is one family at one (n, m); each cell can check its modes,
// time them, and run one mode in a loop (for callgrind).
//
// Modes (all return the m values and the m x n Jacobian):
//   primal       the family's primal on plain doubles (no derivative): the baseline
//                of the "ratio to primal" column;
//   hand         the Jacobian differentiated by hand (crossover_families.hpp);
//   fwd-scalar   forward scalar mode: n calls of tg::jvp, one per unit direction,
//                each a full value pass plus one tangent lane (n passes);
//   fwd-vector   tg::jacobian<tg::forward>: one pass carrying n unit tangent lanes
//                (lanes a node cannot depend on are not computed);
//   reverse      tg::jacobian<tg::reverse>: one value pass, then m adjoint sweeps;
//   automatic    tg::jacobian<tg::automatic>: forward when n <= m, else reverse.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "crossover_families.hpp"

#define XOVER_INLINE [[gnu::always_inline]] inline

namespace xover {

enum class mode : int { primal, hand, fwd_scalar, fwd_vector, reverse, automatic };
inline constexpr std::array<mode, 6> all_modes{mode::primal,     mode::hand,    mode::fwd_scalar,
                                               mode::fwd_vector, mode::reverse, mode::automatic};
inline constexpr char const* mode_name(mode md) {
    switch (md) {
        case mode::primal: return "primal";
        case mode::hand: return "hand";
        case mode::fwd_scalar: return "fwd-scalar";
        case mode::fwd_vector: return "fwd-vector";
        case mode::reverse: return "reverse";
        case mode::automatic: return "automatic";
    }
    return "?";
}

/// What one cell offers to the driver.
struct cell {
    char const* family;
    std::size_t n, m, nodes;
    char const* automatic_is;  // "fwd-vector" or "reverse"
    bool (*check)(double& worst);
    double (*time_ns)(mode md, double min_batch_s, int repetitions);
    void (*loop)(mode md, long iterations);
    void (*reference)(std::FILE* out);
};

inline constexpr std::size_t point_count = 16;  // a power of two, cycled through

/// Keeps a result alive without letting the compiler see how it is used.
template <class T>
XOVER_INLINE void escape(T const& v) {
    asm volatile("" : : "g"(&v) : "memory");
}

template <std::size_t M, std::size_t N>
using result = tg::jacobian_result<double, M, N>;

template <class F>
std::vector<std::array<double, F::n>> points() {
    std::mt19937_64 rng(20240611u + 131 * F::n + F::m);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    std::vector<std::array<double, F::n>> p(point_count);
    for (auto& x : p)
        for (auto& v : x) v = u(rng);
    return p;
}

template <class F, mode Md>
XOVER_INLINE void run(std::array<double, F::n> const& x, result<F::m, F::n>& r) {
    constexpr auto e = F::expr();
    if constexpr (Md == mode::primal) {
        F::template primal<double>(x.data(), r.value.data());
    } else if constexpr (Md == mode::hand) {
        F::hand(x.data(), r.value.data(), r.jacobian.data.data());
    } else if constexpr (Md == mode::fwd_scalar) {
        for (std::size_t i = 0; i < F::n; ++i) {
            std::array<double, F::n> dir{};
            dir[i] = 1.0;
            auto const t = tg::jvp(e, x, dir);
            for (std::size_t j = 0; j < F::m; ++j) r.jacobian(j, i) = t.tangent[j];
            if (i == 0) r.value = t.value;
        }
    } else if constexpr (Md == mode::fwd_vector) {
        r = tg::jacobian<tg::forward>(e, x);
    } else if constexpr (Md == mode::reverse) {
        r = tg::jacobian<tg::reverse>(e, x);
    } else {
        r = tg::jacobian<tg::automatic>(e, x);
    }
}

/// Largest |a - b| over values and Jacobian, relative to 1 + the largest |entry| of b.
template <std::size_t M, std::size_t N>
double difference(result<M, N> const& a, result<M, N> const& b) {
    double scale = 1.0;
    for (double v : b.jacobian.data) scale = std::max(scale, std::abs(v));
    for (double v : b.value) scale = std::max(scale, std::abs(v));
    double d = 0.0;
    for (std::size_t j = 0; j < M; ++j) d = std::max(d, std::abs(a.value[j] - b.value[j]));
    for (std::size_t k = 0; k < M * N; ++k) d = std::max(d, std::abs(a.jacobian.data[k] - b.jacobian.data[k]));
    return d / scale;
}

inline constexpr double tolerance = 1e-12;

/// Every mode against the hand-written Jacobian (and the primal's values) on every point.
template <class F>
bool check(double& worst) {
    worst = 0.0;
    bool ok = true;
    for (auto const& x : points<F>()) {
        result<F::m, F::n> want{}, prim{}, got{};
        run<F, mode::hand>(x, want);
        run<F, mode::primal>(x, prim);
        prim.jacobian = want.jacobian;
        auto one = [&]<mode Md>(std::integral_constant<mode, Md>) {
            got = {};
            run<F, Md>(x, got);
            double const d = difference(got, want);
            worst = std::max(worst, d);
            if (!(d <= tolerance)) {
                std::fprintf(stderr, "MISMATCH %s n=%zu m=%zu %s: relative difference %.3g\n", F::family, F::n, F::m,
                             mode_name(Md), d);
                ok = false;
            }
        };
        worst = std::max(worst, difference(prim, want));
        if (!(difference(prim, want) <= tolerance)) ok = false;
        one(std::integral_constant<mode, mode::fwd_scalar>{});
        one(std::integral_constant<mode, mode::fwd_vector>{});
        one(std::integral_constant<mode, mode::reverse>{});
        one(std::integral_constant<mode, mode::automatic>{});
    }
    return ok;
}

// The timed loop: one call per point, cycled. Named hot_loop for callgrind's --toggle-collect.
template <class F, mode Md>
[[gnu::noinline]] void hot_loop(std::array<double, F::n> const* pts, long iterations) {
    result<F::m, F::n> r{};
    for (long it = 0; it < iterations; ++it) {
        run<F, Md>(pts[static_cast<std::size_t>(it) & (point_count - 1)], r);
        escape(r);
    }
}

template <class F>
void loop(mode md, long iterations) {
    auto const pts = points<F>();
    switch (md) {
        case mode::primal: hot_loop<F, mode::primal>(pts.data(), iterations); break;
        case mode::hand: hot_loop<F, mode::hand>(pts.data(), iterations); break;
        case mode::fwd_scalar: hot_loop<F, mode::fwd_scalar>(pts.data(), iterations); break;
        case mode::fwd_vector: hot_loop<F, mode::fwd_vector>(pts.data(), iterations); break;
        case mode::reverse: hot_loop<F, mode::reverse>(pts.data(), iterations); break;
        case mode::automatic: hot_loop<F, mode::automatic>(pts.data(), iterations); break;
    }
}

/// ns per call: the iteration count is doubled until one batch takes min_batch_s, then
/// the fastest of `repetitions` batches is kept (the machine is shared; the minimum is
/// the least disturbed).
template <class F>
double time_ns(mode md, double min_batch_s, int repetitions) {
    using clock = std::chrono::steady_clock;
    auto batch = [&](long iters) {
        auto const t0 = clock::now();
        loop<F>(md, iters);
        return std::chrono::duration<double>(clock::now() - t0).count();
    };
    long iters = 16;
    while (batch(iters) < min_batch_s && iters < (1L << 40)) iters *= 2;
    double best = 1e300;
    for (int r = 0; r < repetitions; ++r) best = std::min(best, batch(iters));
    return best / static_cast<double>(iters) * 1e9;
}

/// The points and typegrad's automatic-mode values and Jacobians there, one line per
/// point: "family n m x_0 .. x_{n-1} y_0 .. y_{m-1} J(0,0) J(0,1) .. J(m-1,n-1)", for the
/// peers to check against.
template <class F>
void reference(std::FILE* out) {
    for (auto const& x : points<F>()) {
        result<F::m, F::n> r{};
        run<F, mode::automatic>(x, r);
        std::fprintf(out, "%s %zu %zu", F::family, F::n, F::m);
        for (double v : x) std::fprintf(out, " %.17g", v);
        for (double v : r.value) std::fprintf(out, " %.17g", v);
        for (double v : r.jacobian.data) std::fprintf(out, " %.17g", v);
        std::fprintf(out, "\n");
    }
}

template <class F>
cell make_cell() {
    return {F::family,
            F::n,
            F::m,
            tg::node_count<decltype(F::expr())>,
            std::is_same_v<tg::chosen_mode<F::n, F::m>, tg::forward> ? "fwd-vector" : "reverse",
            &check<F>,
            &time_ns<F>,
            &loop<F>,
            &reference<F>};
}

/// Cells of family Fam for every (n, m) pair listed.
template <template <std::size_t, std::size_t> class Fam, std::size_t... NM>
void add_cells(std::vector<cell>& cells, std::index_sequence<NM...>) {
    // NM packs n * 1000 + m.
    (cells.push_back(make_cell<Fam<NM / 1000, NM % 1000>>()), ...);
}

/// Defined once per program (crossover_grid.cpp or crossover_smoke.cpp).
void register_all(std::vector<cell>& cells);

}  // namespace xover
