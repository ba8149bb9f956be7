// typegrad/solvers/newton.hpp: Newton's method for F(x) = 0 with a backtracking line search.
//
//   tg::solvers::newton_result r = tg::solvers::newton(residual, step, x);       // the driver
//
// The driver knows nothing of typegrad's expressions: `residual(x, f)` writes F(x) into f,
// `step(x, f, dx)` writes the Newton step dx = -J(x)^-1 f, and throws std::runtime_error when
// J(x) is singular (the driver rethrows it as tg::solvers::newton_error with the history). Their
// arguments are Eigen::Ref<Eigen::VectorXd const> (x, f) and Eigen::Ref<Eigen::VectorXd> (the
// output), so nothing is copied. The front ends for array programs (tg::solvers::newton(F, kind, x,
// parameters...), solvers/program.hpp) and for scalar expressions (solvers/dense.hpp) build
// those two from typegrad derivatives.
//
// The merit is phi(x) = |F(x)|^2 / 2. The Newton direction d satisfies phi'(x; d) = -|F|^2, so a
// step t is accepted when phi(x + t d) <= (1 - 2 c t) phi(x) (Armijo, c = sufficient_decrease);
// otherwise t shrinks to the minimiser of the quadratic through phi(0), phi'(0) and phi(t),
// kept within [t/10, t/2]. A trial point whose residual is not finite counts as no decrease.
//
// Convergence, checked at the start and after every step: |F(x)|_2 <= absolute_tolerance +
// relative_tolerance |F(x0)|_2, or a Newton step with |d|_inf <= step_tolerance (1 + |x|_inf),
// which is then taken in full without asking for a decrease. (The step test is what stops a
// large discretised problem, whose residual cannot fall below rounding times the Jacobian's
// norm: there the last step changes x by rounding and |F| by nothing that can be trusted.)
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <concepts>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace typegrad::solvers {

struct newton_options {
    int max_iterations = 50;
    double absolute_tolerance = 0.0;
    double relative_tolerance = 1e-10;
    double step_tolerance = 1e-10;
    int max_backtracks = 30;
    double sufficient_decrease = 1e-4;
};

struct newton_result {
    int iterations = 0;                  // Newton steps taken
    std::vector<double> residual_norms;  // |F|_2 at x0 and after each step
    std::vector<double> step_lengths;    // the line search's t of each step
    bool converged = false;
};

/// A singular Jacobian, a failed line search or too many iterations; `result` holds the history
/// up to the failure, and x the last accepted iterate.
struct newton_error : std::runtime_error {
    newton_result result;
    newton_error(std::string const& what, newton_result r) : std::runtime_error(what), result(std::move(r)) {}
};

namespace detail {

inline std::string number_text(double v) {
    std::ostringstream s;
    s.precision(6);
    s << v;
    return s.str();
}

inline void check_options(newton_options const& o) {
    auto bad = [](char const* what, std::string const& got, char const* expected) {
        throw std::invalid_argument(std::string("typegrad::solvers::newton: ") + what + " is " + got + ", expected " +
                                    expected);
    };
    if (o.max_iterations < 0) bad("max_iterations", std::to_string(o.max_iterations), ">= 0");
    if (o.max_backtracks < 0) bad("max_backtracks", std::to_string(o.max_backtracks), ">= 0");
    if (!(o.sufficient_decrease > 0 && o.sufficient_decrease < 0.5))
        bad("sufficient_decrease", number_text(o.sufficient_decrease), "in (0, 0.5)");
    if (!(o.absolute_tolerance >= 0) || !(o.relative_tolerance >= 0) || !(o.step_tolerance >= 0))
        bad("a tolerance", "negative or nan", ">= 0");
}

}  // namespace detail

/// Newton's method from x (overwritten with the root). Scratch vectors are allocated once per
/// call; nothing is allocated per iteration (the history is reserved up front).
template <class Residual, class Step>
    requires std::invocable<Step&, Eigen::Ref<Eigen::VectorXd const>, Eigen::Ref<Eigen::VectorXd const>,
                            Eigen::Ref<Eigen::VectorXd>>
newton_result newton(Residual&& residual, Step&& step, Eigen::Ref<Eigen::VectorXd> x,
                     newton_options const& o = {}) {
    detail::check_options(o);
    Eigen::Index const n = x.size();
    Eigen::VectorXd f(n), dx(n), trial(n), f_trial(n);
    newton_result r;
    r.residual_norms.reserve(static_cast<std::size_t>(o.max_iterations) + 1);
    r.step_lengths.reserve(static_cast<std::size_t>(o.max_iterations));

    using in = Eigen::Ref<Eigen::VectorXd const>;
    residual(in(x), f);  // refuses wrong sizes before anything is written
    double norm = f.norm();
    if (!std::isfinite(norm))
        throw newton_error("typegrad::solvers::newton: the residual at the starting point is not finite (|F|_2 = " +
                               detail::number_text(norm) + ")",
                           r);
    r.residual_norms.push_back(norm);
    double const target = o.absolute_tolerance + o.relative_tolerance * norm;
    if (norm <= target) {
        r.converged = true;
        return r;
    }
    for (int k = 0; k < o.max_iterations; ++k) {
        try {
            step(in(x), in(f), dx);
        } catch (newton_error const&) {
            throw;
        } catch (std::runtime_error const& e) {  // a singular Jacobian: say where, keep the history
            throw newton_error(std::string(e.what()) + " (at iteration " + std::to_string(k + 1) + ", |F|_2 = " +
                                   detail::number_text(norm) + ")",
                               r);
        }
        double const phi0 = 0.5 * norm * norm, slope = -norm * norm;
        double const step_norm = dx.lpNorm<Eigen::Infinity>();
        // A negligible full step: the iterate is at the root to working precision, where the
        // residual is rounding and need not decrease any further.
        bool const negligible = step_norm <= o.step_tolerance * (1.0 + x.lpNorm<Eigen::Infinity>());
        double t = 1.0, phi = 0.0;
        for (int b = 0;; ++b) {
            trial = x + t * dx;
            residual(in(trial), f_trial);
            double const nt = f_trial.norm();
            phi = 0.5 * nt * nt;
            if (std::isfinite(phi) && (negligible || phi <= phi0 + o.sufficient_decrease * t * slope)) break;
            if (b == o.max_backtracks)
                throw newton_error("typegrad::solvers::newton: the line search found no sufficient decrease of |F| in " +
                                       std::to_string(o.max_backtracks) + " backtracks at iteration " +
                                       std::to_string(k + 1) + " (|F|_2 = " + detail::number_text(norm) +
                                       ", last step length " + detail::number_text(t) + ")",
                                   r);
            double const tq = std::isfinite(phi) ? -slope * t * t / (2.0 * (phi - phi0 - slope * t)) : 0.1 * t;
            t = std::clamp(tq, 0.1 * t, 0.5 * t);
        }
        x = trial;
        f.swap(f_trial);
        norm = std::sqrt(2.0 * phi);
        r.iterations = k + 1;
        r.residual_norms.push_back(norm);
        r.step_lengths.push_back(t);
        if (norm <= target || negligible) {
            r.converged = true;
            return r;
        }
    }
    throw newton_error("typegrad::solvers::newton: no convergence in " + std::to_string(o.max_iterations) +
                           " iterations: |F|_2 = " + detail::number_text(norm) + ", expected <= " +
                           detail::number_text(target),
                       r);
}

}  // namespace typegrad::solvers
