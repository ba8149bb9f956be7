// A program whose translation units are compiled with and without -fopenmp: each keeps its
// own threading functions (config.hpp's TYPEGRAD_THREADS_NAMESPACE), so the serial unit
// stays serial and this one threads, and both sums agree bit for bit (fixed chunks).
#include <doctest/doctest.h>

#include <cstddef>
#include <vector>

#include <typegrad/typegrad.hpp>

namespace typegrad_test {
int serial_thread_count(int requested);
double serial_sum_of_squares(std::vector<double> const& x);
}  // namespace typegrad_test

namespace tg = typegrad;

TEST_CASE("translation units with and without OpenMP in one program") {
    static_assert(TYPEGRAD_HAS_OPENMP);
    CHECK(typegrad_test::serial_thread_count(4) == 1);
    CHECK(tg::detail::thread_count({.threads = 4}) == 4);
    std::vector<double> x(100'000);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = 1.0 / static_cast<double>(i + 1);
    double const threaded = tg::sum(tg::cpu_options{.threads = 4}, [](auto v) { return v * v; }, x);
    double const serial = typegrad_test::serial_sum_of_squares(x);
    CHECK(threaded == serial);
    // Against the closed form's partial sum, to rounding: sum 1/k^2 for k <= 1e5.
    double naive = 0.0;
    for (std::size_t i = x.size(); i-- > 0;) naive += x[i] * x[i];
    CHECK(threaded == doctest::Approx(naive).epsilon(1e-14));
}
