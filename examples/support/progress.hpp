// examples/support/progress.hpp: a progress bar for long training runs.
//
// It draws on stderr, redrawn in place ("\r"), only when stderr is a terminal, so logs
// and test output stay clean; it never slows the run by more than one write per
// redraw (at most ten per second).
#pragma once

#include <chrono>
#include <cstdio>
#include <unistd.h>

namespace example_support {

class progress {
public:
    /// `total` steps; the rate is shown in `unit`s per second, `per_step` of them a step
    /// (examples per second for a training epoch of mini-batches).
    progress(long total, char const* label, char const* unit = "steps", double per_step = 1.0)
        : total_(total), label_(label), unit_(unit), per_step_(per_step), on_(isatty(fileno(stderr)) != 0) {}

    /// `done` steps finished; `loss` the figure to show beside the bar.
    void update(long done, double loss) {
        if (!on_) return;
        auto const now = clock::now();
        if (done < total_ && now - last_ < std::chrono::milliseconds(100)) return;
        last_ = now;
        double const seconds = std::chrono::duration<double>(now - start_).count();
        int const width = 30;
        int const filled = total_ > 0 ? static_cast<int>(width * done / total_) : width;
        char bar[width + 1];
        for (int i = 0; i < width; ++i) bar[i] = i < filled ? '#' : '.';
        bar[width] = '\0';
        std::fprintf(stderr, "\r%s [%s] %ld/%ld  loss %.4g  %.0f %s/s", label_, bar, done, total_, loss,
                     seconds > 0 ? static_cast<double>(done) * per_step_ / seconds : 0.0, unit_);
        std::fflush(stderr);
    }
    void finish() {
        if (on_) std::fprintf(stderr, "\n");
    }

private:
    using clock = std::chrono::steady_clock;
    long total_;
    char const* label_;
    char const* unit_;
    double per_step_;
    bool on_;
    clock::time_point start_ = clock::now();
    clock::time_point last_{};
};

}  // namespace example_support
