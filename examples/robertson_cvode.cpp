// Robertson's chemical kinetics, the classic stiff test for implicit integrators:
//
//   y1' = -0.04 y1 + 1e4 y2 y3
//   y2' =  0.04 y1 - 1e4 y2 y3 - 3e7 y2^2
//   y3' =  3e7 y2^2,            y(0) = (1, 0, 0),  t in [0, 4e10]
//
// integrated by CVODE (BDF, dense Newton) four ways: with typegrad's Jacobian callback
// (tg::sundials::cvode_system, forward mode), with CVODE's own difference-quotient Jacobian,
// with a Jacobian written by hand, and matrix-free with SPGMR and typegrad's J v. The solutions
// at t = 0.4 * 10^k must agree to the solver's tolerance (rtol 1e-4, atol (1e-8, 1e-14, 1e-6));
// the program exits non-zero otherwise. It also times one Jacobian call, typegrad's against the
// hand-written one, as CVODE makes it (through a function pointer) in the same run.
#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunlinsol/sunlinsol_spgmr.h>
#include <sunmatrix/sunmatrix_dense.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <tuple>

#include <typegrad/interop/sundials.hpp>
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

namespace {

// The right-hand side once, for typegrad: t, then y1, y2, y3 as typegrad variables.
auto const robertson = [](double, auto y1, auto y2, auto y3) {
    return std::tuple{-0.04 * y1 + 1.0e4 * y2 * y3,        //
                      0.04 * y1 - 1.0e4 * y2 * y3 - 3.0e7 * y2 * y2,  //
                      3.0e7 * y2 * y2};
};

// And by hand, as CVODE's C callbacks.
int rhs_hand(sunrealtype, N_Vector yv, N_Vector ydot, void*) {
    double const* y = N_VGetArrayPointer(yv);
    double* f = N_VGetArrayPointer(ydot);
    f[0] = -0.04 * y[0] + 1.0e4 * y[1] * y[2];
    f[2] = 3.0e7 * y[1] * y[1];
    f[1] = -f[0] - f[2];
    return 0;
}

int jacobian_hand(sunrealtype, N_Vector yv, N_Vector, SUNMatrix J, void*, N_Vector, N_Vector, N_Vector) {
    double const* y = N_VGetArrayPointer(yv);
    double* c0 = SUNDenseMatrix_Column(J, 0);
    double* c1 = SUNDenseMatrix_Column(J, 1);
    double* c2 = SUNDenseMatrix_Column(J, 2);
    c0[0] = -0.04, c0[1] = 0.04, c0[2] = 0.0;
    c1[0] = 1.0e4 * y[2], c1[1] = -1.0e4 * y[2] - 6.0e7 * y[1], c1[2] = 6.0e7 * y[1];
    c2[0] = 1.0e4 * y[1], c2[1] = -1.0e4 * y[1], c2[2] = 0.0;
    return 0;
}

constexpr int outputs = 12;  // t = 0.4, 4, ..., 4e10
constexpr double rel_tol = 1e-4;
constexpr std::array<double, 3> abs_tol{1e-8, 1e-14, 1e-6};

enum class jacobian_kind { typegrad, difference_quotients, hand, typegrad_jtimes_spgmr };

struct run_result {
    std::array<std::array<double, 3>, outputs> y{};
    long steps = 0, rhs_evals = 0, jac_evals = 0, jtimes_evals = 0, ls_rhs_evals = 0, newton_iters = 0;
    int flag = 0;
};

void check(int flag, char const* call) {
    if (flag < 0) {
        std::fprintf(stderr, "%s failed with flag %d\n", call, flag);
        std::exit(2);
    }
}

template <class System>
run_result integrate(SUNContext ctx, System& sys, jacobian_kind kind) {
    run_result r;
    N_Vector y = N_VNew_Serial(3, ctx);
    N_Vector abstol = N_VNew_Serial(3, ctx);
    double* yd = N_VGetArrayPointer(y);
    yd[0] = 1.0, yd[1] = 0.0, yd[2] = 0.0;
    std::copy(abs_tol.begin(), abs_tol.end(), N_VGetArrayPointer(abstol));
    void* mem = CVodeCreate(CV_BDF, ctx);
    bool const by_typegrad = kind == jacobian_kind::typegrad || kind == jacobian_kind::typegrad_jtimes_spgmr;
    if (by_typegrad)
        sys.init(mem, 0.0, y);  // typegrad's right-hand side too
    else
        check(CVodeInit(mem, rhs_hand, 0.0, y), "CVodeInit");
    check(CVodeSVtolerances(mem, rel_tol, abstol), "CVodeSVtolerances");
    check(CVodeSetMaxNumSteps(mem, 5000), "CVodeSetMaxNumSteps");
    SUNMatrix A = nullptr;
    SUNLinearSolver LS = nullptr;
    if (kind == jacobian_kind::typegrad_jtimes_spgmr) {
        LS = SUNLinSol_SPGMR(y, SUN_PREC_NONE, 3, ctx);  // Krylov dimension 3 = N: exact
        check(CVodeSetLinearSolver(mem, LS, nullptr), "CVodeSetLinearSolver");
        sys.attach_jacobian_times(mem);
    } else {
        A = SUNDenseMatrix(3, 3, ctx);
        LS = SUNLinSol_Dense(y, A, ctx);
        check(CVodeSetLinearSolver(mem, LS, A), "CVodeSetLinearSolver");
        if (kind == jacobian_kind::typegrad) sys.attach_jacobian(mem);
        if (kind == jacobian_kind::hand) check(CVodeSetJacFn(mem, jacobian_hand), "CVodeSetJacFn");
    }
    double tout = 0.4, t = 0.0;
    for (int k = 0; k < outputs; ++k, tout *= 10.0) {
        r.flag = CVode(mem, tout, y, &t, CV_NORMAL);
        if (r.flag < 0) {
            std::fprintf(stderr, "CVode failed with flag %d at t = %g\n", r.flag, t);
            if (by_typegrad && sys.last_error()[0]) std::fprintf(stderr, "  %s\n", sys.last_error());
            break;
        }
        std::copy(yd, yd + 3, r.y[std::size_t(k)].begin());
    }
    CVodeGetNumSteps(mem, &r.steps);
    CVodeGetNumRhsEvals(mem, &r.rhs_evals);
    CVodeGetNumJacEvals(mem, &r.jac_evals);
    CVodeGetNumJtimesEvals(mem, &r.jtimes_evals);
    CVodeGetNumLinRhsEvals(mem, &r.ls_rhs_evals);
    CVodeGetNumNonlinSolvIters(mem, &r.newton_iters);
    CVodeFree(&mem);
    SUNLinSolFree(LS);
    if (A) SUNMatDestroy(A);
    N_VDestroy(abstol);
    N_VDestroy(y);
    return r;
}

// The largest difference between two solutions in units of the error weights rtol |y| + atol.
struct difference {
    double weighted = 0;
    int output = 0;
    std::size_t component = 0;
};
difference weighted_difference(run_result const& a, run_result const& b) {
    difference worst;
    for (int k = 0; k < outputs; ++k)
        for (std::size_t i = 0; i < 3; ++i) {
            double const ya = a.y[std::size_t(k)][i], yb = b.y[std::size_t(k)][i];
            double const d = std::abs(ya - yb) / (rel_tol * std::abs(yb) + abs_tol[i]);
            if (d > worst.weighted) worst = {d, k, i};
        }
    return worst;
}

// Seconds per call of a CVLsJacFn, as CVODE calls it, at points that change every call.
double seconds_per_jacobian(CVLsJacFn jac, void* user_data, SUNContext ctx, long calls, double& checksum) {
    N_Vector y = N_VNew_Serial(3, ctx);
    N_Vector tmp = N_VNew_Serial(3, ctx);
    SUNMatrix J = SUNDenseMatrix(3, 3, ctx);
    double* yd = N_VGetArrayPointer(y);
    CVLsJacFn volatile call = jac;  // no inlining: CVODE calls through a pointer
    auto const start = std::chrono::steady_clock::now();
    for (long c = 0; c < calls; ++c) {
        yd[0] = 0.9 + 1e-9 * double(c % 1000);
        yd[1] = 3e-5 + 1e-12 * double(c % 777);
        yd[2] = 0.05 + 1e-9 * double(c % 555);
        call(0.0, y, tmp, J, user_data, tmp, tmp, tmp);
        checksum += SUNDenseMatrix_Column(J, 1)[1];
    }
    double const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    SUNMatDestroy(J);
    N_VDestroy(tmp);
    N_VDestroy(y);
    return seconds / double(calls);
}

}  // namespace

int main() {
    SUNContext ctx = nullptr;
    check(SUNContext_Create(nullptr, &ctx), "SUNContext_Create");
    auto sys = tg::sundials::make_cvode_system<3>(robertson);

    run_result const ours = integrate(ctx, sys, jacobian_kind::typegrad);
    run_result const dq = integrate(ctx, sys, jacobian_kind::difference_quotients);
    run_result const hand = integrate(ctx, sys, jacobian_kind::hand);
    run_result const krylov = integrate(ctx, sys, jacobian_kind::typegrad_jtimes_spgmr);

    std::printf("Robertson kinetics by CVODE (BDF), rtol %g, atol (%g, %g, %g); typegrad's Jacobian:\n", rel_tol, abs_tol[0],
                abs_tol[1], abs_tol[2]);
    std::printf("%10s %14s %14s %14s\n", "t", "y1", "y2", "y3");
    double tout = 0.4;
    for (int k = 0; k < outputs; ++k, tout *= 10.0) {
        auto const& y = ours.y[std::size_t(k)];
        std::printf("%10.1e %14.6e %14.6e %14.6e\n", tout, y[0], y[1], y[2]);
    }

    std::printf("\n%-34s %6s %6s %9s %10s %8s\n", "Jacobian", "steps", "f", "J evals", "J v evals", "f in LS");
    auto row = [](char const* name, run_result const& r) {
        std::printf("%-34s %6ld %6ld %9ld %10ld %8ld\n", name, r.steps, r.rhs_evals, r.jac_evals, r.jtimes_evals,
                    r.ls_rhs_evals);
    };
    row("typegrad (dense)", ours);
    row("difference quotients (dense)", dq);
    row("hand-written (dense)", hand);
    row("typegrad J v (SPGMR, matrix-free)", krylov);

    difference const vs_dq = weighted_difference(ours, dq), vs_hand = weighted_difference(ours, hand),
                     krylov_vs_hand = weighted_difference(krylov, hand);
    auto report = [](char const* what, difference const& d) {
        std::printf("  %-40s %8.3g  (y%zu at t = 4e%d)\n", what, d.weighted, d.component + 1, d.output - 1);
    };
    std::printf("\nlargest difference between two runs, in units of the error weight rtol |y_i| + atol_i:\n");
    report("typegrad vs difference quotients", vs_dq);
    report("typegrad vs hand-written", vs_hand);
    report("SPGMR with typegrad's J v vs hand-written", krylov_vs_hand);

    long const calls = 2000000;
    double checksum = 0;
    // A warm-up pass of each, then the measured ones, alternated.
    seconds_per_jacobian(&decltype(sys)::jacobian, &sys, ctx, calls / 10, checksum);
    seconds_per_jacobian(jacobian_hand, nullptr, ctx, calls / 10, checksum);
    double best_ours = 1e9, best_hand = 1e9;
    for (int rep = 0; rep < 3; ++rep) {
        best_ours = std::min(best_ours, seconds_per_jacobian(&decltype(sys)::jacobian, &sys, ctx, calls, checksum));
        best_hand = std::min(best_hand, seconds_per_jacobian(jacobian_hand, nullptr, ctx, calls, checksum));
    }
    std::printf("one Jacobian call (best of 3 x %ld): typegrad %.1f ns, hand-written %.1f ns (%.2fx)  [checksum %g]\n",
                calls, best_ours * 1e9, best_hand * 1e9, best_ours / best_hand, checksum);

    SUNContext_Free(&ctx);

    // The Jacobian changes Newton's convergence, not the equations: every run must reach the
    // same solution to the solver's tolerance. typegrad's and the hand-written Jacobians are
    // the same numbers, so those two runs take the same steps.
    bool const ok = ours.flag >= 0 && dq.flag >= 0 && hand.flag >= 0 && krylov.flag >= 0 && vs_dq.weighted <= 10.0 &&
                    vs_hand.weighted <= 1e-6 && krylov_vs_hand.weighted <= 10.0 && std::abs(ours.y.back()[0] + ours.y.back()[1] +
                                                                          ours.y.back()[2] - 1.0) < 1e-6;
    if (!ok) std::printf("FAILED: the solutions disagree beyond the tolerance\n");
    return ok ? 0 : 1;
}
