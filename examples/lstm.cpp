// A one-layer LSTM written once as an array program (tg::scan over the time axis), trained
// with Adam on a synthetic sequence task, its gradient checked against a hand-written
// backpropagation through time and central differences.
//
//   xs: T = 50 steps of B = 16 sequences of D = 8 standard normal inputs; H = 64 units.
//   The target of a sequence is the sum over time of its first input, over sqrt(T) (so it
//   has variance 1): the network must carry a running sum through all 50 steps. Every
//   training step draws a fresh batch; the loss that must fall is that of a held-out batch.
//   The carry is one array s = [h | c] (B x 2H); yhat = h_{T-1} V + c; loss = mean((yhat - y)^2).
//
// Checks (exit 1 on a failure): the loss and every weight gradient against
// examples/support/lstm_hand.hpp (relative 1e-10, against each array's largest entry),
// a few entries of each weight against central differences (relative 1e-5), and the loss
// must fall over the training. Usage: lstm [--steps N] (default 150).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include <typegrad/train.hpp>
#include <typegrad/typegrad.hpp>

#include "support/lstm_hand.hpp"
#include "support/portable_random.hpp"

namespace tg = typegrad;

#if defined(TYPEGRAD_HAND_CBLAS)
using dense = hand::cblas;
#else
using dense = hand::loops;
#endif

namespace {

int failures = 0;

// |got - want| against the largest |want| of the array: a gradient's small entries are
// sums of cancelling terms, so an entry-wise relative error says little about them.
void check_array(char const* what, std::vector<double> const& got, std::vector<double> const& want, double tol) {
    double scale = 0, worst = 0;
    for (double v : want) scale = std::max(scale, std::abs(v));
    for (std::size_t i = 0; i < got.size(); ++i) worst = std::max(worst, std::abs(got[i] - want[i]));
    double const rel = scale > 0 ? worst / scale : worst;
    bool const ok = rel <= tol;
    std::printf("  %-3s typegrad vs hand: max |diff| / max |g| = %.2e%s\n", what, rel, ok ? "" : "  MISMATCH");
    if (!ok) ++failures;
}

std::vector<double> normals(std::size_t n, double scale, std::mt19937_64& rng) {
    example_data::standard_normal normal;
    std::vector<double> v(n);
    for (auto& x : v) x = scale * normal(rng);
    return v;
}

}  // namespace

int main(int argc, char** argv) {
    long steps = 150;
    for (int i = 1; i + 1 < argc; i += 2)
        if (std::strcmp(argv[i], "--steps") == 0) steps = std::atol(argv[i + 1]);
    std::ptrdiff_t const T = 50, B = 16, D = 8, H = 64;
    auto const n = [](std::ptrdiff_t v) { return static_cast<std::size_t>(v); };

    // Data and weights (W, U of variance 1 / fan-in; the forget gate's bias 1).
    std::mt19937_64 rng(16);
    auto const draw = [&](std::vector<double>& x, std::vector<double>& target) {
        x = normals(n(T * B * D), 1.0, rng);
        target.assign(n(B), 0.0);
        for (std::ptrdiff_t t = 0; t < T; ++t)
            for (std::ptrdiff_t b = 0; b < B; ++b) target[n(b)] += x[n((t * B + b) * D)] / std::sqrt(double(T));
    };
    std::vector<double> xs, y, held_xs, held_y, s0(n(B * 2 * H), 0.0);
    draw(xs, y);
    draw(held_xs, held_y);
    std::vector<double> W = normals(n(D * 4 * H), 1.0 / std::sqrt(double(D)), rng);
    std::vector<double> U = normals(n(H * 4 * H), 1.0 / std::sqrt(double(H)), rng);
    std::vector<double> bias(n(4 * H), 0.0), V = normals(n(H), 1.0 / std::sqrt(double(H)), rng), c(1, 0.0);
    for (std::ptrdiff_t j = H; j < 2 * H; ++j) bias[n(j)] = 1.0;

    // The program: the cell once, scanned over the leading (time) axis of X.
    auto const X = tg::named<0, "X">();
    auto const S0 = tg::named<1, "s0">();
    auto const Wx = tg::named<2, "W">();
    auto const Uh = tg::named<3, "U">();
    auto const bz = tg::named<4, "b">();
    auto const Vo = tg::named<5, "V">();
    auto const co = tg::named<6, "c">();
    auto const Y = tg::named<7, "y">();
    auto const cell = [&](auto s, auto x) {
        auto const h = tg::slice(s, tg::axis<1>, 0, H);
        auto const cs = tg::slice(s, tg::axis<1>, H, 2 * H);
        // z and c_next are used more than once, and their slices hold run-time bounds, so they
        // are not shared by type: tg::let makes each one node (without it, z and its matrix
        // products would be computed once per gate, about 3.5x slower).
        auto const z = tg::let<"z">(tg::matmul(x, Wx) + tg::matmul(h, Uh) + bz);
        auto const i = sigmoid(tg::slice(z, tg::axis<1>, 0, H));
        auto const f = sigmoid(tg::slice(z, tg::axis<1>, H, 2 * H));
        auto const g = tanh(tg::slice(z, tg::axis<1>, 2 * H, 3 * H));
        auto const o = sigmoid(tg::slice(z, tg::axis<1>, 3 * H, 4 * H));
        auto const c_next = tg::let<"c_next">(f * cs + i * g);
        return tg::concat(tg::axis<1>, o * tanh(c_next), c_next);
    };
    auto const hs = tg::scan(cell, S0, X);  // (T, B, 2H)
    auto const h_last = tg::slice(tg::reshape(tg::slice(hs, T - 1, T), B, 2 * H), tg::axis<1>, 0, H);
    auto const loss = tg::mean(tg::square(tg::matmul(h_last, Vo) + co - Y));

    std::vector<double> gW(W.size()), gU(U.size()), gb(bias.size()), gV(V.size());
    double gc = 0;
    tg::workspace ws;
    auto const typegrad_gradient = [&] {
        return tg::gradient(ws, loss,
                            tg::gradient_to(tg::skip, tg::skip, tg::view(gW.data(), D, 4 * H),
                                            tg::view(gU.data(), H, 4 * H), gb, gV, gc, tg::skip),
                            tg::view(xs.data(), T, B, D), tg::view(s0.data(), B, 2 * H), tg::view(W.data(), D, 4 * H),
                            tg::view(U.data(), H, 4 * H), bias, V, c[0], y);
    };
    auto const value_at = [&](std::vector<double> const& x, std::vector<double> const& target) {
        return tg::value(ws, loss, tg::view(x.data(), T, B, D), tg::view(s0.data(), B, 2 * H),
                         tg::view(W.data(), D, 4 * H), tg::view(U.data(), H, 4 * H), bias, V, c[0], target);
    };
    auto const typegrad_value = [&] { return value_at(xs, y); };

    hand::lstm_workspace hws({n(T), n(B), n(D), n(H)});
    std::vector<double> hW(W.size()), hU(U.size()), hb(bias.size()), hV(V.size()), hc(1);
    auto const hand_gradient = [&] {
        return hand::lstm_value_and_gradient<dense>(xs.data(), s0.data(), y.data(),
                                                    {W.data(), U.data(), bias.data(), V.data(), c.data()},
                                                    {hW.data(), hU.data(), hb.data(), hV.data(), hc.data()}, hws);
    };

    std::printf("LSTM: T = %td steps, batch %td, %td inputs, %td hidden units; target sum_t x_t[0] / sqrt(T)\n", T, B,
                D, H);
    // 1. typegrad against the hand-written backpropagation through time.
    double const L = typegrad_gradient(), Lh = hand_gradient(), Lv = typegrad_value();
    std::printf("loss: typegrad gradient %.17g, typegrad value %.17g, hand %.17g\n", L, Lv, Lh);
    if (std::abs(L - Lh) > 1e-12 * std::abs(Lh) || std::abs(Lv - Lh) > 1e-12 * std::abs(Lh)) {
        std::printf("  the losses differ\n");
        ++failures;
    }
    check_array("W", gW, hW, 1e-10);
    check_array("U", gU, hU, 1e-10);
    check_array("b", gb, hb, 1e-10);
    check_array("V", gV, hV, 1e-10);
    check_array("c", std::vector<double>{gc}, hc, 1e-10);

    // 2. Central differences on a few entries of every weight (the loss by typegrad's value).
    std::printf("central differences (step 1e-5):\n");
    auto const fd_check = [&](char const* what, std::vector<double>& w, std::vector<double> const& g,
                              std::initializer_list<std::size_t> at) {
        for (std::size_t k : at) {
            double const keep = w[k], e = 1e-5;
            w[k] = keep + e;
            double const up = typegrad_value();
            w[k] = keep - e;
            double const down = typegrad_value();
            w[k] = keep;
            double const fd = (up - down) / (2 * e);
            double const rel = std::abs(fd - g[k]) / std::max({std::abs(fd), std::abs(g[k]), 1e-6});
            bool const ok = rel <= 1e-5;
            std::printf("  %s[%zu]: gradient %+.10e, differences %+.10e, relative %.1e%s\n", what, k, g[k], fd, rel,
                        ok ? "" : "  MISMATCH");
            if (!ok) ++failures;
        }
    };
    fd_check("W", W, gW, {0, 70, 129, 200, 511});      // the i, f, g, o blocks of input 0 and others
    fd_check("U", U, gU, {3, 64 + 5, 4 * 64 * 10 + 140, 4 * 64 * 63 + 255});
    fd_check("b", bias, gb, {1, 65, 130, 250});
    fd_check("V", V, gV, {0, 31, 63});
    fd_check("c", c, std::vector<double>{gc}, {0});

    // 3. Training: Adam on a fresh batch per step, the batch's loss printed at every step.
    tg::train::adam<> opt({.learning_rate = 1e-2});
    double const before = value_at(held_xs, held_y);
    std::printf("training, Adam (learning rate 0.01), %ld steps; held-out loss %.6f\n", steps, before);
    double seconds = 0;
    for (long step = 1; step <= steps; ++step) {
        draw(xs, y);
        auto const start = std::chrono::steady_clock::now();
        double const Ls = typegrad_gradient();
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("  step %3ld  batch loss %.6f\n", step, Ls);
        std::vector<double> gcv{gc};
        opt.step(tg::train::param(W, gW), tg::train::param(U, gU), tg::train::param(bias, gb),
                 tg::train::param(V, gV), tg::train::param(c, gcv));
    }
    double const after = value_at(held_xs, held_y);
    std::printf("held-out loss before %.6f, after %ld steps %.6f\n", before, steps, after);
    if (steps > 0)
        std::printf("typegrad: %.3f ms per gradient (loss and all weight gradients)\n",
                    1e3 * seconds / static_cast<double>(steps));
    bool const fell = std::isfinite(after) && (steps == 0 || after < before);
    if (!fell) {
        std::printf("the loss did not fall\n");
        ++failures;
    }
    if (failures) std::printf("%d check(s) failed\n", failures);
    return failures ? 1 : 0;
}
