// The type is the graph: structure, sharing and storage, checked at compile time
// and by counting operations at run time.
#include <doctest/doctest.h>

#include <cmath>
#include <type_traits>

#include <typegrad/typegrad.hpp>

#include "support/counting.hpp"

namespace tg = typegrad;
using namespace tg::literals;
using typegrad_test::counting;
using typegrad_test::counts;

namespace {
auto const x = tg::var<0>{};
auto const y = tg::var<1>{};

// P1 with compile-time constants: g1 is one type wherever it appears.
auto p1_static() {
    auto g1 = 3_c * x;
    auto g2 = pow(x, 2_c) + x;
    auto h1 = 2_c * g1 + 1_c;
    auto h2 = 2_c * g1 + g2;
    return pow(h1 - h2, 2_c);
}
}  // namespace

TEST_CASE("expressions without run-time constants are empty types") {
    auto f = x * y + sin(x);
    static_assert(std::is_empty_v<decltype(f)>);
    static_assert(std::is_empty_v<decltype(p1_static())>);
    static_assert(std::is_empty_v<decltype(exp(x) / (1_c + y))>);
    static_assert(std::is_trivially_copyable_v<decltype(f)>);
    // A run-time constant is stored once, and only it.
    auto g = x * 2.0 + sin(y);
    static_assert(!std::is_empty_v<decltype(g)>);
    static_assert(sizeof(g) == sizeof(double));
    CHECK(tg::value(g, 1.0, 0.0) == 2.0);
}

TEST_CASE("compile-time constants fold away") {
    static_assert(std::is_same_v<decltype(2_c * 3_c), tg::static_const<6>>);
    static_assert(std::is_same_v<decltype(1_c / 2_c + 1_c / 3_c), tg::static_const<5, 6>>);
    static_assert(std::is_same_v<decltype(x * 1_c), tg::var<0>>);
    static_assert(std::is_same_v<decltype(1_c * x), tg::var<0>>);
    static_assert(std::is_same_v<decltype(x + 0_c), tg::var<0>>);
    static_assert(std::is_same_v<decltype(x * 0_c), tg::static_const<0>>);
    static_assert(std::is_same_v<decltype(x / 1_c), tg::var<0>>);
    static_assert(std::is_same_v<decltype(-(-x)), tg::var<0>>);
    static_assert(std::is_same_v<decltype(pow(x, 1_c)), tg::var<0>>);
    static_assert(std::is_same_v<decltype(pow(x, 0_c)), tg::static_const<1>>);
    // Next to a number a compile-time constant is a number.
    static_assert(std::is_same_v<decltype(2_c * 1.5), double>);
    CHECK(2_c * 1.5 == 3.0);
    CHECK(tg::value(x * (1_c / 3_c), 3.0) == doctest::Approx(1.0));
}

TEST_CASE("a shared subexpression of empty type is one node") {
    // P1: x, 3x, x^2, x^2 + x, 2*(3x), 2*(3x) + 1, 2*(3x) + (x^2 + x), h1 - h2, (h1 - h2)^2,
    // and the constants 3, 2, 1: 12 distinct nodes, where the tree has 21.
    static_assert(tg::node_count<decltype(p1_static())> == 12);
    auto twice = sin(x) * sin(x);
    static_assert(tg::node_count<decltype(twice)> == 3);
}

TEST_CASE("nodes holding run-time constants are not merged by type, and let shares them") {
    auto a = x * 2.0;
    auto b = x * 3.0;
    static_assert(std::is_same_v<decltype(a), decltype(b)>);
    auto sum = a + b;
    // x, two distinct constants, two distinct products, the sum.
    static_assert(tg::node_count<decltype(sum)> == 6);
    CHECK(tg::value(sum, 1.0) == 5.0);
    CHECK(tg::gradient(sum, 1.0).gradient[0] == 5.0);

    auto g1 = tg::let<"g1">(x * 3.0);
    auto h = g1 * g1 + g1;
    // x, 3.0, x*3.0, let, let*let, the sum: the let node appears three times but is one node.
    static_assert(tg::node_count<decltype(h)> == 6);
    auto const [v, g] = tg::gradient(h, 2.0);
    CHECK(v == 42.0);
    CHECK(g[0] == doctest::Approx(2 * 9 * 2.0 + 3));
}

TEST_CASE("operation counting: shared nodes are computed once in every pass") {
    // f = sin(x) * sin(x) + sin(x): sin is computed once for the value.
    auto f = sin(x) * sin(x) + sin(x);
    counts = {};
    counting const v = tg::value(f, counting{0.5});
    CHECK(counts.sin == 1);
    CHECK(counts.mul == 1);
    CHECK(counts.add == 1);
    CHECK(v.v == doctest::Approx(std::sin(0.5) * std::sin(0.5) + std::sin(0.5)));

    // Reverse: sin once (value); its adjoint gathers 3 contributions (2 adds), multiplied by cos once.
    counts = {};
    auto const r = tg::gradient(f, counting{0.5});
    CHECK(counts.sin == 1);
    CHECK(r.gradient[0].v == doctest::Approx(std::cos(0.5) * (2 * std::sin(0.5) + 1)));

    // P1 with let and run-time constants: g1 = 3x is computed once even though h1 and h2 both use it.
    auto g1 = tg::let<"g1">(3.0 * x);
    auto g2 = x * x + x;
    auto h1 = 2.0 * g1 + 1.0;
    auto h2 = 2.0 * g1 + g2;
    // Without let, the two copies of h1 - h2 hold run-time constants and are computed apart:
    // 3x once (let), then per copy 2*g1 twice, and x*x once (an empty type, shared), then the square.
    auto unshared = (h1 - h2) * (h1 - h2);
    counts = {};
    (void)tg::value(unshared, counting{0.7});
    CHECK(counts.mul == 1 + 3 + 2 + 1);
    // With the difference shared too: 3x, 2*g1 twice, x*x, the square: 5 products.
    auto d = tg::let<"d">(h1 - h2);
    auto loss = d * d;
    counts = {};
    (void)tg::value(loss, counting{0.7});
    CHECK(counts.mul == 5);
    auto const [lv, lg] = tg::gradient(loss, counting{0.7});
    double const xx = 0.7;
    CHECK(lv.v == doctest::Approx((1 - xx - xx * xx) * (1 - xx - xx * xx)));
    CHECK(lg[0].v == doctest::Approx(-2 * (1 - xx - xx * xx) * (1 + 2 * xx)));
}

TEST_CASE("graph order puts children before parents and the root last") {
    using G = tg::graph<decltype(p1_static())>;
    for (std::size_t k = 0; k < G::size; ++k)
        for (std::size_t i = 0; i < G::shapes[k].arity; ++i) CHECK(G::shapes[k].child[i] < k);
    static_assert(G::root == G::size - 1);
    static_assert(G::slots == 1);
}

TEST_CASE("run-time constants are read once, block by block, whatever the sharing") {
    // Nested lets holding constants: each let's numbers are read from its first occurrence.
    auto a = tg::let<"a">(x * 2.0);
    auto b = tg::let<"b">(a * 3.0 + a);
    auto f = b * b + a * 4.0 + y * 0.5;
    using G = tg::graph<decltype(f)>;
    static_assert(G::constants == 4);
    double const xv = 0.7, yv = -1.3;
    double const av = 2 * xv, bv = 3 * av + av;
    auto const [v, g] = tg::gradient(f, xv, yv);
    CHECK(v == doctest::Approx(bv * bv + 4 * av + 0.5 * yv));
    // d/dx: b = 8x, a = 2x: 2 b * 8 + 4 * 2
    CHECK(g[0] == doctest::Approx(2 * bv * 8 + 8));
    CHECK(g[1] == doctest::Approx(0.5));
    auto const q = tg::gradient<tg::forward>(f, xv, yv);
    CHECK(q.gradient[0] == doctest::Approx(g[0]));

    // Two lets of one name and type are one node: the first occurrence's number is used.
    auto twice = tg::let<"g">(x * 2.0) + tg::let<"g">(x * 5.0);
    static_assert(tg::node_count<decltype(twice)> == 5);
    CHECK(tg::value(twice, 1.0) == 4.0);

    // Constants in the outputs of a pack, around a shared empty node.
    auto const j = tg::jacobian(tg::outputs(x * 2.0 + sin(x * y), y * 3.0 - 1.5, sin(x * y)), 0.5, 2.0);
    CHECK(j.value[0] == doctest::Approx(1.0 + std::sin(1.0)));
    CHECK(j.value[1] == doctest::Approx(4.5));
    CHECK(j.jacobian(0, 0) == doctest::Approx(2.0 + 2.0 * std::cos(1.0)));
    CHECK(j.jacobian(1, 1) == doctest::Approx(3.0));
    CHECK(j.jacobian(2, 1) == doctest::Approx(0.5 * std::cos(1.0)));

    // A callable returning a plain number is a constant root.
    auto const c = tg::gradient([](auto) { return 2.5; }, 1.0);
    CHECK(c.value == 2.5);
    CHECK(c.gradient[0] == 0.0);
}

namespace {
template <int D, class E>
auto shared_chain(E const& e) {
    if constexpr (D == 0)
        return e;
    else
        return shared_chain<D - 1>(sin(e + e));
}
}  // namespace

TEST_CASE("a deep chain shared by type is as many nodes as it is deep") {
    // As a tree this has about 2^24 nodes; as a DAG two per level.
    auto const f = shared_chain<24>(sin(x));
    static_assert(tg::node_count<decltype(f)> == 2 + 24 * 2);
    auto const [v, g] = tg::gradient(f, 0.1);
    double s = std::sin(0.1), ds = std::cos(0.1);
    for (int i = 0; i < 24; ++i) {
        ds = std::cos(2 * s) * 2 * ds;
        s = std::sin(2 * s);
    }
    CHECK(v == doctest::Approx(s));
    CHECK(g[0] == doctest::Approx(ds));
}

TEST_CASE("per-node steps are keyed on the operation, not on the graph") {
    using G = tg::graph<decltype(x * y + sin(x))>;
    // x, y, x*y, sin x, the sum: each position names its operation alone.
    static_assert(std::is_same_v<G::step_at<G::root>, tg::detail::op_step<tg::ops::add, 2>>);
    static_assert(std::is_same_v<G::step_at<0>, tg::var<0>>);
    static_assert(std::is_same_v<G::children_at<G::root>, std::index_sequence<2, 3>>);
    static_assert(std::is_same_v<G::entry_at<3>::node, decltype(sin(x))>);
    static_assert(tg::detail::index_of<G::key_map, decltype(x * y)> == 2);
}
