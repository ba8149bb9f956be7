// benchmarks/programs.cpp: array programs against hand-written code (issue 13's targets).
//
//   p6-sgd-step          P6: one SGD step at batch 5 (gather, value, gradient, update)
//   p6-full-gradient     P6: the full-data (1000 x 100) loss and gradient
//   logsumexp-gradient   log-sum-exp written once, n = 1024 and 10^6
//   rosenbrock-gradient  Rosenbrock by slices, n = 256 and 10^6
//   normal-loglik-gradient  sum of normal log-densities of 1024 points in (mu, sigma)
//   logistic-nll-gradient   sum softplus(X w) - t (X w), X of 1000 x 100 and 10^6 x 100
// The references are benchmarks/hand/ (with CBLAS where a product is involved, "the same
// BLAS" as typegrad::blas gives typegrad). Every typegrad result is checked against its
// reference before timing (exit 1 on a mismatch). After the runs it prints the ratio
// typegrad / hand measured in this same run and, with --csv=FILE, writes
// benchmark, variant, elements, ns, ratio_to_reference (the columns of peers_programs.py).
// --small shrinks every size (the CTest smoke run). One thread; OpenBLAS is asked for
// one thread too (OPENBLAS_NUM_THREADS=1 is set before it starts).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "best_time_reporter.hpp"
#include "hand/logistic_nll.hpp"
#include "hand/logsumexp.hpp"
#include "hand/mlp.hpp"
#include "hand/normal_loglik.hpp"
#include "hand/rosenbrock.hpp"

#include <typegrad/typegrad.hpp>

#include "../examples/support/p6_data.hpp"

namespace {

namespace tg = typegrad;

#if defined(TYPEGRAD_HAND_CBLAS)
using dense = hand::cblas;
#else
using dense = hand::loops;
#endif

bool small = false;
int failures = 0;

std::vector<double> random_vector(std::size_t n, std::uint64_t seed, double lo = -1.0, double hi = 1.0) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(lo, hi);
    std::vector<double> v(n);
    for (auto& x : v) x = u(rng);
    return v;
}

void check(char const* what, double got, double want, double tol = 1e-9) {
    if (!(std::abs(got - want) <= tol * std::max(1.0, std::abs(want)))) {
        std::printf("MISMATCH %s: typegrad %.17g, hand %.17g\n", what, got, want);
        ++failures;
    }
}
void check(char const* what, std::vector<double> const& got, std::vector<double> const& want, double tol = 1e-9) {
    for (std::size_t i = 0; i < want.size(); ++i)
        if (!(std::abs(got[i] - want[i]) <= tol * std::max(1.0, std::abs(want[i])))) {
            std::printf("MISMATCH %s[%zu]: typegrad %.17g, hand %.17g\n", what, i, got[i], want[i]);
            ++failures;
            return;
        }
}

// ---------------------------------------------------------------------------
// P6.

auto const p6_vars = tg::vars<"X", "W1", "b1", "W2", "b2", "y", "rows">();
auto const& [pX, pW1, pb1, pW2, pb2, py, prows] = p6_vars;
auto p6_model(auto const& x) { return relu(tg::matmul(relu(tg::matmul(x, pW1) + pb1), pW2) + pb2); }
auto const p6_full = tg::mean(tg::square(p6_model(pX) - py));
auto const p6_batch = tg::mean(tg::square(p6_model(tg::take(pX, prows)) - tg::take(py, prows)));

struct p6_state {
    example_data::p6_problem p = example_data::make_p6_problem(6);
    std::ptrdiff_t N = static_cast<std::ptrdiff_t>(p.rows), K = static_cast<std::ptrdiff_t>(p.inputs),
                   H = static_cast<std::ptrdiff_t>(p.hidden);
    std::vector<double> gW1 = std::vector<double>(p.W1.size()), gb1 = std::vector<double>(p.b1.size()),
                        gW2 = std::vector<double>(p.W2.size()), gb2 = std::vector<double>(1);
    std::vector<long> rows = std::vector<long>(5);
    tg::workspace ws;
    hand::mlp_workspace hws{p.rows, {p.inputs, p.hidden}};
    std::mt19937_64 rng{7};
    double full_gradient() {
        return tg::gradient(ws, p6_full, tg::gradient_to(tg::skip, tg::view(gW1.data(), K, H), gb1, tg::view(gW2.data(), H, 1), gb2, tg::skip),
                            tg::view(p.X.data(), N, K), tg::view(p.W1.data(), K, H), p.b1, tg::view(p.W2.data(), H, 1),
                            p.b2, tg::view(p.y.data(), N, 1));
    }
    double sgd_step() {
        for (auto& r : rows) r = static_cast<long>(example_data::draw_index(rng, p.rows));
        double const L =
            tg::gradient(ws, p6_batch, tg::gradient_to(tg::skip, tg::view(gW1.data(), K, H), gb1, tg::view(gW2.data(), H, 1), gb2, tg::skip, tg::skip),
                         tg::view(p.X.data(), N, K), tg::view(p.W1.data(), K, H), p.b1, tg::view(p.W2.data(), H, 1),
                         p.b2, tg::view(p.y.data(), N, 1), rows);
        for (std::size_t i = 0; i < gW1.size(); ++i) p.W1[i] -= 0.05 * gW1[i];
        for (std::size_t i = 0; i < gb1.size(); ++i) p.b1[i] -= 0.05 * gb1[i], p.W2[i] -= 0.05 * gW2[i];
        p.b2[0] -= 0.05 * gb2[0];
        return L;
    }
    double hand_full_gradient() {
        return hand::mlp_value_and_gradient<dense>(p.X.data(), p.y.data(), p.rows, {p.W1.data(), p.b1.data(), p.W2.data(), p.b2.data()},
                                                   {gW1.data(), gb1.data(), gW2.data(), gb2.data()}, hws);
    }
    double hand_sgd_step() {
        return hand::mlp_sgd_step<dense>(p.X.data(), p.y.data(), p.rows, 5, 0.05, rng,
                                         {p.W1.data(), p.b1.data(), p.W2.data(), p.b2.data()}, hws);
    }
};
p6_state& p6() {
    static p6_state s;
    return s;
}

void check_p6() {
    auto& s = p6();
    double const L = s.full_gradient();
    auto const tW1 = s.gW1, tb1 = s.gb1, tW2 = s.gW2, tb2 = s.gb2;
    double const H = s.hand_full_gradient();
    check("p6 full loss", L, H, 1e-12);
    check("p6 dW1", tW1, s.gW1, 1e-10);
    check("p6 db1", tb1, s.gb1, 1e-10);
    check("p6 dW2", tW2, s.gW2, 1e-10);
    check("p6 db2", tb2, s.gb2, 1e-10);
    // One SGD step each from the same weights and the same rows.
    auto const saved = s.p;
    s.rng.seed(11);
    double const a = s.sgd_step();
    auto const after_tg = s.p.W1;
    s.p = saved;
    s.rng.seed(11);
    double const b = s.hand_sgd_step();
    check("p6 sgd batch loss", a, b, 1e-12);
    check("p6 sgd W1 after the step", after_tg, s.p.W1, 1e-12);
    s.p = saved;
}

void BM_p6_step_typegrad(benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(p6().sgd_step());
}
void BM_p6_step_hand(benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(p6().hand_sgd_step());
}
void BM_p6_full_typegrad(benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(p6().full_gradient());
}
void BM_p6_full_hand(benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(p6().hand_full_gradient());
}

// ---------------------------------------------------------------------------
// log-sum-exp, Rosenbrock, the normal log-likelihood.

auto const [lx] = tg::vars<"x">();
auto const lse = tg::logsumexp(lx);
// The same written once from smaller operations (the form).
auto const lse_written = log(tg::sum(exp(lx - tg::max(lx)))) + tg::max(lx);
auto const rosen = tg::sum(100.0 * tg::square(tg::slice(lx, 1, tg::end) - tg::square(tg::slice(lx, 0, tg::end - 1))) +
                           tg::square(1.0 - tg::slice(lx, 0, tg::end - 1)));
auto const [nd, nmu, nsigma] = tg::vars<"d", "mu", "sigma">();
auto const nz = (nd - nmu) / nsigma;
auto const loglik = tg::sum(-log(nsigma) - 0.91893853320467274 - 0.5 * nz * nz);

struct vector_state {
    std::vector<double> x, g, scratch;
    tg::workspace ws;
    explicit vector_state(std::size_t n, std::uint64_t seed, double lo, double hi)
        : x(random_vector(n, seed, lo, hi)), g(n), scratch(n) {}
};
std::map<std::string, vector_state*> vectors;
vector_state& vec(std::string const& name, std::size_t n, double lo = -2.0, double hi = 2.0) {
    auto& p = vectors[name + std::to_string(n)];
    if (!p) p = new vector_state(n, n, lo, hi);
    return *p;
}

std::size_t lse_small = 1024, lse_large = 1'000'000, rosen_small = 256, rosen_large = 1'000'000, normal_n = 1024;

template <std::size_t* N>
void BM_lse_typegrad(benchmark::State& st) {
    auto& v = vec("lse", *N);
    for (auto _ : st) benchmark::DoNotOptimize(tg::gradient(v.ws, lse, tg::gradient_to(v.g), v.x));
}
template <std::size_t* N>
void BM_lse_hand(benchmark::State& st) {
    auto& v = vec("lse", *N);
    for (auto _ : st) benchmark::DoNotOptimize(hand::logsumexp_gradient(v.x.data(), v.x.size(), v.g.data()));
}
template <std::size_t* N>
void BM_lse_written_typegrad(benchmark::State& st) {
    auto& v = vec("lse", *N);
    for (auto _ : st) benchmark::DoNotOptimize(tg::gradient(v.ws, lse_written, tg::gradient_to(v.g), v.x));
}
template <std::size_t* N>
void BM_rosen_typegrad(benchmark::State& st) {
    auto& v = vec("rosen", *N, -1.5, 1.5);
    for (auto _ : st) benchmark::DoNotOptimize(tg::gradient(v.ws, rosen, tg::gradient_to(v.g), v.x));
}
template <std::size_t* N>
void BM_rosen_hand(benchmark::State& st) {
    auto& v = vec("rosen", *N, -1.5, 1.5);
    for (auto _ : st) benchmark::DoNotOptimize(hand::rosenbrock_gradient(v.x.data(), v.x.size(), v.g.data()));
}
void BM_normal_typegrad(benchmark::State& st) {
    auto& v = vec("normal", normal_n, -3.0, 5.0);
    double gm = 0, gs = 0;
    for (auto _ : st) {
        benchmark::DoNotOptimize(tg::gradient(v.ws, loglik, tg::gradient_to(tg::skip, gm, gs), v.x, 0.7, 1.9));
        benchmark::DoNotOptimize(gm + gs);
    }
}
// The gradient as a hand would write the program as given: one pass, z per point.
inline hand::normal_loglik_result normal_as_written(double const* d, std::size_t n, double mu, double sigma) {
    double v = 0, gm = 0, gs = 0;
    double const ls = std::log(sigma);
    for (std::size_t i = 0; i < n; ++i) {
        double const z = (d[i] - mu) / sigma;
        v += -ls - 0.91893853320467274 - 0.5 * z * z;
        gm += z / sigma;
        gs += z * z / sigma - 1.0 / sigma;
    }
    return {v, gm, gs};
}
void BM_normal_hand_as_written(benchmark::State& st) {
    auto& v = vec("normal", normal_n, -3.0, 5.0);
    for (auto _ : st) benchmark::DoNotOptimize(normal_as_written(v.x.data(), v.x.size(), 0.7, 1.9));
}
void BM_normal_hand(benchmark::State& st) {
    auto& v = vec("normal", normal_n, -3.0, 5.0);
    for (auto _ : st) benchmark::DoNotOptimize(hand::normal_loglik_gradient(v.x.data(), v.x.size(), 0.7, 1.9));
}

void check_vectors() {
    for (std::size_t n : {lse_small, lse_large}) {
        auto& v = vec("lse", n);
        double const L = tg::gradient(lse, tg::gradient_to(v.g), v.x);
        auto const g = v.g;
        double const H = hand::logsumexp_gradient(v.x.data(), n, v.g.data());
        check("logsumexp", L, H, 1e-13);
        check("logsumexp gradient", g, v.g, 1e-12);
        double const L2 = tg::gradient(lse_written, tg::gradient_to(v.g), v.x);
        check("logsumexp written once", L2, H, 1e-13);
        check("logsumexp written once, gradient", g, v.g, 1e-12);
    }
    for (std::size_t n : {rosen_small, rosen_large}) {
        auto& v = vec("rosen", n, -1.5, 1.5);
        double const L = tg::gradient(rosen, tg::gradient_to(v.g), v.x);
        auto const g = v.g;
        double const H = hand::rosenbrock_gradient(v.x.data(), n, v.g.data());
        check("rosenbrock", L, H, 1e-12);
        check("rosenbrock gradient", g, v.g, 1e-12);
    }
    auto& v = vec("normal", normal_n, -3.0, 5.0);
    double gm = 0, gs = 0;
    double const L = tg::gradient(loglik, tg::gradient_to(tg::skip, gm, gs), v.x, 0.7, 1.9);
    auto const h = hand::normal_loglik_gradient(v.x.data(), normal_n, 0.7, 1.9);
    check("normal loglik", L, h.value, 1e-12);
    check("normal d mu", gm, h.d_mu, 1e-12);
    check("normal d sigma", gs, h.d_sigma, 1e-12);
}

// ---------------------------------------------------------------------------
// Logistic-regression negative log-likelihood.

auto const [lX, lw, lt] = tg::vars<"X", "w", "t">();
auto const lz = tg::matmul(lX, lw);
auto const nll = tg::sum(softplus(lz) - lt * lz);

struct logistic_state {
    std::size_t n, k = 100;
    std::vector<double> X, t, w, g, z;
    tg::workspace ws;
    explicit logistic_state(std::size_t rows) : n(rows), X(random_vector(rows * 100, 31)), t(rows), w(random_vector(100, 32, -0.2, 0.2)), g(100), z(rows) {
        std::mt19937_64 rng(33);
        for (auto& v : t) v = static_cast<double>(rng() % 2);
    }
    double typegrad() {
        return tg::gradient(ws, nll, tg::gradient_to(tg::skip, g, tg::skip), tg::view(X.data(), static_cast<std::ptrdiff_t>(n), 100), w, t);
    }
    double by_hand() { return hand::logistic_nll_gradient<dense>(X.data(), t.data(), w.data(), n, k, z.data(), g.data()); }
    double by_hand_fused() { return hand::logistic_nll_gradient_fused(X.data(), t.data(), w.data(), n, k, g.data()); }
};
std::size_t logistic_small = 1000, logistic_large = 1'000'000;
std::map<std::size_t, logistic_state*> logistics;
logistic_state& logistic(std::size_t n) {
    auto& p = logistics[n];
    if (!p) p = new logistic_state(n);
    return *p;
}
void check_logistic() {
    for (std::size_t n : {logistic_small, logistic_large}) {
        auto& s = logistic(n);
        double const L = s.typegrad();
        auto const g = s.g;
        double const H = s.by_hand();
        check("logistic nll", L, H, 1e-12);
        check("logistic gradient", g, s.g, 1e-10);
    }
}
template <std::size_t* N>
void BM_logistic_typegrad(benchmark::State& st) {
    auto& s = logistic(*N);
    for (auto _ : st) benchmark::DoNotOptimize(s.typegrad());
}
template <std::size_t* N>
void BM_logistic_hand(benchmark::State& st) {
    auto& s = logistic(*N);
    for (auto _ : st) benchmark::DoNotOptimize(s.by_hand());
}
template <std::size_t* N>
void BM_logistic_hand_fused(benchmark::State& st) {
    auto& s = logistic(*N);
    for (auto _ : st) benchmark::DoNotOptimize(s.by_hand_fused());
}

struct row {
    char const* benchmark;
    std::size_t elements;
    char const* typegrad;
    char const* hand;
    char const* hand_variant;
};

}  // namespace

int main(int argc, char** argv) {
    setenv("OPENBLAS_NUM_THREADS", "1", 1);
    std::string csv;
    std::vector<char*> args;
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], "--small") == 0)
            small = true;
        else if (std::strncmp(argv[i], "--csv=", 6) == 0)
            csv = argv[i] + 6;
        else
            args.push_back(argv[i]);
    }
    if (small) lse_large = 4096, rosen_large = 4096, logistic_large = 2000;
    check_p6();
    check_vectors();
    check_logistic();
    if (failures) return 1;

    benchmark::RegisterBenchmark("p6_step_typegrad", BM_p6_step_typegrad);
    benchmark::RegisterBenchmark("p6_step_hand", BM_p6_step_hand);
    benchmark::RegisterBenchmark("p6_full_typegrad", BM_p6_full_typegrad);
    benchmark::RegisterBenchmark("p6_full_hand", BM_p6_full_hand);
    benchmark::RegisterBenchmark("lse_small_typegrad", BM_lse_typegrad<&lse_small>);
    benchmark::RegisterBenchmark("lse_small_hand", BM_lse_hand<&lse_small>);
    benchmark::RegisterBenchmark("lse_large_typegrad", BM_lse_typegrad<&lse_large>);
    benchmark::RegisterBenchmark("lse_large_hand", BM_lse_hand<&lse_large>);
    benchmark::RegisterBenchmark("lse_written_small_typegrad", BM_lse_written_typegrad<&lse_small>);
    benchmark::RegisterBenchmark("lse_written_large_typegrad", BM_lse_written_typegrad<&lse_large>);
    benchmark::RegisterBenchmark("rosen_small_typegrad", BM_rosen_typegrad<&rosen_small>);
    benchmark::RegisterBenchmark("rosen_small_hand", BM_rosen_hand<&rosen_small>);
    benchmark::RegisterBenchmark("rosen_large_typegrad", BM_rosen_typegrad<&rosen_large>);
    benchmark::RegisterBenchmark("rosen_large_hand", BM_rosen_hand<&rosen_large>);
    benchmark::RegisterBenchmark("normal_typegrad", BM_normal_typegrad);
    benchmark::RegisterBenchmark("normal_hand", BM_normal_hand);
    benchmark::RegisterBenchmark("normal_hand_as_written", BM_normal_hand_as_written);
    benchmark::RegisterBenchmark("logistic_small_typegrad", BM_logistic_typegrad<&logistic_small>);
    benchmark::RegisterBenchmark("logistic_small_hand", BM_logistic_hand<&logistic_small>);
    benchmark::RegisterBenchmark("logistic_small_hand_fused", BM_logistic_hand_fused<&logistic_small>);
    benchmark::RegisterBenchmark("logistic_large_typegrad", BM_logistic_typegrad<&logistic_large>);
    benchmark::RegisterBenchmark("logistic_large_hand", BM_logistic_hand<&logistic_large>);
    benchmark::RegisterBenchmark("logistic_large_hand_fused", BM_logistic_hand_fused<&logistic_large>);
    int n = static_cast<int>(args.size());
    benchmark::Initialize(&n, args.data());
    bench::best_time_reporter reporter(bench::timing::wall);
    benchmark::RunSpecifiedBenchmarks(&reporter);

    row const rows[] = {
        {"p6-sgd-step", 500, "p6_step_typegrad", "p6_step_hand", "hand"},
        {"p6-full-gradient", 100000, "p6_full_typegrad", "p6_full_hand", "hand"},
        {"logsumexp-gradient", lse_small, "lse_small_typegrad", "lse_small_hand", "hand"},
        {"logsumexp-gradient", lse_large, "lse_large_typegrad", "lse_large_hand", "hand"},
        {"logsumexp-written-gradient", lse_small, "lse_written_small_typegrad", "lse_small_hand", "hand"},
        {"logsumexp-written-gradient", lse_large, "lse_written_large_typegrad", "lse_large_hand", "hand"},
        {"rosenbrock-gradient", rosen_small, "rosen_small_typegrad", "rosen_small_hand", "hand"},
        {"rosenbrock-gradient", rosen_large, "rosen_large_typegrad", "rosen_large_hand", "hand"},
        {"normal-loglik-gradient", normal_n, "normal_typegrad", "normal_hand", "hand"},
        {"normal-loglik-gradient", normal_n, "normal_typegrad", "normal_hand_as_written", "hand-as-written"},
        {"logistic-nll-gradient", logistic_small * 100, "logistic_small_typegrad", "logistic_small_hand", "hand"},
        {"logistic-nll-gradient", logistic_small * 100, "logistic_small_typegrad", "logistic_small_hand_fused", "hand-fused"},
        {"logistic-nll-gradient", logistic_large * 100, "logistic_large_typegrad", "logistic_large_hand", "hand"},
        {"logistic-nll-gradient", logistic_large * 100, "logistic_large_typegrad", "logistic_large_hand_fused", "hand-fused"},
    };
    std::printf("\n%-24s %10s %14s %14s %10s  (%s)\n", "benchmark", "elements", "typegrad ns", "reference ns",
                "ratio", "reference");
    std::FILE* out = csv.empty() ? nullptr : std::fopen(csv.c_str(), "w");
    if (out) std::fprintf(out, "benchmark,variant,elements,ns,ratio_to_reference\n");
    for (auto const& r : rows) {
        double const t = reporter.ns(r.typegrad), h = reporter.ns(r.hand);
        std::printf("%-24s %10zu %14.0f %14.0f %10.3f  (%s)\n", r.benchmark, r.elements, t, h, t / h, r.hand_variant);
        if (out) {
            std::fprintf(out, "%s,%s,%zu,%.1f,1.0\n", r.benchmark, r.hand_variant, r.elements, h);
            std::fprintf(out, "%s,typegrad/%s,%zu,%.1f,%.4f\n", r.benchmark, r.hand_variant, r.elements, t, t / h);
        }
    }
    if (out) std::fclose(out);
    return 0;
}
