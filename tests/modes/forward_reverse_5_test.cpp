// Forward mode against reverse mode, part 5: float evaluation, and exact zeros.
//
// Each expression is a generic callable checked at 10,000 pseudo-random points of a
// domain where it is defined: the value is the same in every mode, the forward
// gradient equals the reverse gradient to rounding, tg::jvp along a random direction
// equals the gradient's dot product with it, and on 20 points the gradient matches
// central differences (see support/mode_check.hpp).
#include <doctest/doctest.h>

#include <array>

#include <typegrad/typegrad.hpp>

#include "support/mode_check.hpp"

namespace tg = typegrad;
using namespace tg::literals;
using typegrad_test::all;
using typegrad_test::check_modes_float;
using typegrad_test::pos;
using typegrad_test::sym;

namespace {

// K levels of y -> tanh(1.1 y - 0.05) with run-time constants (each level its own node).
template <int K, class X>
auto tanh_chain(X const& x) {
    if constexpr (K == 0)
        return x;
    else
        return tanh_chain<K - 1>(tanh(x * 1.1 - 0.05));
}

}  // namespace

TEST_CASE("forward == reverse in float") {
    check_modes_float("float: sin cos and run-time constants",
                      [](auto a, auto b) { return sin(a) * cos(b) + 0.5 * a * b - 2 * b; }, all<2>(sym));
    check_modes_float("float: exp log sqrt", [](auto a, auto b) { return log(a) * exp(-b) + sqrt(a + b * b); },
                      std::array{pos, sym});
    check_modes_float("float: let and activations",
                      [](auto a, auto b, auto c) {
                          auto const s = tg::let<"s">(a * 0.5 - b * c);
                          return sigmoid(s) * tanh(s) + softplus(c - s) + erf(s * 0.3);
                      },
                      all<3>(sym));
    check_modes_float("float: tanh chain", [](auto a) { return tanh_chain<10>(a); }, all<1>(sym));
    check_modes_float("float: kinks and select",
                      [](auto a, auto b) { return max(a, b) * relu(a) + select(a < b, abs(b), b * a); }, all<2>(sym));
}

TEST_CASE("forward == reverse: exact zeros for inputs an expression does not use") {
    auto const f = [](auto a, auto b, auto) { return a * b + sin(a); };
    for (double x : {-1.0, 0.0, 0.5, 2.0}) {
        auto const r = tg::gradient(f, x, 1.5, 2.5);
        auto const fw = tg::gradient<tg::forward>(f, x, 1.5, 2.5);
        CHECK(r.gradient[2] == 0.0);
        CHECK(fw.gradient[2] == 0.0);
        auto const c = tg::gradient([](auto a) { return a > 1.0; }, x);
        auto const cf = tg::gradient<tg::forward>([](auto a) { return a > 1.0; }, x);
        CHECK(c.gradient[0] == 0.0);
        CHECK(cf.gradient[0] == 0.0);
    }
}
