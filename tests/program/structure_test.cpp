// Slices, transposes, reshapes, concatenation and gathering: values against index
// arithmetic written here, adjoints against central differences, bounds errors.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "support/program_check.hpp"

namespace tg = typegrad;
using namespace typegrad::literals;
using typegrad_test::arr;
using typegrad_test::fill_uniform;
using typegrad_test::gradient_error;
using typegrad_test::near;

TEST_CASE("Rosenbrock by slices equals the hand-written sum and gradient") {
    auto [x] = tg::vars<"x">();
    auto const xs = tg::slice(x, 1, tg::end);
    auto const xp = tg::slice(x, 0, tg::end - 1);
    auto const rosen = tg::sum(100.0 * tg::square(xs - xp * xp) + tg::square(1.0 - xp));
    for (int n : {2, 3, 17, 1000}) {
        arr<1> v(n), g(n);
        fill_uniform(v, static_cast<std::uint64_t>(n), -1.5, 1.5);
        double ref = 0;
        std::vector<double> gr(static_cast<std::size_t>(n), 0.0);
        for (int i = 0; i + 1 < n; ++i) {
            double const a = v.v[static_cast<std::size_t>(i)], b = v.v[static_cast<std::size_t>(i + 1)];
            ref += 100 * (b - a * a) * (b - a * a) + (1 - a) * (1 - a);
            gr[static_cast<std::size_t>(i)] += -400 * a * (b - a * a) - 2 * (1 - a);
            gr[static_cast<std::size_t>(i + 1)] += 200 * (b - a * a);
        }
        double const value = tg::gradient(rosen, tg::gradient_to(g.ref()), v.cref());
        CHECK(near(value, ref, 1e-13));
        for (std::size_t i = 0; i < gr.size(); ++i) CHECK(near(g.v[i], gr[i], 1e-13));
    }
    SUBCASE("compile-time bounds give the same numbers and print as written") {
        auto const r2 = tg::sum(100.0 * tg::square(tg::slice(x, 1_c, tg::end) - tg::square(tg::slice(x, 0_c, tg::end - 1_c))));
        CHECK(tg::to_string(r2) == "sum((100 * square((slice(x, 1_c, end) - square(slice(x, 0_c, end - 1_c))))))");
        arr<1> v(6);
        fill_uniform(v, 3);
        double ref = 0;
        for (int i = 0; i + 1 < 6; ++i) {
            double const a = v.v[static_cast<std::size_t>(i)], b = v.v[static_cast<std::size_t>(i + 1)];
            ref += 100 * (b - a * a) * (b - a * a);
        }
        CHECK(near(tg::value(r2, v.cref()), ref, 1e-13));
        static_assert(std::is_empty_v<decltype(tg::slice(x, 1_c, tg::end))>, "compile-time bounds live in the type");
    }
}

TEST_CASE("slices along an axis, of expressions, and their adjoints") {
    auto [a] = tg::vars<"a">();
    arr<2> m(4, 6);
    fill_uniform(m, 4);
    auto f = tg::sum(exp(tg::slice(a * 2.0, tg::axis<1>, 2, tg::end - 1)) * tg::slice(a, tg::axis<1>, 1, 4));
    double ref = 0;
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 3; ++j) ref += std::exp(2.0 * m.v[static_cast<std::size_t>(i * 6 + 2 + j)]) * m.v[static_cast<std::size_t>(i * 6 + 1 + j)];
    CHECK(near(tg::value(f, m.cref()), ref, 1e-13));
    arr<2> g(4, 6);
    tg::gradient(f, tg::gradient_to(g.ref()), m.cref());
    CHECK(gradient_error([&] { return tg::value(f, m.cref()); }, m, g) < 1e-8);
    CHECK(tg::to_string(tg::slice(a, tg::axis<1>, 2, tg::end - 1)) == "slice(a, axis=1, 2, end - 1)");
}

TEST_CASE("slice bounds out of range are refused before anything is written") {
    auto [x] = tg::vars<"x">();
    std::vector<double> v(5, 1.0), g(5, 42.0), out(3, 42.0);
    CHECK_THROWS_WITH_AS(tg::value(tg::sum(tg::slice(x, 2, 7)), v),
                         doctest::Contains("slice(x, 2, 7): the slice bounds are out of range"), std::invalid_argument);
    CHECK_THROWS_AS(tg::gradient(tg::sum(tg::slice(x, 4, 2)), tg::gradient_to(g), v), std::invalid_argument);
    CHECK_THROWS_AS(tg::gradient(tg::sum(tg::slice(x, -1, 2)), tg::gradient_to(g), v), std::invalid_argument);
    CHECK_THROWS_AS(tg::map(tg::slice(x, 0, tg::end - 6) * 2.0, out, v), std::invalid_argument);
    for (double q : g) CHECK(q == 42.0);
    for (double q : out) CHECK(q == 42.0);
}

TEST_CASE("transpose, reshape, concat and take") {
    auto [a, b] = tg::vars<"a", "b">();
    arr<2> m(3, 4), n(3, 2);
    fill_uniform(m, 5);
    fill_uniform(n, 6);
    auto M = [&](int i, int j) { return m.v[static_cast<std::size_t>(i * 4 + j)]; };

    arr<2> t(4, 3);
    tg::map(tg::transpose(a) * 1.0, t.ref(), m.cref());
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 4; ++j) CHECK(t.v[static_cast<std::size_t>(j * 3 + i)] == M(i, j));

    arr<2> r(2, 6);
    tg::map(tg::reshape(tg::transpose(a), 2, -1), r.ref(), m.cref());  // row-major order of the transpose
    for (int q = 0; q < 12; ++q) CHECK(r.v[static_cast<std::size_t>(q)] == M(q % 3, q / 3));

    arr<2> c(3, 6);
    tg::map(tg::concat(tg::axis<1>, a, b), c.ref(), m.cref(), n.cref());
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 6; ++j)
            CHECK(c.v[static_cast<std::size_t>(i * 6 + j)] == (j < 4 ? M(i, j) : n.v[static_cast<std::size_t>(i * 2 + j - 4)]));

    std::vector<int> idx{2, 0, 2};
    arr<2> taken(3, 4);
    tg::map(tg::take(a, b), taken.ref(), m.cref(), idx);
    for (int q = 0; q < 3; ++q)
        for (int j = 0; j < 4; ++j) CHECK(taken.v[static_cast<std::size_t>(q * 4 + j)] == M(idx[static_cast<std::size_t>(q)], j));

    SUBCASE("adjoints of each against central differences") {
        auto f = tg::sum(sin(tg::reshape(tg::transpose(a), 6, 2)) * tg::concat(b, b * b));
        arr<2> ga(3, 4), gb(3, 2);
        tg::gradient(f, tg::gradient_to(ga.ref(), gb.ref()), m.cref(), n.cref());
        auto value = [&] { return tg::value(f, m.cref(), n.cref()); };
        CHECK(gradient_error(value, m, ga) < 1e-8);
        CHECK(gradient_error(value, n, gb) < 1e-8);

        auto h = tg::sum(square(tg::take(a * 3.0, b)));
        arr<2> gh(3, 4);
        tg::gradient(h, tg::gradient_to(gh.ref(), tg::skip), m.cref(), idx);
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 4; ++j) {
                double const times = i == 2 ? 2.0 : i == 0 ? 1.0 : 0.0;  // row 2 taken twice, row 1 never
                CHECK(near(gh.v[static_cast<std::size_t>(i * 4 + j)], times * 18.0 * M(i, j), 1e-14));
            }
    }
    SUBCASE("errors: concat extents, reshape counts, indices out of range") {
        arr<2> bad(2, 2);
        CHECK_THROWS_WITH_AS(tg::map(tg::concat(tg::axis<1>, a, b), c.ref(), m.cref(), bad.cref()),
                             doctest::Contains("concat(a, b): the extents of the joined arrays differ"), std::invalid_argument);
        CHECK_THROWS_WITH_AS(tg::value(tg::sum(tg::reshape(a, 5, -1)), m.cref()),
                             doctest::Contains("not a multiple"), std::invalid_argument);
        std::vector<int> out_of_range{0, 3};
        CHECK_THROWS_WITH_AS(tg::value(tg::sum(tg::take(a, b)), m.cref(), out_of_range),
                             doctest::Contains("take(a, b): an index is out of range"), std::invalid_argument);
    }
}
