// benchmarks/peers/peer_common.hpp: the driver shared by the peer programs
// (peer_sacado.cpp, peer_adolc.cpp, ...). Each peer computes the full Jacobian of
// the crossover families (../crossover_families.hpp, written once as generic scalar
// code) with its own number type.
//
//   peer_X REFERENCE_FILE [--min-batch S] [--reps R]
//       For every workload: reads typegrad's values and Jacobians at 16 points from
//       REFERENCE_FILE (written by `crossover --reference`), checks the peer's result
//       against them (relative 1e-12, as crossover.cpp), and only then times the peer
//       and the hand-written Jacobian in the same run. Prints CSV rows:
//       library,family,n,m,mode,time_ns,hand_ns,ratio_to_hand,max_rel_diff
//       Exit status 1 if any workload differs (that workload is not timed).
//   peer_X --loop FAMILY N M ITERATIONS [hand]
//       runs the peer (or the hand-written code) in hot_loop, for callgrind.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "../crossover_families.hpp"

namespace peers {

using xover::chain;
using xover::dense;
using xover::stat;

/// The workloads every peer runs (all are cells of the crossover grid).
using workloads = std::tuple<chain<8, 8>, chain<32, 1>, chain<1, 32>, stat<16, 16>, stat<32, 1>, dense<4, 4>,
                             dense<8, 8>>;

struct sample {
    std::vector<double> x, y, jac;
};

using reference_map = std::map<std::string, std::vector<sample>>;

inline std::string key(char const* family, std::size_t n, std::size_t m) {
    return std::string(family) + ":" + std::to_string(n) + ":" + std::to_string(m);
}

inline bool load_reference(char const* path, reference_map& ref) {
    std::ifstream in(path);
    if (!in) return false;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream s(line);
        std::string fam;
        std::size_t n = 0, m = 0;
        if (!(s >> fam >> n >> m)) continue;
        sample smp{std::vector<double>(n), std::vector<double>(m), std::vector<double>(n * m)};
        for (auto& v : smp.x) s >> v;
        for (auto& v : smp.y) s >> v;
        for (auto& v : smp.jac) s >> v;
        if (!s) return false;
        ref[key(fam.c_str(), n, m)].push_back(std::move(smp));
    }
    return true;
}

template <class T>
inline void escape(T const& v) {
    asm volatile("" : : "g"(&v) : "memory");
}

/// Relative difference as in crossover.hpp: max |a - b| / (1 + max |b|).
inline double difference(double const* y, double const* jac, sample const& want) {
    double scale = 1.0;
    for (double v : want.jac) scale = std::max(scale, std::abs(v));
    for (double v : want.y) scale = std::max(scale, std::abs(v));
    double d = 0.0;
    for (std::size_t j = 0; j < want.y.size(); ++j) d = std::max(d, std::abs(y[j] - want.y[j]));
    for (std::size_t k = 0; k < want.jac.size(); ++k) d = std::max(d, std::abs(jac[k] - want.jac[k]));
    return d / scale;
}

template <class F, class Engine>
[[gnu::noinline]] void hot_loop(Engine& engine, std::vector<std::array<double, F::n>> const& pts, long iterations) {
    std::array<double, F::m> y{};
    std::array<double, F::m * F::n> jac{};
    for (long it = 0; it < iterations; ++it) {
        engine(pts[static_cast<std::size_t>(it) % pts.size()].data(), y.data(), jac.data());
        escape(y);
        escape(jac);
    }
}

template <class F>
struct hand_engine {
    void operator()(double const* x, double* y, double* jac) { F::hand(x, y, jac); }
};

template <class F, class Engine>
double time_ns(Engine& engine, std::vector<std::array<double, F::n>> const& pts, double min_batch, int reps) {
    using clock = std::chrono::steady_clock;
    auto batch = [&](long iters) {
        auto const t0 = clock::now();
        hot_loop<F>(engine, pts, iters);
        return std::chrono::duration<double>(clock::now() - t0).count();
    };
    long iters = 16;
    while (batch(iters) < min_batch && iters < (1L << 40)) iters *= 2;
    double best = 1e300;
    for (int r = 0; r < reps; ++r) best = std::min(best, batch(iters));
    return best / static_cast<double>(iters) * 1e9;
}

struct options {
    double min_batch = 0.005;
    int reps = 5;
};

template <class Peer, class F>
bool run_workload(reference_map const& ref, options const& opt) {
    auto const it = ref.find(key(F::family, F::n, F::m));
    if (it == ref.end()) {
        std::fprintf(stderr, "%s: no reference for %s %zu x %zu; skipped\n", Peer::name, F::family, F::n, F::m);
        return true;
    }
    std::vector<std::array<double, F::n>> pts;
    for (auto const& s : it->second) {
        std::array<double, F::n> x{};
        std::copy(s.x.begin(), s.x.end(), x.begin());
        pts.push_back(x);
    }
    typename Peer::template engine<F> engine(pts.front().data());
    double worst = 0.0;
    for (std::size_t p = 0; p < pts.size(); ++p) {
        std::array<double, F::m> y{};
        std::array<double, F::m * F::n> jac{};
        engine(pts[p].data(), y.data(), jac.data());
        worst = std::max(worst, difference(y.data(), jac.data(), it->second[p]));
    }
    if (!(worst <= 1e-12)) {
        std::fprintf(stderr, "MISMATCH %s %s n=%zu m=%zu: relative difference %.3g from typegrad; not timed\n",
                     Peer::name, F::family, F::n, F::m, worst);
        return false;
    }
    hand_engine<F> hand;
    double const t = time_ns<F>(engine, pts, opt.min_batch, opt.reps);
    double const h = time_ns<F>(hand, pts, opt.min_batch, opt.reps);
    std::printf("%s,%s,%zu,%zu,%s,%.3f,%.3f,%.4f,%.3g\n", Peer::name, F::family, F::n, F::m, Peer::mode, t, h, t / h,
                worst);
    std::fflush(stdout);
    return true;
}

template <class Peer, class F>
bool loop_workload(std::string const& fam, std::size_t n, std::size_t m, long iters, bool hand) {
    if (fam != F::family || n != F::n || m != F::m) return false;
    std::vector<std::array<double, F::n>> pts(16);
    for (std::size_t p = 0; p < pts.size(); ++p)
        for (std::size_t i = 0; i < F::n; ++i) pts[p][i] = std::sin(static_cast<double>(3 * p + 7 * i + 1));
    if (hand) {
        hand_engine<F> e;
        hot_loop<F>(e, pts, iters);
    } else {
        typename Peer::template engine<F> e(pts.front().data());
        hot_loop<F>(e, pts, iters);
    }
    return true;
}

template <class Peer>
int main(int argc, char** argv) {
    if (argc >= 2 && std::strcmp(argv[1], "--loop") == 0) {
        if (argc < 6) return 2;
        std::string const fam = argv[2];
        std::size_t const n = std::strtoul(argv[3], nullptr, 10), m = std::strtoul(argv[4], nullptr, 10);
        long const iters = std::strtol(argv[5], nullptr, 10);
        bool const hand = argc > 6 && std::strcmp(argv[6], "hand") == 0;
        bool const found = std::apply(
            [&](auto... w) { return (loop_workload<Peer, decltype(w)>(fam, n, m, iters, hand) || ...); }, workloads{});
        return found ? 0 : 2;
    }
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s REFERENCE_FILE [--min-batch S] [--reps R] | --loop FAMILY N M ITERS [hand]\n",
                     argv[0]);
        return 2;
    }
    options opt;
    for (int a = 2; a + 1 < argc; a += 2) {
        if (std::strcmp(argv[a], "--min-batch") == 0) opt.min_batch = std::strtod(argv[a + 1], nullptr);
        if (std::strcmp(argv[a], "--reps") == 0) opt.reps = std::atoi(argv[a + 1]);
    }
    reference_map ref;
    if (!load_reference(argv[1], ref)) {
        std::fprintf(stderr, "%s: cannot read the reference file %s\n", Peer::name, argv[1]);
        return 2;
    }
    bool const ok =
        std::apply([&](auto... w) { return (run_workload<Peer, decltype(w)>(ref, opt) & ...); }, workloads{});
    return ok ? 0 : 1;
}

}  // namespace peers
