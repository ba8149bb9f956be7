// typegrad/ops/matmul.hpp: tg::matmul, matrix products as NumPy's matmul defines them.
//
//   (m, k) x (k, n) -> (m, n)        (m, k) x (k,) -> (m,)        (k,) x (k, n) -> (n,)
//   (k,) x (k,) -> ()                (b, m, k) x (b, k, n) -> (b, m, n), and a 2-D side
//                                     broadcast over the batch: (b, m, k) x (k, n)
// The adjoints are matrix products too: dA += dC B^T, dB += A^T dC; the tangent is
// dC = dA B + A dB. A 1-D operand is a row (left) or a column (right) and its axis is
// dropped from the result, as in NumPy.
#pragma once

#include <cstddef>

#include "array_operation.hpp"
#include "gemm.hpp"

namespace typegrad {

namespace detail {

/// Operand of rank R seen as a batch of matrices: 1-D left operands are one row,
/// 1-D right operands one column.
template <class T, std::size_t R>
matrix_view<T> as_matrix(array_ref<T, R> const& a, bool left, std::ptrdiff_t batch) {
    if constexpr (R == 1) {
        if (left) return {a.data, 1, a.extent[0], 0, a.stride[0]};
        return {a.data, a.extent[0], 1, a.stride[0], 0};
    } else if constexpr (R == 2) {
        (void)batch;
        return {a.data, a.extent[0], a.extent[1], a.stride[0], a.stride[1]};
    } else {
        return {a.data + batch * a.stride[0], a.extent[1], a.extent[2], a.stride[1], a.stride[2]};
    }
}

template <class T>
matrix_view<T const> as_const(matrix_view<T> const& v) {
    return {v.data, v.rows, v.cols, v.rs, v.cs};
}

/// The product's result seen as a batch of matrices (the axes a 1-D operand drops come back as 1).
template <class T, std::size_t R, std::size_t RA, std::size_t RB>
matrix_view<T> result_matrix(array_ref<T, R> const& c, std::ptrdiff_t batch) {
    if constexpr (RA == 1 && RB == 1)
        return {c.data, 1, 1, 0, 0};
    else if constexpr (RA == 1 && RB == 2)
        return {c.data, 1, c.extent[0], 0, c.stride[0]};
    else if constexpr (RB == 1 && RA == 2)
        return {c.data, c.extent[0], 1, c.stride[0], 0};
    else if constexpr (R == 2)
        return {c.data, c.extent[0], c.extent[1], c.stride[0], c.stride[1]};
    else
        return {c.data + batch * c.stride[0], c.extent[1], c.extent[2], c.stride[1], c.stride[2]};
}

/// Element type conversion of an operand's matrix (integers and float inputs to T).
template <class T, class E>
matrix_view<T const> operand_matrix(matrix_view<E const> const& v) {
    static_assert(std::is_same_v<std::remove_const_t<E>, T>,
                  "typegrad: tg::matmul needs operands of the computation's element type (convert the input first)");
    return v;
}

}  // namespace detail

namespace ops {

struct matmul_op {
    static constexpr bool array_operation = true;
    static constexpr char const* name = "matmul";

    template <std::size_t RA, std::size_t RB>
    static consteval std::size_t rank() {
        static_assert(RA >= 1 && RB >= 1 && RA <= 3 && RB <= 3,
                      "typegrad: tg::matmul takes operands of rank 1 to 3 (vectors, matrices, batches of matrices)");
        static_assert(!(RA == 3 && RB == 1) && !(RA == 1 && RB == 3),
                      "typegrad: tg::matmul of a batch of matrices and a vector is not supported; reshape the vector "
                      "into a matrix");
        if constexpr (RA == 1 && RB == 1)
            return 0;
        else if constexpr (RA == 1 || RB == 1)
            return 1;
        else
            return RA > RB ? RA : RB;
    }

    shape_result shape(dims const& a, dims const& b) const {
        std::ptrdiff_t const ka = a.extent[a.rank - 1];
        std::ptrdiff_t const kb = b.rank == 1 ? b.extent[0] : b.extent[b.rank - 2];
        if (ka != kb) return shape_mismatch("the contracted extents (last of the left, first of the right) differ");
        if (a.rank == 3 && b.rank == 3 && a.extent[0] != b.extent[0])
            return shape_mismatch("the batch extents differ");
        dims r;
        if (a.rank == 1 && b.rank == 1) return shape_ok(r);
        if (a.rank == 1) return shape_ok(make_dims(b.extent[1]));
        if (b.rank == 1) return shape_ok(make_dims(a.extent[0]));
        std::ptrdiff_t const m = a.extent[a.rank - 2], n = b.extent[b.rank - 1];
        if (a.rank == 3) return shape_ok(make_dims(a.extent[0], m, n));
        if (b.rank == 3) return shape_ok(make_dims(b.extent[0], m, n));
        return shape_ok(make_dims(m, n));
    }

    template <class A, class B>
    static std::ptrdiff_t batches(A const& a, B const& b) {
        if constexpr (A::rank == 3)
            return a.extent[0];
        else if constexpr (B::rank == 3)
            return b.extent[0];
        else
            return 1;
    }

    template <class T, std::size_t R, class A, class B>
    void value(array_ref<T, R> const& y, A const& a, B const& b) const {
        using namespace detail;
        std::ptrdiff_t const nb = batches(a, b);
        for (std::ptrdiff_t q = 0; q < nb; ++q)
            gemm<T>(operand_matrix<T>(as_matrix(a, true, q)), operand_matrix<T>(as_matrix(b, false, q)),
                    result_matrix<T, R, A::rank, B::rank>(y, q), T(0));
    }

    template <class T, std::size_t R, class A, class B, class GA, class GB>
    void vjp(array_ref<T const, R> const& ybar, array_ref<T const, R> const&, A const& a, B const& b, GA const& ga,
             GB const& gb) const {
        using namespace detail;
        std::ptrdiff_t const nb = batches(a, b);
        for (std::ptrdiff_t q = 0; q < nb; ++q) {
            auto const cbar = as_const(result_matrix<T const, R, A::rank, B::rank>(ybar, q));
            if constexpr (wanted<GA>)  // dA += dC B^T (summed over the batch when A is shared)
                gemm<T>(cbar, operand_matrix<T>(as_matrix(b, false, q)).transposed(), as_matrix(ga, true, q), T(1));
            if constexpr (wanted<GB>)  // dB += A^T dC
                gemm<T>(operand_matrix<T>(as_matrix(a, true, q)).transposed(), cbar, as_matrix(gb, false, q), T(1));
        }
    }

    template <class T, std::size_t R, class A, class B, class TA, class TB>
    void jvp(array_ref<T, R> const& ydot, array_ref<T const, R> const&, A const& a, B const& b, TA const& ta,
             TB const& tb) const {
        using namespace detail;
        std::ptrdiff_t const nb = batches(a, b);
        for (std::ptrdiff_t q = 0; q < nb; ++q) {
            auto const c = result_matrix<T, R, A::rank, B::rank>(ydot, q);
            T beta = T(0);
            if constexpr (wanted<TA>) {
                gemm<T>(as_matrix(ta, true, q), operand_matrix<T>(as_matrix(b, false, q)), c, beta);
                beta = T(1);
            }
            if constexpr (wanted<TB>) {
                gemm<T>(operand_matrix<T>(as_matrix(a, true, q)), as_matrix(tb, false, q), c, beta);
                beta = T(1);
            }
            if (beta == T(0))
                for (std::ptrdiff_t i = 0; i < c.rows; ++i)
                    for (std::ptrdiff_t j = 0; j < c.cols; ++j) c.data[i * c.rs + j * c.cs] = T(0);
        }
    }
};

}  // namespace ops

/// The matrix product of two array expressions (NumPy's matmul rules).
template <class A, class B>
    requires(expression<A> && expression<B>)
constexpr auto matmul(A const& a, B const& b) {
    return make_node<ops::matmul_op>(a, b);
}

}  // namespace typegrad
