// examples/support/lotka_volterra_hand.hpp: Lotka-Volterra integrated by classical RK4,
// with a hand-written discrete adjoint (the reference for examples/ode_sensitivity.cpp
// and benchmarks/loops.cpp).
//
//   du/dt =  a u - b u v,    dv/dt = -c v + d u v
//   y_{i+1} = y_i + h/6 (k1 + 2 k2 + 2 k3 + k4),  k1 = f(y_i), k2 = f(y_i + h/2 k1),
//             k3 = f(y_i + h/2 k2), k4 = f(y_i + h k3)
//   loss = (u_n - u*)^2 + (v_n - v*)^2
//
// The adjoint is the exact transpose of the discrete scheme (not of the ODE): the
// forward sweep stores y_0 .. y_{n-1}; the backward sweep recomputes the four stages
// of step i from y_i and pulls the adjoint of y_{i+1} back through k4, k3, k2, k1.
// Inputs and gradient are in the order (u0, v0, a, b, c, d).
#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace lotka_volterra {

/// (u0, v0, a, b, c, d): the initial state, then the four parameters.
using point = std::array<double, 6>;

struct problem {
    std::size_t steps = 10000;
    double h = 1e-3;
    double target_u = 1.0, target_v = 0.5;
};

struct state {
    double u, v;
};

/// f(y) for parameters p (p[2..5] = a, b, c, d).
inline state rhs(point const& p, double u, double v) {
    return {p[2] * u - p[3] * u * v, -p[4] * v + p[5] * u * v};
}

/// One RK4 step.
inline state rk4_step(point const& p, double h, state y) {
    state const k1 = rhs(p, y.u, y.v);
    state const k2 = rhs(p, y.u + 0.5 * h * k1.u, y.v + 0.5 * h * k1.v);
    state const k3 = rhs(p, y.u + 0.5 * h * k2.u, y.v + 0.5 * h * k2.v);
    state const k4 = rhs(p, y.u + h * k3.u, y.v + h * k3.v);
    return {y.u + h / 6.0 * (k1.u + 2.0 * k2.u + 2.0 * k3.u + k4.u),
            y.v + h / 6.0 * (k1.v + 2.0 * k2.v + 2.0 * k3.v + k4.v)};
}

/// The final state after pr.steps steps from (p[0], p[1]).
inline state integrate(point const& p, problem const& pr) {
    state y{p[0], p[1]};
    for (std::size_t i = 0; i < pr.steps; ++i) y = rk4_step(p, pr.h, y);
    return y;
}

inline double loss(point const& p, problem const& pr) {
    state const y = integrate(p, pr);
    double const eu = y.u - pr.target_u, ev = y.v - pr.target_v;
    return eu * eu + ev * ev;
}

namespace detail {
// Adds J(Y)^T w to ybar and (df/dp)^T w to pbar, for the stage evaluated at Y.
inline void rhs_transpose(point const& p, double u, double v, state w, state& ybar, point& pbar) {
    double const a = p[2], b = p[3], c = p[4], d = p[5];
    ybar.u += (a - b * v) * w.u + d * v * w.v;
    ybar.v += -b * u * w.u + (-c + d * u) * w.v;
    pbar[2] += u * w.u;
    pbar[3] -= u * v * w.u;
    pbar[4] -= v * w.v;
    pbar[5] += u * v * w.v;
}
}  // namespace detail

/// The loss and its gradient in (u0, v0, a, b, c, d); `kept` holds the states (grown to
/// pr.steps once, reused after).
inline double loss_and_gradient(point const& p, problem const& pr, point& grad, std::vector<state>& kept) {
    std::size_t const n = pr.steps;
    double const h = pr.h;
    if (kept.size() < n) kept.resize(n);
    state y{p[0], p[1]};
    for (std::size_t i = 0; i < n; ++i) {
        kept[i] = y;
        y = rk4_step(p, h, y);
    }
    double const eu = y.u - pr.target_u, ev = y.v - pr.target_v;
    double const L = eu * eu + ev * ev;

    point pbar{};
    state ybar{2.0 * eu, 2.0 * ev};  // adjoint of y_n
    for (std::size_t i = n; i-- > 0;) {
        state const y0 = kept[i];
        // The stages again, forward.
        state const k1 = rhs(p, y0.u, y0.v);
        state const Y2{y0.u + 0.5 * h * k1.u, y0.v + 0.5 * h * k1.v};
        state const k2 = rhs(p, Y2.u, Y2.v);
        state const Y3{y0.u + 0.5 * h * k2.u, y0.v + 0.5 * h * k2.v};
        state const k3 = rhs(p, Y3.u, Y3.v);
        state const Y4{y0.u + h * k3.u, y0.v + h * k3.v};
        // y_{i+1} = y_i + h/6 (k1 + 2 k2 + 2 k3 + k4): ybar stays, each k gets its weight.
        state const w = ybar;
        state k1bar{h / 6.0 * w.u, h / 6.0 * w.v};
        state k2bar{h / 3.0 * w.u, h / 3.0 * w.v};
        state k3bar{h / 3.0 * w.u, h / 3.0 * w.v};
        state const k4bar{h / 6.0 * w.u, h / 6.0 * w.v};
        // k4 = f(Y4), Y4 = y + h k3.
        state Y4bar{0.0, 0.0};
        detail::rhs_transpose(p, Y4.u, Y4.v, k4bar, Y4bar, pbar);
        ybar.u += Y4bar.u, ybar.v += Y4bar.v;
        k3bar.u += h * Y4bar.u, k3bar.v += h * Y4bar.v;
        // k3 = f(Y3), Y3 = y + h/2 k2.
        state Y3bar{0.0, 0.0};
        detail::rhs_transpose(p, Y3.u, Y3.v, k3bar, Y3bar, pbar);
        ybar.u += Y3bar.u, ybar.v += Y3bar.v;
        k2bar.u += 0.5 * h * Y3bar.u, k2bar.v += 0.5 * h * Y3bar.v;
        // k2 = f(Y2), Y2 = y + h/2 k1.
        state Y2bar{0.0, 0.0};
        detail::rhs_transpose(p, Y2.u, Y2.v, k2bar, Y2bar, pbar);
        ybar.u += Y2bar.u, ybar.v += Y2bar.v;
        k1bar.u += 0.5 * h * Y2bar.u, k1bar.v += 0.5 * h * Y2bar.v;
        // k1 = f(y).
        detail::rhs_transpose(p, y0.u, y0.v, k1bar, ybar, pbar);
    }
    grad = pbar;
    grad[0] = ybar.u;
    grad[1] = ybar.v;
    return L;
}

}  // namespace lotka_volterra
