// tg::scan: stacked states of a recurrent cell over the leading axis of xs, with
// gradients in h0, xs and the weights against a naive loop and finite differences.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

namespace {
// h_t = tanh(h_{t-1} W + x_t U), T steps, B x H states, B x D inputs; loss = sum(c * hs).
struct rnn {
    std::size_t T, B, H, D;
    double loss(std::vector<double> const& h0, std::vector<double> const& xs, std::vector<double> const& w,
                std::vector<double> const& u) const {
        std::vector<double> h = h0;
        double L = 0;
        for (std::size_t t = 0; t < T; ++t) {
            std::vector<double> n(B * H);
            for (std::size_t i = 0; i < B; ++i)
                for (std::size_t j = 0; j < H; ++j) {
                    double a = 0;
                    for (std::size_t l = 0; l < H; ++l) a += h[i * H + l] * w[l * H + j];
                    for (std::size_t l = 0; l < D; ++l) a += xs[(t * B + i) * D + l] * u[l * H + j];
                    n[i * H + j] = std::tanh(a);
                }
            h = n;
            for (std::size_t e = 0; e < B * H; ++e) L += h[e] * weight(t * B * H + e);
        }
        return L;
    }
    static double weight(std::size_t e) { return 1.0 + 0.05 * static_cast<double>(e % 7); }
};

std::vector<double> filled(std::size_t n, double scale, double shift) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = scale * std::sin(0.9 * static_cast<double>(i) + shift);
    return v;
}
}  // namespace

TEST_CASE("a recurrent cell scanned over a sequence, with gradients in every input and forward mode") {
    auto const h0 = tg::named<0, "h0">();
    auto const xs = tg::named<1, "xs">();
    auto const W = tg::named<2, "W">();
    auto const U = tg::named<3, "U">();
    auto const c = tg::named<4, "c">();
    auto const hs = tg::scan([&](auto h, auto x) { return tanh(tg::matmul(h, W) + tg::matmul(x, U)); }, h0, xs);
    auto const loss = tg::sum(hs * c);
    for (std::size_t T : {1u, 2u, 6u}) {
        CAPTURE(T);
        rnn const ref{T, 2, 3, 2};
        auto h = filled(6, 0.5, 0.2), x = filled(T * 4, 0.8, 1.0), w = filled(9, 0.6, 0.4), u = filled(6, 0.7, 2.5);
        std::vector<double> cv(T * 6);
        for (std::size_t e = 0; e < cv.size(); ++e) cv[e] = rnn::weight(e);
        auto const args = [&] {
            return std::tuple{tg::view(h.data(), 2, 3), tg::view(x.data(), T, 2, 2), tg::view(w.data(), 3, 3),
                              tg::view(u.data(), 2, 3), tg::view(cv.data(), T, 2, 3)};
        };
        auto const [H0, XS, Wv, Uv, C] = args();
        CHECK(tg::value(loss, H0, XS, Wv, Uv, C) == doctest::Approx(ref.loss(h, x, w, u)).epsilon(1e-13));
        std::vector<double> gh(6), gx(T * 4), gw(9), gu(6);
        double const L = tg::gradient(loss,
                                      tg::gradient_to(tg::view(gh.data(), 2, 3), tg::view(gx.data(), T, 2, 2),
                                                      tg::view(gw.data(), 3, 3), tg::view(gu.data(), 2, 3), tg::skip),
                                      H0, XS, Wv, Uv, C);
        CHECK(L == doctest::Approx(ref.loss(h, x, w, u)).epsilon(1e-13));
        double const e = 1e-6;
        auto fd = [&](std::vector<double>& v, std::size_t i) {
            double const keep = v[i];
            v[i] = keep + e;
            double const up = ref.loss(h, x, w, u);
            v[i] = keep - e;
            double const down = ref.loss(h, x, w, u);
            v[i] = keep;
            return (up - down) / (2 * e);
        };
        for (std::size_t i = 0; i < gh.size(); ++i) CHECK(gh[i] == doctest::Approx(fd(h, i)).epsilon(1e-6));
        for (std::size_t i = 0; i < gx.size(); ++i) CHECK(gx[i] == doctest::Approx(fd(x, i)).epsilon(1e-6));
        for (std::size_t i = 0; i < gw.size(); ++i) CHECK(gw[i] == doctest::Approx(fd(w, i)).epsilon(1e-6));
        for (std::size_t i = 0; i < gu.size(); ++i) CHECK(gu[i] == doctest::Approx(fd(u, i)).epsilon(1e-6));
        // Forward mode along the gradient: J v = |g|^2 over the inputs given a direction.
        auto const jv = tg::jvp(loss,
                                tg::along(tg::view(gh.data(), 2, 3), tg::view(gx.data(), T, 2, 2), tg::view(gw.data(), 3, 3),
                                          tg::skip, tg::skip),
                                H0, XS, Wv, Uv, C);
        double g2 = 0;
        for (double v : gh) g2 += v * v;
        for (double v : gx) g2 += v * v;
        for (double v : gw) g2 += v * v;
        CHECK(jv.tangent == doctest::Approx(g2).epsilon(1e-11));
    }
    CHECK(tg::to_string(hs) == "scan((s0, s1) -> tanh((matmul(s0, W) + matmul(s1, U))), h0, xs)");
}
