// benchmarks/arrays.cpp: the CPU array executor against hand-written loops and memcpy.
//
//   (a) map-derivative  y = a x + b with dy/dx and dy/da over 1e7 doubles (read 8 bytes,
//                       write 24 per element), against memcpy of the same 32 bytes per
//                       element: the fraction of copy bandwidth reached.
//   (b) pointwise-jac   f = x y sin(z) + exp(x z) and its three partials at 1e6 points,
//                       against the hand-written loop.
//   (c) p3-gradient     logistic-regression loss and gradient X (s(w^T X) - t) for
//                       K = 100, N = 1000 (REFERENCE_PROBLEMS.md P3), against the
//                       hand-written two-pass loop.
// Results are checked against the hand-written ones before timing (exit 1 on a
// mismatch). After the runs it prints the ratios measured in this same run and, with
// --csv=FILE, writes them as CSV (benchmark, variant, elements, ns, ratio_to_reference);
// benchmarks/peers_arrays.py writes the same columns for PyTorch and JAX.
// --small shrinks every size (the CTest smoke run). Single-threaded, like the loops it
// is compared with; compile flags: -O3 -fno-math-errno (see CMakeLists.txt).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "best_time_reporter.hpp"

#include <typegrad/typegrad.hpp>

namespace {

namespace tg = typegrad;

std::size_t map_size = 10'000'000;
std::size_t jac_size = 1'000'000;
std::size_t p3_k = 100, p3_n = 1000;

std::vector<double> random_vector(std::size_t n, std::uint64_t seed, double lo = -1.0, double hi = 1.0) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(lo, hi);
    std::vector<double> v(n);
    for (auto& x : v) x = u(rng);
    return v;
}

// ---------------------------------------------------------------------------
// (a) memory-bound map with derivatives.

struct map_data {
    std::vector<double> x, y, dx, da, copy_src, copy_dst;
    double a = 1.5, b = -0.25;
    map_data()
        : x(random_vector(map_size, 1)), y(map_size), dx(map_size), da(map_size), copy_src(2 * map_size, 1.0),
          copy_dst(2 * map_size) {}
};
map_data& md() {
    static map_data d;
    return d;
}

auto const [mx, ma, mb] = tg::vars<"x", "a", "b">();
auto const affine = ma * mx + mb;

void map_typegrad(map_data& d) { tg::map(affine, tg::with_partials(d.y, d.dx, d.da, tg::skip), d.x, d.a, d.b); }
void map_hand(map_data& d) {
    double const* __restrict x = d.x.data();
    double* __restrict y = d.y.data();
    double* __restrict dx = d.dx.data();
    double* __restrict da = d.da.data();
    std::size_t const n = d.x.size();
    for (std::size_t i = 0; i < n; ++i) {
        y[i] = d.a * x[i] + d.b;
        dx[i] = d.a;
        da[i] = x[i];
    }
}
void map_memcpy(map_data& d) { std::memcpy(d.copy_dst.data(), d.copy_src.data(), d.copy_src.size() * sizeof(double)); }

// ---------------------------------------------------------------------------
// (b) compute-bound pointwise Jacobian.

struct jac_data {
    std::vector<double> x, y, z, v, dx, dy, dz;
    jac_data()
        : x(random_vector(jac_size, 2)), y(random_vector(jac_size, 3)), z(random_vector(jac_size, 4)), v(jac_size),
          dx(jac_size), dy(jac_size), dz(jac_size) {}
};
jac_data& jd() {
    static jac_data d;
    return d;
}

auto const [jx, jy, jz] = tg::vars<"x", "y", "z">();
auto const pointwise = jx * jy * sin(jz) + exp(jx * jz);

void jac_typegrad(jac_data& d) { tg::map(pointwise, tg::with_partials(d.v, d.dx, d.dy, d.dz), d.x, d.y, d.z); }
void jac_hand(jac_data& d) {
    std::size_t const n = d.x.size();
    double const* __restrict x = d.x.data();
    double const* __restrict y = d.y.data();
    double const* __restrict z = d.z.data();
    double* __restrict v = d.v.data();
    double* __restrict dx = d.dx.data();
    double* __restrict dy = d.dy.data();
    double* __restrict dz = d.dz.data();
    for (std::size_t i = 0; i < n; ++i) {
        double const s = std::sin(z[i]), c = std::cos(z[i]), e = std::exp(x[i] * z[i]);
        double const xy = x[i] * y[i];
        v[i] = xy * s + e;
        dx[i] = y[i] * s + z[i] * e;
        dy[i] = x[i] * s;
        dz[i] = xy * c + x[i] * e;
    }
}

// ---------------------------------------------------------------------------
// (c) P3: logistic-regression loss and gradient.

struct p3_data {
    std::vector<double> X, w, t, grad, u;
    double loss = 0;
    p3_data() : X(random_vector(p3_k * p3_n, 5)), w(random_vector(p3_k, 6, -0.1, 0.1)), t(p3_n), grad(p3_k), u(p3_n) {
        auto const r = random_vector(p3_n, 7);
        for (std::size_t n = 0; n < p3_n; ++n) t[n] = r[n] > 0 ? 1.0 : 0.0;
    }
};
p3_data& pd() {
    static p3_data d;
    return d;
}

auto const [pw, px, pt] = tg::vars<"w", "x", "t">();
auto const p3_s = sigmoid(tg::dot(pw, px));
auto const p3_loss = -(pt * log(p3_s) + (1.0 - pt) * log(1.0 - p3_s));

void p3_typegrad(p3_data& d) {
    d.loss = tg::sum(p3_loss, tg::gradient_to(d.grad, tg::skip, tg::skip), d.w,
                     tg::transposed(tg::view(d.X.data(), p3_k, p3_n)), d.t);
}
// What the course's vectorised version does, as loops: u = w^T X; r = s(u) - t; X r.
void p3_hand(p3_data& d) {
    std::size_t const K = p3_k, N = p3_n;
    double const* __restrict X = d.X.data();
    double* __restrict u = d.u.data();
    std::fill(u, u + N, 0.0);
    for (std::size_t k = 0; k < K; ++k)
        for (std::size_t n = 0; n < N; ++n) u[n] += d.w[k] * X[k * N + n];
    double loss = 0;
    for (std::size_t n = 0; n < N; ++n) {
        double const s = 1 / (1 + std::exp(-u[n]));
        loss -= d.t[n] * std::log(s) + (1 - d.t[n]) * std::log(1 - s);
        u[n] = s - d.t[n];
    }
    for (std::size_t k = 0; k < K; ++k) {
        double g = 0;
        for (std::size_t n = 0; n < N; ++n) g += X[k * N + n] * u[n];
        d.grad[k] = g;
    }
    d.loss = loss;
}

// ---------------------------------------------------------------------------
// Checks.

bool near(double a, double b, double rel) { return std::abs(a - b) <= rel * std::max({1.0, std::abs(a), std::abs(b)}); }

bool check_all() {
    bool ok = true;
    {
        auto& d = md();
        map_hand(d);
        auto const y = d.y, dx = d.dx, da = d.da;
        map_typegrad(d);
        ok = ok && y == d.y && dx == d.dx && da == d.da;
    }
    {
        auto& d = jd();
        jac_hand(d);
        auto const v = d.v, dx = d.dx, dy = d.dy, dz = d.dz;
        jac_typegrad(d);
        for (std::size_t i = 0; i < d.v.size(); ++i)
            ok = ok && near(v[i], d.v[i], 1e-14) && near(dx[i], d.dx[i], 1e-14) && near(dy[i], d.dy[i], 1e-14) &&
                 near(dz[i], d.dz[i], 1e-14);
    }
    {
        auto& d = pd();
        p3_hand(d);
        auto const g = d.grad;
        double const l = d.loss;
        p3_typegrad(d);
        ok = ok && near(l, d.loss, 1e-12);
        for (std::size_t k = 0; k < g.size(); ++k) ok = ok && near(g[k], d.grad[k], 1e-11);
    }
    return ok;
}

// ---------------------------------------------------------------------------
// Registration, ratios, CSV.

template <class Data, void (*Fn)(Data&), Data& (*Get)()>
void bm(benchmark::State& state) {
    Data& d = Get();
    for (auto _ : state) {
        Fn(d);
        benchmark::ClobberMemory();
    }
}

struct row {
    char const* bench;
    char const* variant;
    char const* reference;
    std::size_t elements;
};
row const rows[] = {
    {"map-derivative", "typegrad", "memcpy", 0},  {"map-derivative", "hand", "memcpy", 0},
    {"pointwise-jacobian", "typegrad", "hand", 0}, {"p3-gradient", "typegrad", "hand", 0},
};

}  // namespace

int main(int argc, char** argv) {
    std::string csv;
    std::vector<char*> args;
    for (int i = 0; i < argc; ++i) {
        std::string const a = argv[i];
        if (a == "--small") {
            map_size = 100'000;
            jac_size = 10'000;
        } else if (a.rfind("--csv=", 0) == 0)
            csv = a.substr(6);
        else
            args.push_back(argv[i]);
    }
    int n = static_cast<int>(args.size());
    benchmark::Initialize(&n, args.data());
    if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;
    if (!check_all()) {
        std::fprintf(stderr, "typegrad's results differ from the hand-written ones; not timing\n");
        return 1;
    }
    benchmark::RegisterBenchmark("map-derivative/memcpy", bm<map_data, map_memcpy, md>)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("map-derivative/hand", bm<map_data, map_hand, md>)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("map-derivative/typegrad", bm<map_data, map_typegrad, md>)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("pointwise-jacobian/hand", bm<jac_data, jac_hand, jd>)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("pointwise-jacobian/typegrad", bm<jac_data, jac_typegrad, jd>)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("p3-gradient/hand", bm<p3_data, p3_hand, pd>)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("p3-gradient/typegrad", bm<p3_data, p3_typegrad, pd>)->Unit(benchmark::kMicrosecond);
    bench::best_time_reporter reporter(bench::timing::wall);
    benchmark::RunSpecifiedBenchmarks(&reporter);

    auto time_of = [&](std::string const& b, std::string const& v) {
        return reporter.ns(b + "/" + v);
    };
    std::size_t const elements[] = {map_size, map_size, jac_size, p3_k * p3_n};
    std::printf("\nwall time per call (fastest repetition), same run:\n");
    std::printf("%-20s %-10s %14s %10s %14s\n", "benchmark", "variant", "ns", "reference", "ratio");
    FILE* out = csv.empty() ? nullptr : std::fopen(csv.c_str(), "w");
    if (out) std::fprintf(out, "benchmark,variant,elements,ns,reference,ratio_to_reference\n");
    std::size_t k = 0;
    for (auto const& r : rows) {
        double const t = time_of(r.bench, r.variant), ref = time_of(r.bench, r.reference);
        // For the copy reference the ratio is the fraction of copy bandwidth reached.
        double const ratio = std::string(r.reference) == "memcpy" ? ref / t : t / ref;
        std::printf("%-20s %-10s %14.0f %10s %14.3f%s\n", r.bench, r.variant, t, r.reference, ratio,
                    std::string(r.reference) == "memcpy" ? "  (of copy bandwidth)" : "  (time / hand)");
        if (out) std::fprintf(out, "%s,%s,%zu,%.1f,%s,%.4f\n", r.bench, r.variant, elements[k], t, r.reference, ratio);
        ++k;
    }
    if (out) std::fclose(out);
    benchmark::Shutdown();
    return 0;
}
