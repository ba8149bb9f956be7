// benchmarks/jacobians.cpp: typegrad Jacobians (forward, reverse, automatic) and a
// Hessian against hand-written code, with Google Benchmark.
//
// Cases:
//   Jacobian N x M:  f: R^n -> R^m, for (n, m) in {(1,32), (8,8), (32,1), (32,32)}:
//                      s = x_0 + x_1 + ... + x_{n-1}  (one sum, shared by all outputs),
//                      y_j = x_k sin(c_j s),  k = j mod n,  c_j = j + 1
//                    (c_j compile-time constants, so every row is a distinct expression:
//                    typegrad cannot compute a row once for several outputs);
//                      J(j, i) = c_j x_k cos(c_j s) + [i = k] sin(c_j s).
//                    (With x_k added inside the sine, as in y_j = x_k sin(c_j s + x_k),
//                    the file took 95 s instead of 76 s to compile at -O3; the (32,32)
//                    case is most of it, see benchmarks/README.md.)
//   Hessian8:        tg::hessian of Rosenbrock n = 8 against its closed-form
//                    tridiagonal Hessian.
//
// Before timing, every typegrad variant is checked against the hand-written result on
// every benchmark point (relative 1e-12, the scale being the largest entry of the
// hand-written matrix, as in gradients.cpp); a mismatch makes the program exit with
// status 1 (the CTest test runs it with --benchmark_min_time=0.001). After the runs it
// prints ns per call and the ratio typegrad / hand-written measured in this same run
// (the fastest repetition of each).
//
//   ./build/benchmarks/jacobians
//   ./build/benchmarks/jacobians --benchmark_repetitions=10 --benchmark_enable_random_interleaving=true
//
// Instruction counts (deterministic): `jacobians loop CASE VARIANT [ITERATIONS]` runs only
// hot_loop<Case, Variant> (never inlined) ITERATIONS times (default 100000), for
//   valgrind --tool=callgrind --toggle-collect='*hot_loop*' ./build/benchmarks/jacobians loop 8x8 hand
// CASE: 1x32 8x8 32x1 32x32 hessian8; VARIANT: hand, forward, reverse, automatic (Jacobians),
// hessian (hessian8), copy (the loop alone: loads a point, stores a zero result).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "best_time_reporter.hpp"

#include "cases.hpp"

namespace {

namespace tg = typegrad;
using namespace tg::literals;

// A power of two; cycled through so that nothing can be constant-folded.
constexpr std::size_t point_count = 64;

// ---------------------------------------------------------------------------
// The vector function family.

// x_0 + x_1 + ... + x_{n-1}, summed left to right.
template <std::size_t... I>
constexpr auto sum_of(std::index_sequence<I...>) {
    return (... + tg::var<I>{});
}

template <std::size_t N, std::size_t J>
constexpr auto output() {
    constexpr std::size_t k = J % N;
    return tg::var<k>{} * sin(tg::constant<static_cast<std::intmax_t>(J + 1)> * sum_of(std::make_index_sequence<N>{}));
}

template <std::size_t N, std::size_t... J>
constexpr auto outputs_of(std::index_sequence<J...>) {
    return tg::outputs(output<N, J>()...);
}

template <std::size_t N, std::size_t M>
struct jac_case {
    static constexpr std::size_t n = N;
    static constexpr std::size_t m = M;
    using result = tg::jacobian_result<double, M, N>;
    static std::string name() { return "Jacobian" + std::to_string(N) + "x" + std::to_string(M); }
    static constexpr auto expr() { return outputs_of<N>(std::make_index_sequence<M>{}); }

    // What an expert writes: s once (summed in the same order), one sin and one cos per
    // row (-fno-math-errno lets them become one sincos), the row's common entry
    // c_j x_k cos(c_j s) formed once and stored across the row, entry k corrected once.
    BENCH_INLINE static result hand(std::array<double, N> const& x) {
        result r;
        double s = x[0];
        for (std::size_t i = 1; i < N; ++i) s += x[i];
        for (std::size_t j = 0; j < M; ++j) {
            std::size_t const k = j % N;
            double const c = static_cast<double>(j + 1);
            double const a = c * s;
            double const sv = std::sin(a);
            double const cv = std::cos(a);
            double const xc = x[k] * cv;
            double const g = c * xc;
            r.value[j] = x[k] * sv;
            for (std::size_t i = 0; i < N; ++i) r.jacobian(j, i) = g;
            r.jacobian(j, k) += sv;
        }
        return r;
    }
    static std::array<double, N> sample(std::mt19937_64& rng) {
        std::uniform_real_distribution<double> u(-1.0, 1.0);
        std::array<double, N> x;
        for (auto& v : x) v = u(rng);
        return x;
    }
};

template <class Mode>
struct jac_variant {
    template <class Case>
    BENCH_INLINE static typename Case::result run(std::array<double, Case::n> const& x) {
        return tg::jacobian<Mode>(Case::expr(), x);
    }
};
struct tg_forward : jac_variant<tg::forward> {
    static constexpr char const* name = "typegrad-forward";
};
struct tg_reverse : jac_variant<tg::reverse> {
    static constexpr char const* name = "typegrad-reverse";
};
struct tg_automatic : jac_variant<tg::automatic> {
    static constexpr char const* name = "typegrad-automatic";
};

// ---------------------------------------------------------------------------
// Hessian of Rosenbrock n = 8 (the expression of cases.hpp).
struct hess_case {
    static constexpr std::size_t n = 8;
    using result = tg::hessian_result<double, n>;
    static std::string name() { return "Hessian-Rosenbrock8"; }
    static constexpr auto expr() { return bench::rosenbrock<n>::expr(); }

    // Value and gradient as in cases.hpp; the Hessian in closed form:
    //   H(i,i)   = 1200 x_i^2 - 400 x_{i+1} + 2  (i < n-1)   + 200 (i > 0),
    //   H(i,i+1) = H(i+1,i) = -400 x_i, everything else 0.
    BENCH_INLINE static result hand(std::array<double, n> const& x) {
        auto const g = bench::rosenbrock<n>::hand(x);
        result r{g.value, g.gradient, {}};
        r.hessian.data.fill(0.0);
        for (std::size_t i = 0; i + 1 < n; ++i) {
            double const xi = x[i];
            double const off = -400.0 * xi;
            r.hessian(i, i) = 1200.0 * (xi * xi) - 400.0 * x[i + 1] + (i > 0 ? 202.0 : 2.0);
            r.hessian(i, i + 1) = off;
            r.hessian(i + 1, i) = off;
        }
        r.hessian(n - 1, n - 1) = 200.0;
        return r;
    }
    static std::array<double, n> sample(std::mt19937_64& rng) { return bench::rosenbrock<n>::sample(rng); }
};

struct tg_hessian {
    static constexpr char const* name = "typegrad-hessian";
    template <class Case>
    BENCH_INLINE static typename Case::result run(std::array<double, Case::n> const& x) {
        return tg::hessian(Case::expr(), x);
    }
};

struct hand {
    static constexpr char const* name = "hand";
    template <class Case>
    BENCH_INLINE static typename Case::result run(std::array<double, Case::n> const& x) {
        return Case::hand(x);
    }
};

// ---------------------------------------------------------------------------
// Points, comparison, checks.

template <class Case>
std::vector<std::array<double, Case::n>> make_points() {
    std::mt19937_64 rng(20240611u + Case::n);
    std::vector<std::array<double, Case::n>> pts(point_count);
    for (auto& p : pts) p = Case::sample(rng);
    return pts;
}

template <std::size_t R, std::size_t C>
double max_abs(tg::matrix<double, R, C> const& a) {
    double s = 0.0;
    for (double v : a.data) s = std::max(s, std::abs(v));
    return s;
}

template <std::size_t M, std::size_t N>
bool same(tg::jacobian_result<double, M, N> const& a, tg::jacobian_result<double, M, N> const& b) {
    double const scale = max_abs(b.jacobian);
    for (std::size_t j = 0; j < M; ++j)
        if (!bench::close(a.value[j], b.value[j], 0.0)) return false;
    for (std::size_t k = 0; k < M * N; ++k)
        if (!bench::close(a.jacobian.data[k], b.jacobian.data[k], scale)) return false;
    return true;
}

template <std::size_t N>
bool same(tg::hessian_result<double, N> const& a, tg::hessian_result<double, N> const& b) {
    if (!bench::same_result(tg::gradient_result<double, N>{a.value, a.gradient},
                            tg::gradient_result<double, N>{b.value, b.gradient}))
        return false;
    double const scale = max_abs(b.hessian);
    for (std::size_t k = 0; k < N * N; ++k)
        if (!bench::close(a.hessian.data[k], b.hessian.data[k], scale)) return false;
    return true;
}

// The one place each variant's code is compiled (typegrad's passes are force-inlined, so
// every call site is a full copy of the derivative code): checks, timings and the `loop`
// mode all call it. It stores its results to memory the caller reads.
template <class Case, class Variant>
[[gnu::noinline]] void hot_loop(std::array<double, Case::n> const* pts, typename Case::result* out,
                                std::size_t iterations) {
    for (std::size_t k = 0; k < iterations; ++k)
        out[k & (point_count - 1)] = Variant::template run<Case>(pts[k & (point_count - 1)]);
}

template <class Case, class Variant>
bool check_variant() {
    auto const pts = make_points<Case>();
    std::vector<typename Case::result> want(point_count), got(point_count);
    hot_loop<Case, hand>(pts.data(), want.data(), point_count);
    hot_loop<Case, Variant>(pts.data(), got.data(), point_count);
    for (std::size_t k = 0; k < point_count; ++k)
        if (!same(got[k], want[k])) {
            std::fprintf(stderr, "MISMATCH %s %s at x[0] = %.17g\n", Case::name().c_str(), Variant::name, pts[k][0]);
            return false;
        }
    return true;
}

template <class Case, class... Variants>
bool check_case() {
    bool const ok = (check_variant<Case, Variants>() && ...);
    std::printf("check %-20s typegrad == hand-written on %zu points: %s\n", Case::name().c_str(), point_count,
                ok ? "ok" : "FAILED");
    return ok;
}

// ---------------------------------------------------------------------------
// Timing, registration and the ratio table.

// Timed in batches of point_count calls (one pass over the points), so the call of
// hot_loop is spread over point_count derivatives.
template <class Case, class Variant>
void bm_case(benchmark::State& state) {
    auto const pts = make_points<Case>();
    std::vector<typename Case::result> out(point_count);
    while (state.KeepRunningBatch(point_count)) {
        hot_loop<Case, Variant>(pts.data(), out.data(), point_count);
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations());
}

struct row {
    std::string case_name;
    std::vector<std::string> variants;
    std::string note;
};
std::vector<row> rows;

template <class Case, class... Variants>
void register_case(std::string note = {}) {
    rows.push_back({Case::name(), {hand::name, Variants::name...}, std::move(note)});
    benchmark::RegisterBenchmark((Case::name() + "/" + hand::name).c_str(), &bm_case<Case, hand>);
    (benchmark::RegisterBenchmark((Case::name() + "/" + Variants::name).c_str(), &bm_case<Case, Variants>), ...);
}

template <std::size_t N, std::size_t M>
std::string automatic_note() {
    return std::is_same_v<tg::chosen_mode<N, M>, tg::forward> ? "automatic = forward" : "automatic = reverse";
}

void print_ratios(bench::best_time_reporter const& rep) {
    auto time_of = [&](std::string const& c, std::string const& v) {
        return rep.ns(c + "/" + v);
    };
    std::printf("\nns per call (CPU time, fastest repetition) and ratio to hand-written, same run:\n");
    std::printf("%-20s %-20s %12s %10s\n", "case", "variant", "ns", "ratio");
    for (auto const& r : rows) {
        double const h = time_of(r.case_name, hand::name);
        for (auto const& v : r.variants) {
            double const t = time_of(r.case_name, v);
            std::printf("%-20s %-20s %12.2f %10.3f\n", r.case_name.c_str(), v.c_str(), t, t / h);
        }
        if (!r.note.empty()) std::printf("%-20s (%s)\n", r.case_name.c_str(), r.note.c_str());
    }
}

// ---------------------------------------------------------------------------
// `loop` mode, for instruction counting under callgrind.

/// The loop alone: what every variant pays besides the derivatives (a zero result stored).
struct copy_point {
    static constexpr char const* name = "copy";
    template <class Case>
    BENCH_INLINE static typename Case::result run(std::array<double, Case::n> const& x) {
        typename Case::result r{};
        benchmark::DoNotOptimize(x);
        return r;
    }
};


template <class Case, class Variant>
int loop(std::size_t iterations) {
    auto const pts = make_points<Case>();
    std::vector<typename Case::result> out(point_count);
    hot_loop<Case, Variant>(pts.data(), out.data(), iterations);
    double sum = 0.0;
    for (auto const& r : out) {
        if constexpr (requires { r.hessian; })
            for (double v : r.hessian.data) sum += v;
        else
            for (double v : r.jacobian.data) sum += v;
    }
    std::printf("%s %s %zu iterations, checksum %.17g\n", Case::name().c_str(), Variant::name, iterations, sum);
    return 0;
}

template <class Case>
int loop_jacobian(std::string const& variant, std::size_t iterations) {
    if (variant == "hand") return loop<Case, hand>(iterations);
    if (variant == "copy") return loop<Case, copy_point>(iterations);
    if (variant == "forward") return loop<Case, tg_forward>(iterations);
    if (variant == "reverse") return loop<Case, tg_reverse>(iterations);
    if (variant == "automatic") return loop<Case, tg_automatic>(iterations);
    std::fprintf(stderr, "unknown variant %s\n", variant.c_str());
    return 2;
}

/// jacobians loop CASE VARIANT [ITERATIONS]
int loop_main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s loop CASE VARIANT [ITERATIONS]\n", argv[0]);
        return 2;
    }
    std::string const c = argv[2];
    std::string const v = argv[3];
    std::size_t const iterations = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 100000;
    if (c == "1x32") return loop_jacobian<jac_case<1, 32>>(v, iterations);
    if (c == "8x8") return loop_jacobian<jac_case<8, 8>>(v, iterations);
    if (c == "32x1") return loop_jacobian<jac_case<32, 1>>(v, iterations);
    if (c == "32x32") return loop_jacobian<jac_case<32, 32>>(v, iterations);
    if (c == "hessian8") {
        if (v == "hand") return loop<hess_case, hand>(iterations);
        if (v == "copy") return loop<hess_case, copy_point>(iterations);
        if (v == "hessian") return loop<hess_case, tg_hessian>(iterations);
    }
    std::fprintf(stderr, "unknown case or variant: %s %s\n", c.c_str(), v.c_str());
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::string(argv[1]) == "loop") return loop_main(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

    using j1x32 = jac_case<1, 32>;
    using j8x8 = jac_case<8, 8>;
    using j32x1 = jac_case<32, 1>;
    using j32x32 = jac_case<32, 32>;

    bool const ok = check_case<j1x32, tg_forward, tg_reverse, tg_automatic>() &&
                    check_case<j8x8, tg_forward, tg_reverse, tg_automatic>() &&
                    check_case<j32x1, tg_forward, tg_reverse, tg_automatic>() &&
                    check_case<j32x32, tg_forward, tg_reverse, tg_automatic>() && check_case<hess_case, tg_hessian>();
    if (!ok) {
        std::fprintf(stderr, "typegrad's result differs from the hand-written one; not timing\n");
        return 1;
    }

    register_case<j1x32, tg_forward, tg_reverse, tg_automatic>(automatic_note<1, 32>());
    register_case<j8x8, tg_forward, tg_reverse, tg_automatic>(automatic_note<8, 8>());
    register_case<j32x1, tg_forward, tg_reverse, tg_automatic>(automatic_note<32, 1>());
    register_case<j32x32, tg_forward, tg_reverse, tg_automatic>(automatic_note<32, 32>());
    register_case<hess_case, tg_hessian>();

    bench::best_time_reporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    print_ratios(reporter);
    benchmark::Shutdown();
    return 0;
}
