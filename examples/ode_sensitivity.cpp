// Sensitivities of an ODE solution through a loop in the graph (tg::fori).
//
// Lotka-Volterra, du/dt = a u - b u v, dv/dt = -c v + d u v, integrated by RK4 over
// n = 10^4 steps of h = 10^-3 (t = 10); the loss is the squared distance of the final
// state to (1, 0.5). One tg::gradient gives its derivatives in the four parameters and
// the two initial states. They are checked against
//   (a) the hand-written discrete adjoint of RK4 (support/lotka_volterra_hand.hpp), 1e-10;
//   (b) central finite differences of the loss, 1e-6;
//   (c) forward mode (tangents carried along the steps), 1e-10;
//   (d) the other reverse policies, tg::store_all and tg::checkpoints<100>, 1e-12
//       (the default, tg::checkpoints<64>, recomputes states from 64 snapshots).
// Relative differences, scaled by max(1, |reference|). Exit 1 on any mismatch.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

#include <typegrad/typegrad.hpp>

#include "support/lotka_volterra_hand.hpp"
#include "support/lotka_volterra_rk4.hpp"

namespace tg = typegrad;
namespace lv = lotka_volterra;

namespace {

int failures = 0;
char const* const names[6] = {"u0", "v0", "a", "b", "c", "d"};

double relative(double got, double want) { return std::abs(got - want) / std::max(1.0, std::abs(want)); }

void compare(char const* what, double got_value, std::array<double, 6> const& got, double want_value,
             std::array<double, 6> const& want, double tol) {
    double worst = relative(got_value, want_value);
    if (!(worst <= tol)) {
        std::printf("MISMATCH %s: loss %.17g, reference %.17g\n", what, got_value, want_value);
        ++failures;
    }
    for (std::size_t i = 0; i < 6; ++i) {
        double const r = relative(got[i], want[i]);
        worst = std::max(worst, r);
        if (!(r <= tol)) {
            std::printf("MISMATCH %s: dloss/d%s %.17g, reference %.17g (relative %.3g)\n", what, names[i], got[i],
                        want[i], r);
            ++failures;
        }
    }
    std::printf("  %-34s largest relative difference %.2e (tolerance %.0e)\n", what, worst, tol);
}

}  // namespace

int main() {
    lv::problem const pr{10000, 1e-3, 1.0, 0.5};
    lv::point const x{1.0, 0.5, 1.1, 0.4, 0.4, 0.1};  // u0, v0, a, b, c, d
    int const n = static_cast<int>(pr.steps);
    double const h = pr.h;

    auto const [u0, v0, a, b, c, d] = tg::vars<"u0", "v0", "a", "b", "c", "d">();
    // One lambda per loop: a loop is named by its step's type.
    auto const step = [&](auto const& u, auto const& v) { return lv::rk4_expression(u, v, a, b, c, d, h); };
    auto const step_all = [&](auto const& u, auto const& v) { return lv::rk4_expression(u, v, a, b, c, d, h); };
    auto const step_100 = [&](auto const& u, auto const& v) { return lv::rk4_expression(u, v, a, b, c, d, h); };

    auto const [uT, vT] = tg::fori(n, step, u0, v0);  // tg::checkpoints<64>
    auto const loss = tg::square(uT - pr.target_u) + tg::square(vT - pr.target_v);
    auto const [uA, vA] = tg::fori<tg::store_all>(n, step_all, u0, v0);
    auto const loss_all = tg::square(uA - pr.target_u) + tg::square(vA - pr.target_v);
    auto const [uC, vC] = tg::fori<tg::checkpoints<100>>(n, step_100, u0, v0);
    auto const loss_100 = tg::square(uC - pr.target_u) + tg::square(vC - pr.target_v);

    auto const g = tg::gradient(loss, x);
    std::printf("Lotka-Volterra by RK4, %d steps of h = %g, from (u0, v0) = (%g, %g), (a, b, c, d) = (%g, %g, %g, %g)\n",
                n, h, x[0], x[1], x[2], x[3], x[4], x[5]);
    std::printf("loss = (u(T) - %g)^2 + (v(T) - %g)^2 = %.15g\n", pr.target_u, pr.target_v, g.value);
    for (std::size_t i = 0; i < 6; ++i) std::printf("  dloss/d%-2s = %+.15e\n", names[i], g.gradient[i]);

    std::printf("checks:\n");
    // (a) The hand-written discrete adjoint.
    std::vector<lv::state> kept;
    lv::point hand{};
    double const hand_loss = lv::loss_and_gradient(x, pr, hand, kept);
    compare("(a) hand-written adjoint of RK4", g.value, g.gradient, hand_loss, hand, 1e-10);

    // (b) Central finite differences of typegrad's value.
    lv::point fd{};
    for (std::size_t i = 0; i < 6; ++i) {
        double const e = 1e-5 * std::max(1.0, std::abs(x[i]));
        lv::point xp = x, xm = x;
        xp[i] += e;
        xm[i] -= e;
        fd[i] = (tg::value(loss, xp) - tg::value(loss, xm)) / (2.0 * e);
    }
    compare("(b) central finite differences", g.value, g.gradient, lv::loss(x, pr), fd, 1e-6);

    // (c) Forward mode.
    auto const gf = tg::gradient<tg::forward>(loss, x);
    compare("(c) forward mode", gf.value, gf.gradient, g.value, g.gradient, 1e-10);

    // (d) The other reverse policies.
    auto const ga = tg::gradient(loss_all, x);
    compare("(d) tg::store_all", ga.value, ga.gradient, g.value, g.gradient, 1e-12);
    auto const gc = tg::gradient(loss_100, x);
    compare("(d) tg::checkpoints<100>", gc.value, gc.gradient, g.value, g.gradient, 1e-12);

    std::printf("%s\n", failures == 0 ? "all checks pass" : "MISMATCH");
    return failures == 0 ? 0 : 1;
}
