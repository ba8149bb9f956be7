// examples/support/portable_random.hpp: uniform and normal numbers and random indices
// from a std::mt19937_64 that are the same with every standard library.
//
// std::normal_distribution, std::uniform_int_distribution and std::shuffle are
// implementation-defined, so data made with them would differ between libstdc++ and
// libc++; these are written out (53-bit uniforms, Box-Muller, Fisher-Yates).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <random>
#include <utility>

namespace example_data {

/// Uniform in [0, 1): the top 53 bits of one draw.
inline double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

/// Standard normal numbers by the Box-Muller transform: two per pair of uniforms, the
/// second kept for the next call, so a sequence depends only on the seed and the count.
class standard_normal {
public:
    double operator()(std::mt19937_64& rng) {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        double const u1 = 1.0 - uniform01(rng);  // in (0, 1]: log(u1) is finite
        double const u2 = uniform01(rng);
        double const r = std::sqrt(-2.0 * std::log(u1));
        double const a = 2.0 * std::numbers::pi * u2;
        spare_ = r * std::sin(a);
        has_spare_ = true;
        return r * std::cos(a);
    }

private:
    double spare_ = 0.0;
    bool has_spare_ = false;
};

/// An index in [0, n), n > 0: floor(u n) with u from uniform01 (bias below 2^-53 n).
inline std::size_t draw_index(std::mt19937_64& rng, std::size_t n) {
    auto const i = static_cast<std::size_t>(uniform01(rng) * static_cast<double>(n));
    return i < n ? i : n - 1;
}

/// Fisher-Yates with draw_index: the same permutation for the same seed everywhere.
/// Calls swap_rows(i, j) for each exchange, so several arrays can be shuffled in step.
template <class SwapRows>
void shuffle_rows(std::mt19937_64& rng, std::size_t n, SwapRows&& swap_rows) {
    for (std::size_t i = n; i > 1; --i) {
        std::size_t const j = draw_index(rng, i);
        if (j != i - 1) swap_rows(i - 1, j);
    }
}

}  // namespace example_data
