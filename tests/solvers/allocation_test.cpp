// Nothing is allocated per Newton iteration or per call of a warm system: heap allocations
// through operator new are counted (typegrad's workspace and std containers; Eigen's own
// buffers go through malloc and are sized once, when the solver's vectors are made).
#include <doctest/doctest.h>

#include <cstdlib>
#include <new>

#include <Eigen/Core>

#include <typegrad/solvers.hpp>
#include <typegrad/typegrad.hpp>

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
namespace {
bool counting = false;
long allocations = 0;
}  // namespace
void* operator new(std::size_t n) {
    if (counting) ++allocations;
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void* operator new[](std::size_t n) {
    if (counting) ++allocations;
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace tg = typegrad;
using namespace typegrad::literals;

TEST_CASE("a warm system allocates nothing, a Newton solve allocates the same whatever its iteration count") {
    int const n = 40;
    double const h = 1.0 / (n + 1);
    auto [u, lam] = tg::vars<"u", "lambda">();
    auto const F = tg::concat(tg::slice(u, 1_c, 2_c) - 2.0 * tg::slice(u, 0_c, 1_c),
                              tg::slice(u, 0_c, tg::end - 2_c) - 2.0 * tg::slice(u, 1_c, tg::end - 1_c) +
                                  tg::slice(u, 2_c, tg::end),
                              tg::slice(u, tg::end - 2_c, tg::end - 1_c) - 2.0 * tg::slice(u, tg::end - 1_c, tg::end)) +
                   (h * h) * lam * exp(u);
    Eigen::VectorXd x = Eigen::VectorXd::Constant(n, 0.1), f(n), b = Eigen::VectorXd::Ones(n), out(n);
    auto sys = tg::solvers::make_system(F, tg::solvers::tridiagonal_jacobian{}, n, 1.0);
    auto round = [&] {
        sys.residual(x, f);
        sys.linearise(x);
        sys.solve(b);
        sys.solve_transposed(b);
        sys.jvp(x, b, out);
        sys.vjp(x, b, out);
    };
    round();  // the workspace grows to its size here
    allocations = 0;
    counting = true;
    round();
    round();
    counting = false;
    CHECK(allocations == 0);

    // Two solves of different iteration counts: the same allocations (set-up only: the history's
    // reserve and a fresh workspace).
    auto count_solve = [&](double start, int& iterations) {
        Eigen::VectorXd y = Eigen::VectorXd::Constant(n, start);
        allocations = 0;
        counting = true;
        auto const r = tg::solvers::newton(F, tg::solvers::tridiagonal_jacobian{}, y, 1.0);
        counting = false;
        iterations = r.iterations;
        return allocations;
    };
    int i1 = 0, i2 = 0;
    long const a1 = count_solve(0.0, i1);
    long const a2 = count_solve(3.0, i2);
    CHECK(i1 != i2);
    CHECK(a1 == a2);
}
