// The executor test bodies shared with the CUDA executor (tests/support/executor_bodies.hpp),
// run on the CPU executor: one body, two backends.
#include <doctest/doctest.h>

#include <cstddef>
#include <utility>
#include <vector>

#include <typegrad/typegrad.hpp>

#include "support/executor_bodies.hpp"

namespace tg = typegrad;

namespace {

struct cpu_backend {
    static constexpr char const* name = "CPU";
    template <class T>
    static std::vector<T> upload(std::vector<T> v) {
        return v;
    }
    template <class T>
    static std::vector<T> zeros(std::size_t n) {
        return std::vector<T>(n);
    }
    template <class T>
    static std::vector<T> download(std::vector<T> const& v) {
        return v;
    }
    template <class... A>
    static void map(A&&... a) {
        tg::map(std::forward<A>(a)...);
    }
    template <class... A>
    static auto sum(A&&... a) {
        return tg::sum(std::forward<A>(a)...);
    }
    template <class... A>
    static auto mean(A&&... a) {
        return tg::mean(std::forward<A>(a)...);
    }
    // The CPU executor's reductions are always in a fixed order.
    template <class... A>
    static auto sum_deterministic(A&&... a) {
        return tg::sum(std::forward<A>(a)...);
    }
    template <class... A>
    static auto mean_deterministic(A&&... a) {
        return tg::mean(std::forward<A>(a)...);
    }
};

template <class T>
void run() {
    auto const r = typegrad_test::bodies::run_all<cpu_backend, T>();
    for (auto const& f : r.failures) FAIL_CHECK(f);
    CHECK(r.checks > 40);
}

}  // namespace

TEST_CASE("shared executor bodies on the CPU executor, double") { run<double>(); }
TEST_CASE("shared executor bodies on the CPU executor, float") { run<float>(); }
