// examples/support/p6_data.hpp: the random problem of P6 (REFERENCE_PROBLEMS.md): data X
// (1000 x 100) and targets y (1000 x 1), and the starting weights of the two-layer network
// (10 hidden units), all standard normal, seeded so that runs reproduce.
//
// Draw order, from one std::mt19937_64(seed) through portable_random.hpp (the same numbers
// with every standard library): X, y, W1, b1, W2, b2, each row-major.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "portable_random.hpp"

namespace example_data {

struct p6_problem {
    std::size_t rows = 0;    ///< N (1000)
    std::size_t inputs = 0;  ///< K (100)
    std::size_t hidden = 0;  ///< H (10)
    std::vector<double> X;   ///< N x K
    std::vector<double> y;   ///< N x 1
    std::vector<double> W1;  ///< K x H
    std::vector<double> b1;  ///< H
    std::vector<double> W2;  ///< H x 1
    std::vector<double> b2;  ///< 1
};

/// P6's problem is make_p6_problem(seed); smaller sizes are for tests.
inline p6_problem make_p6_problem(std::uint64_t seed, std::size_t rows = 1000, std::size_t inputs = 100,
                                  std::size_t hidden = 10) {
    p6_problem p;
    p.rows = rows;
    p.inputs = inputs;
    p.hidden = hidden;
    std::mt19937_64 rng(seed);
    standard_normal normal;
    auto fill = [&](std::vector<double>& v, std::size_t n) {
        v.resize(n);
        for (double& e : v) e = normal(rng);
    };
    fill(p.X, rows * inputs);
    fill(p.y, rows);
    fill(p.W1, inputs * hidden);
    fill(p.b1, hidden);
    fill(p.W2, hidden);
    fill(p.b2, 1);
    return p;
}

}  // namespace example_data
