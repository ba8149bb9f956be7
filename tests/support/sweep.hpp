// tests/support/sweep.hpp: what a check swept over many random points needs: a seed per
// name, uniform numbers that are the same on every standard library, a closeness test
// for sums, and a log of the first few mismatches.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iomanip>
#include <random>
#include <sstream>
#include <string>
#include <string_view>

namespace typegrad_test {

/// A seed from a name (FNV-1a), so that each checked function has its own points.
inline std::uint64_t seed_for(std::string_view name) {
    std::uint64_t h = 14695981039346656037ull;
    for (char c : name) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return h;
}

/// Uniform in [lo, hi], the same on every standard library (53 random bits).
template <class T = double>
T uniform(std::mt19937_64& rng, double lo, double hi) {
    return static_cast<T>(lo + (hi - lo) * static_cast<double>(rng() >> 11) * 0x1.0p-53);
}

/// |a - b| <= rel * max(1, scale, |a|, |b|): for sums whose terms may cancel, scale is the sum of |terms|.
inline bool close_to_scale(double a, double b, double rel, double scale) {
    if (!std::isfinite(a) || !std::isfinite(b)) return false;
    return std::abs(a - b) <= rel * std::fmax(1.0, std::fmax(scale, std::fmax(std::abs(a), std::abs(b))));
}

/// The first few mismatches as text for a doctest message, and how many there were in all.
class failure_log {
public:
    /// Keeps the text of the first `shown` failures; counts them all.
    explicit failure_log(int shown = 5) : shown_(shown) {}

    template <class T, std::size_t N>
    void add(std::string const& what, std::array<T, N> const& x, double got, double want) {
        if (++count_ > shown_) return;
        std::ostringstream s;
        s << std::setprecision(17) << what << " at (";
        for (std::size_t i = 0; i < N; ++i) s << (i == 0 ? "" : ", ") << static_cast<double>(x[i]);
        s << "): " << got << " vs " << want << '\n';
        text_ += s.str();
    }
    int count() const { return count_; }
    std::string const& text() const { return text_; }

private:
    int shown_;
    int count_ = 0;
    std::string text_;
};

}  // namespace typegrad_test
