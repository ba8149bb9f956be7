// Forward mode against reverse mode, part 4: deep chains.
//
// Each expression is a generic callable checked at 10,000 pseudo-random points of a
// domain where it is defined: the value is the same in every mode, the forward
// gradient equals the reverse gradient to rounding, tg::jvp along a random direction
// equals the gradient's dot product with it, and on 20 points the gradient matches
// central differences (see support/mode_check.hpp).
#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <utility>

#include <typegrad/typegrad.hpp>

#include "support/mode_check.hpp"

namespace tg = typegrad;
using namespace tg::literals;
using typegrad_test::all;
using typegrad_test::check_modes;
using typegrad_test::pos;
using typegrad_test::small;
using typegrad_test::sym;
using typegrad_test::wide;

namespace {

// K levels of y -> 0.9 sin(y) + 0.1 y with compile-time constants: y is used twice per
// level and shared by type, so the graph grows linearly (a DAG, not a tree). Kept at
// depth 12: front-end time grows about 2x per level past ~14 levels (clang) / ~21 (g++).
template <int K, class X>
auto damped_sine_chain(X const& x) {
    if constexpr (K == 0)
        return x;
    else {
        auto const y = damped_sine_chain<K - 1>(x);
        return sin(y) * tg::constant<9, 10> + y * tg::constant<1, 10>;
    }
}

// K levels of y -> cos(y / 2 + 1/3) with compile-time constants, each level used once (a tree).
template <int K, class X>
auto cosine_chain(X const& x) {
    if constexpr (K == 0)
        return x;
    else
        return cosine_chain<K - 1>(cos(x * tg::constant<1, 2> + tg::constant<1, 3>));
}

// K levels of y -> tanh(1.1 y - 0.05) with run-time constants (each level its own node).
template <int K, class X>
auto tanh_chain(X const& x) {
    if constexpr (K == 0)
        return x;
    else
        return tanh_chain<K - 1>(tanh(x * 1.1 - 0.05));
}

// K levels of a two-variable map; both variables feed both next ones.
template <int K, class A, class B>
auto coupled_chain(A const& a, B const& b) {
    if constexpr (K == 0)
        return a + b;
    else
        return coupled_chain<K - 1>(a * cos(b) * tg::constant<9, 10> + tg::constant<1, 10>,
                                    b + sin(a) * tg::constant<1, 2>);
}

// A long product of factors over four inputs, each input used three times per factor.
template <class... X>
auto long_product(X const&... x) {
    return (... * ((1.0 + 0.1 * x) * (1_c + tg::constant<1, 20> * x) * (x * 0.05 + 1.0)));
}

}  // namespace

TEST_CASE("forward == reverse: deep chains") {
    check_modes("damped sine chain, depth 12 (shared by type)", [](auto a) { return damped_sine_chain<12>(a); },
                all<1>(wide));
    check_modes("cosine chain with compile-time constants, depth 40", [](auto a) { return cosine_chain<40>(a); },
                all<1>(wide));
    check_modes("tanh chain with run-time constants, depth 30", [](auto a) { return tanh_chain<30>(a); },
                all<1>(sym));
    check_modes("coupled two-variable chain, depth 10", [](auto a, auto b) { return coupled_chain<10>(a, b); },
                all<2>(sym));
    check_modes("long product of four", [](auto... x) { return long_product(x...); }, all<4>(sym));
    check_modes("exp-log ladder",
                [](auto a, auto b) {
                    return log(exp(log1p(exp(log(a) * b * 0.5)) * 0.25) + 1_c) * sqrt(exp(log(a) - b * b));
                },
                std::array{pos, small});
}
