// Test support: forward mode against reverse mode on one expression at many points.
//
// check_modes(name, f, domain) evaluates the callable f (of N inputs) at 10,000
// pseudo-random points of the box `domain` (a fixed seed per name) and checks at
// each point that
// - the value is the same in tg::value, forward mode, reverse mode and tg::jvp;
// - the forward gradient equals the reverse gradient to rounding (1e-12, relative
//   with an absolute floor);
// - tg::jvp along a random direction d equals sum_i g_i d_i;
// and, on the first 20 points, that the gradient matches central differences
// (1e-6). check_modes_float does the same in float (1e-5), without differences.
#pragma once

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iomanip>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>

#include <typegrad/typegrad.hpp>

#include "sweep.hpp"
#include "finite_difference.hpp"

namespace typegrad_test {

struct box {
    double lo;
    double hi;
};

// Kinked expressions (abs, relu, min, max, select, comparisons) may have a kink or a
// jump inside the finite-difference stencil; there a mismatch is allowed, and only there.
enum class shape { smooth, kinked };

inline constexpr int points_per_expression = 10000;
inline constexpr int fd_points_per_expression = 20;
inline constexpr double mode_tolerance = 1e-12;
inline constexpr double fd_tolerance = 1e-6;

// Is there a kink or a jump of f within the finite-difference stencil around x along axis i?
// Seen as a jump of the derivative across the stencil, or a value change the derivative does not explain.
template <class F, std::size_t N>
bool kink_near(F const& f, std::array<double, N> const& x, std::size_t i) {
    double const w = 2.5e-3 * (1.0 + std::abs(x[i]));  // a little wider than central_difference's 2h
    auto xm = x;
    auto xp = x;
    xm[i] -= w;
    xp[i] += w;
    auto const gm = typegrad::gradient(f, xm);
    auto const gp = typegrad::gradient(f, xp);
    bool const derivative_jumps = !close(gm.gradient[i], gp.gradient[i], 1e-2);
    double const explained = w * (gm.gradient[i] + gp.gradient[i]);
    bool const value_jumps = !close(gp.value - gm.value, explained, 1e-4);
    return derivative_jumps || value_jumps;
}

template <std::size_t N, class F>
void check_modes(char const* name, F const& f, std::array<box, N> const& domain, shape kind = shape::smooth) {
    std::mt19937_64 rng(seed_for(name));
    failure_log log;
    int fd_checked = 0;
    int fd_skipped = 0;
    for (int p = 0; p < points_per_expression; ++p) {
        std::array<double, N> x{};
        std::array<double, N> d{};
        for (std::size_t i = 0; i < N; ++i) x[i] = uniform<double>(rng, domain[i].lo, domain[i].hi);
        for (std::size_t i = 0; i < N; ++i) d[i] = uniform<double>(rng, -1.0, 1.0);

        double const v = typegrad::value(f, x);
        auto const rev = typegrad::gradient(f, x);
        auto const fwd = typegrad::gradient<typegrad::forward>(f, x);
        auto const dir = typegrad::jvp(f, x, d);

        if (!std::isfinite(v)) log.add("value is not finite", x, v, v);
        if (fwd.value != v) log.add("forward value != typegrad::value", x, fwd.value, v);
        if (rev.value != v) log.add("reverse value != typegrad::value", x, rev.value, v);
        if (dir.value != v) log.add("jvp value != typegrad::value", x, dir.value, v);
        double dot = 0;
        double magnitude = 0;
        for (std::size_t i = 0; i < N; ++i) {
            if (!std::isfinite(rev.gradient[i]))
                log.add("reverse gradient not finite, component " + std::to_string(i), x, rev.gradient[i], 0);
            if (!close(fwd.gradient[i], rev.gradient[i], mode_tolerance))
                log.add("forward != reverse, component " + std::to_string(i), x, fwd.gradient[i], rev.gradient[i]);
            dot += rev.gradient[i] * d[i];
            magnitude += std::abs(rev.gradient[i] * d[i]);
        }
        if (!close_to_scale(dir.tangent, dot, mode_tolerance, magnitude))
            log.add("jvp tangent != sum g_i d_i", x, dir.tangent, dot);

        if (p < fd_points_per_expression) {
            auto const at = [&f](std::array<double, N> const& y) { return typegrad::value(f, y); };
            for (std::size_t i = 0; i < N; ++i) {
                double const fd = central_difference(at, x, i);
                if (close(rev.gradient[i], fd, fd_tolerance))
                    ++fd_checked;
                else if (kind == shape::kinked && kink_near(f, x, i))
                    ++fd_skipped;
                else
                    log.add("gradient != central difference, component " + std::to_string(i), x, rev.gradient[i],
                            fd);
            }
        }
    }
    INFO("expression: " << std::string(name));
    INFO(log.text());
    CHECK(log.count() == 0);
    // A kink may excuse a few finite-difference points, not most of them.
    CHECK(fd_skipped * 4 <= fd_points_per_expression * static_cast<int>(N));
    CHECK(fd_checked + fd_skipped + log.count() >= fd_points_per_expression * static_cast<int>(N));
}

// Float evaluation: the same checks with a float point, forward == reverse within 1e-5.
template <std::size_t N, class F>
void check_modes_float(char const* name, F const& f, std::array<box, N> const& domain) {
    std::mt19937_64 rng(seed_for(name) ^ 0xf10a7u);
    failure_log log;
    for (int p = 0; p < points_per_expression; ++p) {
        std::array<float, N> x{};
        std::array<float, N> d{};
        for (std::size_t i = 0; i < N; ++i) x[i] = uniform<float>(rng, domain[i].lo, domain[i].hi);
        for (std::size_t i = 0; i < N; ++i) d[i] = uniform<float>(rng, -1.0, 1.0);
        float const v = typegrad::value(f, x);
        auto const rev = typegrad::gradient(f, x);
        auto const fwd = typegrad::gradient<typegrad::forward>(f, x);
        auto const dir = typegrad::jvp(f, x, d);
        static_assert(std::is_same_v<decltype(rev.gradient), std::array<float, N>>);
        static_assert(std::is_same_v<decltype(fwd.gradient), std::array<float, N>>);
        static_assert(std::is_same_v<decltype(dir.tangent), float>);
        if (!std::isfinite(v)) log.add("value is not finite", x, v, v);
        if (fwd.value != v || rev.value != v || dir.value != v) log.add("values differ between modes", x, fwd.value, v);
        double dot = 0;
        double magnitude = 0;
        for (std::size_t i = 0; i < N; ++i) {
            if (!close(fwd.gradient[i], rev.gradient[i], 1e-5))
                log.add("float forward != reverse, component " + std::to_string(i), x, fwd.gradient[i],
                        rev.gradient[i]);
            dot += static_cast<double>(rev.gradient[i]) * d[i];
            magnitude += std::abs(static_cast<double>(rev.gradient[i]) * d[i]);
        }
        if (!close_to_scale(dir.tangent, dot, 1e-5, magnitude)) log.add("float jvp != sum g_i d_i", x, dir.tangent, dot);
    }
    INFO("expression (float): " << std::string(name));
    INFO(log.text());
    CHECK(log.count() == 0);
}

// Domains.
inline constexpr box sym{-2.0, 2.0};
inline constexpr box wide{-5.0, 5.0};
inline constexpr box pos{0.1, 4.0};
inline constexpr box unit{-0.9, 0.9};
inline constexpr box small{-1.0, 1.0};

template <std::size_t N>
constexpr std::array<box, N> all(box b) {
    std::array<box, N> r{};
    for (auto& x : r) x = b;
    return r;
}

}  // namespace typegrad_test
