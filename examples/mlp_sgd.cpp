// P6: a two-layer network trained with stochastic gradient descent, its loss written
// once as an array program (the flagship demo).
//
//   X: 1000 x 100, y: 1000 x 1, standard normal; hidden = relu(X W1 + b1), 10 units;
//   yhat = relu(hidden W2 + b2); loss = mean((yhat - y)^2).
//   5000 steps of SGD, learning rate 0.05, each on 5 rows drawn at random.
//
// The batch is part of the program: tg::take gathers the rows by index, so one
// expression serves the full-data loss and the batch loss, and a workspace kept across
// steps means no step allocates. Usage: mlp_sgd [--steps N] [--seed S]. It prints the
// full-data loss before and after and the time per step, and exits non-zero if the
// loss did not fall.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include <typegrad/typegrad.hpp>

#include "support/p6_data.hpp"
#include "support/portable_random.hpp"
#include "support/progress.hpp"

namespace tg = typegrad;

int main(int argc, char** argv) {
    long steps = 5000;
    std::uint64_t seed = 6;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--steps") == 0) steps = std::atol(argv[i + 1]);
        if (std::strcmp(argv[i], "--seed") == 0) seed = std::strtoull(argv[i + 1], nullptr, 10);
    }
    auto p = example_data::make_p6_problem(seed);
    auto const N = static_cast<std::ptrdiff_t>(p.rows), K = static_cast<std::ptrdiff_t>(p.inputs),
               H = static_cast<std::ptrdiff_t>(p.hidden);
    double const learning_rate = 0.05;
    std::ptrdiff_t const batch = 5;

    // The program: the model once, the full-data loss and the batch loss from it.
    auto [X, W1, b1, W2, b2, y, rows] = tg::vars<"X", "W1", "b1", "W2", "b2", "y", "rows">();
    auto model = [&](auto const& x) { return relu(tg::matmul(relu(tg::matmul(x, W1) + b1), W2) + b2); };
    auto const full_loss = tg::mean(tg::square(model(X) - y));
    auto const batch_loss = tg::mean(tg::square(model(tg::take(X, rows)) - tg::take(y, rows)));

    auto Xv = tg::view(p.X.data(), N, K);
    auto yv = tg::view(p.y.data(), N, 1);
    auto W1v = tg::view(p.W1.data(), K, H);
    auto W2v = tg::view(p.W2.data(), H, 1);
    std::vector<double> gW1(p.W1.size()), gb1(p.b1.size()), gW2(p.W2.size()), gb2(p.b2.size());
    std::vector<long> picked(static_cast<std::size_t>(batch));
    auto const everything = [&] { return tg::value(full_loss, Xv, W1v, p.b1, W2v, p.b2, yv); };

    double const before = everything();
    std::printf("P6: two-layer network, %td x %td data, %td hidden units, SGD with batch %td, rate %g\n", N, K, H,
                batch, learning_rate);
    std::printf("full-data loss before training: %.6f\n", before);

    tg::workspace ws;
    std::mt19937_64 rng(seed + 1);
    example_support::progress bar(steps, "training");
    double running = 0;
    auto const start = std::chrono::steady_clock::now();
    for (long step = 1; step <= steps; ++step) {
        for (auto& r : picked) r = static_cast<long>(example_data::draw_index(rng, p.rows));
        double const L = tg::gradient(ws, batch_loss,
                                      tg::gradient_to(tg::skip, tg::view(gW1.data(), K, H), gb1, tg::view(gW2.data(), H, 1),
                                                      gb2, tg::skip, tg::skip),
                                      Xv, W1v, p.b1, W2v, p.b2, yv, picked);
        // w <- w - rate g, in place: the output is the first input itself.
        auto const update = [&](std::vector<double>& w, std::vector<double> const& g) {
            auto [wv, gv] = tg::vars<2>();
            tg::map(ws, wv - learning_rate * gv, w, w, g);
        };
        update(p.W1, gW1);
        update(p.b1, gb1);
        update(p.W2, gW2);
        update(p.b2, gb2);
        running = step == 1 ? L : 0.98 * running + 0.02 * L;
        bar.update(step, running);
    }
    bar.finish();
    double const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double const after = everything();
    std::printf("full-data loss after %ld steps: %.6f\n", steps, after);
    std::printf("time per step: %.2f us (value, gradient of the batch loss and the update)\n",
                steps > 0 ? 1e6 * seconds / static_cast<double>(steps) : 0.0);
    bool const ok = std::isfinite(after) && (steps == 0 || after < before);
    if (!ok) std::printf("the loss did not fall\n");
    return ok ? 0 : 1;
}
