// typegrad/interop/eigen.hpp: Eigen fixed-size vectors as points, Eigen results.
//
// Optional: include it (and have Eigen 3 on the include path) to pass an
// Eigen::Matrix<T, N, 1> (or a fixed-size row vector) wherever typegrad takes a
// point, and to get Eigen vectors and matrices back from tg::eigen::gradient,
// tg::eigen::jacobian and tg::eigen::hessian. Sizes must be known at compile
// time, because the number of inputs is part of the expression's type.
//
// For the array executors (tg::map, tg::sum, tg::mean), any Eigen object with
// direct access to its storage (Matrix, Array, Map, Ref, blocks of them) is an
// array: rank 1 for a vector known at compile time to have one column or row,
// rank 2 otherwise, with Eigen's strides (column-major or row-major) kept.
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>

#include <Eigen/Core>

#include "../core/matrix.hpp"
#include "../exec/array_ref.hpp"
#include "../modes/gradient.hpp"
#include "../modes/hessian.hpp"
#include "../modes/inputs.hpp"
#include "../modes/jacobian.hpp"

namespace typegrad {

template <class S, int R, int C, int O, int MR, int MC>
    requires((R == 1 || C == 1) && R != Eigen::Dynamic && C != Eigen::Dynamic)
struct point_traits<Eigen::Matrix<S, R, C, O, MR, MC>> {
    using value_type = S;
    static constexpr std::size_t size = static_cast<std::size_t>(R * C);
    static S const& get(Eigen::Matrix<S, R, C, O, MR, MC> const& p, std::size_t i) {
        return p(static_cast<Eigen::Index>(i));
    }
};

namespace detail {
template <class E>
concept eigen_direct_access = requires(E& e) {
    typename E::Scalar;
    e.data();
    e.innerStride();
    e.outerStride();
    e.rows();
    e.cols();
} && std::is_base_of_v<Eigen::EigenBase<std::remove_const_t<E>>, std::remove_const_t<E>>;

template <class E>
auto eigen_view(E& e) {
    using P = std::remove_pointer_t<decltype(e.data())>;  // const for const objects and const maps
    using D = std::remove_const_t<E>;
    std::ptrdiff_t const inner = e.innerStride(), outer = e.outerStride();
    if constexpr (D::ColsAtCompileTime == 1 || D::RowsAtCompileTime == 1) {
        return array_ref<P, 1>{e.data(), {static_cast<std::ptrdiff_t>(e.size())}, {inner}};
    } else {
        std::ptrdiff_t const row_step = D::IsRowMajor ? outer : inner;
        std::ptrdiff_t const col_step = D::IsRowMajor ? inner : outer;
        return array_ref<P, 2>{e.data(),
                               {static_cast<std::ptrdiff_t>(e.rows()), static_cast<std::ptrdiff_t>(e.cols())},
                               {row_step, col_step}};
    }
}
}  // namespace detail

/// Eigen objects with direct access as arrays for tg::map, tg::sum and tg::mean.
template <class E>
    requires detail::eigen_direct_access<E>
struct array_traits<E> {
    static auto view(E& e) { return detail::eigen_view(e); }
    static auto view(E const& e) { return detail::eigen_view(e); }
};

/// A std::array as an Eigen column vector.
template <class T, std::size_t N>
Eigen::Matrix<T, int(N), 1> to_eigen(std::array<T, N> const& a) {
    Eigen::Matrix<T, int(N), 1> v;
    for (std::size_t i = 0; i < N; ++i) v(Eigen::Index(i)) = a[i];
    return v;
}

/// A typegrad matrix as an Eigen matrix.
template <class T, std::size_t R, std::size_t C>
Eigen::Matrix<T, int(R), int(C)> to_eigen(matrix<T, R, C> const& m) {
    Eigen::Matrix<T, int(R), int(C)> e;
    for (std::size_t i = 0; i < R; ++i)
        for (std::size_t j = 0; j < C; ++j) e(Eigen::Index(i), Eigen::Index(j)) = m(i, j);
    return e;
}

namespace eigen {

template <class T, int N>
struct gradient_result {
    T value;
    Eigen::Matrix<T, N, 1> gradient;
};
template <class T, int M, int N>
struct jacobian_result {
    Eigen::Matrix<T, M, 1> value;
    Eigen::Matrix<T, M, N> jacobian;
};
template <class T, int N>
struct hessian_result {
    T value;
    Eigen::Matrix<T, N, 1> gradient;
    Eigen::Matrix<T, N, N> hessian;
};

/// tg::gradient with an Eigen vector back.
template <class Mode = reverse, class F, class P>
    requires point<P>
auto gradient(F const& f, P const& x) {
    auto const r = typegrad::gradient<Mode>(f, x);
    using T = decltype(r.value);
    return gradient_result<T, int(r.gradient.size())>{r.value, to_eigen(r.gradient)};
}

/// tg::jacobian with an Eigen vector of values and an Eigen matrix back.
template <class Mode = automatic, class F, class P>
    requires point<P>
auto jacobian(F const& f, P const& x) {
    auto const r = typegrad::jacobian<Mode>(f, x);
    using T = typename decltype(r.value)::value_type;
    constexpr int M = int(decltype(r.jacobian)::rows());
    constexpr int N = int(decltype(r.jacobian)::cols());
    return jacobian_result<T, M, N>{to_eigen(r.value), to_eigen(r.jacobian)};
}

/// tg::hessian with Eigen results.
template <class F, class P>
    requires point<P>
auto hessian(F const& f, P const& x) {
    auto const r = typegrad::hessian(f, x);
    using T = decltype(r.value);
    constexpr int N = int(decltype(r.hessian)::rows());
    return hessian_result<T, N>{r.value, to_eigen(r.gradient), to_eigen(r.hessian)};
}

}  // namespace eigen
}  // namespace typegrad
