// Test support for array programs: arrays with a shape, random fills, and gradients
// checked against central differences computed from the program's value alone.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <typegrad/typegrad.hpp>

namespace typegrad_test {

/// A row-major array of doubles with a rank known at compile time.
template <std::size_t R>
struct arr {
    std::array<std::ptrdiff_t, R> shape{};
    std::vector<double> v;

    arr() = default;
    template <class... E>
    explicit arr(E... e) : shape{static_cast<std::ptrdiff_t>(e)...}, v(static_cast<std::size_t>((std::ptrdiff_t{1} * ... * e))) {
        static_assert(sizeof...(E) == R);
    }
    typegrad::array_ref<double, R> ref() {
        return {v.data(), shape, typegrad::detail::row_major_strides(shape)};
    }
    typegrad::array_ref<double const, R> cref() const {
        return {v.data(), shape, typegrad::detail::row_major_strides(shape)};
    }
    std::size_t size() const { return v.size(); }
    double& operator[](std::size_t i) { return v[i]; }
    double operator[](std::size_t i) const { return v[i]; }
};

inline std::mt19937_64& rng(std::uint64_t seed) {
    static std::mt19937_64 g;
    g.seed(seed);
    return g;
}

template <std::size_t R>
void fill_uniform(arr<R>& a, std::uint64_t seed, double lo = -1.0, double hi = 1.0) {
    std::mt19937_64 g(seed);
    std::uniform_real_distribution<double> u(lo, hi);
    for (double& x : a.v) x = u(g);
}

/// |a - b| <= rel * max(1, |a|, |b|).
inline bool near(double a, double b, double rel) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return std::abs(a - b) <= rel * std::fmax(1.0, std::fmax(std::abs(a), std::abs(b)));
}

/// The 4-point central difference of value() with respect to element i of a.
template <class V, std::size_t R>
double central(V const& value, arr<R>& a, std::size_t i) {
    double const x = a.v[i];
    double const h = 1e-3 * (1.0 + std::abs(x));
    auto at = [&](double s) {
        a.v[i] = x + s;
        double const r = value();
        a.v[i] = x;
        return r;
    };
    return (8.0 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12.0 * h);
}

/// Largest relative disagreement between a gradient and central differences of value().
template <class V, std::size_t R>
double gradient_error(V const& value, arr<R>& a, arr<R> const& g) {
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        double const fd = central(value, a, i);
        double const e = std::abs(fd - g.v[i]) / std::fmax(1.0, std::fmax(std::abs(fd), std::abs(g.v[i])));
        if (e > worst || std::isnan(e)) worst = std::isnan(e) ? 1e300 : e;
    }
    return worst;
}

}  // namespace typegrad_test
