// Forward mode against reverse mode, part 6: wide sums and many inputs.
//
// Each expression is a generic callable checked at 10,000 pseudo-random points of a
// domain where it is defined: the value is the same in every mode, the forward
// gradient equals the reverse gradient to rounding, tg::jvp along a random direction
// equals the gradient's dot product with it, and on 20 points the gradient matches
// central differences (see support/mode_check.hpp).
#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <tuple>
#include <utility>

#include <typegrad/typegrad.hpp>

#include "support/mode_check.hpp"

namespace tg = typegrad;
using namespace tg::literals;
using typegrad_test::all;
using typegrad_test::check_modes;
using typegrad_test::pos;
using typegrad_test::shape;
using typegrad_test::sym;
using typegrad_test::wide;

namespace {

constexpr std::array<double, 12> wide_weights = [] {
    std::array<double, 12> w{};
    for (std::size_t k = 0; k < w.size(); ++k)
        w[k] = 0.25 + 0.03 * static_cast<double>(k % 7) - 0.02 * static_cast<double>(k % 5);
    return w;
}();

constexpr std::array<double, 36> quadratic_weights = [] {
    std::array<double, 36> q{};
    for (std::size_t k = 0; k < q.size(); ++k)
        q[k] = (k / 6 == k % 6 ? 1.5 : 0.0) + 0.1 * static_cast<double>((k * 7) % 11) / 11.0 - 0.05;
    return q;
}();

// sum_ij q_ij x_i x_j + sin(x_0 x_5) over six inputs.
template <class... X>
auto quadratic_form(std::array<double, 36> const& q, X const&... x) {
    static_assert(sizeof...(X) == 6);
    auto const xs = std::tuple<X...>{x...};
    auto const qf = [&]<std::size_t... I>(std::index_sequence<I...>) {
        return (... + (std::get<I / 6>(xs) * std::get<I % 6>(xs) * q[I]));
    }(std::make_index_sequence<36>{});
    return qf + sin(std::get<0>(xs) * std::get<5>(xs));
}

}  // namespace

TEST_CASE("forward == reverse: wide sums and many inputs") {
    check_modes("wide sum of 32 with compile-time weights",
                [](auto a, auto b) {
                    return [&]<std::size_t... K>(std::index_sequence<K...>) {
                        return (... + (sin(tg::constant<K + 1, 8> * a + b) * tg::constant<1, K + 1>));
                    }(std::make_index_sequence<32>{});
                },
                all<2>(sym));
    check_modes("wide sum of 12 with run-time weights",
                [w = wide_weights](auto a, auto b, auto c) {
                    return [&]<std::size_t... K>(std::index_sequence<K...>) {
                        return (... + (w[K] * pow(a * w[(K + 7) % 12] + b - c * w[(K + 3) % 12], 2_c) +
                                       cos(a * w[K] - b) * w[(K + 5) % 12]));
                    }(std::make_index_sequence<12>{});
                },
                all<3>(sym));
    check_modes("quadratic form of six", [q = quadratic_weights](auto... x) { return quadratic_form(q, x...); },
                all<6>(sym));
    check_modes("six inputs, every family",
                [](auto a, auto b, auto c, auto d, auto e, auto f) {
                    return sin(a * b) + exp(c * 0.1) * d - log(e) * f + hypot(a, f) + tanh(b - c) * sqrt(e) +
                           atan(d * f) - pow(e, c * 0.3) + max(a, d) * relu(f) + select(b > c, b, c * 2.0);
                },
                std::array{sym, sym, sym, sym, pos, sym}, shape::kinked);
    check_modes("rosenbrock in four",
                [](auto a, auto b, auto c, auto d) {
                    return 100_c * pow(b - a * a, 2_c) + pow(1_c - a, 2_c) + 100_c * pow(c - b * b, 2_c) +
                           pow(1_c - b, 2_c) + 100_c * pow(d - c * c, 2_c) + pow(1_c - c, 2_c);
                },
                all<4>(sym));
}
