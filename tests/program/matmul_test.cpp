// tg::matmul and tg::dot: values against loops written here for every rank
// combination, strided (transposed) operands, adjoints against central differences,
// and shape errors that name the operation and both shapes.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "support/program_check.hpp"

namespace tg = typegrad;
using typegrad_test::arr;
using typegrad_test::fill_uniform;
using typegrad_test::gradient_error;
using typegrad_test::near;

namespace {
// C = A B by the definition.
std::vector<double> naive(std::vector<double> const& a, std::vector<double> const& b, int m, int k, int n) {
    std::vector<double> c(static_cast<std::size_t>(m * n), 0.0);
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j)
            for (int p = 0; p < k; ++p) c[static_cast<std::size_t>(i * n + j)] += a[static_cast<std::size_t>(i * k + p)] * b[static_cast<std::size_t>(p * n + j)];
    return c;
}
}  // namespace

TEST_CASE("matmul values for every rank combination") {
    auto [A, B] = tg::vars<"A", "B">();
    arr<2> a(4, 3), b(3, 5);
    fill_uniform(a, 1);
    fill_uniform(b, 2);
    auto const ref = naive(a.v, b.v, 4, 3, 5);

    arr<2> c(4, 5);
    tg::map(tg::matmul(A, B), c.ref(), a.cref(), b.cref());
    for (std::size_t i = 0; i < ref.size(); ++i) CHECK(near(c.v[i], ref[i], 1e-14));

    SUBCASE("matrix times vector, vector times matrix, vector times vector") {
        arr<1> x(3), y(4);
        fill_uniform(x, 3);
        fill_uniform(y, 4);
        arr<1> ax(4), ya(3);
        tg::map(tg::matmul(A, B), ax.ref(), a.cref(), x.cref());
        tg::map(tg::matmul(B, A), ya.ref(), a.cref(), y.cref());  // y^T A: B is slot 1 = y
        for (int i = 0; i < 4; ++i) {
            double s = 0;
            for (int p = 0; p < 3; ++p) s += a.v[static_cast<std::size_t>(i * 3 + p)] * x.v[static_cast<std::size_t>(p)];
            CHECK(near(ax.v[static_cast<std::size_t>(i)], s, 1e-14));
        }
        for (int j = 0; j < 3; ++j) {
            double s = 0;
            for (int i = 0; i < 4; ++i) s += y.v[static_cast<std::size_t>(i)] * a.v[static_cast<std::size_t>(i * 3 + j)];
            CHECK(near(ya.v[static_cast<std::size_t>(j)], s, 1e-14));
        }
        double const xx = tg::value(tg::matmul(A, B), x.cref(), x.cref());
        CHECK(near(xx, x.v[0] * x.v[0] + x.v[1] * x.v[1] + x.v[2] * x.v[2], 1e-14));
    }
    SUBCASE("batched: (b, m, k) x (b, k, n) and (b, m, k) x (k, n)") {
        arr<3> p(2, 4, 3), q(2, 3, 5);
        fill_uniform(p, 5);
        fill_uniform(q, 6);
        arr<3> r(2, 4, 5), s(2, 4, 5);
        tg::map(tg::matmul(A, B), r.ref(), p.cref(), q.cref());
        tg::map(tg::matmul(A, B), s.ref(), p.cref(), b.cref());
        for (int batch = 0; batch < 2; ++batch) {
            std::vector<double> pb(p.v.begin() + batch * 12, p.v.begin() + (batch + 1) * 12);
            std::vector<double> qb(q.v.begin() + batch * 15, q.v.begin() + (batch + 1) * 15);
            auto const rb = naive(pb, qb, 4, 3, 5);
            auto const sb = naive(pb, b.v, 4, 3, 5);
            for (std::size_t i = 0; i < 20; ++i) {
                CHECK(near(r.v[static_cast<std::size_t>(batch * 20) + i], rb[i], 1e-14));
                CHECK(near(s.v[static_cast<std::size_t>(batch * 20) + i], sb[i], 1e-14));
            }
        }
    }
    SUBCASE("a transposed operand is read through its strides") {
        arr<2> bt(5, 3);  // b^T stored
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 5; ++j) bt.v[static_cast<std::size_t>(j * 3 + i)] = b.v[static_cast<std::size_t>(i * 5 + j)];
        arr<2> c2(4, 5);
        tg::map(tg::matmul(A, tg::transpose(B)), c2.ref(), a.cref(), bt.cref());
        for (std::size_t i = 0; i < ref.size(); ++i) CHECK(near(c2.v[i], ref[i], 1e-14));
        arr<2> c3(4, 5);
        tg::map(tg::matmul(A, B), c3.ref(), a.cref(), tg::transposed(bt.cref()));
        for (std::size_t i = 0; i < ref.size(); ++i) CHECK(near(c3.v[i], ref[i], 1e-14));
    }
}

TEST_CASE("matmul adjoints against central differences") {
    auto [A, B, C] = tg::vars<"A", "B", "C">();
    arr<2> a(4, 3), b(3, 5), w(4, 5);
    fill_uniform(a, 7);
    fill_uniform(b, 8);
    fill_uniform(w, 9);
    auto f = tg::sum(tanh(tg::matmul(A, B)) * C);
    arr<2> ga(4, 3), gb(3, 5);
    tg::gradient(f, tg::gradient_to(ga.ref(), gb.ref(), tg::skip), a.cref(), b.cref(), w.cref());
    auto value = [&] { return tg::value(f, a.cref(), b.cref(), w.cref()); };
    CHECK(gradient_error(value, a, ga) < 1e-8);
    CHECK(gradient_error(value, b, gb) < 1e-8);

    SUBCASE("through a transpose, a vector and a batch sharing one matrix") {
        arr<1> x(4);
        fill_uniform(x, 10);
        auto g = tg::sum(exp(tg::matmul(tg::transpose(A), B)) * 0.1);  // A^T x
        arr<2> ga2(4, 3);
        arr<1> gx(4);
        tg::gradient(g, tg::gradient_to(ga2.ref(), gx.ref()), a.cref(), x.cref());
        auto v2 = [&] { return tg::value(g, a.cref(), x.cref()); };
        CHECK(gradient_error(v2, a, ga2) < 1e-8);
        CHECK(gradient_error(v2, x, gx) < 1e-8);

        arr<3> p(2, 4, 3);
        fill_uniform(p, 11);
        auto h = tg::sum(sin(tg::matmul(A, B)));
        arr<3> gp(2, 4, 3);
        arr<2> gb2(3, 5);
        tg::gradient(h, tg::gradient_to(gp.ref(), gb2.ref()), p.cref(), b.cref());
        auto v3 = [&] { return tg::value(h, p.cref(), b.cref()); };
        CHECK(gradient_error(v3, p, gp) < 1e-8);
        CHECK(gradient_error(v3, b, gb2) < 1e-8);
    }
}

TEST_CASE("dot contracts the last axis and broadcasts the others, operands may be expressions") {
    auto [A, x] = tg::vars<"A", "x">();
    arr<2> a(3, 4);
    arr<1> v(4);
    fill_uniform(a, 12);
    fill_uniform(v, 13);
    auto f = tg::sum(square(tg::dot(exp(A), x * 2.0)));
    double ref = 0;
    for (int i = 0; i < 3; ++i) {
        double s = 0;
        for (int k = 0; k < 4; ++k) s += std::exp(a.v[static_cast<std::size_t>(i * 4 + k)]) * 2.0 * v.v[static_cast<std::size_t>(k)];
        ref += s * s;
    }
    CHECK(near(tg::value(f, a.cref(), v.cref()), ref, 1e-13));
    arr<2> ga(3, 4);
    arr<1> gv(4);
    tg::gradient(f, tg::gradient_to(ga.ref(), gv.ref()), a.cref(), v.cref());
    auto value = [&] { return tg::value(f, a.cref(), v.cref()); };
    CHECK(gradient_error(value, a, ga) < 1e-8);
    CHECK(gradient_error(value, v, gv) < 1e-8);
}

TEST_CASE("matmul shape errors name the operation and both shapes, nothing is written") {
    auto [X, W] = tg::vars<"X", "W">();
    arr<2> x(5, 3), w(4, 10), out(5, 10);
    out.v.assign(out.v.size(), 42.0);
    try {
        tg::map(tg::matmul(X, W), out.ref(), x.cref(), w.cref());
        FAIL("no exception");
    } catch (std::invalid_argument const& e) {
        std::string const m = e.what();
        CHECK(m.find("matmul(X, W)") != std::string::npos);
        CHECK(m.find("(5, 3)") != std::string::npos);
        CHECK(m.find("(4, 10)") != std::string::npos);
    }
    for (double v : out.v) CHECK(v == 42.0);
    arr<2> gx(5, 3);
    gx.v.assign(gx.v.size(), 7.0);
    CHECK_THROWS_AS(tg::gradient(tg::sum(tg::matmul(X, W)), tg::gradient_to(gx.ref(), tg::skip), x.cref(), w.cref()),
                    std::invalid_argument);
    for (double v : gx.v) CHECK(v == 7.0);
}
