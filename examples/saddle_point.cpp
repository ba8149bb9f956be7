// A bilevel problem with gradients through inner gradient steps (tg::fori with tg::d in its
// step). Inner: n steps of gradient ascent in z on f(x, z) = x z - z^2 from z0, giving z_n(x).
// Outer: minimise g(x) = f(x, z_n(x)) + (x - 1)^2 / 2 by gradient descent, the gradient taken
// through the inner steps. With r = 1 - 2 eta, z_n = r^n z0 + x (1 - r^n) / 2 and
//   g'(x) = z_n + (x - 2 z_n) (1 - r^n) / 2 + (x - 1),
// so the minimiser is known in closed form; as n grows, z_n -> x / 2, g(x) -> x^2 / 4 + (x - 1)^2 / 2,
// whose minimiser is 2/3. The program checks both and exits non-zero on a mismatch.
#include <cmath>
#include <cstdio>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto const x = tg::named<0, "x">();
    auto const z0 = tg::named<1, "z0">();
    double const eta = 0.1;
    int const n = 40;
    auto const f = [](auto const& a, auto const& b) { return a * b - b * b; };
    auto const zn = tg::fori(n, [&](auto z) { return z + eta * tg::d(f(x, z), z); }, z0);
    auto const g = f(x, zn) + 0.5 * tg::square(x - 1.0);
    std::printf("g = %s\n", tg::to_string(g).c_str());

    double const r = 1 - 2 * eta, rn = std::pow(r, n), start = -0.3;
    auto const closed_gradient = [&](double xv) {
        double const z = rn * start + xv * (1 - rn) / 2;
        return z + (xv - 2 * z) * (1 - rn) / 2 + (xv - 1);
    };
    int failures = 0;
    double xv = 3.0;
    for (int it = 0; it < 200; ++it) {
        auto const gr = tg::gradient(g, xv, start);
        double const want = closed_gradient(xv);
        if (std::abs(gr.gradient[0] - want) > 1e-12 * (1 + std::abs(want))) {
            std::printf("MISMATCH at x = %.17g: gradient %.17g, closed form %.17g\n", xv, gr.gradient[0], want);
            ++failures;
        }
        if (it % 40 == 0) std::printf("step %3d  x = %.12f  g = %.12f  g'(x) = %.3e\n", it, xv, gr.value, gr.gradient[0]);
        xv -= 0.5 * gr.gradient[0];
    }
    // The fixed point of the outer descent: g'(x) = 0 in closed form (linear in x).
    double const c0 = closed_gradient(0.0), c1 = closed_gradient(1.0) - c0;
    double const x_star = -c0 / c1;
    std::printf("x after 200 steps %.15f, closed-form minimiser %.15f (2/3 as n grows: %.15f)\n", xv, x_star, 2.0 / 3.0);
    if (std::abs(xv - x_star) > 1e-10) {
        std::printf("MISMATCH: the descent did not reach the closed-form minimiser\n");
        ++failures;
    }
    if (std::abs(x_star - 2.0 / 3.0) > 1e-3) {
        std::printf("MISMATCH: 40 inner steps should bring the minimiser near 2/3\n");
        ++failures;
    }
    std::printf(failures == 0 ? "all checks pass\n" : "%d checks failed\n", failures);
    return failures == 0 ? 0 : 1;
}
