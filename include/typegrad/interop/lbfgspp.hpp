// typegrad/interop/lbfgspp.hpp: L-BFGS (LBFGS++) on a loss written as an array program.
//
//   auto [x] = tg::vars<"x">();
//   auto f = tg::sum(100.0 * tg::square(tg::slice(x, 1, tg::end) - ...));   // a number
//   Eigen::VectorXd x0 = ...;
//   LBFGSpp::LBFGSParam<double> param;  param.epsilon = 1e-9;
//   tg::lbfgspp::result r = tg::lbfgspp::minimize(param, f, x0);            // x0 <- the minimiser
//   auto obj = tg::lbfgspp::objective(f, params...);                        // or LBFGS++'s functor yourself
//
// Optional: needs Eigen 3 and LBFGS++'s headers (Debian's liblbfgspp-dev; CMake target
// typegrad::lbfgspp). The first input of the loss is the unknown x (rank 1), the others are
// parameters passed to every evaluation unchanged. Each evaluation is one reverse pass
// (tg::gradient) into LBFGS++'s gradient vector, with one tg::workspace kept by the objective:
// after the first call nothing is allocated. LBFGS++ throws std::invalid_argument for bad
// parameters and std::runtime_error when its line search fails; they pass through.
#pragma once

#include <Eigen/Core>
#include <LBFGS.h>

#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>

#include "../exec/cpu.hpp"
#include "../exec/program/api.hpp"
#include "eigen.hpp"

namespace typegrad::lbfgspp {

/// LBFGS++'s objective, `double operator()(x, grad)`, from a typegrad loss: the value returned
/// and the gradient in x written into grad.
template <class F, class... Params>
class objective {
public:
    explicit objective(F const& f, Params const&... p) : f_(f), params_(p...) {}

    double operator()(Eigen::VectorXd const& x, Eigen::VectorXd& grad) {
        if (grad.size() != x.size())
            throw std::invalid_argument("typegrad::lbfgspp::objective: the gradient has " + std::to_string(grad.size()) +
                                        " entries, expected " + std::to_string(x.size()) + " (x's size)");
        ++evaluations;
        Eigen::Index const n = x.size();
        return std::apply(
            [&](auto const&... p) {
                return typegrad::gradient(ws_, f_, gradient_to(typegrad::view(grad.data(), n), skip_of(p)...),
                                          typegrad::view(x.data(), n), p...);
            },
            params_);
    }

    int evaluations = 0;  // calls so far

private:
    template <class P>
    static skip_t skip_of(P const&) {
        return skip;
    }
    F f_;
    std::tuple<std::conditional_t<std::is_arithmetic_v<Params>, Params, Params const&>...> params_;
    workspace ws_;
};

struct result {
    int iterations;   // LBFGS++'s iteration count
    int evaluations;  // value-and-gradient passes
    double value;     // f at the minimiser
};

/// Minimises f(x, parameters...) over x from x (overwritten with the minimiser).
template <class F, class... Params>
result minimize(LBFGSpp::LBFGSParam<double> const& param, F const& f, Eigen::VectorXd& x, Params const&... params) {
    objective<F, Params...> obj(f, params...);
    LBFGSpp::LBFGSSolver<double> solver(param);
    double fx = 0;
    int const iterations = solver.minimize(obj, x, fx);
    return {iterations, obj.evaluations, fx};
}

}  // namespace typegrad::lbfgspp
