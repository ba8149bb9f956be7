// Forward mode against reverse mode, part 3: kinks, comparisons, select, shared subexpressions and let.
//
// Each expression is a generic callable checked at 10,000 pseudo-random points of a
// domain where it is defined: the value is the same in every mode, the forward
// gradient equals the reverse gradient to rounding, tg::jvp along a random direction
// equals the gradient's dot product with it, and on 20 points the gradient matches
// central differences (see support/mode_check.hpp).
#include <doctest/doctest.h>

#include <typegrad/typegrad.hpp>

#include "support/mode_check.hpp"

namespace tg = typegrad;
using namespace tg::literals;
using typegrad_test::all;
using typegrad_test::box;
using typegrad_test::check_modes;
using typegrad_test::shape;
using typegrad_test::small;
using typegrad_test::sym;
using typegrad_test::wide;

namespace {

// P1 from the reference problems, generic.
template <class X>
auto p1_loss(X x) {
    auto g1 = 3_c * x;
    auto g2 = x * x + x;
    auto h1 = 2_c * g1 + 1_c;
    auto h2 = 2_c * g1 + g2;
    return (h1 - h2) * (h1 - h2);
}

}  // namespace

TEST_CASE("forward == reverse: kinks, comparisons and select") {
    check_modes("abs and relu", [](auto a, auto b) { return abs(a - b) + relu(a * b - 0.5); }, all<2>(sym),
                shape::kinked);
    check_modes("min and max", [](auto a, auto b, auto c) { return max(a, b) - min(b, c) + max(a * 2.0, 1.0); },
                all<3>(sym), shape::kinked);
    check_modes("clamp", [](auto a) { return min(max(a, -1_c), 1_c) * a; }, all<1>(sym), shape::kinked);
    check_modes("hinge", [](auto a, auto b) { return relu(1_c - a * b) + abs(b) * 0.3; }, all<2>(sym), shape::kinked);
    check_modes("min and max at a tie", [](auto a) { return min(a, a) + max(a, a) * 2_c; }, all<1>(wide));
    check_modes("abs inside smooth functions", [](auto a, auto b) { return abs(sin(a)) * exp(-abs(b)); },
                all<2>(wide), shape::kinked);
    check_modes("select, continuous", [](auto a, auto b) { return select(a > b, a * b, b * b); }, all<2>(sym),
                shape::kinked);
    check_modes("select, nested with jumps",
                [](auto a, auto b, auto c) {
                    return select(a < 0_c, -a, select(b >= c, b - c + a, a * 1.5)) + select(c <= 0.5, c, 2.0);
                },
                all<3>(sym), shape::kinked);
    check_modes("comparisons as values", [](auto a, auto b) { return (a > b) * a + (a <= b) * b; }, all<2>(sym),
                shape::kinked);
    check_modes("equality tests", [](auto a) { return select(a != 1.0, a * a, 3.0) + (a == a) * a; }, all<1>(sym),
                shape::kinked);
    check_modes("comparison only (derivative 0)", [](auto a, auto b) { return a > b; }, all<2>(sym), shape::kinked);
    check_modes("select between numbers", [](auto a, auto b) { return select(a * b > 0.25, 1.0, -1.0) * b + a; },
                all<2>(sym), shape::kinked);
}

TEST_CASE("forward == reverse: shared subexpressions and let") {
    check_modes("let shared with run-time constants",
                [](auto a, auto b) {
                    auto const s = tg::let<"s">(a * 1.5 + b * 0.5);
                    return s * s + sin(s) - s / (1.0 + s * s);
                },
                all<2>(sym));
    check_modes("nested lets",
                [](auto a, auto b, auto c) {
                    auto const u = tg::let<"u">(a * b + 0.3);
                    auto const v = tg::let<"v">(u * c - 1.0);
                    return v * u + exp(v * 0.1) * u - tg::let<"w">(v / (2.0 + u * u)) * v;
                },
                all<3>(sym));
    check_modes("repeated run-time subtrees without let",
                [](auto a, auto b) {
                    auto const s = a * 1.5 + b * 0.5;  // holds numbers: each use is its own node
                    return s * s + sin(s) - s / (1.0 + s * s);
                },
                all<2>(sym));
    check_modes("shared empty subexpressions",
                [](auto a, auto b) {
                    auto const s = sin(a) * b;
                    auto const t = s * s + s;
                    return t * t - t + s;
                },
                all<2>(sym));
    check_modes("P1 chain rule", [](auto x) { return p1_loss(x); }, all<1>(box{-3.0, 3.0}));
    check_modes("diamond",
                [](auto a, auto b) {
                    auto const m = a * b;
                    auto const l = exp(m);
                    auto const r = log1p(m * m);
                    return l * r + l / (1_c + r);
                },
                all<2>(small));
    check_modes("one input under two names",
                [](auto a, auto b) {
                    auto const alias = tg::named<0, "alias">();
                    return a * alias + sin(alias) * b + a;
                },
                all<2>(sym));
}
