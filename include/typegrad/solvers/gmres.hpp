// typegrad/solvers/gmres.hpp: matrix-free Newton steps, GMRES on J v from forward mode.
//
//   tg::solvers::newton(F, tg::solvers::gmres_jacobian{.tolerance = 1e-12}, x, parameters...);
//
// The Jacobian is never formed: each product J v is one forward pass (tg::jvp) at the
// linearisation point, and Eigen's restarted GMRES (unsupported/Eigen/IterativeSolvers, shipped
// with Debian's libeigen3-dev) solves J dx = -F without preconditioning. The transposed solve
// of an implicit gradient runs GMRES on J^T w, each product one reverse pass (the gradient of
// sum(w * F) in x). For any sparsity; the price is a few dozen passes per step where a
// tridiagonal J needs three. A solve that does not reach its tolerance throws std::runtime_error
// (so Newton reports it with its history).
#pragma once

#include <Eigen/Core>
#include <unsupported/Eigen/IterativeSolvers>

#include <stdexcept>
#include <string>

#include "program.hpp"

namespace typegrad::solvers {

/// Matrix-free: GMRES(restart) on forward-mode products, to a relative residual of `tolerance`.
struct gmres_jacobian {
    double tolerance = 1e-12;
    int restart = 30;
    int max_iterations = 0;  // 0: Eigen's default, twice the number of unknowns
};

template <>
inline constexpr bool is_jacobian_kind<gmres_jacobian> = true;

namespace detail {

/// J (or J^T) at a point as an Eigen operator: `op * v` runs one typegrad pass.
template <class Sys>
class jacobian_operator;

}  // namespace detail
}  // namespace typegrad::solvers

namespace Eigen::internal {
template <class Sys>
struct traits<typegrad::solvers::detail::jacobian_operator<Sys>> : traits<Eigen::SparseMatrix<double>> {};
}  // namespace Eigen::internal

namespace typegrad::solvers::detail {

template <class Sys>
class jacobian_operator : public Eigen::EigenBase<jacobian_operator<Sys>> {
public:
    using Scalar = double;
    using RealScalar = double;
    using StorageIndex = int;
    enum { ColsAtCompileTime = Eigen::Dynamic, MaxColsAtCompileTime = Eigen::Dynamic, IsRowMajor = false };

    jacobian_operator(Sys& sys, double const* x, bool transposed, Eigen::VectorXd& in, Eigen::VectorXd& out)
        : sys_(&sys), x_(x), transposed_(transposed), in_(&in), out_(&out) {}
    Eigen::Index rows() const { return in_->size(); }
    Eigen::Index cols() const { return in_->size(); }

    template <class Rhs>
    Eigen::Product<jacobian_operator, Rhs, Eigen::AliasFreeProduct> operator*(Eigen::MatrixBase<Rhs> const& v) const {
        return Eigen::Product<jacobian_operator, Rhs, Eigen::AliasFreeProduct>(*this, v.derived());
    }

    /// dst += alpha J v (or J^T v), through the operator's own vectors: nothing is allocated.
    template <class Dst, class Rhs>
    void add_product(Dst& dst, Rhs const& v, double alpha) const {
        *in_ = v;
        if (transposed_)
            sys_->apply_jacobian_transposed(x_, in_->data(), out_->data());
        else
            sys_->apply_jacobian(x_, in_->data(), out_->data());
        dst += alpha * *out_;
    }

private:
    Sys* sys_;
    double const* x_;
    bool transposed_;
    Eigen::VectorXd* in_;
    Eigen::VectorXd* out_;
};

template <>
struct linear_system<gmres_jacobian> {
    gmres_jacobian kind;
    Eigen::VectorXd at, in, out, rhs;
    explicit linear_system(gmres_jacobian k) : kind(k) {}
    void resize(Eigen::Index n) {
        at.setZero(n);
        in.resize(n);
        out.resize(n);
        rhs.resize(n);
    }
    template <class Sys>
    void assemble(Sys&, double const* x) {
        at = Eigen::Map<Eigen::VectorXd const>(x, at.size());
    }
    template <class Sys>
    void solve(Sys& sys, Eigen::Ref<Eigen::VectorXd> b) {
        run(sys, b, false);
    }
    template <class Sys>
    void solve_transposed(Sys& sys, Eigen::Ref<Eigen::VectorXd> b) {
        run(sys, b, true);
    }

private:
    template <class Sys>
    void run(Sys& sys, Eigen::Ref<Eigen::VectorXd> b, bool transposed) {
        jacobian_operator<Sys> op(sys, at.data(), transposed, in, out);
        Eigen::GMRES<jacobian_operator<Sys>, Eigen::IdentityPreconditioner> gmres;
        gmres.setTolerance(kind.tolerance);
        gmres.set_restart(kind.restart);
        if (kind.max_iterations > 0) gmres.setMaxIterations(kind.max_iterations);
        gmres.compute(op);
        rhs = b;
        b = gmres.solve(rhs);
        if (gmres.info() != Eigen::Success || !b.allFinite())
            throw std::runtime_error("typegrad::solvers: GMRES did not reach its tolerance (relative residual " +
                                     number_text(gmres.error()) + " after " + std::to_string(gmres.iterations()) +
                                     " iterations, expected <= " + number_text(kind.tolerance) +
                                     "): the Jacobian may be singular or ill-conditioned");
    }
};

}  // namespace typegrad::solvers::detail

namespace Eigen::internal {
template <class Sys, class Rhs>
struct generic_product_impl<typegrad::solvers::detail::jacobian_operator<Sys>, Rhs, SparseShape, DenseShape, GemvProduct>
    : generic_product_impl_base<typegrad::solvers::detail::jacobian_operator<Sys>, Rhs,
                                generic_product_impl<typegrad::solvers::detail::jacobian_operator<Sys>, Rhs>> {
    template <class Dst>
    static void scaleAndAddTo(Dst& dst, typegrad::solvers::detail::jacobian_operator<Sys> const& op, Rhs const& v,
                              double const& alpha) {
        op.add_product(dst, v, alpha);
    }
};
}  // namespace Eigen::internal
