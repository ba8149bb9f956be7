// benchmarks/loops.cpp: gradients through a loop in the graph (tg::fori) against a
// hand-written discrete adjoint.
//
// The problem is examples/ode_sensitivity.cpp's: Lotka-Volterra by RK4 over n = 10^4 steps
// (--small: 10^3), loss = squared distance of the final state to a target, gradient in
// (u0, v0, a, b, c, d). Variants:
//   store_all        tg::fori<tg::store_all>: every state stored, one reverse sweep
//   checkpoints64    tg::fori (the default tg::checkpoints<64>): binomial checkpointing
//   checkpoints100   tg::fori<tg::checkpoints<100>>
//   forward          tg::gradient<tg::forward> of the default loop: six tangents carried along
//   hand             examples/support/lotka_volterra_hand.hpp: states stored, stages
//                    recomputed and transposed by hand
// Every variant is checked against the hand-written gradient first (exit 1 on a mismatch).
// After the runs it prints each variant's ratio to hand measured in this same run, and the
// memory each holds: the states alive at the peak of the reverse sweep and how many steps
// it evaluates per step of the loop. Those are counted by running the loop's own reversal
// schedule (typegrad/loops/checkpoint.hpp, a detail) with a state type that counts its
// live copies; they are also the benchmark's counters.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "best_time_reporter.hpp"

#include <typegrad/typegrad.hpp>

#include "../examples/support/lotka_volterra_hand.hpp"
#include "../examples/support/lotka_volterra_rk4.hpp"

namespace {

namespace tg = typegrad;
namespace lv = lotka_volterra;

lv::problem pr{10000, 1e-3, 1.0, 0.5};
lv::point const x0{1.0, 0.5, 1.1, 0.4, 0.4, 0.1};
int failures = 0;

auto const lv_vars = tg::vars<"u0", "v0", "a", "b", "c", "d">();
auto const& [u0, v0, a, b, c, d] = lv_vars;

// The loss of a loop built with Policy; Step must be a lambda of its own per loop.
template <class Policy, class Step>
auto make_loss(Step const& step) {
    auto const [uT, vT] = tg::fori<Policy>(static_cast<long>(pr.steps), step, u0, v0);
    return tg::square(uT - pr.target_u) + tg::square(vT - pr.target_v);
}

// The three loops, each from its own lambda, are built in main once --small has set the count
// (h is copied into each body).
auto step_all = [](double h) {
    return [h](auto const& u, auto const& v) { return lv::rk4_expression(u, v, a, b, c, d, h); };
};
auto step_64 = [](double h) {
    return [h](auto const& u, auto const& v) { return lv::rk4_expression(u, v, a, b, c, d, h); };
};
auto step_100 = [](double h) {
    return [h](auto const& u, auto const& v) { return lv::rk4_expression(u, v, a, b, c, d, h); };
};
using loss_all_t = decltype(make_loss<tg::store_all>(step_all(0.0)));
using loss_64_t = decltype(make_loss<tg::checkpoints<64>>(step_64(0.0)));
using loss_100_t = decltype(make_loss<tg::checkpoints<100>>(step_100(0.0)));
loss_all_t const* loss_all = nullptr;
loss_64_t const* loss_64 = nullptr;
loss_100_t const* loss_100 = nullptr;

std::vector<lv::state> hand_kept;

void check(char const* what, double value, std::array<double, 6> const& got, double tol) {
    lv::point want{};
    double const L = lv::loss_and_gradient(x0, pr, want, hand_kept);
    bool ok = std::abs(value - L) <= tol * std::max(1.0, std::abs(L));
    for (std::size_t i = 0; i < 6; ++i) ok = ok && std::abs(got[i] - want[i]) <= tol * std::max(1.0, std::abs(want[i]));
    if (!ok) {
        std::printf("MISMATCH %s: loss %.17g (hand %.17g)\n", what, value, L);
        for (std::size_t i = 0; i < 6; ++i) std::printf("  [%zu] %.17g (hand %.17g)\n", i, got[i], want[i]);
        ++failures;
    }
}

// ---------------------------------------------------------------------------
// Memory: the reversal schedule run with a state that counts its live copies.

// One count per policy: a tg::store_all buffer stays alive between gradients and is counted
// as held by its own policy only.
template <class Policy>
struct counted {
    static inline long live = 0, peak = 0;
    counted() { up(); }
    counted(counted const&) { up(); }
    counted& operator=(counted const&) = default;
    ~counted() { --live; }
    static void up() { peak = std::max(peak, ++live); }
    friend bool operator==(counted const&, counted const&) { return true; }
};

struct schedule {
    long peak_states;       // states alive at once (the initial one, snapshots or buffer, temporaries)
    double steps_per_step;  // body evaluations per loop step in one gradient (value pass included)
};

template <class Policy>
schedule count_schedule(std::size_t n) {
    struct owner {};
    using T = counted<Policy>;
    using state = std::array<T, 2>;
    long advanced = 0, pulled = 0;
    auto const advance = [&](state const& s, std::size_t m) {
        advanced += static_cast<long>(m);
        return s;
    };
    auto const pull = [&](state const&, std::size_t) { ++pulled; };
    T::peak = T::live;
    {
        state const s0{};
        // No recorded start: the schedule as a reverse step without the value pass's states runs it.
        tg::detail::loop_reversal<Policy, T, 2>::template run<owner>(n, s0, advance, pull, nullptr, 0);
    }
    // tg::store_all keeps the value pass's states, and a gradient's reverse step reuses them.
    if (tg::detail::loop_reversal<Policy, T, 2>::keeps_states) advanced = 0;
    // Two numbers per state; the value pass evaluates n steps, each pull one more.
    return {T::peak / 2, static_cast<double>(static_cast<long>(n) + advanced + pulled) / static_cast<double>(n)};
}

void set_counters(benchmark::State& st, schedule s) {
    st.counters["states_held"] = static_cast<double>(s.peak_states);
    st.counters["steps_per_step"] = s.steps_per_step;
}

// ---------------------------------------------------------------------------

void BM_store_all(benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(tg::gradient(*loss_all, x0));
    set_counters(st, count_schedule<tg::store_all>(pr.steps));
}
void BM_checkpoints64(benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(tg::gradient(*loss_64, x0));
    set_counters(st, count_schedule<tg::checkpoints<64>>(pr.steps));
}
void BM_checkpoints100(benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(tg::gradient(*loss_100, x0));
    set_counters(st, count_schedule<tg::checkpoints<100>>(pr.steps));
}
void BM_forward(benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(tg::gradient<tg::forward>(*loss_64, x0));
    set_counters(st, {0, 1.0});  // tangents carried along: no state kept
}
void BM_hand(benchmark::State& st) {
    lv::point g{};
    for (auto _ : st) {
        benchmark::DoNotOptimize(lv::loss_and_gradient(x0, pr, g, hand_kept));
        benchmark::DoNotOptimize(g);
    }
    set_counters(st, {static_cast<long>(pr.steps), 2.0});
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<char*> args;
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], "--small") == 0)
            pr.steps = 1000;
        else
            args.push_back(argv[i]);
    }
    loss_all_t const la = make_loss<tg::store_all>(step_all(pr.h));
    loss_64_t const l64 = make_loss<tg::checkpoints<64>>(step_64(pr.h));
    loss_100_t const l100 = make_loss<tg::checkpoints<100>>(step_100(pr.h));
    loss_all = &la, loss_64 = &l64, loss_100 = &l100;

    {
        auto const g = tg::gradient(la, x0);
        check("store_all", g.value, g.gradient, 1e-10);
    }
    {
        auto const g = tg::gradient(l64, x0);
        check("checkpoints<64>", g.value, g.gradient, 1e-10);
    }
    {
        auto const g = tg::gradient(l100, x0);
        check("checkpoints<100>", g.value, g.gradient, 1e-10);
    }
    {
        auto const g = tg::gradient<tg::forward>(l64, x0);
        check("forward", g.value, g.gradient, 1e-10);
    }
    if (failures) return 1;

    benchmark::RegisterBenchmark("store_all", BM_store_all)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("checkpoints64", BM_checkpoints64)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("checkpoints100", BM_checkpoints100)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("forward", BM_forward)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("hand", BM_hand)->Unit(benchmark::kMicrosecond);
    int n = static_cast<int>(args.size());
    benchmark::Initialize(&n, args.data());
    bench::best_time_reporter reporter(bench::timing::cpu);
    benchmark::RunSpecifiedBenchmarks(&reporter);

    struct row {
        char const* name;
        char const* what;
        schedule s;
    };
    row const rows[] = {
        {"store_all", "tg::fori<tg::store_all>, reverse", count_schedule<tg::store_all>(pr.steps)},
        {"checkpoints64", "tg::fori (checkpoints<64>), reverse", count_schedule<tg::checkpoints<64>>(pr.steps)},
        {"checkpoints100", "tg::fori<tg::checkpoints<100>>, reverse", count_schedule<tg::checkpoints<100>>(pr.steps)},
        {"forward", "tg::gradient<tg::forward>", {0, 1.0}},
        {"hand", "hand-written adjoint", {static_cast<long>(pr.steps), 2.0}},
    };
    double const hand_ns = reporter.ns("hand");
    std::printf("\nLotka-Volterra RK4, n = %zu steps, gradient in 6 inputs\n", pr.steps);
    std::printf("%-40s %12s %9s %12s %14s\n", "variant", "us/gradient", "to hand", "states held", "steps/step");
    for (auto const& r : rows) {
        double const t = reporter.ns(r.name);
        std::printf("%-40s %12.1f %9.2f %12ld %14.2f\n", r.what, t / 1e3, t / hand_ns, r.s.peak_states,
                    r.s.steps_per_step);
    }
    std::printf("(a state is 2 doubles; steps/step counts body evaluations per loop step, value pass included;\n"
                " the hand-written adjoint and tg's reverse sweep both recompute a step's stages from its state)\n");
    return 0;
}
