// benchmarks/hand/two_moons_logistic.hpp (P4 by hand): the gradient against central
// differences, the chain rule written out literally, and the closed form at w = 0; the
// P4 training's loss falls at every step.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <vector>

#include "benchmarks/hand/two_moons_logistic.hpp"
#include "examples/support/two_moons.hpp"
#include "support/finite_difference.hpp"

TEST_CASE("hand P4: the gradient matches central differences and the literal chain rule") {
    auto const d = example_data::make_two_moons(500, 0.1, 7);
    for (auto const w : {std::array{1.0, 1.0}, std::array{-0.3, 2.0}, std::array{0.5, -1.5}}) {
        std::array<double, 2> g{};
        double const L = hand::two_moons_loss_gradient(d.X.data(), d.labels.data(), d.size(), w, g);
        CHECK(L == hand::two_moons_loss(d.X.data(), d.labels.data(), d.size(), w));
        auto loss = [&](std::array<double, 2> v) { return hand::two_moons_loss(d.X.data(), d.labels.data(), d.size(), v); };
        CHECK(typegrad_test::close(g[0], typegrad_test::central_difference(loss, w, 0), 1e-9));
        CHECK(typegrad_test::close(g[1], typegrad_test::central_difference(loss, w, 1), 1e-9));
        // dL/dp = -(t / p - (1 - t) / (1 - p)), dp/da = (1 - tanh(a)^2) / 2, da/dw = x.
        std::array<double, 2> chain{};
        for (std::size_t i = 0; i < d.size(); ++i) {
            double const x0 = d.X[2 * i], x1 = d.X[2 * i + 1], t = d.labels[i];
            double const th = std::tanh(x0 * w[0] + x1 * w[1]), p = 0.5 * (th + 1);
            double const dLda = -(t / p - (1 - t) / (1 - p)) * 0.5 * (1 - th * th);
            chain[0] += dLda * x0;
            chain[1] += dLda * x1;
        }
        CHECK(typegrad_test::close(g[0], chain[0], 1e-11));
        CHECK(typegrad_test::close(g[1], chain[1], 1e-11));
    }
}

TEST_CASE("hand P4: at w = 0, p = 1/2, L = n log 2 and dL/dw = X^T (1 - 2 t)") {
    auto const d = example_data::make_two_moons(101, 0.1, 3);
    std::array<double, 2> g{};
    double const L = hand::two_moons_loss_gradient(d.X.data(), d.labels.data(), d.size(), {0.0, 0.0}, g);
    CHECK(L == doctest::Approx(101 * std::numbers::ln2).epsilon(1e-15));
    double w0 = 0, w1 = 0;
    for (std::size_t i = 0; i < d.size(); ++i) {
        w0 += d.X[2 * i] * (1 - 2 * d.labels[i]);
        w1 += d.X[2 * i + 1] * (1 - 2 * d.labels[i]);
    }
    CHECK(g[0] == doctest::Approx(w0).epsilon(1e-14));
    CHECK(g[1] == doctest::Approx(w1).epsilon(1e-14));
}

TEST_CASE("hand P4: 100 steps of gradient descent from (1, 1), rate 0.001: the loss falls at every step") {
    auto const d = example_data::make_two_moons(500, 0.1, 0);
    std::vector<double> loss(100);
    auto const w = hand::two_moons_gradient_descent(d.X.data(), d.labels.data(), d.size(), {1.0, 1.0}, 100, 0.001,
                                                    loss.data());
    for (std::size_t s = 1; s < loss.size(); ++s) {
        CAPTURE(s);
        CHECK(loss[s] < loss[s - 1]);
    }
    double const final_loss = hand::two_moons_loss(d.X.data(), d.labels.data(), d.size(), w);
    MESSAGE("P4 loss: " << loss[0] << " at (1, 1), " << final_loss << " after 100 steps at (" << w[0] << ", " << w[1]
                        << ")");
    CHECK(final_loss < loss[99]);
    // Without a bias the best boundary through the origin still beats chance (n log 2).
    CHECK(final_loss < 500 * std::numbers::ln2);
}
