// benchmarks/jacobians.cpp: typegrad Jacobians (forward, reverse, automatic) and a
// Hessian against hand-written code, with Google Benchmark.
//
// Cases:
//   Jacobian N x M:  f: R^n -> R^m,  y_j = x_{j mod n} sin(s_j),  s_j = sum_i c_ij x_i,
//                    c_ij = 1 + (i + 2j) mod 3 (compile-time constants), for
//                    (n, m) in {(1,32), (8,8), (32,1), (32,32)};
//                    J(j, i) = c_ij x_{j mod n} cos(s_j)  (+ sin(s_j) when i = j mod n).
//                    Caveat: the coefficient rows repeat with period 3 in j, so s_j and
//                    sin(s_j) are the same expression for j, j + 3, ...; typegrad's
//                    expressions are types, so it computes each distinct one once,
//                    while the hand-written code computes every row. (An offset
//                    s_j + (j + 1) to make rows distinct took > 170 s to compile.)
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
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "cases.hpp"

namespace {

namespace tg = typegrad;
using namespace tg::literals;

// A power of two; cycled through so that nothing can be constant-folded.
constexpr std::size_t point_count = 64;

// ---------------------------------------------------------------------------
// The vector function family.

constexpr std::intmax_t coef(std::size_t i, std::size_t j) { return 1 + static_cast<std::intmax_t>((i + 2 * j) % 3); }

// c_0j x_0 + c_1j x_1 + ..., summed left to right.
template <std::size_t N, std::size_t J, std::size_t... I>
constexpr auto linear(std::index_sequence<I...>) {
    return ((tg::constant<coef(I, J)> * tg::var<I>{}) + ...);
}

// The coefficients as doubles, row-major (row j = output j), for the hand-written code.
template <std::size_t N, std::size_t M>
constexpr std::array<double, M * N> coef_table() {
    std::array<double, M * N> t{};
    for (std::size_t j = 0; j < M; ++j)
        for (std::size_t i = 0; i < N; ++i) t[j * N + i] = static_cast<double>(coef(i, j));
    return t;
}

template <std::size_t N, std::size_t J>
constexpr auto output() {
    return tg::var<J % N>{} * sin(linear<N, J>(std::make_index_sequence<N>{}));
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

    static constexpr std::array<double, M * N> c = coef_table<N, M>();

    // What an expert writes: s_j summed in the same order, one sin and one cos per
    // output (-fno-math-errno lets them become one sincos), the common factor
    // x_k cos(s_j) formed once per row, the coefficients from a constant table.
    BENCH_INLINE static result hand(std::array<double, N> const& x) {
        result r;
        for (std::size_t j = 0; j < M; ++j) {
            double const* cj = c.data() + j * N;
            double s = cj[0] * x[0];
            for (std::size_t i = 1; i < N; ++i) s += cj[i] * x[i];
            double const sv = std::sin(s);
            double const cv = std::cos(s);
            std::size_t const k = j % N;
            double const a = x[k] * cv;
            r.value[j] = x[k] * sv;
            for (std::size_t i = 0; i < N; ++i) r.jacobian(j, i) = cj[i] * a;
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

template <class Case, class Variant>
bool check_variant() {
    for (auto const& x : make_points<Case>()) {
        auto const want = Case::hand(x);
        auto const got = Variant::template run<Case>(x);
        if (!same(got, want)) {
            std::fprintf(stderr, "MISMATCH %s %s at x[0] = %.17g\n", Case::name().c_str(), Variant::name, x[0]);
            return false;
        }
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

template <class Case, class Variant>
void bm_case(benchmark::State& state) {
    auto const pts = make_points<Case>();
    std::size_t i = 0;
    for (auto _ : state) {
        auto r = Variant::template run<Case>(pts[i]);
        benchmark::DoNotOptimize(r);
        i = (i + 1) & (point_count - 1);
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

/// Prints as the console reporter does and keeps the fastest time per benchmark.
class capturing_reporter : public benchmark::ConsoleReporter {
public:
    capturing_reporter() : ConsoleReporter(OO_Tabular) {}

    std::map<std::string, double> best_ns;

    void ReportRuns(std::vector<Run> const& runs) override {
        for (auto const& r : runs) {
            if (r.run_type != Run::RT_Iteration || r.error_occurred || r.iterations == 0) continue;
            double const ns = r.cpu_accumulated_time / static_cast<double>(r.iterations) * 1e9;
            std::string const name = r.run_name.function_name;
            auto const it = best_ns.find(name);
            if (it == best_ns.end() || ns < it->second) best_ns[name] = ns;
        }
        ConsoleReporter::ReportRuns(runs);
    }
};

void print_ratios(capturing_reporter const& rep) {
    auto time_of = [&](std::string const& c, std::string const& v) {
        auto const it = rep.best_ns.find(c + "/" + v);
        return it == rep.best_ns.end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
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

}  // namespace

int main(int argc, char** argv) {
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

    capturing_reporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    print_ratios(reporter);
    benchmark::Shutdown();
    return 0;
}
