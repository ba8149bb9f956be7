// tg::hessian computes only the lanes that can be non-zero (forward over reverse with
// compile-time lane sets); these cases check the lane bookkeeping against symbolic
// second derivatives and closed forms.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <utility>

#include <typegrad/typegrad.hpp>

#include "support/finite_difference.hpp"

namespace tg = typegrad;
using namespace tg::literals;
using typegrad_test::close;

namespace {

// Every entry of the Hessian of f (2 inputs) against the symbolic second derivatives.
template <class F>
void check_against_symbolic(F const& f, std::array<double, 2> const& p) {
    auto [x, y] = tg::vars<2>();
    auto const [v, g, H] = tg::hessian(f, p);
    CHECK(close(v, tg::value(f, p), 1e-15));
    CHECK(g[0] == tg::gradient(f, p).gradient[0]);
    CHECK(g[1] == tg::gradient(f, p).gradient[1]);
    CHECK(H(0, 1) == H(1, 0));
    CHECK(close(H(0, 0), tg::value(tg::d(tg::d(f, x), x), p), 1e-12));
    CHECK(close(H(0, 1), tg::value(tg::d(tg::d(f, x), y), p), 1e-12));
    CHECK(close(H(1, 1), tg::value(tg::d(tg::d(f, y), y), p), 1e-12));
}

}  // namespace

TEST_CASE("hessian lanes: each operation's partials and their cross dependences") {
    auto [x, y] = tg::vars<2>();
    for (auto const& p : {std::array{0.3, -0.4}, std::array{1.2, 0.8}, std::array{-0.7, 2.0}}) {
        CAPTURE(p[0]);
        CAPTURE(p[1]);
        check_against_symbolic(x * y, p);  // multiply: partial b depends on the other operand only
        check_against_symbolic(x * y * x, p);
        check_against_symbolic(x / y + y / (x + 3_c), p);  // divide: partials through y = a / b
        check_against_symbolic(pow(x * x + 1_c, y), p);
        check_against_symbolic(sqrt(1_c + y * y) * x + exp(x * y), p);
        check_against_symbolic(tanh(x) * log(y * y + 1_c) + hypot(x, y) + erf(x * y) + tg::softplus(y), p);
        check_against_symbolic(atan2(x, y) + tg::sigmoid(x - y) + sin(x * y) * cos(y), p);
        check_against_symbolic(tg::select(x > y, x * x * y, sin(y) * x), p);
        // Run-time constants (not shared by type) and an explicitly shared let node.
        check_against_symbolic(x * 2.5 + x * y * 3.0, p);
        check_against_symbolic([](auto a, auto b) {
            auto const s = tg::let<"s">(a * b + 1.5);
            return s * s * a;
        }(x, y), p);
    }
}

TEST_CASE("hessian lanes: an input under two names, and an input the function does not use") {
    auto const x = tg::var<0>{};
    auto const x_again = tg::named<0, "x">();
    auto const z = tg::var<2>{};
    auto const f = x * x_again * z + sin(x_again);  // input 1 unused
    std::array const p{0.7, 5.0, -1.3};
    auto const H = tg::hessian(f, p).hessian;
    CHECK(close(H(0, 0), 2 * p[2] - std::sin(p[0]), 1e-15));
    CHECK(close(H(0, 2), 2 * p[0], 1e-15));
    CHECK(H(2, 0) == H(0, 2));
    CHECK(H(2, 2) == 0.0);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(H(1, i) == 0.0);
        CHECK(H(i, 1) == 0.0);
    }
}

TEST_CASE("hessian lanes: Rosenbrock 8 is the closed-form tridiagonal matrix, zeros exact") {
    auto const f = []<std::size_t... I>(std::index_sequence<I...>) {
        return ((100_c * pow(tg::var<I + 1>{} - pow(tg::var<I>{}, 2_c), 2_c) + pow(1_c - tg::var<I>{}, 2_c)) + ...);
    }(std::make_index_sequence<7>{});
    std::array const x{0.5, -1.25, 1.5, 0.75, -0.5, 2.0, -1.75, 1.0};
    auto const H = tg::hessian(f, x).hessian;
    for (std::size_t i = 0; i < 8; ++i)
        for (std::size_t j = 0; j < 8; ++j) {
            CAPTURE(i);
            CAPTURE(j);
            double want = 0.0;
            if (i == j)
                want = (i < 7 ? 1200 * x[i] * x[i] - 400 * x[i + 1] + 2 : 0.0) + (i > 0 ? 200.0 : 0.0);
            else if (j == i + 1)
                want = -400 * x[i];
            else if (i == j + 1)
                want = -400 * x[j];
            CHECK(close(H(i, j), want, 1e-14));
            if (want == 0.0) CHECK(H(i, j) == 0.0);
        }
}
