// Bundle adjustment's residual and Jacobian (Snavely's camera, 2 residuals over blocks of 9 and
// 3) as Ceres calls it, through ceres::CostFunction::Evaluate:
//   jet          ceres::AutoDiffCostFunction<snavely_functor, 2, 9, 3> (Jet<double, 12>)
//   tg_forward   tg::ceres::make_cost_function<9, 3>(residual) (forward mode, 12 lanes)
//   tg_reverse   the same with tg::reverse (one value pass, 2 adjoint sweeps)
//   hand         derivatives written out by hand (benchmarks/hand/snavely_hand.hpp)
// each over the observations of a generated problem, checked against Jet first. After the runs it
// prints the time per observation and the ratios measured in this run, then solves a larger
// generated problem with each cost (SPARSE_SCHUR where SuiteSparse is, else DENSE_SCHUR; one
// thread) and prints the solve's time (fastest of 3), the time Ceres spent evaluating residuals
// and Jacobians, and the final cost.
//
//   bundle_adjustment_benchmark [--small] [Google Benchmark flags]
#include <ceres/ceres.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <typegrad/interop/ceres.hpp>

#include "best_time_reporter.hpp"
#include "examples/support/bal_synthetic.hpp"
#include "examples/support/snavely_camera.hpp"
#include "hand/snavely_hand.hpp"

namespace tg = typegrad;

namespace {

using cost_ptr = std::unique_ptr<ceres::CostFunction>;

// The problem whose observations the per-observation benchmarks sweep.
example_ba::synthetic_problem const* pool = nullptr;

struct costs {
    std::vector<cost_ptr> jet, tg_forward, tg_reverse, hand;
};
costs const* cost_pool = nullptr;

costs make_costs(tg::io::bal_problem const& p) {
    costs c;
    for (auto const& o : p.observations) {
        c.jet.emplace_back(new ceres::AutoDiffCostFunction<example_ba::snavely_functor, 2, 9, 3>(
            new example_ba::snavely_functor{o.x, o.y}));
        c.tg_forward.emplace_back(tg::ceres::make_cost_function<9, 3>(example_ba::snavely_residual(o.x, o.y)));
        c.tg_reverse.emplace_back(
            tg::ceres::make_cost_function<9, 3>(example_ba::snavely_residual(o.x, o.y), tg::reverse{}));
        c.hand.emplace_back(new bench_hand::snavely_cost(o.x, o.y));
    }
    return c;
}

// Residuals and both Jacobian blocks of every observation, as Ceres asks for them.
void sweep(benchmark::State& st, std::vector<cost_ptr> const& fs) {
    auto const& p = pool->start;
    double r[2], jc[18], jp[6];
    double* jac[2] = {jc, jp};
    for (auto _ : st) {
        for (std::size_t k = 0; k < fs.size(); ++k) {
            auto const& o = p.observations[k];
            double const* params[2] = {p.camera(o.camera), p.point(o.point)};
            fs[k]->Evaluate(params, r, jac);
            benchmark::DoNotOptimize(r);
            benchmark::DoNotOptimize(jc);
            benchmark::DoNotOptimize(jp);
        }
        benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations()) * static_cast<std::int64_t>(fs.size()));
}

void BM_jet(benchmark::State& st) { sweep(st, cost_pool->jet); }
void BM_tg_forward(benchmark::State& st) { sweep(st, cost_pool->tg_forward); }
void BM_tg_reverse(benchmark::State& st) { sweep(st, cost_pool->tg_reverse); }
void BM_hand(benchmark::State& st) { sweep(st, cost_pool->hand); }

// Every cost function's residuals and Jacobians against Jet's, relative to each block's size.
bool check(costs const& c, tg::io::bal_problem const& p) {
    bool ok = true;
    for (std::size_t k = 0; k < p.observations.size(); ++k) {
        auto const& o = p.observations[k];
        double const* params[2] = {p.camera(o.camera), p.point(o.point)};
        double r0[2], jc0[18], jp0[6];
        double* j0[2] = {jc0, jp0};
        c.jet[k]->Evaluate(params, r0, j0);
        double sc = 0, sp = 0;
        for (double x : jc0) sc = std::max(sc, std::abs(x));
        for (double x : jp0) sp = std::max(sp, std::abs(x));
        for (auto const* v : {&c.tg_forward, &c.tg_reverse, &c.hand}) {
            double r[2], jc[18], jp[6];
            double* j[2] = {jc, jp};
            if (!(*v)[k]->Evaluate(params, r, j)) ok = false;
            for (int i = 0; i < 2; ++i) ok = ok && std::abs(r[i] - r0[i]) <= 1e-10 * (std::abs(r0[i]) + std::abs(o.x) + 1);
            for (int i = 0; i < 18; ++i) ok = ok && std::abs(jc[i] - jc0[i]) <= 1e-12 * sc;
            for (int i = 0; i < 6; ++i) ok = ok && std::abs(jp[i] - jp0[i]) <= 1e-12 * sp;
        }
        if (!ok) {
            std::fprintf(stderr, "bundle_adjustment_benchmark: observation %zu disagrees with Jet\n", k);
            return false;
        }
    }
    return true;
}

struct solve_figures {
    double seconds, evaluate_seconds, final_cost;
    std::size_t iterations;
};

template <class MakeCost>
solve_figures solve_once(tg::io::bal_problem p, MakeCost make_cost) {
    ceres::Problem problem;
    for (auto const& o : p.observations)
        problem.AddResidualBlock(make_cost(o.x, o.y), nullptr, p.camera(o.camera), p.point(o.point));
    for (std::size_t i = 0; i < 2; ++i) problem.SetParameterBlockConstant(p.camera(i));
    ceres::Solver::Options options;
    options.linear_solver_type = ceres::IsSparseLinearAlgebraLibraryTypeAvailable(ceres::SUITE_SPARSE)
                                     ? ceres::SPARSE_SCHUR
                                     : ceres::DENSE_SCHUR;
    options.num_threads = 1;
    options.max_num_iterations = 100;
    options.function_tolerance = 1e-20;
    options.gradient_tolerance = 1e-20;
    options.parameter_tolerance = 1e-14;
    ceres::Solver::Summary s;
    auto const t0 = std::chrono::steady_clock::now();
    ceres::Solve(options, &problem, &s);
    double const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return {seconds, s.jacobian_evaluation_time_in_seconds + s.residual_evaluation_time_in_seconds, s.final_cost,
            s.iterations.size() - 1};
}

// The fastest of `runs` solves from the same start (they take the same steps).
template <class MakeCost>
solve_figures solve(tg::io::bal_problem const& p, MakeCost make_cost, int runs) {
    solve_figures best = solve_once(p, make_cost);
    for (int k = 1; k < runs; ++k) {
        solve_figures const f = solve_once(p, make_cost);
        if (f.seconds < best.seconds) best = f;
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    bool small = false;
    std::vector<char*> args;
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], "--small") == 0)
            small = true;
        else
            args.push_back(argv[i]);
    }
    auto const problem = example_ba::make_synthetic_problem(small ? 4 : 10, small ? 20 : 100, 7);
    costs const c = make_costs(problem.start);
    pool = &problem, cost_pool = &c;
    if (!check(c, problem.start)) return 1;

    benchmark::RegisterBenchmark("jet", BM_jet)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("tg_forward", BM_tg_forward)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("tg_reverse", BM_tg_reverse)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("hand", BM_hand)->Unit(benchmark::kMicrosecond);
    int n = static_cast<int>(args.size());
    benchmark::Initialize(&n, args.data());
    bench::best_time_reporter reporter(bench::timing::cpu);
    benchmark::RunSpecifiedBenchmarks(&reporter);

    double const per = 1.0 / static_cast<double>(problem.start.observations.size());
    double const jet_ns = reporter.ns("jet") * per;
    std::printf("\nSnavely's camera, residuals + Jacobian blocks (2x9, 2x3) per observation, through Evaluate\n");
    std::printf("%-36s %10s %9s\n", "variant", "ns/obs", "Jet/this");
    struct row {
        char const* name;
        char const* what;
    };
    for (auto const& r : {row{"jet", "ceres::AutoDiffCostFunction (Jet)"}, row{"tg_forward", "typegrad, forward mode"},
                          row{"tg_reverse", "typegrad, reverse mode"}, row{"hand", "hand-written derivatives"}}) {
        double const t = reporter.ns(r.name) * per;
        std::printf("%-36s %10.1f %9.2f\n", r.what, t, jet_ns / t);
    }

    // The whole solve, each cost function from the same start.
    auto const big = small ? example_ba::make_synthetic_problem(4, 20, 11) : example_ba::make_synthetic_problem(20, 1000, 11);
    int const runs = small ? 1 : 3;
    struct variant {
        char const* what;
        solve_figures f;
    };
    variant const solves[] = {
        {"Jet", solve(big.start, [](double u, double v) {
             return new ceres::AutoDiffCostFunction<example_ba::snavely_functor, 2, 9, 3>(new example_ba::snavely_functor{u, v});
         }, runs)},
        {"typegrad forward", solve(big.start, [](double u, double v) {
             return tg::ceres::make_cost_function<9, 3>(example_ba::snavely_residual(u, v));
         }, runs)},
        {"typegrad reverse", solve(big.start, [](double u, double v) {
             return tg::ceres::make_cost_function<9, 3>(example_ba::snavely_residual(u, v), tg::reverse{});
         }, runs)},
        {"hand", solve(big.start, [](double u, double v) { return new bench_hand::snavely_cost(u, v); }, runs)},
    };
    std::printf("\nWhole solve: %zu cameras, %zu points, %zu observations, one thread, fastest of %d\n",
                big.start.num_cameras(), big.start.num_points(), big.start.observations.size(), runs);
    std::printf("%-20s %10s %14s %11s %14s\n", "cost function", "solve s", "in Evaluate s", "iterations", "final cost");
    for (auto const& v : solves)
        std::printf("%-20s %10.3f %14.3f %11zu %14.3e\n", v.what, v.f.seconds, v.f.evaluate_seconds, v.f.iterations,
                    v.f.final_cost);
    bool ok = true;
    for (auto const& v : solves) ok = ok && v.f.final_cost < 1e-12;
    if (!ok) std::fprintf(stderr, "bundle_adjustment_benchmark: a solve did not reach a final cost below 1e-12\n");
    return ok ? 0 : 1;
}
