// typegrad/solvers/point.hpp: Newton's method and implicit gradients for small systems of
// scalar expressions, at fixed-size Eigen vectors.
//
//   auto [x1, x2, r, s] = tg::vars<"x1", "x2", "r", "s">();
//   auto F = tg::outputs(x1 * x1 + x2 * x2 - r, x1 - s * x2);      // unknowns first, then parameters
//   Eigen::Vector2d x(1.0, 1.0);
//   Eigen::Vector2d p(4.0, 0.5);
//   auto res = tg::solvers::newton(F, x, p);                       // x <- the root
//   auto g = tg::solvers::implicit_gradient(L, F, x, p);           // g.value, g.gradient (dL/dp)
//
// The number of unknowns N and of parameters P are the vectors' compile-time sizes, and F must
// have N outputs (a static_assert says so). Each Newton step is one forward pass with N + P
// lanes (tg::jacobian) and a fixed-size PartialPivLU: nothing is allocated per step. Errors and
// the line search are the driver's (solvers/newton.hpp); a singular J is one whose estimated
// reciprocal condition number is below machine epsilon.
#pragma once

#include <Eigen/Core>
#include <Eigen/LU>

#include <array>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>

#include "../modes/forward.hpp"
#include "../modes/gradient.hpp"
#include "../modes/jacobian.hpp"
#include "newton.hpp"

namespace typegrad::solvers {

namespace detail {

template <int N, int P>
std::array<double, std::size_t(N + P)> joined(Eigen::Ref<Eigen::VectorXd const> x, Eigen::Matrix<double, P, 1> const& p) {
    std::array<double, std::size_t(N + P)> z{};
    for (int i = 0; i < N; ++i) z[std::size_t(i)] = x(i);
    for (int i = 0; i < P; ++i) z[std::size_t(N + i)] = p(i);
    return z;
}

template <class F, std::size_t K>
constexpr int output_count() {
    return int(std::tuple_size_v<decltype(typegrad::jacobian<forward>(std::declval<F const&>(),
                                                                      std::declval<std::array<double, K> const&>())
                                               .value)>);
}

template <int N>
void check_rcond(Eigen::PartialPivLU<Eigen::Matrix<double, N, N>> const& lu) {
    double const rc = lu.rcond();
    if (!(rc > std::numeric_limits<double>::epsilon()))
        throw std::runtime_error("typegrad::solvers: the Jacobian is singular to working precision (estimated "
                                 "reciprocal condition number " +
                                 number_text(rc) + ", expected > machine epsilon)");
}

}  // namespace detail

/// Newton's method on the N outputs of F(x, p) = 0 from x (overwritten with the root).
template <class F, int N, int P>
newton_result newton(newton_options const& o, F const& f, Eigen::Matrix<double, N, 1>& x,
                     Eigen::Matrix<double, P, 1> const& p) {
    static_assert(N != Eigen::Dynamic && P != Eigen::Dynamic && N > 0,
                  "typegrad::solvers::newton: a system of scalar expressions takes fixed-size Eigen vectors (the "
                  "number of inputs is part of the expression's type); for run-time sizes write an array program");
    constexpr std::size_t K = std::size_t(N + P);
    static_assert(detail::output_count<F, K>() == N,
                  "typegrad::solvers::newton: the residual must have as many outputs as there are unknowns");
    Eigen::PartialPivLU<Eigen::Matrix<double, N, N>> lu;
    Eigen::Matrix<double, N, N> J;
    return newton(
        [&](Eigen::Ref<Eigen::VectorXd const> at, Eigen::Ref<Eigen::VectorXd> out) {
            auto const r = typegrad::jvp(f, detail::joined<N, P>(at, p), std::array<double, K>{});
            for (int i = 0; i < N; ++i) out(i) = r.value[std::size_t(i)];
        },
        [&](Eigen::Ref<Eigen::VectorXd const> at, Eigen::Ref<Eigen::VectorXd const> fx, Eigen::Ref<Eigen::VectorXd> dx) {
            auto const r = typegrad::jacobian<forward>(f, detail::joined<N, P>(at, p));
            for (int i = 0; i < N; ++i)
                for (int j = 0; j < N; ++j) J(i, j) = r.jacobian(std::size_t(i), std::size_t(j));
            lu.compute(J);
            detail::check_rcond<N>(lu);
            Eigen::Matrix<double, N, 1> const rhs = -fx;
            dx = lu.solve(rhs);
        },
        x, o);
}
template <class F, int N, int P>
newton_result newton(F const& f, Eigen::Matrix<double, N, 1>& x, Eigen::Matrix<double, P, 1> const& p) {
    return newton(newton_options{}, f, x, p);
}
/// Without parameters.
template <class F, int N>
newton_result newton(newton_options const& o, F const& f, Eigen::Matrix<double, N, 1>& x) {
    return newton(o, f, x, Eigen::Matrix<double, 0, 1>{});
}
template <class F, int N>
newton_result newton(F const& f, Eigen::Matrix<double, N, 1>& x) {
    return newton(newton_options{}, f, x, Eigen::Matrix<double, 0, 1>{});
}

template <int P>
struct implicit_result {
    double value;
    Eigen::Matrix<double, P, 1> gradient;
};

/// L(x, p) at a root x of F(x, p) = 0 and its total derivative in p: dL/dp - J_p^T J_x^-T dL/dx.
template <class L, class F, int N, int P>
implicit_result<P> implicit_gradient(L const& loss, F const& f, Eigen::Matrix<double, N, 1> const& x,
                                     Eigen::Matrix<double, P, 1> const& p) {
    constexpr std::size_t K = std::size_t(N + P);
    static_assert(detail::output_count<F, K>() == N,
                  "typegrad::solvers::implicit_gradient: the residual must have as many outputs as there are unknowns");
    auto const z = detail::joined<N, P>(x, p);
    auto const jf = typegrad::jacobian<forward>(f, z);
    auto const gl = typegrad::gradient(loss, z);
    Eigen::Matrix<double, N, N> Jx;
    Eigen::Matrix<double, N, 1> mu;
    for (int i = 0; i < N; ++i) {
        mu(i) = gl.gradient[std::size_t(i)];
        for (int j = 0; j < N; ++j) Jx(i, j) = jf.jacobian(std::size_t(i), std::size_t(j));
    }
    Eigen::PartialPivLU<Eigen::Matrix<double, N, N>> lu(Jx);
    detail::check_rcond<N>(lu);
    mu = lu.transpose().solve(Eigen::Matrix<double, N, 1>(mu));
    implicit_result<P> r{gl.value, {}};
    for (int k = 0; k < P; ++k) {
        double s = gl.gradient[std::size_t(N + k)];
        for (int i = 0; i < N; ++i) s -= mu(i) * jf.jacobian(std::size_t(i), std::size_t(N + k));
        r.gradient(k) = s;
    }
    return r;
}

}  // namespace typegrad::solvers
