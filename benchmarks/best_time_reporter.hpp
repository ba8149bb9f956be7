// benchmarks/best_time_reporter.hpp: a Google Benchmark console reporter that also keeps
// the fastest time per benchmark, so that a program can print ratios measured in the
// same run after RunSpecifiedBenchmarks.
#pragma once

#include <limits>
#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

namespace bench {

/// Which time a ratio is made of: CPU time (short calls) or wall time (memory-bound loops).
enum class timing { cpu, wall };

class best_time_reporter : public benchmark::ConsoleReporter {
public:
    // No colour codes: the output is often captured (CTest, files).
    explicit best_time_reporter(timing t = timing::cpu) : ConsoleReporter(OO_Tabular), timing_(t) {}

    void ReportRuns(std::vector<Run> const& runs) override {
        for (auto const& r : runs) {
            if (r.run_type != Run::RT_Iteration || r.error_occurred || r.iterations == 0) continue;
            double const seconds = timing_ == timing::cpu ? r.cpu_accumulated_time : r.real_accumulated_time;
            double const ns = seconds / static_cast<double>(r.iterations) * 1e9;
            std::string const name = r.run_name.function_name;
            auto const it = best_ns_.find(name);
            if (it == best_ns_.end() || ns < it->second) best_ns_[name] = ns;
        }
        ConsoleReporter::ReportRuns(runs);
    }

    /// The fastest time per iteration of a benchmark in ns; NaN if it did not run.
    double ns(std::string const& name) const {
        auto const it = best_ns_.find(name);
        return it == best_ns_.end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
    }

private:
    timing timing_;
    std::map<std::string, double> best_ns_;
};

}  // namespace bench
