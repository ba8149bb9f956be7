// typegrad/solvers/implicit.hpp: gradients through a root, by the implicit function theorem.
//
//   auto [u, lam] = tg::vars<"u", "lambda">();
//   auto F = ...;                                       // F(u, lambda): the residual, an array of u's shape
//   auto L = tg::sum(tg::slice(u, m, m + 1));           // L(u, lambda): a number
//   tg::solvers::newton(F, tg::solvers::tridiagonal_jacobian{}, x, lambda);       // x = u*(lambda)
//   double dL;
//   double Lv = tg::solvers::implicit_gradient(L, F, tg::solvers::tridiagonal_jacobian{}, x,
//                                              tg::gradient_to(dL), lambda);
//
// At a root x* of F(x, p) = 0 with J = dF/dx invertible, x*(p) is differentiable and
//
//   dL/dp = dL/dp|_x - mu^T dF/dp,   where   J^T mu = dL/dx   (one adjoint solve).
//
// The calls: one linearisation (as Newton's step: 3 forward passes for a tridiagonal J), one
// reverse pass of L for dL/dx, the transposed solve, and one reverse pass of the number
// G(x, p, mu) = L(x, p) - sum(mu * F(x, p)) with mu held fixed, whose gradient in p is the
// whole right-hand side. So the gradient costs about one Newton step, whatever the number
// of parameters. The sinks (one per parameter: a number, an array of the parameter's shape,
// or tg::skip) are written last, after every check; a singular J throws std::runtime_error
// before anything is written. x should be a converged root: the formula holds only there.
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <tuple>
#include <utility>

#include "../exec/program/api.hpp"
#include "program.hpp"

namespace typegrad::solvers {

/// The value of L(x, parameters...) at the root x of F, and the total derivative of L in each
/// parameter (x = x*(parameters)) written into the sinks.
template <class L, class F, jacobian_kind Kind, class... S, class... Params>
double implicit_gradient(L const& loss, F const& f, Kind kind, Eigen::Ref<Eigen::VectorXd const> x,
                         gradient_sinks<S...> const& sinks, Params const&... params) {
    static_assert(sizeof...(S) == sizeof...(Params),
                  "typegrad::solvers::implicit_gradient: tg::gradient_to needs one entry (a number, an array or "
                  "tg::skip) per parameter, the unknown x not counted");
    static_assert(expression<L> && expression<F>,
                  "typegrad::solvers::implicit_gradient: the loss and the residual must be expressions of the same "
                  "variables (x first, then the parameters)");
    Eigen::Index const n = x.size();
    system<F, Kind, Params...> sys(f, kind, n, params...);
    sys.linearise(x);
    Eigen::VectorXd mu(n);
    double const value = typegrad::gradient(sys.scratch(), loss,
                                            gradient_to(typegrad::view(mu.data(), n), detail::skip_for(params)...),
                                            typegrad::view(x.data(), n), params...);
    sys.solve_transposed(mu);
    auto const adjoint = var<1 + sizeof...(Params)>{};
    auto const G = loss - typegrad::sum(adjoint * f);
    std::apply(
        [&](auto const&... s) {
            typegrad::gradient(sys.scratch(), G, gradient_sinks<skip_t, S..., skip_t>{{skip, s..., skip}},
                               typegrad::view(x.data(), n), params..., typegrad::view(std::as_const(mu).data(), n));
        },
        sinks.sinks);
    return value;
}

}  // namespace typegrad::solvers
