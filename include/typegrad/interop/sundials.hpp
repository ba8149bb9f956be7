// typegrad/interop/sundials.hpp: CVODE's right-hand side, Jacobian and J v callbacks from a
// typegrad right-hand side.
//
//   auto rhs = [](double t, auto y1, auto y2) {                 // y' = f(t, y): N outputs
//       return std::tuple{y2, -y1 + std::cos(t) * y2};
//   };
//   auto sys = tg::sundials::make_cvode_system<2>(rhs);        // not copyable: CVODE holds &sys
//   void* mem = CVodeCreate(CV_BDF, ctx);
//   sys.init(mem, t0, y0);                                      // CVodeInit with sys's f, user data &sys
//   CVodeSetLinearSolver(mem, SUNLinSol_Dense(y0, A, ctx), A);  // A: a dense or band N x N SUNMatrix
//   sys.attach_jacobian(mem);                                   // or, with SPGMR & co, attach_jacobian_times
//
// Optional: needs SUNDIALS 6 (Debian's libsundials-dev; CMake target typegrad::sundials). The
// right-hand side is a generic callable f(t, y_0, ..., y_{N-1}) for a system whose size N is
// known at compile time: t a number, the y_i typegrad variables; it returns N expressions (a
// std::tuple, std::array or tg::outputs). Each callback is one pass of typegrad's scalar core
// on the stack, nothing allocated: the right-hand side one forward pass with one (zero) lane,
// the Jacobian tg::jacobian in forward mode (N lanes), J v tg::jvp (one lane along v).
//
// The callbacks are C functions, so they throw nothing. Bad arguments from CVODE (a null or
// foreign user data pointer aside, which cannot be detected) make them return -1, an
// unrecoverable failure that stops CVode with a flag, and leave the reason in last_error():
// an N_Vector that is not N long or has no array, a matrix that is not an N x N dense or band
// SUNMatrix, an exception thrown by f. A value or Jacobian entry that is not finite returns 1,
// the recoverable failure on which CVODE retries with a smaller step. init and the attach
// functions throw std::invalid_argument for a null cvode_mem or a y0 of another length, and
// std::runtime_error when CVODE refuses (its flag in the message).
#pragma once

#include <cvode/cvode.h>
#include <cvode/cvode_ls.h>
#include <sundials/sundials_matrix.h>
#include <sundials/sundials_nvector.h>
#include <sunmatrix/sunmatrix_band.h>
#include <sunmatrix/sunmatrix_dense.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../modes/forward.hpp"
#include "../modes/jacobian.hpp"

namespace typegrad::sundials {

namespace detail {

// f with the time fixed: the function of y alone that typegrad's passes differentiate.
template <class F>
struct at_time {
    F const* f;
    double t;
    template <class... Y>
    constexpr auto operator()(Y const&... y) const {
        return (*f)(t, y...);
    }
};

template <class F, std::size_t N>
constexpr bool callable_with_time() {
    return []<std::size_t... I>(std::index_sequence<I...>) {
        return std::is_invocable_v<F const&, double, var<I>...>;
    }(std::make_index_sequence<N>{});
}

template <class F, std::size_t N>
constexpr std::size_t rhs_output_count() {
    using R = decltype(typegrad::jvp(std::declval<at_time<F> const&>(), std::declval<std::array<double, N> const&>(),
                                     std::declval<std::array<double, N> const&>()));
    if constexpr (requires { std::tuple_size<decltype(R::value)>::value; })
        return std::tuple_size_v<decltype(R::value)>;
    else
        return 1;  // one scalar output
}

}  // namespace detail

/// A typegrad right-hand side y' = f(t, y) of N equations and CVODE's callbacks for it.
/// CVODE keeps a pointer to it (its user data): it can be neither copied nor moved.
template <std::size_t N, class F>
class cvode_system {
    static_assert(N > 0, "typegrad::sundials: the system needs at least one equation");
    static_assert(detail::callable_with_time<F, N>(),
                  "typegrad::sundials: the right-hand side must be callable as f(t, y_0, ..., y_{N-1}) with a "
                  "number t and N typegrad variables (a generic lambda: [](auto t, auto y0, auto y1) {...})");
    static_assert(detail::rhs_output_count<F, N>() == N,
                  "typegrad::sundials: the right-hand side must return one expression per equation (N of them, "
                  "as a std::tuple, std::array or tg::outputs)");

public:
    explicit cvode_system(F const& f) : f_(f) {}
    cvode_system(cvode_system const&) = delete;
    cvode_system& operator=(cvode_system const&) = delete;

    static constexpr std::size_t size = N;

    /// CVodeInit(cvode_mem, rhs, t0, y0) and CVodeSetUserData(cvode_mem, this).
    void init(void* cvode_mem, double t0, N_Vector y0) {
        require_memory(cvode_mem, "init");
        if (!y0 || N_VGetLength(y0) != sunindextype(N))
            throw std::invalid_argument("typegrad::sundials::cvode_system::init: y0 has " +
                                        (y0 ? std::to_string(N_VGetLength(y0)) : std::string("no")) +
                                        " entries, expected " + std::to_string(N));
        check_flag(CVodeInit(cvode_mem, &cvode_system::rhs, t0, y0), "CVodeInit");
        check_flag(CVodeSetUserData(cvode_mem, this), "CVodeSetUserData");
    }

    /// CVodeSetJacFn with the typegrad Jacobian (dense or band matrix), after CVodeSetLinearSolver.
    void attach_jacobian(void* cvode_mem) {
        require_memory(cvode_mem, "attach_jacobian");
        check_flag(CVodeSetUserData(cvode_mem, this), "CVodeSetUserData");
        check_flag(CVodeSetJacFn(cvode_mem, &cvode_system::jacobian), "CVodeSetJacFn");
    }

    /// CVodeSetJacTimes with the typegrad J v (no setup function), for CVODE's Krylov solvers.
    void attach_jacobian_times(void* cvode_mem) {
        require_memory(cvode_mem, "attach_jacobian_times");
        check_flag(CVodeSetUserData(cvode_mem, this), "CVodeSetUserData");
        check_flag(CVodeSetJacTimes(cvode_mem, nullptr, &cvode_system::jacobian_times), "CVodeSetJacTimes");
    }

    /// CVRhsFn: ydot = f(t, y). user_data: a pointer to this system.
    static int rhs(sunrealtype t, N_Vector y, N_Vector ydot, void* user_data) {
        auto* self = static_cast<cvode_system*>(user_data);
        if (!self) return -1;
        double const* yv = self->input(y, "y", "rhs");
        double* out = self->output(ydot, "ydot", "rhs");
        if (!yv || !out) return -1;
        return self->guarded("rhs", [&] {
            ++self->rhs_evaluations;
            auto const r = typegrad::jvp(detail::at_time<F>{&self->f_, double(t)}, point(yv), std::array<double, N>{});
            for (std::size_t i = 0; i < N; ++i) out[i] = r.value[i];
            return all_finite(out) ? 0 : self->recoverable("rhs", "f(t, y) is not finite");
        });
    }

    /// CVLsJacFn: J = df/dy at (t, y) into a dense or band N x N SUNMatrix (a band keeps only
    /// the entries within its bandwidths, as CVODE's own band Jacobian does).
    static int jacobian(sunrealtype t, N_Vector y, N_Vector /*fy*/, SUNMatrix J, void* user_data, N_Vector, N_Vector,
                        N_Vector) {
        auto* self = static_cast<cvode_system*>(user_data);
        if (!self) return -1;
        double const* yv = self->input(y, "y", "jacobian");
        if (!yv || !self->matrix_ok(J)) return -1;
        return self->guarded("jacobian", [&] {
            ++self->jacobian_evaluations;
            auto const r = typegrad::jacobian<typegrad::forward>(detail::at_time<F>{&self->f_, double(t)}, point(yv));
            bool finite = true;
            if (SUNMatGetID(J) == SUNMATRIX_DENSE) {
                for (std::size_t j = 0; j < N; ++j) {
                    sunrealtype* col = SUNDenseMatrix_Column(J, sunindextype(j));
                    for (std::size_t i = 0; i < N; ++i) finite = finite && std::isfinite(col[i] = r.jacobian(i, j));
                }
            } else {
                auto const lower = std::ptrdiff_t(SUNBandMatrix_LowerBandwidth(J));
                auto const upper = std::ptrdiff_t(SUNBandMatrix_UpperBandwidth(J));
                for (std::ptrdiff_t j = 0; j < std::ptrdiff_t(N); ++j) {
                    sunrealtype* diag = SUNBandMatrix_Column(J, sunindextype(j));  // points at (j, j)
                    std::ptrdiff_t const first = j - upper < 0 ? 0 : j - upper;
                    std::ptrdiff_t const last = j + lower >= std::ptrdiff_t(N) ? std::ptrdiff_t(N) - 1 : j + lower;
                    for (std::ptrdiff_t i = first; i <= last; ++i)
                        finite = finite && std::isfinite(diag[i - j] = r.jacobian(std::size_t(i), std::size_t(j)));
                }
            }
            return finite ? 0 : self->recoverable("jacobian", "df/dy is not finite");
        });
    }

    /// CVLsJacTimesVecFn: Jv = (df/dy)(t, y) v.
    static int jacobian_times(N_Vector v, N_Vector Jv, sunrealtype t, N_Vector y, N_Vector /*fy*/, void* user_data,
                              N_Vector) {
        auto* self = static_cast<cvode_system*>(user_data);
        if (!self) return -1;
        double const* yv = self->input(y, "y", "jacobian_times");
        double const* vv = self->input(v, "v", "jacobian_times");
        double* out = self->output(Jv, "Jv", "jacobian_times");
        if (!yv || !vv || !out) return -1;
        return self->guarded("jacobian_times", [&] {
            ++self->jacobian_times_evaluations;
            auto const r = typegrad::jvp(detail::at_time<F>{&self->f_, double(t)}, point(yv), point(vv));
            for (std::size_t i = 0; i < N; ++i) out[i] = r.tangent[i];
            return all_finite(out) ? 0 : self->recoverable("jacobian_times", "J v is not finite");
        });
    }

    /// Why the last callback that failed did (empty if none has).
    char const* last_error() const { return error_; }

    long rhs_evaluations = 0;             // calls of rhs
    long jacobian_evaluations = 0;        // calls of jacobian
    long jacobian_times_evaluations = 0;  // calls of jacobian_times

private:
    static_assert(std::is_same_v<sunrealtype, double>,
                  "typegrad::sundials: SUNDIALS must be built in double precision (sunrealtype = double)");

    F f_;
    char error_[192] = {};

    static std::array<double, N> point(double const* p) {
        std::array<double, N> a{};
        for (std::size_t i = 0; i < N; ++i) a[i] = p[i];
        return a;
    }
    static bool all_finite(double const* p) {
        for (std::size_t i = 0; i < N; ++i)
            if (!std::isfinite(p[i])) return false;
        return true;
    }

    // The reason goes into a fixed buffer (snprintf with literal formats): the callbacks
    // allocate nothing, even to fail.
    int recoverable(char const* where, char const* what) {
        std::snprintf(error_, sizeof error_, "typegrad::sundials::%s: %s (CVODE retries with a smaller step)", where,
                      what);
        return 1;
    }

    double* data_of(N_Vector x, char const* name, char const* where) {
        if (!x) {
            std::snprintf(error_, sizeof error_, "typegrad::sundials::%s: %s is null", where, name);
            return nullptr;
        }
        if (N_VGetLength(x) != sunindextype(N)) {
            std::snprintf(error_, sizeof error_, "typegrad::sundials::%s: %s has %lld entries, expected %zu", where,
                          name, static_cast<long long>(N_VGetLength(x)), N);
            return nullptr;
        }
        double* p = N_VGetArrayPointer(x);
        if (!p)
            std::snprintf(error_, sizeof error_,
                          "typegrad::sundials::%s: %s has no array on the host (use a serial N_Vector)", where, name);
        return p;
    }
    double const* input(N_Vector x, char const* name, char const* where) { return data_of(x, name, where); }
    double* output(N_Vector x, char const* name, char const* where) { return data_of(x, name, where); }

    bool matrix_ok(SUNMatrix J) {
        if (!J) {
            std::snprintf(error_, sizeof error_, "%s", "typegrad::sundials::jacobian: the matrix is null");
            return false;
        }
        sunindextype rows = 0, cols = 0;
        if (SUNMatGetID(J) == SUNMATRIX_DENSE) {
            rows = SUNDenseMatrix_Rows(J);
            cols = SUNDenseMatrix_Columns(J);
        } else if (SUNMatGetID(J) == SUNMATRIX_BAND) {
            rows = SUNBandMatrix_Rows(J);
            cols = SUNBandMatrix_Columns(J);
        } else {
            std::snprintf(error_, sizeof error_,
                          "typegrad::sundials::jacobian: the matrix is neither dense nor band (SUNMatrix_ID %d)",
                          int(SUNMatGetID(J)));
            return false;
        }
        if (rows != sunindextype(N) || cols != sunindextype(N)) {
            std::snprintf(error_, sizeof error_, "typegrad::sundials::jacobian: the matrix is %lld x %lld, expected %zu x %zu",
                          static_cast<long long>(rows), static_cast<long long>(cols), N, N);
            return false;
        }
        return true;
    }

    // Nothing may unwind into CVODE's C frames.
    template <class Body>
    int guarded(char const* where, Body const& body) noexcept {
        try {
            return body();
        } catch (std::exception const& e) {
            std::snprintf(error_, sizeof error_, "typegrad::sundials::%s: the right-hand side threw: %s", where, e.what());
        } catch (...) {
            std::snprintf(error_, sizeof error_, "typegrad::sundials::%s: the right-hand side threw", where);
        }
        return -1;
    }

    static void require_memory(void* cvode_mem, char const* where) {
        if (!cvode_mem)
            throw std::invalid_argument(std::string("typegrad::sundials::cvode_system::") + where +
                                        ": cvode_mem is null (create it with CVodeCreate)");
    }
    static void check_flag(int flag, char const* call) {
        if (flag == CV_SUCCESS) return;
        std::string why = std::string("typegrad::sundials: ") + call + " failed with flag " + std::to_string(flag);
        if (flag == CVLS_LMEM_NULL) why += " (attach a linear solver with CVodeSetLinearSolver first)";
        if (flag == CVLS_ILL_INPUT) why += " (the linear solver has no use for this callback)";
        throw std::runtime_error(why);
    }
};

/// `auto sys = tg::sundials::make_cvode_system<3>(f);`: the system of f (copied) with N equations.
template <std::size_t N, class F>
cvode_system<N, F> make_cvode_system(F const& f) {
    return cvode_system<N, F>(f);
}

}  // namespace typegrad::sundials
