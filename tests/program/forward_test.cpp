// Forward mode through array programs (tg::jvp with tg::along): J v against the
// gradient (v . grad for a number result), against central differences along v, and
// for array results against the tangent computed by hand.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "support/program_check.hpp"

namespace tg = typegrad;
using typegrad_test::arr;
using typegrad_test::fill_uniform;
using typegrad_test::near;

TEST_CASE("jvp of a number result equals the gradient dotted with the direction") {
    auto [X, W, b, y] = tg::vars<"X", "W", "b", "y">();
    auto const loss = tg::mean(tg::square(tanh(tg::matmul(X, W) + b) - y)) + tg::logsumexp(tg::slice(W, 1, tg::end));
    arr<2> x(6, 4), w(4, 3), yv(6, 3), vw(4, 3);
    arr<1> bv(3), vb(3);
    fill_uniform(x, 51);
    fill_uniform(w, 52);
    fill_uniform(yv, 53);
    fill_uniform(bv, 54);
    fill_uniform(vw, 55);
    fill_uniform(vb, 56);
    arr<2> gw(4, 3);
    arr<1> gb(3);
    double const L = tg::gradient(loss, tg::gradient_to(tg::skip, gw.ref(), gb.ref(), tg::skip), x.cref(), w.cref(),
                                  bv.cref(), yv.cref());
    auto const r = tg::jvp(loss, tg::along(tg::skip, vw.cref(), vb.cref(), tg::skip), x.cref(), w.cref(), bv.cref(),
                           yv.cref());
    double dot = 0;
    for (std::size_t i = 0; i < gw.size(); ++i) dot += gw.v[i] * vw.v[i];
    for (std::size_t i = 0; i < gb.size(); ++i) dot += gb.v[i] * vb.v[i];
    CHECK(near(r.value, L, 1e-14));
    CHECK(near(r.tangent, dot, 1e-12));

    SUBCASE("and central differences along the direction") {
        auto at = [&](double t) {
            arr<2> w2 = w;
            arr<1> b2 = bv;
            for (std::size_t i = 0; i < w2.size(); ++i) w2.v[i] += t * vw.v[i];
            for (std::size_t i = 0; i < b2.size(); ++i) b2.v[i] += t * vb.v[i];
            return tg::value(loss, x.cref(), w2.cref(), b2.cref(), yv.cref());
        };
        double const h = 1e-3;
        double const fd = (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
        CHECK(near(r.tangent, fd, 1e-8));
    }
    SUBCASE("a zero direction everywhere gives a zero tangent") {
        auto const z = tg::jvp(loss, tg::along(tg::skip, tg::skip, tg::skip, tg::skip), x.cref(), w.cref(), bv.cref(), yv.cref());
        CHECK(z.tangent == 0.0);
        CHECK(near(z.value, L, 1e-14));
    }
}

TEST_CASE("jvp of an array result: softmax times a reduction over an axis, matmul of gathered rows") {
    auto [z, i] = tg::vars<"z", "i">();
    arr<2> a(3, 4), v(3, 4);
    fill_uniform(a, 57);
    fill_uniform(v, 58);
    std::vector<int> idx{1, 1, 0, 2};
    auto const H = tg::softmax(z) * tg::sum(z * z, tg::axis<1>, tg::keepdims);
    arr<2> y(3, 4), ydot(3, 4);
    tg::jvp(H, tg::along(v.cref(), tg::skip), tg::into(y.ref(), ydot.ref()), a.cref(), idx);
    for (int r = 0; r < 3; ++r) {
        double m = -1e300, tot = 0, q = 0, qdot = 0;
        for (int c = 0; c < 4; ++c) m = std::max(m, a.v[static_cast<std::size_t>(r * 4 + c)]);
        for (int c = 0; c < 4; ++c) tot += std::exp(a.v[static_cast<std::size_t>(r * 4 + c)] - m);
        double sdot = 0;  // sum_c p_c v_c
        for (int c = 0; c < 4; ++c) {
            double const ac = a.v[static_cast<std::size_t>(r * 4 + c)], vc = v.v[static_cast<std::size_t>(r * 4 + c)];
            sdot += std::exp(ac - m) / tot * vc;
            q += ac * ac;
            qdot += 2 * ac * vc;
        }
        for (int c = 0; c < 4; ++c) {
            std::size_t const e = static_cast<std::size_t>(r * 4 + c);
            double const p = std::exp(a.v[e] - m) / tot;
            CHECK(near(y.v[e], p * q, 1e-14));
            CHECK(near(ydot.v[e], p * (v.v[e] - sdot) * q + p * qdot, 1e-13));
        }
    }
    SUBCASE("matmul and take agree with finite differences along v") {
        auto const K = tg::matmul(tg::take(z, i), tg::transpose(z));  // (4, 4)
        arr<2> out(4, 3), out_dot(4, 3);
        tg::jvp(K, tg::along(v.cref(), tg::skip), tg::into(out.ref(), out_dot.ref()), a.cref(), idx);
        for (int r = 0; r < 4; ++r)
            for (int c = 0; c < 3; ++c) {
                int const row = idx[static_cast<std::size_t>(r)];
                double val = 0, tan = 0;
                for (int q = 0; q < 4; ++q) {
                    double const ar = a.v[static_cast<std::size_t>(row * 4 + q)], ac = a.v[static_cast<std::size_t>(c * 4 + q)];
                    double const vr = v.v[static_cast<std::size_t>(row * 4 + q)], vc = v.v[static_cast<std::size_t>(c * 4 + q)];
                    val += ar * ac;
                    tan += vr * ac + ar * vc;
                }
                CHECK(near(out.v[static_cast<std::size_t>(r * 3 + c)], val, 1e-14));
                CHECK(near(out_dot.v[static_cast<std::size_t>(r * 3 + c)], tan, 1e-14));
            }
    }
}
