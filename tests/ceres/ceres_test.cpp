// A typegrad residual as a ceres::CostFunction: residuals and per-block Jacobians against Ceres's
// own AutoDiffCostFunction on a curve-fitting model, then both problems solved to the known
// parameters of noise-free data.
#include "ceres/ceres_and_doctest.hpp"  // Ceres first, glog's CHECK macros undefined

#include <cmath>
#include <memory>
#include <vector>

#include <typegrad/interop/ceres.hpp>
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

namespace {

// y = a exp(b x) + c, with (a, b) in one block and c in another.
struct model_residual {
    double x, y;
    template <class T>
    bool operator()(T const* ab, T const* c, T* r) const {
        using std::exp;
        r[0] = y - (ab[0] * exp(ab[1] * x) + c[0]);
        return true;
    }
};

auto typegrad_residual(double x, double y) {
    auto [a, b, c] = tg::vars<"a", "b", "c">();
    return tg::outputs(y - (a * exp(b * x) + c));
}

}  // namespace

TEST_CASE("a typegrad residual's Jacobian blocks equal Ceres's automatic derivatives, and both fits find the truth") {
    double const a0 = 2.0, b0 = -0.7, c0 = 0.5;
    std::vector<double> xs, ys;
    for (int i = 0; i < 25; ++i) {
        xs.push_back(0.2 * i);
        ys.push_back(a0 * std::exp(b0 * xs.back()) + c0);
    }

    // One residual block of each kind, compared at a few parameter values.
    auto* ours = tg::ceres::make_cost_function<2, 1>(typegrad_residual(xs[7], ys[7]));
    auto* theirs = new ceres::AutoDiffCostFunction<model_residual, 1, 2, 1>(new model_residual{xs[7], ys[7]});
    CHECK(ours->num_residuals() == 1);
    CHECK(ours->parameter_block_sizes() == std::vector<int>{2, 1});
    for (double s : {0.0, 0.3, -1.1}) {
        double ab[2] = {1.0 + s, -0.2 * s}, c[1] = {s};
        double const* params[2] = {ab, c};
        double r1 = 0, r2 = 0, j1a[2] = {}, j1c[1] = {}, j2a[2] = {}, j2c[1] = {};
        double* jac1[2] = {j1a, j1c};
        double* jac2[2] = {j2a, j2c};
        REQUIRE(ours->Evaluate(params, &r1, jac1));
        REQUIRE(theirs->Evaluate(params, &r2, jac2));
        CHECK(r1 == doctest::Approx(r2).epsilon(1e-15));
        CHECK(j1a[0] == doctest::Approx(j2a[0]).epsilon(1e-15));
        CHECK(j1a[1] == doctest::Approx(j2a[1]).epsilon(1e-15));
        CHECK(j1c[0] == doctest::Approx(j2c[0]).epsilon(1e-15));
        // Only the second block's Jacobian, and none at all.
        double* only_c[2] = {nullptr, j1c};
        j1c[0] = 99;
        REQUIRE(ours->Evaluate(params, &r1, only_c));
        CHECK(j1c[0] == doctest::Approx(j2c[0]).epsilon(1e-15));
        double r3 = 0;
        REQUIRE(ours->Evaluate(params, &r3, nullptr));
        CHECK(r3 == r2);
    }
    delete ours;
    delete theirs;

    // A residual that is not finite is an evaluation failure.
    {
        auto [a, b, c] = tg::vars<"a", "b", "c">();
        std::unique_ptr<ceres::CostFunction> bad(tg::ceres::make_cost_function<2, 1>(tg::outputs(log(a) + b + c)));
        double ab[2] = {-1.0, 0.0}, cc[1] = {0.0};
        double const* params[2] = {ab, cc};
        double r = 0;
        CHECK_FALSE(bad->Evaluate(params, &r, nullptr));
    }

    // The whole fit, both ways, from the same start.
    double ab1[2] = {1.0, 0.0}, c1 = 0.0, ab2[2] = {1.0, 0.0}, c2 = 0.0;
    ceres::Problem p1, p2;
    for (std::size_t i = 0; i < xs.size(); ++i) {
        p1.AddResidualBlock(tg::ceres::make_cost_function<2, 1>(typegrad_residual(xs[i], ys[i])), nullptr, ab1, &c1);
        p2.AddResidualBlock(new ceres::AutoDiffCostFunction<model_residual, 1, 2, 1>(new model_residual{xs[i], ys[i]}),
                            nullptr, ab2, &c2);
    }
    ceres::Solver::Options o;
    o.function_tolerance = 1e-16;
    o.gradient_tolerance = 1e-16;
    o.parameter_tolerance = 1e-14;
    o.max_num_iterations = 200;
    ceres::Solver::Summary s1, s2;
    ceres::Solve(o, &p1, &s1);
    ceres::Solve(o, &p2, &s2);
    CHECK(s1.IsSolutionUsable());
    CHECK(std::abs(ab1[0] - a0) < 1e-9);
    CHECK(std::abs(ab1[1] - b0) < 1e-9);
    CHECK(std::abs(c1 - c0) < 1e-9);
    CHECK(s1.iterations.size() == s2.iterations.size());
    CHECK(std::abs(ab1[0] - ab2[0]) < 1e-12);
    CHECK(std::abs(c1 - c2) < 1e-12);
}

TEST_CASE("a residual written over parameter blocks, as a Ceres functor is, gives the same cost function") {
    double const x = 0.8, y = 1.7;
    // One std::tuple of typegrad variables per block.
    auto const over_blocks = [x, y](auto const& ab, auto const& c) {
        auto const& [a, b] = ab;
        return tg::outputs(y - (a * exp(b * x) + std::get<0>(c)));
    };
    auto const over_coordinates = [x, y](auto a, auto b, auto c) { return tg::outputs(y - (a * exp(b * x) + c)); };
    std::unique_ptr<ceres::CostFunction> const blocks(tg::ceres::make_cost_function<2, 1>(over_blocks));
    std::unique_ptr<ceres::CostFunction> const blocks_reverse(
        tg::ceres::make_cost_function<2, 1>(over_blocks, tg::reverse{}));
    std::unique_ptr<ceres::CostFunction> const coordinates(tg::ceres::make_cost_function<2, 1>(over_coordinates));
    ceres::AutoDiffCostFunction<model_residual, 1, 2, 1> const jet(new model_residual{x, y});
    CHECK(blocks->num_residuals() == 1);
    CHECK(blocks->parameter_block_sizes() == std::vector<int>{2, 1});
    double ab[2] = {1.3, -0.4}, c[1] = {0.25};
    double const* params[2] = {ab, c};
    double r[4] = {}, ja[4][2] = {}, jc[4][1] = {};
    ceres::CostFunction const* fs[4] = {blocks.get(), blocks_reverse.get(), coordinates.get(), &jet};
    for (int k = 0; k < 4; ++k) {
        double* jac[2] = {ja[k], jc[k]};
        REQUIRE(fs[k]->Evaluate(params, &r[k], jac));
    }
    for (int k = 0; k < 3; ++k) {
        CHECK(r[k] == doctest::Approx(r[3]).epsilon(1e-15));
        CHECK(ja[k][0] == doctest::Approx(ja[3][0]).epsilon(1e-15));
        CHECK(ja[k][1] == doctest::Approx(ja[3][1]).epsilon(1e-15));
        CHECK(jc[k][0] == doctest::Approx(jc[3][0]).epsilon(1e-15));
    }
    CHECK(ja[0][1] != 0.0);
}
