// typegrad/ops/gemm.hpp: C = beta C + A B for matrices with any strides, the kernel
// under tg::matmul and its adjoints.
//
// Without a BLAS the product runs as plain loops, ordered so that the innermost loop
// walks unit strides (it vectorises). `#include <typegrad/blas.hpp>` (the
// typegrad::blas CMake target links Debian's OpenBLAS and includes it for you) installs
// CBLAS dgemm/sgemm behind the same call, used where each matrix has a unit stride;
// the choice is made at run time through one function pointer, so translation units
// with and without the BLAS header agree on every inline definition.
#pragma once

#include <cstddef>
#include <type_traits>

namespace typegrad::detail {

/// A matrix view: element (i, j) is data[i * rs + j * cs].
template <class T>
struct matrix_view {
    T* data;
    std::ptrdiff_t rows, cols, rs, cs;
    matrix_view<T> transposed() const { return {data, cols, rows, cs, rs}; }
};

/// A BLAS gemm behind typegrad's call: C(m, n) = alpha A(m, k) B(k, n) + beta C, row-major,
/// A and B possibly transposed (ta, tb), leading dimensions lda, ldb, ldc.
template <class T>
using blas_gemm = void (*)(bool ta, bool tb, std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t k, T alpha,
                           T const* a, std::ptrdiff_t lda, T const* b, std::ptrdiff_t ldb, T beta, T* c,
                           std::ptrdiff_t ldc);

template <class T>
blas_gemm<T>& gemm_backend() {
    static blas_gemm<T> f = nullptr;
    return f;
}

/// As a BLAS sees a matrix: row-major with leading dimension ld, or its transpose.
template <class T>
bool blas_layout(matrix_view<T const> const& a, bool& trans, std::ptrdiff_t& ld) {
    if (a.cs == 1 && (a.rs >= a.cols || a.rows == 1)) {
        trans = false;
        ld = a.rows == 1 ? (a.cols > 0 ? a.cols : 1) : a.rs;
        return true;
    }
    if (a.rs == 1 && (a.cs >= a.rows || a.cols == 1)) {
        trans = true;
        ld = a.cols == 1 ? (a.rows > 0 ? a.rows : 1) : a.cs;
        return true;
    }
    return false;
}

/// c = beta c + a b (beta 0 overwrites, ignoring what c held; 1 accumulates).
template <class T>
void gemm(matrix_view<T const> const& a, matrix_view<T const> const& b, matrix_view<T> const& c, T beta) {
    std::ptrdiff_t const m = c.rows, n = c.cols, k = a.cols;
    if (m == 0 || n == 0) return;
    if constexpr (std::is_same_v<T, double> || std::is_same_v<T, float>) {
        blas_gemm<T> const f = gemm_backend<T>();
        bool ta = false, tb = false;
        std::ptrdiff_t lda = 0, ldb = 0;
        bool const small = m <= 0x7fffffff && n <= 0x7fffffff && k <= 0x7fffffff && c.rs <= 0x7fffffff;
        if (f && small && k > 0 && c.cs == 1 && c.rs >= n && blas_layout(a, ta, lda) && blas_layout(b, tb, ldb) &&
            lda <= 0x7fffffff && ldb <= 0x7fffffff) {
            f(ta, tb, m, n, k, T(1), a.data, lda, b.data, ldb, beta, c.data, c.rs);
            return;
        }
    }
    for (std::ptrdiff_t i = 0; i < m; ++i) {
        T* const ci = c.data + i * c.rs;
        if (beta == T(0))
            for (std::ptrdiff_t j = 0; j < n; ++j) ci[j * c.cs] = T(0);
        else if (beta != T(1))
            for (std::ptrdiff_t j = 0; j < n; ++j) ci[j * c.cs] *= beta;
    }
    if (k == 0) return;
    if (b.cs == 1 && c.cs == 1) {
        // Rows of c as sums of rows of b: the inner loop runs along unit strides.
        for (std::ptrdiff_t i = 0; i < m; ++i) {
            T* const ci = c.data + i * c.rs;
            for (std::ptrdiff_t p = 0; p < k; ++p) {
                T const aip = a.data[i * a.rs + p * a.cs];
                T const* const bp = b.data + p * b.rs;
                for (std::ptrdiff_t j = 0; j < n; ++j) ci[j] += aip * bp[j];
            }
        }
    } else {
        // Each entry as a dot product along k, in ascending order.
        for (std::ptrdiff_t i = 0; i < m; ++i)
            for (std::ptrdiff_t j = 0; j < n; ++j) {
                T acc = T(0);
                for (std::ptrdiff_t p = 0; p < k; ++p) acc += a.data[i * a.rs + p * a.cs] * b.data[p * b.rs + j * b.cs];
                c.data[i * c.rs + j * c.cs] += acc;
            }
    }
}

}  // namespace typegrad::detail
