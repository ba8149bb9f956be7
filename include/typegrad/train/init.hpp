// typegrad/train/init.hpp: seeded random initialisation of parameter arrays.
//
//   tg::train::generator gen(42);                       // reproducible on every platform
//   tg::train::he_normal(W, gen);                       // N(0, 2 / fan_in)
//   tg::train::glorot_uniform(W, gen);                  // U(-a, a), a = sqrt(6 / (fan_in + fan_out))
//   tg::train::he_normal(W, gen, tg::train::fans{.in = 400, .out = 10});   // fans given explicitly
//
// Fans from the array's shape: kernels (O, C, KH, KW) of tg::conv2d have fan_in = C KH KW
// and fan_out = O KH KW; a matrix (in, out) as used in tg::matmul(X, W) has fan_in = in
// and fan_out = out; a vector (n,) has fan_in = fan_out = n. Also he_uniform
// (U(-a, a), a = sqrt(6 / fan_in)) and glorot_normal (N(0, 2 / (fan_in + fan_out))).
// Elements are drawn in row-major order of the array, whatever its strides.
//
// The generator is splitmix64 with its own uniform and normal (Box-Muller) transforms,
// not the standard library's distributions, whose results differ between
// implementations: a seed gives the same numbers everywhere, up to the last bit of
// log, sqrt and cos.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "../ops/array_operation.hpp"

namespace typegrad::train {

/// splitmix64 (Steele, Lea and Flood 2014): 64 random bits per call from a seed.
class generator {
public:
    explicit generator(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, 1), 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    /// Uniform in [lo, hi).
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    /// Standard normal (Box-Muller; the second number of each pair is kept for the next call).
    double normal() {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        double const u1 = 1.0 - uniform();  // (0, 1]: log(u1) is finite
        double const u2 = uniform();
        double const r = std::sqrt(-2.0 * std::log(u1));
        double const a = 6.283185307179586 * u2;
        spare_ = r * std::sin(a);
        has_spare_ = true;
        return r * std::cos(a);
    }

private:
    std::uint64_t state_;
    double spare_ = 0.0;
    bool has_spare_ = false;
};

/// Fan-in and fan-out of a parameter array.
struct fans {
    double in = 1.0;
    double out = 1.0;
};

/// Fans from a shape: (n,), (in, out), or kernels (O, C, KH, KW).
template <class T, std::size_t R>
fans fans_of(array_ref<T, R> const& a) {
    static_assert(R == 1 || R == 2 || R == 4,
                  "typegrad: fans from a shape are defined for vectors (n), matrices (in, out) and kernels (O, C, KH, "
                  "KW); give tg::train::fans{.in, .out} for other ranks");
    if constexpr (R == 1)
        return {static_cast<double>(a.extent[0]), static_cast<double>(a.extent[0])};
    else if constexpr (R == 2)
        return {static_cast<double>(a.extent[0]), static_cast<double>(a.extent[1])};
    else {
        double const field = static_cast<double>(a.extent[2] * a.extent[3]);
        return {static_cast<double>(a.extent[1]) * field, static_cast<double>(a.extent[0]) * field};
    }
}

namespace detail {
template <class T, std::size_t R, class F>
void fill_with(array_ref<T, R> const& a, fans const& f, char const* who, F const& draw) {
    if (!(f.in > 0) || !(f.out > 0))
        throw std::invalid_argument(std::string("typegrad: ") + who + ": the fans must be positive (got fan_in " +
                                    std::to_string(f.in) + ", fan_out " + std::to_string(f.out) + ")");
    typegrad::detail::for_each_offset(a, [&](std::ptrdiff_t off, std::ptrdiff_t) { a.data[off] = static_cast<T>(draw()); });
}
}  // namespace detail

/// He (Kaiming) normal: N(0, 2 / fan_in), for layers followed by ReLU.
template <class T, std::size_t R>
void he_normal(array_ref<T, R> const& a, generator& g, fans const& f) {
    double const sd = std::sqrt(2.0 / f.in);
    detail::fill_with(a, f, "tg::train::he_normal", [&] { return sd * g.normal(); });
}
/// He uniform: U(-a, a), a = sqrt(6 / fan_in) (the same variance as he_normal).
template <class T, std::size_t R>
void he_uniform(array_ref<T, R> const& a, generator& g, fans const& f) {
    double const lim = std::sqrt(6.0 / f.in);
    detail::fill_with(a, f, "tg::train::he_uniform", [&] { return g.uniform(-lim, lim); });
}
/// Glorot (Xavier) uniform: U(-a, a), a = sqrt(6 / (fan_in + fan_out)).
template <class T, std::size_t R>
void glorot_uniform(array_ref<T, R> const& a, generator& g, fans const& f) {
    double const lim = std::sqrt(6.0 / (f.in + f.out));
    detail::fill_with(a, f, "tg::train::glorot_uniform", [&] { return g.uniform(-lim, lim); });
}
/// Glorot normal: N(0, 2 / (fan_in + fan_out)).
template <class T, std::size_t R>
void glorot_normal(array_ref<T, R> const& a, generator& g, fans const& f) {
    double const sd = std::sqrt(2.0 / (f.in + f.out));
    detail::fill_with(a, f, "tg::train::glorot_normal", [&] { return sd * g.normal(); });
}

/// The same with the fans taken from the array's shape (fans_of).
template <class T, std::size_t R>
void he_normal(array_ref<T, R> const& a, generator& g) { he_normal(a, g, fans_of(a)); }
template <class T, std::size_t R>
void he_uniform(array_ref<T, R> const& a, generator& g) { he_uniform(a, g, fans_of(a)); }
template <class T, std::size_t R>
void glorot_uniform(array_ref<T, R> const& a, generator& g) { glorot_uniform(a, g, fans_of(a)); }
template <class T, std::size_t R>
void glorot_normal(array_ref<T, R> const& a, generator& g) { glorot_normal(a, g, fans_of(a)); }

}  // namespace typegrad::train
