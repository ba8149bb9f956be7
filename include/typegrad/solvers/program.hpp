// typegrad/solvers/program.hpp: Newton's method on a residual written as an array program.
//
//   auto [u, lam] = tg::vars<"u", "lambda">();
//   auto F = ...;                                             // an array of u's shape
//   Eigen::VectorXd x = Eigen::VectorXd::Zero(n);
//   auto r = tg::solvers::newton(F, tg::solvers::tridiagonal_jacobian{}, x, 1.0);   // parameters after x
//   auto r = tg::solvers::newton(options, F, tg::solvers::dense_jacobian{}, x, 1.0);
//
// The first input of F is the unknown x (rank 1); the rest are parameters, passed through to
// every evaluation unchanged (numbers or arrays). The Jacobian J = dF/dx comes from forward
// mode (tg::jvp, one pass per direction), as one of
//
//   dense_jacobian        n passes along the unit vectors; LU with partial pivoting (Eigen).
//                         For small systems: O(n) passes of O(n) each, and n^2 numbers.
//   tridiagonal_jacobian  three passes along the colours v_c = [j mod 3 == c], c = 0, 1, 2:
//                         a row i of a tridiagonal J has its columns i - 1, i, i + 1 in three
//                         different colours, so (J v_c)(i) is exactly one of them. Thomas solve.
//                         F must have a tridiagonal Jacobian (a 3-point stencil and point-wise
//                         terms): other entries would be added into the wrong diagonal. That is
//                         the caller's promise, not checked (check once with dense_jacobian).
//
// One tg::workspace serves every evaluation of a solve, so after the first residual nothing is
// allocated for the array program; the solver's vectors are allocated once per call.
#pragma once

#include <Eigen/Core>
#include <Eigen/LU>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "../exec/cpu.hpp"
#include "../exec/program/api.hpp"
#include "../interop/eigen.hpp"  // Eigen vectors as parameters
#include "newton.hpp"
#include "tridiagonal.hpp"

namespace typegrad::solvers {

/// The Jacobian from n forward passes, factorised by LU with partial pivoting.
struct dense_jacobian {};
/// A tridiagonal Jacobian from three forward passes (3 colours), solved by the Thomas algorithm.
struct tridiagonal_jacobian {};

/// A Jacobian kind is a tag with a detail::linear_system specialisation (solvers/gmres.hpp adds
/// one); it says so by specialising is_jacobian_kind.
template <class K>
inline constexpr bool is_jacobian_kind = false;
template <>
inline constexpr bool is_jacobian_kind<dense_jacobian> = true;
template <>
inline constexpr bool is_jacobian_kind<tridiagonal_jacobian> = true;
template <class K>
concept jacobian_kind = is_jacobian_kind<K>;

namespace detail {

// What a Jacobian kind keeps between assembling and solving. Each specialisation is made from
// its kind, then resize(n); assemble(sys, x) forms J at x from sys.apply_jacobian(x, v, out) (J v);
// solve(sys, b) and solve_transposed(sys, b) overwrite b with J^-1 b and J^-T b; matrix(), where
// there is one, is the assembled J.
template <class Kind>
struct linear_system;

template <>
struct linear_system<dense_jacobian> {
    explicit linear_system(dense_jacobian) {}
    Eigen::MatrixXd J;
    Eigen::PartialPivLU<Eigen::MatrixXd> lu;
    Eigen::VectorXd v, work;
    Eigen::MatrixXd const& matrix() const { return J; }
    void resize(Eigen::Index n) {
        J.resize(n, n);
        lu = Eigen::PartialPivLU<Eigen::MatrixXd>(n);
        v.setZero(n);
        work.resize(n);
    }
    template <class Sys>
    void assemble(Sys& sys, double const* x) {
        Eigen::Index const n = v.size();
        v.setZero();
        for (Eigen::Index j = 0; j < n; ++j) {
            v(j) = 1.0;
            sys.apply_jacobian(x, v.data(), J.col(j).data());
            v(j) = 0.0;
        }
        lu.compute(J);
        // rcond estimates 1 / cond_1(J) from the factors (no extra factorisation).
        double const rc = n > 0 ? lu.rcond() : 1.0;
        if (!(rc > std::numeric_limits<double>::epsilon()))
            throw std::runtime_error("typegrad::solvers: the Jacobian is singular to working precision (estimated "
                                     "reciprocal condition number " +
                                     number_text(rc) + ", expected > machine epsilon)");
    }
    template <class Sys>
    void solve(Sys&, Eigen::Ref<Eigen::VectorXd> b) {
        work.noalias() = lu.solve(b);
        b = work;
    }
    template <class Sys>
    void solve_transposed(Sys&, Eigen::Ref<Eigen::VectorXd> b) {
        work.noalias() = lu.transpose().solve(b);
        b = work;
    }
};

template <>
struct linear_system<tridiagonal_jacobian> {
    explicit linear_system(tridiagonal_jacobian) {}
    tridiagonal_matrix A;
    Eigen::VectorXd v, scratch;
    Eigen::MatrixXd colours, jv;  // n x 3 (fewer for n < 3): v_c and J v_c in column c
    tridiagonal_matrix const& matrix() const { return A; }
    void resize(Eigen::Index n) {
        A.resize(n);
        v.resize(n);
        scratch.resize(n);
        colours.setZero(n, std::min<Eigen::Index>(n, 3));
        for (Eigen::Index c = 0; c < colours.cols(); ++c)
            for (Eigen::Index j = 0; j < n; ++j) colours(j, c) = j % 3 == c ? 1.0 : 0.0;
        jv.setZero(n, std::min<Eigen::Index>(n, 3));
    }
    template <class Sys>
    void assemble(Sys& sys, double const* x) {
        Eigen::Index const n = v.size();
        sys.apply_jacobian_each(x, colours, jv);  // one value pass, the three colours as lanes of one tangent pass
        for (Eigen::Index i = 0; i < n; ++i) {
            A.diagonal(i) = jv(i, i % 3);
            A.lower(i) = i > 0 ? jv(i, (i - 1) % 3) : 0.0;
            A.upper(i) = i + 1 < n ? jv(i, (i + 1) % 3) : 0.0;
        }
    }
    template <class Sys>
    void solve(Sys&, Eigen::Ref<Eigen::VectorXd> b) {
        thomas_solve(A, b, scratch);
    }
    template <class Sys>
    void solve_transposed(Sys&, Eigen::Ref<Eigen::VectorXd> b) {
        thomas_solve_transposed(A, b, scratch);
    }
};

template <class P>
auto skip_for(P const&) {
    return skip;
}

/// Numbers are kept by value (a literal parameter is a temporary); arrays by reference.
template <class P>
using stored_parameter = std::conditional_t<std::is_arithmetic_v<P>, P, P const&>;

}  // namespace detail

/// A residual F(x, parameters...) = 0 of n unknowns, with its workspace and linear system: what
/// the Newton driver and the implicit gradient call, and what a caller that solves many times (a
/// time stepper, a benchmark) keeps. It keeps F and number parameters by value, array parameters
/// by reference (it must not outlive those). After the first call nothing is allocated.
///
///   auto sys = tg::solvers::make_system(F, tg::solvers::tridiagonal_jacobian{}, n, lambda);
///   sys.residual(x, f);  sys.linearise(x);  sys.solve(b);  sys.solve_transposed(b);  sys.jvp(x, v, jv);
template <class F, class Kind, class... Params>
class system {
public:
    system(F const& f, Kind kind, Eigen::Index n, Params const&... p) : f_(f), params_(p...), n_(n), lin_(kind) {
        lin_.resize(n);
        // A kind that reads its structure from the residual (sparse_jacobian) does it once, here.
        if constexpr (requires { lin_.bind(*this); }) lin_.bind(*this);
    }

    Eigen::Index size() const { return n_; }
    /// out = F(x).
    void residual(Eigen::Ref<Eigen::VectorXd const> x, Eigen::Ref<Eigen::VectorXd> out) {
        check_pair(x.size(), out.size());
        std::apply(
            [&](auto const&... p) {
                typegrad::map(ws_, f_, typegrad::view(out.data(), n_), typegrad::view(x.data(), n_), p...);
            },
            params_);
    }
    /// out = J(x) v, one forward pass.
    void jvp(Eigen::Ref<Eigen::VectorXd const> x, Eigen::Ref<Eigen::VectorXd const> v, Eigen::Ref<Eigen::VectorXd> out) {
        check_pair(x.size(), out.size());
        check(v.size(), n_);
        apply_jacobian(x.data(), v.data(), out.data());
    }
    /// out = J(x)^T w, one reverse pass (the gradient of sum(w * F) in x).
    void vjp(Eigen::Ref<Eigen::VectorXd const> x, Eigen::Ref<Eigen::VectorXd const> w, Eigen::Ref<Eigen::VectorXd> out) {
        check_pair(x.size(), out.size());
        check(w.size(), n_);
        apply_jacobian_transposed(x.data(), w.data(), out.data());
    }
    /// Forms and factorises J(x) (a matrix-free kind keeps x); throws std::runtime_error when J is
    /// singular.
    void linearise(Eigen::Ref<Eigen::VectorXd const> x) {
        check(x.size(), n_);
        lin_.assemble(*this, x.data());
    }
    /// Forms J(x) without factorising it, for the kinds that can (sparse_jacobian).
    void fill_jacobian(Eigen::Ref<Eigen::VectorXd const> x)
        requires requires(detail::linear_system<Kind>& l, system& s) { l.fill(s, x.data()); }
    {
        check(x.size(), n_);
        lin_.fill(*this, x.data());
    }
    /// b <- J^-1 b and b <- J^-T b with the J of the last linearise.
    void solve(Eigen::Ref<Eigen::VectorXd> b) {
        check(b.size(), n_);
        lin_.solve(*this, b);
    }
    void solve_transposed(Eigen::Ref<Eigen::VectorXd> b) {
        check(b.size(), n_);
        lin_.solve_transposed(*this, b);
    }
    /// The last linearise's Jacobian, for the kinds that form one: an Eigen::MatrixXd (dense), a
    /// tridiagonal_matrix, a banded_matrix, an Eigen::SparseMatrix<double> (sparse_jacobian).
    auto const& jacobian() const
        requires requires(detail::linear_system<Kind> const& l) { l.matrix(); }
    {
        return lin_.matrix();
    }
    F const& function() const { return f_; }
    auto const& parameters() const { return params_; }
    workspace& scratch() { return ws_; }

private:
    F f_;
    std::tuple<detail::stored_parameter<Params>...> params_;
    Eigen::Index n_;
    workspace ws_;
    detail::linear_system<Kind> lin_;

    using dirs_type = decltype(typegrad::along(std::declval<array_ref<double const, 1>>(),
                                               detail::skip_for(std::declval<Params const&>())...));
    std::vector<dirs_type> dir_list_;
    std::vector<array_ref<double, 1>> out_list_;

    void check(Eigen::Index got, Eigen::Index expected) const {
        if (got != expected)
            throw std::invalid_argument("typegrad::solvers::system: a vector has " + std::to_string(got) +
                                        " entries, expected " + std::to_string(expected) + " (the number of unknowns)");
    }
    void check_pair(Eigen::Index x, Eigen::Index out) const {
        check(x, n_);
        check(out, n_);
    }

public:
    // The same products on pointers to n numbers each, unchecked: for the linear systems.
    void apply_jacobian(double const* x, double const* v, double* out) {
        std::apply(
            [&](auto const&... p) {
                typegrad::jvp(ws_, f_, typegrad::along(typegrad::view(v, n_), detail::skip_for(p)...),
                              typegrad::into(skip, typegrad::view(out, n_)), typegrad::view(x, n_), p...);
            },
            params_);
    }
    /// JV.col(k) = J(x) V.col(k) for every column: one value pass, then one tangent pass per column.
    void apply_jacobian_each(double const* x, Eigen::MatrixXd const& V, Eigen::MatrixXd& JV) {
        Eigen::Index const k = V.cols();
        std::apply(
            [&](auto const&... p) {
                // (Lists of a band's colour count, kept between calls: allocated once.)
                auto& dirs = dir_list_;
                auto& outs = out_list_;
                dirs.clear();
                outs.clear();
                for (Eigen::Index c = 0; c < k; ++c) {
                    dirs.push_back(typegrad::along(typegrad::view(V.col(c).data(), n_), detail::skip_for(p)...));
                    outs.push_back(typegrad::view(JV.col(c).data(), n_));
                }
                typegrad::jvp_each(ws_, f_, std::span<dirs_type const>(dirs), std::span<array_ref<double, 1> const>(outs),
                                   typegrad::view(x, n_), p...);
            },
            params_);
    }
    void apply_jacobian_transposed(double const* x, double const* w, double* out) {
        auto const weights = var<1 + sizeof...(Params)>{};
        auto const G = typegrad::sum(weights * f_);
        std::apply(
            [&](auto const&... p) {
                typegrad::gradient(ws_, G, gradient_to(typegrad::view(out, n_), detail::skip_for(p)..., skip),
                                   typegrad::view(x, n_), p..., typegrad::view(w, n_));
            },
            params_);
    }
};

template <jacobian_kind Kind, class F, class... Params>
system<F, Kind, Params...> make_system(F const& f, Kind kind, Eigen::Index n, Params const&... params) {
    return system<F, Kind, Params...>(f, kind, n, params...);
}

namespace detail {

template <class F, class Kind, class... Params>
newton_result solve_program(newton_options const& o, F const& f, Kind kind, Eigen::Ref<Eigen::VectorXd> x,
                            Params const&... params) {
    system<F, Kind, Params...> sys(f, kind, x.size(), params...);
    return newton([&](Eigen::Ref<Eigen::VectorXd const> at, Eigen::Ref<Eigen::VectorXd> out) { sys.residual(at, out); },
                  [&](Eigen::Ref<Eigen::VectorXd const> at, Eigen::Ref<Eigen::VectorXd const> fx,
                      Eigen::Ref<Eigen::VectorXd> dx) {
                      sys.linearise(at);
                      dx = -fx;
                      sys.solve(dx);
                  },
        x, o);
}

}  // namespace detail

/// Newton's method on F(x, parameters...) = 0 from x (overwritten with the root); see above.
template <class F, jacobian_kind Kind, class... Params>
newton_result newton(newton_options const& o, F const& f, Kind kind, Eigen::Ref<Eigen::VectorXd> x,
                     Params const&... params) {
    return detail::solve_program(o, f, kind, x, params...);
}
template <class F, jacobian_kind Kind, class... Params>
newton_result newton(F const& f, Kind kind, Eigen::Ref<Eigen::VectorXd> x, Params const&... params) {
    return newton(newton_options{}, f, kind, x, params...);
}

/// The tridiagonal Jacobian dF/dx of an array program at x, from three forward passes.
template <class F, class... Params>
tridiagonal_matrix tridiagonal_jacobian_of(F const& f, Eigen::Ref<Eigen::VectorXd const> x, Params const&... params) {
    system<F, tridiagonal_jacobian, Params...> sys(f, {}, x.size(), params...);
    sys.linearise(x);
    return sys.jacobian();
}

/// The dense Jacobian dF/dx of an array program at x (n x n), from n forward passes.
template <class F, class... Params>
Eigen::MatrixXd dense_jacobian_of(F const& f, Eigen::Ref<Eigen::VectorXd const> x, Params const&... params) {
    // (Not through linearise, which also factorises and refuses a singular J.)
    system<F, dense_jacobian, Params...> sys(f, {}, x.size(), params...);
    Eigen::Index const n = x.size();
    Eigen::VectorXd v = Eigen::VectorXd::Zero(n);
    Eigen::MatrixXd J(n, n);
    for (Eigen::Index j = 0; j < n; ++j) {
        v(j) = 1.0;
        sys.jvp(x, v, J.col(j));
        v(j) = 0.0;
    }
    return J;
}

}  // namespace typegrad::solvers
