// NaN through the matrix products (the BLAS path where typegrad::blas is linked): it reaches
// exactly the entries that depend on it, as the definition says, and a workspace reused after
// a call full of NaN carries none of it into the next call (buffers are written, never read
// before, so a BLAS call's beta = 0 is never applied to stale contents).
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "support/program_check.hpp"

namespace tg = typegrad;
using typegrad_test::arr;
using typegrad_test::fill_uniform;
using typegrad_test::near;

namespace {
constexpr int m = 6, k = 5, n = 7;
double at(arr<2> const& a, int i, int j) { return a.v[static_cast<std::size_t>(i * a.shape[1] + j)]; }
// C = A B and dL/dA = 2 C B^T for L = sum(C^2), by the definitions.
std::vector<double> product(arr<2> const& a, arr<2> const& b) {
    std::vector<double> c(static_cast<std::size_t>(m * n), 0.0);
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j)
            for (int p = 0; p < k; ++p) c[static_cast<std::size_t>(i * n + j)] += at(a, i, p) * at(b, p, j);
    return c;
}
std::vector<double> loss_gradient_a(arr<2> const& a, arr<2> const& b) {
    auto const c = product(a, b);
    std::vector<double> g(static_cast<std::size_t>(m * k), 0.0);
    for (int i = 0; i < m; ++i)
        for (int p = 0; p < k; ++p)
            for (int j = 0; j < n; ++j)
                g[static_cast<std::size_t>(i * k + p)] += 2.0 * c[static_cast<std::size_t>(i * n + j)] * at(b, p, j);
    return g;
}
}  // namespace

TEST_CASE("a NaN in a matrix product reaches exactly the entries that depend on it") {
    auto [A, B] = tg::vars<"A", "B">();
    arr<2> a(m, k), b(k, n), c(m, n), ga(m, k);
    fill_uniform(a, 11);
    fill_uniform(b, 12);
    a.v[static_cast<std::size_t>(2 * k + 3)] = std::numeric_limits<double>::quiet_NaN();  // A[2][3]

    tg::map(tg::matmul(A, B), c.ref(), a.cref(), b.cref());
    auto const ref = product(a, b);
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) {
            CAPTURE(i);
            CAPTURE(j);
            double const v = c.v[static_cast<std::size_t>(i * n + j)];
            if (i == 2)
                CHECK(std::isnan(v));
            else
                CHECK(near(v, ref[static_cast<std::size_t>(i * n + j)], 1e-14));
        }

    auto const loss = tg::sum(tg::square(tg::matmul(A, B)));
    tg::workspace ws;
    double const L = tg::gradient(ws, loss, tg::gradient_to(ga.ref(), tg::skip), a.cref(), b.cref());
    CHECK(std::isnan(L));
    auto const gref = loss_gradient_a(a, b);
    for (int i = 0; i < m; ++i)
        for (int p = 0; p < k; ++p) {
            CAPTURE(i);
            CAPTURE(p);
            double const g = ga.v[static_cast<std::size_t>(i * k + p)];
            if (i == 2)
                CHECK(std::isnan(g));  // row 2 of C is NaN, so is row 2 of 2 C B^T
            else
                CHECK(near(g, gref[static_cast<std::size_t>(i * k + p)], 1e-13));
        }

    SUBCASE("the same workspace, next call with finite data: no NaN left over") {
        a.v[static_cast<std::size_t>(2 * k + 3)] = 0.25;
        double const L2 = tg::gradient(ws, loss, tg::gradient_to(ga.ref(), tg::skip), a.cref(), b.cref());
        auto const c2 = product(a, b);
        double expected = 0.0;
        for (double v : c2) expected += v * v;
        CHECK(near(L2, expected, 1e-13));
        auto const g2 = loss_gradient_a(a, b);
        for (std::size_t q = 0; q < g2.size(); ++q) {
            CAPTURE(q);
            CHECK(near(ga.v[q], g2[q], 1e-13));
        }
    }
}
