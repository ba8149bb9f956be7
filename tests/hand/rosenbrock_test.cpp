// benchmarks/hand/rosenbrock.hpp: value and gradient against closed forms and central
// differences, at every length around the unrolled loop's remainder.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <vector>

#include "benchmarks/hand/rosenbrock.hpp"
#include "hand/central_difference.hpp"
#include "support/finite_difference.hpp"

TEST_CASE("hand Rosenbrock: the minimum at all ones and the two-variable closed form") {
    for (std::size_t n : {2u, 5u, 256u}) {
        std::vector<double> x(n, 1.0), g(n, 9.0);
        CHECK(hand::rosenbrock_gradient(x.data(), n, g.data()) == 0.0);
        for (double v : g) CHECK(v == 0.0);
    }
    double const a = -1.2, b = 1.0;
    std::vector<double> x{a, b}, g(2);
    double const f = hand::rosenbrock_gradient(x.data(), 2, g.data());
    CHECK(f == doctest::Approx(100 * (b - a * a) * (b - a * a) + (1 - a) * (1 - a)).epsilon(1e-15));
    CHECK(g[0] == doctest::Approx(-400 * a * (b - a * a) - 2 * (1 - a)).epsilon(1e-15));
    CHECK(g[1] == doctest::Approx(200 * (b - a * a)).epsilon(1e-15));
    // n < 2: no term.
    std::vector<double> one{3.0}, g1{5.0};
    CHECK(hand::rosenbrock_gradient(one.data(), 1, g1.data()) == 0.0);
    CHECK(g1[0] == 0.0);
    CHECK(hand::rosenbrock_gradient(nullptr, 0, nullptr) == 0.0);
}

TEST_CASE("hand Rosenbrock: value and gradient against the plain sum and central differences") {
    for (std::size_t n = 2; n <= 19; ++n) {
        CAPTURE(n);
        auto x = hand_test::uniform_vector(n, -2, 2, "rosenbrock");
        std::vector<double> g(n);
        double const f = hand::rosenbrock_gradient(x.data(), n, g.data());
        CHECK(typegrad_test::close(f, hand::rosenbrock(x.data(), n), 1e-14));
        for (std::size_t i = 0; i < n; ++i) {
            CAPTURE(i);
            double const fd = hand_test::central_difference([&] { return hand::rosenbrock(x.data(), n); }, x, i);
            CHECK(typegrad_test::close(g[i], fd, 1e-8));
        }
    }
}
