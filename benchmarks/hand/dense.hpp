// benchmarks/hand/dense.hpp: the two dense kernels the hand-written references need
// (matrix product and matrix-vector product, row-major, packed), in two back ends with one
// interface, so that each reference is written once and runs either on plain loops or on
// the same BLAS that typegrad::blas uses.
//
//   hand::loops   plain loops, ordered so the innermost loop is contiguous (vectorises)
//   hand::cblas   CBLAS (Debian's OpenBLAS: #include <cblas.h>, link -lopenblas); only
//                 where TYPEGRAD_HAND_CBLAS is defined. OpenBLAS threads unless told not
//                 to: a one-thread timing sets OPENBLAS_NUM_THREADS=1 or calls
//                 openblas_set_num_threads(1).
#pragma once

#include <cstddef>

#if defined(TYPEGRAD_HAND_CBLAS)
#include <cblas.h>
#endif

namespace hand {

/// Whether an operand of a product is used as stored or transposed.
enum class op { none, trans };

struct loops {
    /// C = alpha op(A) op(B) + beta C, C m x n; op(A) is m x k (A stored m x k, or k x m
    /// when transposed), op(B) is k x n (B stored k x n, or n x k). beta = 0 ignores C's
    /// old contents (no 0 * nan).
    static void gemm(op ta, op tb, std::size_t m, std::size_t n, std::size_t k, double alpha, double const* A,
                     double const* B, double beta, double* C) {
        for (std::size_t i = 0; i < m * n; ++i) C[i] = beta == 0.0 ? 0.0 : beta * C[i];
        if (tb == op::trans) {  // C[i][j] += alpha dot(row i of op(A), row j of B)
            for (std::size_t i = 0; i < m; ++i)
                for (std::size_t j = 0; j < n; ++j) {
                    double s = 0;
                    for (std::size_t p = 0; p < k; ++p) s += a_at(ta, A, m, k, i, p) * B[j * k + p];
                    C[i * n + j] += alpha * s;
                }
            return;
        }
        // C row i += alpha op(A)[i][p] * B row p: the innermost loop runs along rows of B and C.
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t p = 0; p < k; ++p) {
                double const a = alpha * a_at(ta, A, m, k, i, p);
                double const* b = B + p * n;
                double* c = C + i * n;
                for (std::size_t j = 0; j < n; ++j) c[j] += a * b[j];
            }
    }

    /// y = alpha op(A) x + beta y, A stored m x n; op(A) x has m entries (none) or n (trans).
    /// beta = 0 ignores y's old contents.
    static void gemv(op ta, std::size_t m, std::size_t n, double alpha, double const* A, double const* x,
                     double beta, double* y) {
        if (ta == op::none) {
            for (std::size_t i = 0; i < m; ++i) {
                double s = 0;
                for (std::size_t j = 0; j < n; ++j) s += A[i * n + j] * x[j];
                y[i] = alpha * s + (beta == 0.0 ? 0.0 : beta * y[i]);
            }
            return;
        }
        for (std::size_t j = 0; j < n; ++j) y[j] = beta == 0.0 ? 0.0 : beta * y[j];
        for (std::size_t i = 0; i < m; ++i) {  // y += alpha x[i] * row i: contiguous
            double const a = alpha * x[i];
            double const* row = A + i * n;
            for (std::size_t j = 0; j < n; ++j) y[j] += a * row[j];
        }
    }

private:
    // op(A)[i][p] for op(A) of m x k.
    static double a_at(op ta, double const* A, std::size_t m, std::size_t k, std::size_t i, std::size_t p) {
        return ta == op::none ? A[i * k + p] : A[p * m + i];
    }
};

#if defined(TYPEGRAD_HAND_CBLAS)
struct cblas {
    /// As loops::gemm.
    static void gemm(op ta, op tb, std::size_t m, std::size_t n, std::size_t k, double alpha, double const* A,
                     double const* B, double beta, double* C) {
        int const lda = static_cast<int>(ta == op::none ? k : m);
        int const ldb = static_cast<int>(tb == op::none ? n : k);
        cblas_dgemm(CblasRowMajor, trans(ta), trans(tb), static_cast<int>(m), static_cast<int>(n),
                    static_cast<int>(k), alpha, A, lda, B, ldb, beta, C, static_cast<int>(n));
    }

    /// As loops::gemv.
    static void gemv(op ta, std::size_t m, std::size_t n, double alpha, double const* A, double const* x,
                     double beta, double* y) {
        cblas_dgemv(CblasRowMajor, trans(ta), static_cast<int>(m), static_cast<int>(n), alpha, A,
                    static_cast<int>(n), x, 1, beta, y, 1);
    }

private:
    static CBLAS_TRANSPOSE trans(op t) { return t == op::none ? CblasNoTrans : CblasTrans; }
};
#endif

}  // namespace hand
