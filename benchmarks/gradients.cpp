// benchmarks/gradients.cpp: typegrad (reverse and forward) against hand-written
// value-and-gradient code, with Google Benchmark.
//
// Before timing, every variant is checked against the hand-written gradient on
// every benchmark point; a mismatch makes the program exit with status 1 (the
// CTest test runs it with --benchmark_min_time=0.001). After the runs it prints
// the ratio typegrad / hand-written measured in this same run (the fastest
// repetition of each, so --benchmark_repetitions=N makes it robust to noise).
//
//   ./build/benchmarks/gradients
//   ./build/benchmarks/gradients --benchmark_repetitions=10 --benchmark_enable_random_interleaving=true
#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "best_time_reporter.hpp"

#include "cases.hpp"

namespace {

// A power of two, small enough to stay in L1 for every case (32 x 33 doubles x 2).
constexpr std::size_t point_count = 64;

template <class Case, class Variant>
void bm_gradient(benchmark::State& state) {
    auto const pts = bench::make_points<Case>(point_count);
    std::size_t i = 0;
    for (auto _ : state) {
        auto r = Variant::template run<Case>(pts[i]);
        benchmark::DoNotOptimize(r);
        i = (i + 1) & (point_count - 1);
    }
    state.SetItemsProcessed(state.iterations());
}

// ---------------------------------------------------------------------------
// Checks: every variant against the hand-written code, on every point.

template <class Case, class Variant>
bool check_variant() {
    auto const pts = bench::make_points<Case>(point_count);
    for (auto const& x : pts) {
        auto const want = bench::hand::run<Case>(x);
        auto const got = Variant::template run<Case>(x);
        if (!bench::same_result(got, want)) {
            std::fprintf(stderr, "MISMATCH %s %s at x[0] = %.17g: value %.17g vs %.17g\n", Case::name,
                         Variant::name, x[0], got.value, want.value);
            for (std::size_t k = 0; k < Case::n; ++k)
                std::fprintf(stderr, "  g[%zu] = %.17g vs %.17g\n", k, got.gradient[k], want.gradient[k]);
            return false;
        }
    }
    return true;
}

template <class Case>
bool check_case() {
    bool const ok = check_variant<Case, bench::typegrad_reverse>() && check_variant<Case, bench::typegrad_forward>();
    std::printf("check %-13s typegrad reverse and forward == hand-written on %zu points: %s\n", Case::name,
                point_count, ok ? "ok" : "FAILED");
    return ok;
}

// ---------------------------------------------------------------------------
// Registration and the ratio table.

std::vector<std::string> case_names;

template <class Case, class... Variants>
void register_case() {
    case_names.emplace_back(Case::name);
    (benchmark::RegisterBenchmark((std::string(Case::name) + "/" + Variants::name).c_str(),
                                  &bm_gradient<Case, Variants>),
     ...);
}

void print_ratios(bench::best_time_reporter const& rep) {
    auto time_of = [&](std::string const& c, char const* v) {
        return rep.ns(c + "/" + v);
    };
    std::printf("\nns per gradient (CPU time, fastest repetition) and ratio to hand-written, same run:\n");
    std::printf("%-13s %10s %10s %10s %10s %14s %14s\n", "case", "hand", "reverse", "forward", "hand-closed",
                "reverse/hand", "forward/hand");
    for (auto const& c : case_names) {
        double const h = time_of(c, "hand");
        double const r = time_of(c, "typegrad-reverse");
        double const f = time_of(c, "typegrad-forward");
        double const hc = time_of(c, "hand-closed");
        char closed[32] = "-";
        if (hc == hc) std::snprintf(closed, sizeof closed, "%10.2f", hc);
        std::printf("%-13s %10.2f %10.2f %10.2f %10s %14.3f %14.3f\n", c.c_str(), h, r, f, closed, r / h, f / h);
    }
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

    using namespace bench;
    bool ok = check_case<p2>() && check_case<p1>() && check_case<rosenbrock<2>>() && check_case<rosenbrock<8>>() &&
              check_case<rosenbrock<16>>() && check_case<rosenbrock<32>>() && check_case<smooth4>() &&
              check_case<pointwise>() && check_case<p1_numbers>() && check_case<rosenbrock_numbers<2>>() &&
              check_case<rosenbrock_numbers<8>>() && check_case<rosenbrock_numbers<16>>() &&
              check_case<rosenbrock_numbers<32>>();
    ok = ok && check_variant<p1, hand_closed>();
    if (!ok) {
        std::fprintf(stderr, "typegrad's gradient differs from the hand-written one; not timing\n");
        return 1;
    }

    register_case<p2, hand, typegrad_reverse, typegrad_forward>();
    register_case<p1, hand, typegrad_reverse, typegrad_forward, hand_closed>();
    register_case<rosenbrock<2>, hand, typegrad_reverse, typegrad_forward>();
    register_case<rosenbrock<8>, hand, typegrad_reverse, typegrad_forward>();
    register_case<rosenbrock<16>, hand, typegrad_reverse, typegrad_forward>();
    register_case<rosenbrock<32>, hand, typegrad_reverse, typegrad_forward>();
    register_case<smooth4, hand, typegrad_reverse, typegrad_forward>();
    register_case<pointwise, hand, typegrad_reverse, typegrad_forward>();
    register_case<p1_numbers, hand, typegrad_reverse, typegrad_forward>();
    register_case<rosenbrock_numbers<2>, hand, typegrad_reverse, typegrad_forward>();
    register_case<rosenbrock_numbers<8>, hand, typegrad_reverse, typegrad_forward>();
    register_case<rosenbrock_numbers<16>, hand, typegrad_reverse, typegrad_forward>();
    register_case<rosenbrock_numbers<32>, hand, typegrad_reverse, typegrad_forward>();

    bench::best_time_reporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    print_ratios(reporter);
    benchmark::Shutdown();
    return 0;
}
