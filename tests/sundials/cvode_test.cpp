// CVODE's callbacks from a typegrad right-hand side (typegrad/interop/sundials.hpp): the
// Jacobian callback's dense and band matrices against a hand-written Jacobian at random points,
// J v against J times v, a short Robertson integration against CVODE run with the hand-written
// Jacobian, and the failures the callbacks report instead of crashing.
#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunlinsol/sunlinsol_spgmr.h>
#include <sunmatrix/sunmatrix_band.h>
#include <sunmatrix/sunmatrix_dense.h>

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <tuple>

#include <typegrad/interop/sundials.hpp>
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

namespace {

auto const robertson = [](double, auto y1, auto y2, auto y3) {
    return std::tuple{-0.04 * y1 + 1.0e4 * y2 * y3, 0.04 * y1 - 1.0e4 * y2 * y3 - 3.0e7 * y2 * y2, 3.0e7 * y2 * y2};
};

std::array<std::array<double, 3>, 3> robertson_jacobian(double const* y) {
    return {{{-0.04, 1.0e4 * y[2], 1.0e4 * y[1]},
             {0.04, -1.0e4 * y[2] - 6.0e7 * y[1], -1.0e4 * y[1]},
             {0.0, 6.0e7 * y[1], 0.0}}};
}

int rhs_hand(sunrealtype, N_Vector yv, N_Vector ydot, void*) {
    double const* y = N_VGetArrayPointer(yv);
    double* f = N_VGetArrayPointer(ydot);
    f[0] = -0.04 * y[0] + 1.0e4 * y[1] * y[2];
    f[1] = 0.04 * y[0] - 1.0e4 * y[1] * y[2] - 3.0e7 * y[1] * y[1];
    f[2] = 3.0e7 * y[1] * y[1];
    return 0;
}

int jacobian_hand(sunrealtype, N_Vector yv, N_Vector, SUNMatrix J, void*, N_Vector, N_Vector, N_Vector) {
    auto const h = robertson_jacobian(N_VGetArrayPointer(yv));
    for (sunindextype i = 0; i < 3; ++i)
        for (sunindextype j = 0; j < 3; ++j) SM_ELEMENT_D(J, i, j) = h[std::size_t(i)][std::size_t(j)];
    return 0;
}

// One SUNDIALS context for the whole test program.
struct context {
    SUNContext ctx = nullptr;
    context() { SUNContext_Create(nullptr, &ctx); }
    ~context() { SUNContext_Free(&ctx); }
};
SUNContext sundials_context() {
    static context c;
    return c.ctx;
}

struct vector {
    N_Vector v;
    explicit vector(sunindextype n) : v(N_VNew_Serial(n, sundials_context())) { N_VConst(0.0, v); }
    vector(vector const&) = delete;
    ~vector() { N_VDestroy(v); }
    double& operator[](std::size_t i) { return N_VGetArrayPointer(v)[i]; }
};

struct matrix {
    SUNMatrix m;
    explicit matrix(SUNMatrix a) : m(a) {}
    matrix(matrix const&) = delete;
    ~matrix() { SUNMatDestroy(m); }
};

std::array<double, 3> random_state(std::mt19937& gen) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    return {u(gen), 1e-4 * u(gen), u(gen)};  // y2 small, as along Robertson's solution
}

}  // namespace

TEST_CASE("the Jacobian callback fills dense and band matrices with the hand-written Jacobian") {
    auto sys = tg::sundials::make_cvode_system<3>(robertson);
    vector y(3), fy(3), tmp(3);
    matrix dense(SUNDenseMatrix(3, 3, sundials_context()));
    matrix band(SUNBandMatrix(3, 1, 1, sundials_context()));  // upper 1, lower 1: all but (0,2), (2,0)
    std::mt19937 gen(17);
    for (int trial = 0; trial < 20; ++trial) {
        auto const p = random_state(gen);
        for (std::size_t i = 0; i < 3; ++i) y[i] = p[i];
        auto const h = robertson_jacobian(p.data());
        REQUIRE(decltype(sys)::jacobian(0.0, y.v, fy.v, dense.m, &sys, tmp.v, tmp.v, tmp.v) == 0);
        REQUIRE(decltype(sys)::jacobian(0.0, y.v, fy.v, band.m, &sys, tmp.v, tmp.v, tmp.v) == 0);
        for (sunindextype i = 0; i < 3; ++i)
            for (sunindextype j = 0; j < 3; ++j) {
                double const want = h[std::size_t(i)][std::size_t(j)];
                CHECK(SM_ELEMENT_D(dense.m, i, j) == doctest::Approx(want).epsilon(1e-15));
                if (i - j <= 1 && j - i <= 1) CHECK(SM_ELEMENT_B(band.m, i, j) == doctest::Approx(want).epsilon(1e-15));
            }
    }
    CHECK(sys.jacobian_evaluations == 40);
    CHECK(sys.last_error()[0] == '\0');
}

TEST_CASE("J v is the Jacobian times v, the right-hand side is f, and depends on t") {
    auto sys = tg::sundials::make_cvode_system<3>(robertson);
    vector y(3), v(3), jv(3), fy(3), tmp(3), f(3), f_hand(3);
    std::mt19937 gen(4);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    for (int trial = 0; trial < 20; ++trial) {
        auto const p = random_state(gen);
        for (std::size_t i = 0; i < 3; ++i) y[i] = p[i], v[i] = u(gen);
        REQUIRE(decltype(sys)::jacobian_times(v.v, jv.v, 0.0, y.v, fy.v, &sys, tmp.v) == 0);
        auto const h = robertson_jacobian(p.data());
        for (std::size_t i = 0; i < 3; ++i) {
            double want = 0, scale = 0;
            for (std::size_t j = 0; j < 3; ++j) want += h[i][j] * v[j], scale += std::abs(h[i][j] * v[j]);
            CHECK(std::abs(jv[i] - want) <= 1e-15 * scale);
        }
        REQUIRE(decltype(sys)::rhs(0.0, y.v, f.v, &sys) == 0);
        rhs_hand(0.0, y.v, f_hand.v, nullptr);
        for (std::size_t i = 0; i < 3; ++i) CHECK(f[i] == doctest::Approx(f_hand[i]).epsilon(1e-15));
    }

    // y' = (cos(t) y2, -t y1): t reaches the expressions as a number.
    auto forced = tg::sundials::make_cvode_system<2>(
        [](double t, auto y1, auto y2) { return tg::outputs(std::cos(t) * y2, -t * y1); });
    vector z(2), dz(2), w(2), jw(2), tmp2(2);
    z[0] = 2.0, z[1] = 3.0, w[0] = 1.0, w[1] = -1.0;
    REQUIRE(decltype(forced)::rhs(0.5, z.v, dz.v, &forced) == 0);
    CHECK(dz[0] == doctest::Approx(std::cos(0.5) * 3.0));
    CHECK(dz[1] == doctest::Approx(-0.5 * 2.0));
    REQUIRE(decltype(forced)::jacobian_times(w.v, jw.v, 0.5, z.v, dz.v, &forced, tmp2.v) == 0);
    CHECK(jw[0] == doctest::Approx(-std::cos(0.5)));
    CHECK(jw[1] == doctest::Approx(-0.5));
}

namespace {

enum class how { typegrad_dense, hand_dense, typegrad_spgmr };

std::array<double, 3> integrate_robertson(how h, double t_end, long* jac_evals) {
    SUNContext ctx = sundials_context();
    auto sys = tg::sundials::make_cvode_system<3>(robertson);
    vector y(3), atol(3);
    y[0] = 1.0;
    atol[0] = 1e-8, atol[1] = 1e-14, atol[2] = 1e-6;
    void* mem = CVodeCreate(CV_BDF, ctx);
    if (h == how::hand_dense)
        REQUIRE(CVodeInit(mem, rhs_hand, 0.0, y.v) == CV_SUCCESS);
    else
        sys.init(mem, 0.0, y.v);
    REQUIRE(CVodeSVtolerances(mem, 1e-4, atol.v) == CV_SUCCESS);
    SUNMatrix A = nullptr;
    SUNLinearSolver LS = nullptr;
    if (h == how::typegrad_spgmr) {
        LS = SUNLinSol_SPGMR(y.v, SUN_PREC_NONE, 3, ctx);
        REQUIRE(CVodeSetLinearSolver(mem, LS, nullptr) == CVLS_SUCCESS);
        sys.attach_jacobian_times(mem);
    } else {
        A = SUNDenseMatrix(3, 3, ctx);
        LS = SUNLinSol_Dense(y.v, A, ctx);
        REQUIRE(CVodeSetLinearSolver(mem, LS, A) == CVLS_SUCCESS);
        if (h == how::hand_dense)
            REQUIRE(CVodeSetJacFn(mem, jacobian_hand) == CVLS_SUCCESS);
        else
            sys.attach_jacobian(mem);
    }
    double t = 0;
    CHECK(CVode(mem, t_end, y.v, &t, CV_NORMAL) == CV_SUCCESS);
    CVodeGetNumJacEvals(mem, jac_evals);
    if (h == how::typegrad_dense) CHECK(sys.jacobian_evaluations == *jac_evals);
    CVodeFree(&mem);
    SUNLinSolFree(LS);
    if (A) SUNMatDestroy(A);
    return {y[0], y[1], y[2]};
}

}  // namespace

TEST_CASE("Robertson to t = 40: typegrad's Jacobian takes CVODE where the hand-written one does") {
    long jac_ours = 0, jac_hand = 0, jac_krylov = 0;
    auto const ours = integrate_robertson(how::typegrad_dense, 40.0, &jac_ours);
    auto const hand = integrate_robertson(how::hand_dense, 40.0, &jac_hand);
    auto const krylov = integrate_robertson(how::typegrad_spgmr, 40.0, &jac_krylov);
    CHECK(jac_ours == jac_hand);
    CHECK(jac_ours > 0);
    std::array<double, 3> const atol{1e-8, 1e-14, 1e-6};
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(ours[i] == doctest::Approx(hand[i]).epsilon(1e-12));  // the same numbers, the same steps
        CHECK(std::abs(krylov[i] - hand[i]) <= 10 * (1e-4 * std::abs(hand[i]) + atol[i]));
    }
    CHECK(ours[0] == doctest::Approx(0.7158).epsilon(1e-3));  // the classic value at t = 40
}

TEST_CASE("bad vectors, matrices and arguments give error codes and messages, never a crash") {
    auto sys = tg::sundials::make_cvode_system<3>(robertson);
    using system = decltype(sys);
    vector y(3), f(3), tmp(3), y4(4);
    y[0] = 1.0;
    auto says = [&](char const* part) { return std::strstr(sys.last_error(), part) != nullptr; };

    CHECK(system::rhs(0.0, y4.v, f.v, &sys) == -1);
    CHECK(says("y has 4 entries, expected 3"));
    CHECK(system::rhs(0.0, y.v, nullptr, &sys) == -1);
    CHECK(says("ydot is null"));
    CHECK(system::rhs(0.0, y.v, f.v, nullptr) == -1);  // no system: nothing to record
    CHECK(system::jacobian_times(y4.v, f.v, 0.0, y.v, f.v, &sys, tmp.v) == -1);
    CHECK(says("v has 4 entries"));

    matrix wrong(SUNDenseMatrix(4, 4, sundials_context()));
    CHECK(system::jacobian(0.0, y.v, f.v, nullptr, &sys, tmp.v, tmp.v, tmp.v) == -1);
    CHECK(says("the matrix is null"));
    CHECK(system::jacobian(0.0, y.v, f.v, wrong.m, &sys, tmp.v, tmp.v, tmp.v) == -1);
    CHECK(says("the matrix is 4 x 4, expected 3 x 3"));
    CHECK(sys.jacobian_evaluations == 0);

    // A value that is not finite is recoverable (1): CVODE retries with a smaller step.
    y[1] = std::numeric_limits<double>::infinity();
    CHECK(system::rhs(0.0, y.v, f.v, &sys) == 1);
    CHECK(says("not finite"));

    // init and attach throw before CVODE sees anything wrong.
    CHECK_THROWS_AS(sys.init(nullptr, 0.0, y.v), std::invalid_argument);
    void* mem = CVodeCreate(CV_BDF, sundials_context());
    CVodeSetErrHandlerFn(mem, [](int, char const*, char const*, char*, void*) {}, nullptr);  // quiet
    CHECK_THROWS_WITH_AS(sys.init(mem, 0.0, y4.v), doctest::Contains("y0 has 4 entries, expected 3"),
                         std::invalid_argument);
    y[1] = 0.0;
    sys.init(mem, 0.0, y.v);
    CHECK_THROWS_WITH_AS(sys.attach_jacobian(mem), doctest::Contains("CVodeSetLinearSolver"), std::runtime_error);
    CHECK_THROWS_AS(sys.attach_jacobian_times(nullptr), std::invalid_argument);
    CVodeFree(&mem);
}

TEST_CASE("a right-hand side that throws stops CVode with CV_RHSFUNC_FAIL and its message") {
    auto sys = tg::sundials::make_cvode_system<1>([](double t, auto y) {
        if (t > 1.0) throw std::runtime_error("no data past t = 1");
        return std::tuple{-y};
    });
    vector y(1);
    y[0] = 1.0;
    void* mem = CVodeCreate(CV_BDF, sundials_context());
    sys.init(mem, 0.0, y.v);
    REQUIRE(CVodeSStolerances(mem, 1e-6, 1e-10) == CV_SUCCESS);
    matrix A(SUNDenseMatrix(1, 1, sundials_context()));
    SUNLinearSolver LS = SUNLinSol_Dense(y.v, A.m, sundials_context());
    REQUIRE(CVodeSetLinearSolver(mem, LS, A.m) == CVLS_SUCCESS);
    sys.attach_jacobian(mem);
    CVodeSetErrHandlerFn(mem, [](int, char const*, char const*, char*, void*) {}, nullptr);  // quiet
    double t = 0;
    CHECK(CVode(mem, 0.5, y.v, &t, CV_NORMAL) == CV_SUCCESS);
    CHECK(y[0] == doctest::Approx(std::exp(-0.5)).epsilon(1e-4));
    CHECK(CVode(mem, 2.0, y.v, &t, CV_NORMAL) == CV_RHSFUNC_FAIL);
    CHECK(std::string(sys.last_error()) == "typegrad::sundials::rhs: the right-hand side threw: no data past t = 1");
    CVodeFree(&mem);
    SUNLinSolFree(LS);
}
