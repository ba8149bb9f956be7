// Bundle adjustment with Snavely's camera (examples/support/snavely_camera.hpp) as a typegrad
// cost function: residuals and both Jacobian blocks against Ceres's AutoDiffCostFunction over a
// reference functor written here another way (a rotation matrix, not Rodrigues' formula on X),
// and against central differences, at random cameras and at small and zero rotations; then a
// generated problem with a known solution solved with typegrad's cost and with Jet's.
#include "ceres/ceres_and_doctest.hpp"  // Ceres first, glog's CHECK macros undefined

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <memory>
#include <random>
#include <vector>

#include <typegrad/interop/ceres.hpp>
#include <typegrad/typegrad.hpp>

#include "examples/support/bal_synthetic.hpp"
#include "examples/support/snavely_camera.hpp"

namespace tg = typegrad;

namespace {

// The reference: R(w) as a matrix, R = I + (sin t / t) [w]x + ((1 - cos t) / t^2) [w]x^2, or
// I + [w]x below the same threshold, then the same projection and distortion.
struct reference_residual {
    double u, v;
    template <class T>
    bool operator()(T const* cam, T const* X, T* r) const {
        using std::cos;
        using std::sin;
        using std::sqrt;
        T const t2 = cam[0] * cam[0] + cam[1] * cam[1] + cam[2] * cam[2];
        // [w]x and its square.
        T const K[3][3] = {{T(0), -cam[2], cam[1]}, {cam[2], T(0), -cam[0]}, {-cam[1], cam[0], T(0)}};
        T a = T(1), b = T(0);
        if (t2 > example_ba::small_angle2) {
            T const t = sqrt(t2);
            a = sin(t) / t;
            b = (1.0 - cos(t)) / t2;
        }
        T P[3];
        for (int i = 0; i < 3; ++i) {
            T kx = T(0), kkx = T(0);
            for (int j = 0; j < 3; ++j) {
                kx += K[i][j] * X[j];
                T kk = T(0);
                for (int m = 0; m < 3; ++m) kk += K[i][m] * K[m][j];
                kkx += kk * X[j];
            }
            P[i] = X[i] + a * kx + b * kkx + cam[3 + i];
        }
        T const x = -P[0] / P[2], y = -P[1] / P[2];
        T const rr = x * x + y * y;
        T const d = 1.0 + cam[7] * rr + cam[8] * rr * rr;
        r[0] = cam[6] * d * x - u;
        r[1] = cam[6] * d * y - v;
        return true;
    }
};

struct evaluation {
    std::array<double, 2> r{};
    std::array<double, 18> jc{};  // 2 x 9, row-major
    std::array<double, 6> jp{};   // 2 x 3
};

evaluation evaluate(ceres::CostFunction const& f, double const* cam, double const* X) {
    evaluation e;
    double const* params[2] = {cam, X};
    double* jac[2] = {e.jc.data(), e.jp.data()};
    REQUIRE(f.Evaluate(params, e.r.data(), jac));
    return e;
}

// |a - b| within rel * (|b| + scale): scale keeps entries that are zero in truth comparable.
bool close(double a, double b, double rel, double scale) { return std::abs(a - b) <= rel * (std::abs(b) + scale); }

void check_against_reference(double const* cam, double const* X, double u, double v) {
    std::unique_ptr<ceres::CostFunction> const forward(
        tg::ceres::make_cost_function<9, 3>(example_ba::snavely_residual(u, v)));
    std::unique_ptr<ceres::CostFunction> const reverse(
        tg::ceres::make_cost_function<9, 3>(example_ba::snavely_residual(u, v), tg::reverse{}));
    ceres::AutoDiffCostFunction<reference_residual, 2, 9, 3> const jet(new reference_residual{u, v});
    evaluation const want = evaluate(jet, cam, X);
    // The largest entry of each block sets the scale at which zeros are compared.
    double sc = 0, sp = 0;
    for (double x : want.jc) sc = std::max(sc, std::abs(x));
    for (double x : want.jp) sp = std::max(sp, std::abs(x));
    for (auto const* f : {forward.get(), reverse.get()}) {
        evaluation const got = evaluate(*f, cam, X);
        for (int i = 0; i < 2; ++i) CHECK(close(got.r[i], want.r[i], 1e-12, std::abs(u) + 1));
        for (int k = 0; k < 18; ++k) CHECK(close(got.jc[k], want.jc[k], 1e-12, 1e-12 * sc));
        for (int k = 0; k < 6; ++k) CHECK(close(got.jp[k], want.jp[k], 1e-12, 1e-12 * sp));
    }
    // Central differences on the typegrad residual's values, step 1e-6 relative.
    evaluation const got = evaluate(*forward, cam, X);
    double p[12];
    std::copy(cam, cam + 9, p);
    std::copy(X, X + 3, p + 9);
    for (int j = 0; j < 12; ++j) {
        double const h = 1e-6 * std::max(1.0, std::abs(p[j]));
        double hi[12], lo[12];
        std::copy(p, p + 12, hi);
        std::copy(p, p + 12, lo);
        hi[j] += h;
        lo[j] -= h;
        double rh[2], rl[2];
        double const* ph[2] = {hi, hi + 9};
        double const* pl[2] = {lo, lo + 9};
        REQUIRE(forward->Evaluate(ph, rh, nullptr));
        REQUIRE(forward->Evaluate(pl, rl, nullptr));
        for (int i = 0; i < 2; ++i) {
            double const fd = (rh[i] - rl[i]) / (2 * h);
            double const ad = j < 9 ? got.jc[std::size_t(i * 9 + j)] : got.jp[std::size_t(i * 3 + j - 9)];
            CHECK(close(ad, fd, 1e-5, 1e-6 * (j < 9 ? sc : sp)));
        }
    }
}

}  // namespace

TEST_CASE("Snavely's reprojection error: typegrad's residual and Jacobian blocks equal Ceres's Jet and differences") {
    std::mt19937_64 rng(17);
    std::uniform_real_distribution<double> s(-1.0, 1.0);
    for (int trial = 0; trial < 6; ++trial) {
        // A camera about 5 away, looking down -z at a point near the origin.
        double cam[9] = {0.5 * s(rng), 2.0 * s(rng), 0.5 * s(rng), 0.3 * s(rng), 0.3 * s(rng), -5.0 + s(rng),
                         500.0 + 50.0 * s(rng), 0.1 * s(rng), 0.02 * s(rng)};
        double X[3] = {s(rng), s(rng), s(rng)};
        // |R X| <= sqrt(3), so P.z stays within [-7.8, -2.2]: the point is in front at any rotation.
        CAPTURE(trial);
        check_against_reference(cam, X, 30.0 * s(rng), 30.0 * s(rng));
    }
    SUBCASE("small and zero rotations take the first-order branch, with the right derivatives") {
        for (double scale : {1e-10, 1e-9, 0.0}) {
            CAPTURE(scale);
            double cam[9] = {0.3 * scale, -0.8 * scale, 0.5 * scale, 0.1, -0.2, -4.0, 480.0, -0.05, 0.01};
            double X[3] = {0.3, -0.4, 0.7};
            check_against_reference(cam, X, 12.0, -7.5);
        }
    }
    SUBCASE("just above the threshold the closed form agrees with the first-order form") {
        // |w| = 2e-8: both rotations are exact to rounding, so the residuals agree closely.
        double cam[9] = {2e-8, 0, 0, 0.1, -0.2, -4.0, 480.0, -0.05, 0.01};
        double X[3] = {0.3, -0.4, 0.7};
        check_against_reference(cam, X, 0, 0);
        double r_closed[2], r_small[2];
        double const* p1[2] = {cam, X};
        std::unique_ptr<ceres::CostFunction> const f(tg::ceres::make_cost_function<9, 3>(example_ba::snavely_residual(0, 0)));
        REQUIRE(f->Evaluate(p1, r_closed, nullptr));
        cam[0] = 5e-9;  // below: first order
        REQUIRE(f->Evaluate(p1, r_small, nullptr));
        // The point moves by about (2e-8 - 5e-9) |X| in rotation: r changes by about f * 1e-8.
        CHECK(std::abs(r_closed[0] - r_small[0]) < 1e-4);
        CHECK(std::abs(r_closed[1] - r_small[1]) < 1e-4);
        CHECK(r_closed[1] != r_small[1]);
    }
}

namespace {

struct solve_result {
    ceres::Solver::Summary summary;
    tg::io::bal_problem solution;
};

template <class MakeCost>
solve_result solve(tg::io::bal_problem p, std::size_t held, MakeCost make_cost) {
    ceres::Problem problem;
    for (auto const& o : p.observations)
        problem.AddResidualBlock(make_cost(o.x, o.y), nullptr, p.camera(o.camera), p.point(o.point));
    for (std::size_t i = 0; i < held; ++i) problem.SetParameterBlockConstant(p.camera(i));
    ceres::Solver::Options options;
    options.linear_solver_type = ceres::DENSE_SCHUR;
    options.num_threads = 1;
    options.max_num_iterations = 100;
    options.function_tolerance = 1e-20;
    options.gradient_tolerance = 1e-20;
    options.parameter_tolerance = 1e-14;
    solve_result r;
    ceres::Solve(options, &problem, &r.summary);
    r.solution = std::move(p);
    return r;
}

}  // namespace

TEST_CASE("a generated bundle-adjustment problem is solved to its known solution, with typegrad's cost as with Jet's") {
    auto const s = example_ba::make_synthetic_problem(5, 60, 2024);
    REQUIRE(s.truth.observations.size() == 300);
    // The generator's observations are exact: the truth has (near) zero residuals, the start not.
    {
        auto const f = std::unique_ptr<ceres::CostFunction>(
            tg::ceres::make_cost_function<9, 3>(example_ba::snavely_residual(0.0, 0.0)));
        double r[2];
        auto const& o = s.truth.observations[123];
        double const* params[2] = {s.truth.camera(o.camera), s.truth.point(o.point)};
        REQUIRE(f->Evaluate(params, r, nullptr));
        CHECK(std::abs(r[0] - o.x) < 1e-9 * std::abs(o.x));
        CHECK(std::abs(r[1] - o.y) < 1e-9 * std::abs(o.y));
        CHECK(std::abs(o.x) > 1.0);  // the points project away from the image centre
    }
    auto const ours = solve(s.start, 2, [](double u, double v) {
        return tg::ceres::make_cost_function<9, 3>(example_ba::snavely_residual(u, v));
    });
    auto const jets = solve(s.start, 2, [](double u, double v) {
        return new ceres::AutoDiffCostFunction<reference_residual, 2, 9, 3>(new reference_residual{u, v});
    });
    CHECK(ours.summary.IsSolutionUsable());
    CHECK(ours.summary.initial_cost > 1.0);
    CHECK(ours.summary.final_cost < 1e-12);
    CHECK(jets.summary.final_cost < 1e-12);
    CHECK(ours.summary.initial_cost == doctest::Approx(jets.summary.initial_cost).epsilon(1e-12));
    // Both runs take the same steps.
    CHECK(ours.summary.iterations.size() == jets.summary.iterations.size());
    double worst = 0;
    for (std::size_t k = 0; k < s.truth.cameras.size(); ++k)
        worst = std::max(worst, std::abs(ours.solution.cameras[k] - s.truth.cameras[k]) /
                                    std::max(1.0, std::abs(s.truth.cameras[k])));
    for (std::size_t k = 0; k < s.truth.points.size(); ++k)
        worst = std::max(worst, std::abs(ours.solution.points[k] - s.truth.points[k]));
    CHECK(worst < 1e-7);
    // The start was far from it.
    CHECK(std::abs(s.start.points[0] - s.truth.points[0]) > 1e-4);
}
