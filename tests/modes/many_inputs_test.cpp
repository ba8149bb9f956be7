// A scalar expression of 64 separate inputs, with no tg::dot in it: compiles (no recursion
// whose depth grows with the number of inputs) and gives the closed-form gradient in
// reverse mode, and a forward-mode directional derivative (one lane, to keep the
// test's compile time small).
#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <utility>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

namespace {
constexpr std::size_t inputs = 64;
// sum_i c_i x_i^2 with c_i = i + 1: gradient 2 c_i x_i.
constexpr auto weighted_squares = []<std::size_t... I>(std::index_sequence<I...>) {
    return ((tg::static_const<static_cast<std::intmax_t>(I + 1)>{} * tg::var<I>{} * tg::var<I>{}) + ...);
}(std::make_index_sequence<inputs>{});
}  // namespace

TEST_CASE("64 separate inputs: reverse-mode gradient and forward-mode J v") {
    std::array<double, inputs> x{};
    double expected = 0.0;
    for (std::size_t i = 0; i < inputs; ++i) {
        x[i] = 0.25 * static_cast<double>(i) - 3.0;
        expected += static_cast<double>(i + 1) * x[i] * x[i];
    }
    auto const r = tg::gradient(weighted_squares, x);
    std::array<double, inputs> v{};
    for (std::size_t i = 0; i < inputs; ++i) v[i] = i % 2 == 0 ? 1.0 : -0.5;
    auto const f = tg::jvp(weighted_squares, x, v);
    double directional = 0.0;
    CHECK(r.value == doctest::Approx(expected).epsilon(1e-14));
    for (std::size_t i = 0; i < inputs; ++i) {
        CAPTURE(i);
        double const g = 2.0 * static_cast<double>(i + 1) * x[i];
        CHECK(r.gradient[i] == doctest::Approx(g).epsilon(1e-15));
        directional += g * v[i];
    }
    CHECK(f.value == r.value);
    CHECK(f.tangent == doctest::Approx(directional).epsilon(1e-14));
}
