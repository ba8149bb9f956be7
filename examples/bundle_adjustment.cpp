// Bundle adjustment with Ceres and typegrad's cost function: Snavely's camera (angle-axis
// rotation, translation, focal length, two radial distortion terms; 9 camera and 3 point
// parameters, 2 residuals per observation), examples/support/snavely_camera.hpp.
//
//   bundle_adjustment                   a generated problem (5 cameras, 100 points), checked
//   bundle_adjustment --generated [C P] the same with C cameras and P points
//   bundle_adjustment problem.txt       a BAL file (grail.cs.washington.edu/projects/bal, unpacked)
//
// Each observation is one typegrad cost function (tg::ceres::make_cost_function<9, 3>) holding
// its (x, y) as run-time constants, in forward mode (faster than reverse for this residual:
// benchmarks/bundle_adjustment.cpp). The generated problem has exact observations and a known
// solution; two cameras are held constant (they fix the gauge) and the program exits non-zero
// unless the final cost is below 1e-12 and every parameter is recovered to 1e-7.
#include <ceres/ceres.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include <typegrad/interop/ceres.hpp>
#include <typegrad/io/bal.hpp>

#include "support/bal_synthetic.hpp"
#include "support/snavely_camera.hpp"

namespace tg = typegrad;

namespace {

ceres::Solver::Summary solve(tg::io::bal_problem& p, std::size_t held, bool exact) {
    ceres::Problem problem;
    for (auto const& o : p.observations)
        problem.AddResidualBlock(tg::ceres::make_cost_function<9, 3>(example_ba::snavely_residual(o.x, o.y)),
                                 nullptr, p.camera(o.camera), p.point(o.point));
    for (std::size_t i = 0; i < held; ++i) problem.SetParameterBlockConstant(p.camera(i));
    ceres::Solver::Options options;
    options.linear_solver_type = ceres::IsSparseLinearAlgebraLibraryTypeAvailable(ceres::SUITE_SPARSE)
                                     ? ceres::SPARSE_SCHUR
                                     : ceres::DENSE_SCHUR;
    options.num_threads = 1;
    options.max_num_iterations = exact ? 100 : 50;
    if (exact) {  // noise-free data: converge to rounding, not to Ceres's default 1e-6
        options.function_tolerance = 1e-20;
        options.gradient_tolerance = 1e-20;
        options.parameter_tolerance = 1e-14;
    }
    ceres::Solver::Summary summary;
    ceres::Solve(options, &problem, &summary);
    return summary;
}

void report(tg::io::bal_problem const& p, ceres::Solver::Summary const& s, double seconds) {
    std::printf("%zu cameras, %zu points, %zu observations (%s, one thread)\n", p.num_cameras(), p.num_points(),
                p.observations.size(), ceres::LinearSolverTypeToString(s.linear_solver_type_used));
    std::printf("cost %.6e -> %.6e in %zu iterations, %.3f s (%s)\n", s.initial_cost, s.final_cost,
                s.iterations.size() - 1, seconds, s.termination_type == ceres::CONVERGENCE ? "converged" : "stopped");
}

int run(int argc, char** argv) {
    std::string const first = argc > 1 ? argv[1] : "--generated";
    if (first != "--generated") {
        tg::io::bal_problem p = tg::io::read_bal_file(first);
        auto const t0 = std::chrono::steady_clock::now();
        auto const s = solve(p, 0, false);
        report(p, s, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        return s.IsSolutionUsable() && s.final_cost <= s.initial_cost ? 0 : 1;
    }
    std::size_t const cameras = argc > 2 ? std::stoul(argv[2]) : 5;
    std::size_t const points = argc > 3 ? std::stoul(argv[3]) : 100;
    if (cameras < 3 || points < 1) {
        std::fprintf(stderr, "bundle_adjustment: --generated needs at least 3 cameras and 1 point\n");
        return 2;
    }
    auto s = example_ba::make_synthetic_problem(cameras, points, 2024);
    auto const t0 = std::chrono::steady_clock::now();
    auto const summary = solve(s.start, 2, true);
    report(s.start, summary, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    double worst = 0;
    for (std::size_t k = 0; k < s.truth.cameras.size(); ++k)
        worst = std::max(worst, std::abs(s.start.cameras[k] - s.truth.cameras[k]) /
                                    std::max(1.0, std::abs(s.truth.cameras[k])));
    for (std::size_t k = 0; k < s.truth.points.size(); ++k)
        worst = std::max(worst, std::abs(s.start.points[k] - s.truth.points[k]));
    std::printf("largest parameter error against the truth: %.2e\n", worst);
    if (!(summary.final_cost < 1e-12) || !(worst < 1e-7)) {
        std::fprintf(stderr, "bundle_adjustment: FAILED: final cost %.3e (want < 1e-12), parameter error %.3e (want < 1e-7)\n",
                     summary.final_cost, worst);
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (std::exception const& e) {
        std::fprintf(stderr, "bundle_adjustment: %s\n", e.what());
        return 2;
    }
}
