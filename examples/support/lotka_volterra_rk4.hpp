// examples/support/lotka_volterra_rk4.hpp: one RK4 step of Lotka-Volterra, written once for
// any arithmetic type (typegrad expressions inside a tg::fori body, or doubles).
//
// h is a run-time number, so subexpressions holding it are keyed by position, not by type
// (core/graph.hpp); each stage is named with tg::let so that its uses share one node
// instead of copying the subtree (k2 reads k1 twice, k3 reads k2 twice, ...).
#pragma once

#include <tuple>

#include <typegrad/typegrad.hpp>

namespace lotka_volterra {

/// (u, v) one step of size h on, as a std::tuple of two expressions.
template <class U, class V, class A, class B, class C, class D>
auto rk4_expression(U const& u, V const& v, A const& a, B const& b, C const& c, D const& d, double h) {
    namespace tg = typegrad;
    auto const f_u = [&](auto const& x, auto const& y) { return a * x - b * x * y; };
    auto const f_v = [&](auto const& x, auto const& y) { return -c * y + d * x * y; };
    auto const k1u = tg::let<"k1u">(f_u(u, v));
    auto const k1v = tg::let<"k1v">(f_v(u, v));
    auto const y2u = tg::let<"y2u">(u + (0.5 * h) * k1u);
    auto const y2v = tg::let<"y2v">(v + (0.5 * h) * k1v);
    auto const k2u = tg::let<"k2u">(f_u(y2u, y2v));
    auto const k2v = tg::let<"k2v">(f_v(y2u, y2v));
    auto const y3u = tg::let<"y3u">(u + (0.5 * h) * k2u);
    auto const y3v = tg::let<"y3v">(v + (0.5 * h) * k2v);
    auto const k3u = tg::let<"k3u">(f_u(y3u, y3v));
    auto const k3v = tg::let<"k3v">(f_v(y3u, y3v));
    auto const y4u = tg::let<"y4u">(u + h * k3u);
    auto const y4v = tg::let<"y4v">(v + h * k3v);
    auto const k4u = f_u(y4u, y4v);
    auto const k4v = f_v(y4u, y4v);
    return std::tuple{u + (h / 6.0) * (k1u + 2.0 * k2u + 2.0 * k3u + k4u),
                      v + (h / 6.0) * (k1v + 2.0 * k2v + 2.0 * k3v + k4v)};
}

}  // namespace lotka_volterra
