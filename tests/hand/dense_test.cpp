// benchmarks/hand/dense.hpp: both back ends against the textbook triple loop.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "benchmarks/hand/dense.hpp"
#include "hand/central_difference.hpp"
#include "support/finite_difference.hpp"

namespace {
using hand::op;

// C = alpha op(A) op(B) + beta C, element by element, straight from the definition.
std::vector<double> naive_gemm(op ta, op tb, std::size_t m, std::size_t n, std::size_t k, double alpha,
                               std::vector<double> const& A, std::vector<double> const& B, double beta,
                               std::vector<double> C) {
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            double s = 0;
            for (std::size_t p = 0; p < k; ++p) {
                double const a = ta == op::none ? A[i * k + p] : A[p * m + i];
                double const b = tb == op::none ? B[p * n + j] : B[j * k + p];
                s += a * b;
            }
            C[i * n + j] = alpha * s + (beta == 0.0 ? 0.0 : beta * C[i * n + j]);
        }
    return C;
}

template <class Dense>
void check_gemm() {
    std::size_t const m = 5, n = 7, k = 3;
    auto const A = hand_test::uniform_vector(m * k, -1, 1, "gemm A");
    auto const B = hand_test::uniform_vector(k * n, -1, 1, "gemm B");
    auto const C0 = hand_test::uniform_vector(m * n, -1, 1, "gemm C");
    for (op ta : {op::none, op::trans})
        for (op tb : {op::none, op::trans})
            for (double beta : {0.0, 1.0, -0.5}) {
                CAPTURE(static_cast<int>(ta));
                CAPTURE(static_cast<int>(tb));
                CAPTURE(beta);
                auto const want = naive_gemm(ta, tb, m, n, k, 1.5, A, B, beta, C0);
                auto got = C0;
                Dense::gemm(ta, tb, m, n, k, 1.5, A.data(), B.data(), beta, got.data());
                for (std::size_t i = 0; i < m * n; ++i) CHECK(typegrad_test::close(got[i], want[i], 1e-14));
            }
    // beta = 0 ignores what C held, even nan.
    std::vector<double> C(m * n, std::numeric_limits<double>::quiet_NaN());
    Dense::gemm(op::none, op::none, m, n, k, 1.0, A.data(), B.data(), 0.0, C.data());
    for (double v : C) CHECK(std::isfinite(v));
}

template <class Dense>
void check_gemv() {
    std::size_t const m = 6, n = 9;
    auto const A = hand_test::uniform_vector(m * n, -1, 1, "gemv A");
    auto const x = hand_test::uniform_vector(n, -1, 1, "gemv x");
    auto const xt = hand_test::uniform_vector(m, -1, 1, "gemv xt");
    for (double beta : {0.0, 2.0}) {
        std::vector<double> y(m, 0.25), yt(n, -0.75);
        Dense::gemv(op::none, m, n, 0.5, A.data(), x.data(), beta, y.data());
        Dense::gemv(op::trans, m, n, 0.5, A.data(), xt.data(), beta, yt.data());
        for (std::size_t i = 0; i < m; ++i) {
            double s = 0;
            for (std::size_t j = 0; j < n; ++j) s += A[i * n + j] * x[j];
            CHECK(typegrad_test::close(y[i], 0.5 * s + beta * 0.25, 1e-14));
        }
        for (std::size_t j = 0; j < n; ++j) {
            double s = 0;
            for (std::size_t i = 0; i < m; ++i) s += A[i * n + j] * xt[i];
            CHECK(typegrad_test::close(yt[j], 0.5 * s + beta * -0.75, 1e-14));
        }
    }
    std::vector<double> y(m, std::numeric_limits<double>::quiet_NaN());
    Dense::gemv(op::none, m, n, 1.0, A.data(), x.data(), 0.0, y.data());
    for (double v : y) CHECK(std::isfinite(v));
}
}  // namespace

TEST_CASE("hand::loops: gemm and gemv, every transpose and beta, match the definition") {
    check_gemm<hand::loops>();
    check_gemv<hand::loops>();
}

#if defined(TYPEGRAD_HAND_CBLAS)
TEST_CASE("hand::cblas: gemm and gemv, every transpose and beta, match the definition") {
    check_gemm<hand::cblas>();
    check_gemv<hand::cblas>();
}
#endif
