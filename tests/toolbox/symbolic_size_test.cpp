// The size of symbolic derivatives: tg::d of a 52-node expression of 4 variables stays linear in the
// size of the expression (subtrees of empty type are shared by type), to second order; and the values of
// these derivatives equal the reverse gradient and the Hessian (forward over reverse).
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <type_traits>
#include <utility>

#include <typegrad/typegrad.hpp>

#include "support/finite_difference.hpp"

namespace tg = typegrad;
using namespace tg::literals;
using typegrad_test::close;

namespace {

// Shared subexpressions s1..s5 each used several times, a mix of products, quotients, exp, tanh, sqrt,
// hypot, atan, log1p, sigmoid and integer powers, compile-time constants only (an empty type).
auto make_f() {
    auto [a, b, c, d] = tg::vars<4>();
    auto const s1 = a * b + sin(c);
    auto const s2 = exp(s1 * tg::ratio<1, 3>{}) - d * c;
    auto const s3 = tanh(s2 + a) * sqrt(1_c + b * b);
    auto const s4 = s3 / (1_c + s1 * s1) + cos(d * a);
    auto const s5 = hypot(s4, c) * pow(s2, 3_c) + atan(s1 - d);
    return s5 * s3 + log1p(s4 * s4) - tg::sigmoid(s2 * b) + s1 * (s4 - c * 2_c) + exp(-s3) * d +
           sqrt(1_c + s5 * s5) * a;
}

using F = decltype(make_f());
template <std::size_t I>
using D1 = decltype(tg::d(F{}, tg::var<I>{}));
template <std::size_t I, std::size_t J>
using D2 = decltype(tg::d(D1<I>{}, tg::var<J>{}));

static_assert(std::is_empty_v<F>);
constexpr std::size_t size_f = tg::node_count<F>;
static_assert(size_f >= 50);

// The number of nodes the expression would have as a tree (every use of a subexpression its own copy),
// a variable template so that each type is counted once.
template <class E>
struct tree_size_of {
    static constexpr double value = 1.0;
};
template <class Op, class... Cs>
struct tree_size_of<tg::node<Op, Cs...>> {
    static constexpr double value = (1.0 + ... + tree_size_of<Cs>::value);
};
template <class E>
constexpr double tree_size = tree_size_of<E>::value;

// Bounds on the derivatives' sizes (distinct nodes, tg::node_count).
//
// First derivative. d of a node is sum_k partial_k * d(operand_k), each partial an expression of the node
// and its operands (the rule's `partials`, shared with the numeric modes). Those are already nodes of f,
// and being of empty type they are the same nodes in the derivative, so each node of f adds only a
// constant number of new nodes: a sum none but one +, a product two products and a sum (b da + a db),
// sin a cos and a product, tanh 1 - y^2 (three nodes) and a product, a quotient 1/v and -y/v (three)
// with two products and a sum. Operands that do not depend on the variable add nothing (0_c folds away),
// and f's nodes themselves count again where the derivative uses them. Here sums and products dominate:
// |d f| is about 2.1 |f| (measured 94..109 for |f| = 52). The test asserts |d f| <= 3 |f|: linear, with
// room for rounding of the mix of operations, where the tree form would grow with every reuse.
//
// Second derivative: the same argument applied to d f (whose nodes are again of empty type), so
// |d d f| <= 3 |d f|; measured 2.2 |d f| at most (165..237 nodes), i.e. at most 4.6 |f|, asserted <= 6 |f|.
//
// As trees (every use of a subexpression its own copy) the same expressions are far larger: f about 440
// nodes, d f about 2,700, d d f about 20,000; the tree sizes are asserted to exceed 4x, 10x and 40x the
// distinct nodes, which is what shows the sharing at work.
constexpr std::size_t first_order_factor = 3;
constexpr std::size_t second_order_factor = 3;
constexpr std::size_t second_order_factor_of_f = 6;

template <std::size_t I>
constexpr bool first_derivative_small() {
    static_assert(tg::node_count<D1<I>> <= first_order_factor * size_f, "first derivative more than 3x |f|");
    // It reuses f's nodes: f and d f together are fewer nodes than the two apart.
    static_assert(tg::node_count<decltype(tg::outputs(F{}, D1<I>{}))> < size_f + tg::node_count<D1<I>>);
    // Sharing is what keeps it small: as a tree, d f is far larger than as a graph.
    static_assert(tree_size<D1<I>> > 10.0 * tg::node_count<D1<I>>);
    return true;
}

template <std::size_t I, std::size_t J>
constexpr bool second_derivative_small() {
    static_assert(tg::node_count<D2<I, J>> <= second_order_factor * tg::node_count<D1<I>>,
                  "second derivative more than 3x the first");
    static_assert(tg::node_count<D2<I, J>> <= second_order_factor_of_f * size_f, "second derivative more than 6x |f|");
    static_assert(tree_size<D2<I, J>> > 40.0 * tg::node_count<D2<I, J>>);
    return true;
}

static_assert(first_derivative_small<0>() && first_derivative_small<1>() && first_derivative_small<2>() &&
              first_derivative_small<3>());
static_assert([]<std::size_t... K>(std::index_sequence<K...>) {
    return (second_derivative_small<K / 4, K % 4>() && ...);
}(std::make_index_sequence<16>{}));

// f itself is a DAG: as a tree it would be larger.
static_assert(tree_size<F> > 4.0 * size_f);

constexpr std::array<std::array<double, 4>, 4> points{{
    {0.3, -0.7, 0.5, 1.1},
    {-1.2, 0.4, -0.3, 0.2},
    {0.9, 1.3, 1.0, -0.6},
    {-0.5, -0.2, 0.8, -1.4},
}};

}  // namespace

TEST_CASE("symbolic size: first derivatives equal the reverse and forward gradients") {
    auto const f = make_f();
    for (auto const& p : points) {
        CAPTURE(p[0]);
        CAPTURE(p[1]);
        CAPTURE(p[2]);
        CAPTURE(p[3]);
        auto const rev = tg::gradient(f, p);
        auto const fwd = tg::gradient<tg::forward>(f, p);
        std::array const sym{tg::value(D1<0>{}, p), tg::value(D1<1>{}, p), tg::value(D1<2>{}, p),
                             tg::value(D1<3>{}, p)};
        for (std::size_t i = 0; i < 4; ++i) {
            CAPTURE(i);
            INFO("symbolic ", sym[i], ", reverse ", rev.gradient[i], ", forward ", fwd.gradient[i]);
            CHECK(std::isfinite(sym[i]));
            CHECK(close(sym[i], rev.gradient[i], 1e-12));
            CHECK(close(sym[i], fwd.gradient[i], 1e-12));
            // And an independent check: a central difference of the value.
            auto const value_at = [&f](std::array<double, 4> const& q) { return tg::value(f, q); };
            double const fd = typegrad_test::central_difference(value_at, p, i);
            CHECK(close(sym[i], fd, 1e-6));
        }
    }
}

TEST_CASE("symbolic size: second derivatives equal the Hessian entries") {
    for (auto const& p : points) {
        CAPTURE(p[0]);
        CAPTURE(p[1]);
        CAPTURE(p[2]);
        CAPTURE(p[3]);
        auto const h = tg::hessian(make_f(), p);
        auto const sym = [&]<std::size_t... K>(std::index_sequence<K...>) {
            return std::array<double, 16>{tg::value(D2<K / 4, K % 4>{}, p)...};
        }(std::make_index_sequence<16>{});
        for (std::size_t i = 0; i < 4; ++i)
            for (std::size_t j = 0; j < 4; ++j) {
                CAPTURE(i);
                CAPTURE(j);
                INFO("symbolic ", sym[4 * i + j], ", hessian ", h.hessian(i, j));
                CHECK(std::isfinite(sym[4 * i + j]));
                CHECK(close(sym[4 * i + j], h.hessian(i, j), 1e-11));
                // The symbolic mixed partials are different expressions; they agree to rounding.
                CHECK(close(sym[4 * i + j], sym[4 * j + i], 1e-11));
            }
        // The Hessian's gradient is the first derivative.
        CHECK(close(h.gradient[2], tg::value(D1<2>{}, p), 1e-12));
    }
}
