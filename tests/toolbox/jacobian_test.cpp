// Jacobians, vjp and jvp of functions with several outputs, against closed forms.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <tuple>

#include <typegrad/typegrad.hpp>

#include "support/finite_difference.hpp"

namespace tg = typegrad;
using typegrad_test::close;

namespace {
// F(x, y, z) = (x y, sin z + x, exp(y z), x) and its Jacobian by hand.
auto const vf = [](auto x, auto y, auto z) { return std::tuple{x * y, sin(z) + x, exp(y * z), x}; };
tg::matrix<double, 4, 3> closed_jacobian(double x, double y, double z) {
    return {{y, x, 0,  //
             1, 0, std::cos(z),
             0, z * std::exp(y * z), y * std::exp(y * z),
             1, 0, 0}};
}
}  // namespace

TEST_CASE("jacobian: forward, reverse and automatic agree with the closed form") {
    for (auto const& p : {std::array{0.5, 1.5, -0.3}, std::array{-2.0, 0.1, 0.7}, std::array{3.0, -1.0, 2.0}}) {
        auto const expect = closed_jacobian(p[0], p[1], p[2]);
        auto const jf = tg::jacobian<tg::forward>(vf, p);
        auto const jr = tg::jacobian<tg::reverse>(vf, p);
        auto const ja = tg::jacobian(vf, p);
        for (std::size_t i = 0; i < 4; ++i)
            for (std::size_t j = 0; j < 3; ++j) {
                CAPTURE(i);
                CAPTURE(j);
                CHECK(close(jf.jacobian(i, j), expect(i, j), 1e-15));
                CHECK(close(jr.jacobian(i, j), expect(i, j), 1e-15));
            }
        CHECK(ja.jacobian == jf.jacobian);  // 3 inputs <= 4 outputs: forward is chosen
        CHECK(jf.value == jr.value);
        CHECK(jf.value[0] == p[0] * p[1]);
    }
    static_assert(std::is_same_v<tg::chosen_mode<3, 4>, tg::forward>);
    static_assert(std::is_same_v<tg::chosen_mode<8, 2>, tg::reverse>);
}

TEST_CASE("jacobian: tg::outputs, a std::tuple of expressions and a callable give the same result") {
    auto [x, y] = tg::vars<2>();
    auto const a = tg::jacobian(tg::outputs(x * y, x + y, sin(x)), 1.0, 2.0);
    auto const b = tg::jacobian(std::tuple{x * y, x + y, sin(x)}, 1.0, 2.0);
    auto const c = tg::jacobian([](auto u, auto v) { return std::tuple{u * v, u + v, sin(u)}; }, 1.0, 2.0);
    CHECK(a.jacobian == b.jacobian);
    CHECK(a.jacobian == c.jacobian);
    CHECK(a.jacobian(2, 0) == std::cos(1.0));
    CHECK(a.jacobian(2, 1) == 0.0);
}

TEST_CASE("vjp is w^T J and jvp is J v, each in one pass") {
    std::array const p{0.5, 1.5, -0.3};
    std::array const w{1.0, -2.0, 0.5, 3.0};
    std::array const v{0.25, -1.0, 2.0};
    auto const J = closed_jacobian(p[0], p[1], p[2]);
    auto const r = tg::vjp(vf, p, w);
    auto const f = tg::jvp(vf, p, v);
    for (std::size_t j = 0; j < 3; ++j) {
        double e = 0;
        for (std::size_t i = 0; i < 4; ++i) e += w[i] * J(i, j);
        CHECK(close(r.gradient[j], e, 1e-14));
    }
    for (std::size_t i = 0; i < 4; ++i) {
        double e = 0;
        for (std::size_t j = 0; j < 3; ++j) e += J(i, j) * v[j];
        CHECK(close(f.tangent[i], e, 1e-14));
    }
}

TEST_CASE("shared subexpressions across outputs are one node of one graph") {
    auto [x, y] = tg::vars<2>();
    auto const s = sin(x * y);
    auto const outs = tg::outputs(s + x, s * y, s);
    // x, y, x*y, sin, s + x, s * y: the three outputs share s.
    static_assert(tg::node_count<decltype(outs)> == 6);
    auto const j = tg::jacobian<tg::reverse>(outs, 0.3, 0.7);
    CHECK(close(j.jacobian(2, 0), 0.7 * std::cos(0.21), 1e-15));
    CHECK(close(j.jacobian(1, 1), std::sin(0.21) + 0.7 * 0.3 * std::cos(0.21), 1e-15));
}

TEST_CASE("check_jacobian agrees with finite differences and reports a wrong derivative") {
    auto const ok = tg::check_jacobian(vf, std::array{0.5, 1.5, -0.3});
    CHECK(static_cast<bool>(ok));
    CHECK(ok.max_rel_error < 1e-8);
    // A kink at the point: abs at 0 has derivative 0 by convention, while central
    // differences see the average slope 0 too; a step function's derivative is 0 but
    // the differences see the jump, so the check must fail there.
    auto [x] = tg::vars<1>();
    auto const bad = tg::check_gradient(tg::select(x > 0.0, x + 1.0, x), std::array{0.0});
    CHECK_FALSE(static_cast<bool>(bad));
    CHECK(bad.worst_input == 0);
    CHECK(bad.to_string().find("MISMATCH") != std::string::npos);
}
