// typegrad/blas.hpp: CBLAS (Debian's OpenBLAS) under tg::matmul and its adjoints.
//
// Link the typegrad::blas CMake target, which finds OpenBLAS, links it and defines
// TYPEGRAD_USE_CBLAS so that <typegrad/typegrad.hpp> includes this header; or include it
// yourself and link -lopenblas. Including it installs cblas_dgemm and cblas_sgemm behind
// the one function pointer the product kernel calls (ops/gemm.hpp), so translation units
// with and without it share every inline definition. Products whose matrices have no
// unit stride, or extents beyond what CBLAS's int takes, stay on the plain loops.
// OpenBLAS threads by itself (OPENBLAS_NUM_THREADS); each entry of a product is summed
// by one thread in a fixed order, so results do not depend on its thread count.
#pragma once

#include <cblas.h>

#include <cstddef>

#include "ops/gemm.hpp"

namespace typegrad::detail {

inline void cblas_gemm_double(bool ta, bool tb, std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t k, double alpha,
                              double const* a, std::ptrdiff_t lda, double const* b, std::ptrdiff_t ldb, double beta,
                              double* c, std::ptrdiff_t ldc) {
    cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, static_cast<int>(m),
                static_cast<int>(n), static_cast<int>(k), alpha, a, static_cast<int>(lda), b, static_cast<int>(ldb),
                beta, c, static_cast<int>(ldc));
}
inline void cblas_gemm_float(bool ta, bool tb, std::ptrdiff_t m, std::ptrdiff_t n, std::ptrdiff_t k, float alpha,
                             float const* a, std::ptrdiff_t lda, float const* b, std::ptrdiff_t ldb, float beta, float* c,
                             std::ptrdiff_t ldc) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, static_cast<int>(m),
                static_cast<int>(n), static_cast<int>(k), alpha, a, static_cast<int>(lda), b, static_cast<int>(ldb),
                beta, c, static_cast<int>(ldc));
}

/// Set once, before main, in every program that includes this header.
inline bool const cblas_installed = [] {
    gemm_backend<double>() = &cblas_gemm_double;
    gemm_backend<float>() = &cblas_gemm_float;
    return true;
}();

}  // namespace typegrad::detail
