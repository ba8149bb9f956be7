// examples/support/self_check.hpp: what the examples that check their own numbers share: the
// best of several timed runs, and a printed check whose failures make the exit status.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace example_support {

/// The fastest of `reps` runs of f, in seconds.
template <class F>
double best_seconds(int reps, F&& f) {
    double best = 1e30;
    for (int r = 0; r < reps; ++r) {
        auto const t0 = std::chrono::steady_clock::now();
        f();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
}

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// Prints "ok: what" or "FAILED: what"; returns ok.
inline bool check(bool ok, char const* what) {
    std::printf("%s: %s\n", ok ? "ok" : "FAILED", what);
    return ok;
}

}  // namespace example_support
