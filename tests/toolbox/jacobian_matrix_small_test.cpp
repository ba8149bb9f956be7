// Jacobians of small vector functions f: R^n -> R^m (n * m <= 40), mostly callables returning a
// std::tuple: every check of support/jacobian_matrix_check.hpp, symbolic derivatives of every entry
// included. Folds over index sequences are in jacobian_matrix_fold_test.cpp and (up to 16 inputs and
// outputs) jacobian_matrix_wide_test.cpp; the files are split to keep each one's compile time near 30 s.
#include <doctest/doctest.h>

#include <array>
#include <tuple>

#include <typegrad/typegrad.hpp>

#include "support/jacobian_matrix_check.hpp"

namespace tg = typegrad;
using namespace tg::literals;
using namespace typegrad_test::jacobian_matrix;

// ---- Folds over index sequences (support/jacobian_matrix_check.hpp describes each family).

TEST_CASE("jacobian matrix: dense 1x1") { check_function<1>("dense 1x1", dense<1, 1>()); }
TEST_CASE("jacobian matrix: dense 2x2") { check_function<2>("dense 2x2", dense<2, 2>()); }
TEST_CASE("jacobian matrix: curve 1x3") { check_function<1>("curve 1x3", curve<3>()); }
TEST_CASE("jacobian matrix: scalar field 5x1") { check_function<5>("field 5x1", field<5>()); }
TEST_CASE("jacobian matrix: 13x3") { check_function<13>("slim 13x3", slim<13, 3>()); }
TEST_CASE("jacobian matrix: 3x13") { check_function<3>("slim 3x13", slim<3, 13>()); }

// ---- Callables returning a std::tuple, written as a user would, and other forms of several outputs.

TEST_CASE("jacobian matrix: polar to cartesian 2x2") {
    check_function<2>("polar", [](auto r, auto t) { return std::tuple{r * cos(t), r * sin(t)}; });
}

TEST_CASE("jacobian matrix: spherical to cartesian 3x3") {
    auto const f = [](auto r, auto t, auto p) {
        auto const s = r * sin(t);  // shared by the first two outputs
        return std::tuple{s * cos(p), s * sin(p), r * cos(t)};
    };
    check_function<3>("spherical", f);
}

TEST_CASE("jacobian matrix: cartesian to polar with hypot and atan2 2x2") {
    check_function<2>("to polar", [](auto x, auto y) { return std::tuple{hypot(x, y), atan2(y, x)}; }, 0.2, 2.0);
}

TEST_CASE("jacobian matrix: softmax 4x4") {
    auto const f = [](auto... x) {
        auto const total = (exp(x) + ...);  // one node, shared by the four outputs
        return std::tuple{(exp(x) / total)...};
    };
    check_function<4>("softmax", f);
}

TEST_CASE("jacobian matrix: cross product 6x3") {
    auto const f = [](auto a1, auto a2, auto a3, auto b1, auto b2, auto b3) {
        return std::tuple{a2 * b3 - a3 * b2, a3 * b1 - a1 * b3, a1 * b2 - a2 * b1};
    };
    check_function<6>("cross product", f);
}

TEST_CASE("jacobian matrix: normalisation x / sqrt(1 + |x|^2) 5x5") {
    auto const f = [](auto... x) {
        auto const inv = 1_c / sqrt(1_c + ((x * x) + ...));
        return std::tuple{(x * inv)...};
    };
    check_function<5>("normalisation", f);
}

TEST_CASE("jacobian matrix: a helix 1x3 and a speed 3x1") {
    check_function<1>("helix", [](auto t) { return std::tuple{cos(t), sin(t), t * tg::ratio<1, 2>{}}; });
    check_function<3>("speed",
                      [](auto a, auto b, auto c) { return std::tuple{sqrt(1_c + a * a + b * b + c * c) * exp(-c)}; });
}

TEST_CASE("jacobian matrix: outputs that repeat, are inputs or are constants 3x6") {
    // Outputs 0 and 3 are one node; output 2 is an input; 4 and 5 are constants (run-time and compile-time).
    auto [x, y, z] = tg::vars<3>();
    auto const f = std::tuple{x * y + exp(z), sin(y), z, x * y + exp(z), 2.5, 3_c};
    check_function<3>("repeats and constants", f);
}

TEST_CASE("jacobian matrix: std::array of one expression type with different run-time constants 2x4") {
    auto [x, y] = tg::vars<2>();
    // One type, four values: the outputs must not be merged by type.
    std::array const f{sin(x * 0.5) * y, sin(x * 1.5) * y, sin(x * -2.0) * y, sin(x * 3.0) * y};
    check_function<2>("array of one type", f);
}

TEST_CASE("jacobian matrix: a tg::let shared by every output 4x3") {
    auto [a, b, c, d] = tg::vars<4>();
    auto const s = tg::let<"s">(a * 0.7 + b * 1.3 - c * d * 0.25);
    check_function<4>("let", tg::outputs(s * s + d, sin(s) * a, exp(s * 0.5) + tanh(b * c)));
}
