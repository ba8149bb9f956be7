// Eigen fixed-size vectors as points, Eigen results; std::span points.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <span>

#include <typegrad/interop/eigen.hpp>
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

TEST_CASE("Eigen and std::span points give the same results as std::array points") {
    auto [x, y] = tg::vars<2>();
    auto const f = x * x * y + sin(y);
    Eigen::Vector2d const p(0.5, 1.5);
    std::array<double, 2> const a{0.5, 1.5};
    std::span<double const, 2> const s(a);
    auto const ref = tg::gradient(f, a);
    CHECK(tg::gradient(f, p).gradient == ref.gradient);
    CHECK(tg::gradient(f, s).gradient == ref.gradient);
    CHECK(tg::value(f, p) == ref.value);

    auto const g = tg::eigen::gradient(f, p);
    CHECK(g.gradient(0) == 2 * 0.5 * 1.5);
    CHECK(g.gradient(1) == 0.25 + std::cos(1.5));

    auto const h = tg::eigen::hessian(f, p);
    CHECK(h.hessian(0, 0) == 3.0);
    CHECK(h.hessian(0, 1) == 1.0);
    CHECK(h.hessian(1, 1) == -std::sin(1.5));

    auto const j = tg::eigen::jacobian(tg::outputs(x * y, exp(x)), p);
    static_assert(decltype(j.jacobian)::RowsAtCompileTime == 2 && decltype(j.jacobian)::ColsAtCompileTime == 2);
    CHECK(j.jacobian(0, 1) == 0.5);
    CHECK(j.jacobian(1, 0) == std::exp(0.5));
}
