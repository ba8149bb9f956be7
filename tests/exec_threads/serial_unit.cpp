// Compiled without OpenMP and linked into the threaded test program (mixed_openmp_test.cpp):
// the threading functions of the two translation units must stay distinct.
#include <cstddef>
#include <vector>

#include <typegrad/typegrad.hpp>

static_assert(!TYPEGRAD_HAS_OPENMP, "serial_unit.cpp must be compiled without OpenMP");

namespace typegrad_test {

int serial_thread_count(int requested) { return typegrad::detail::thread_count({.threads = requested}); }

double serial_sum_of_squares(std::vector<double> const& x) {
    return typegrad::sum(typegrad::cpu_options{.threads = 4}, [](auto v) { return v * v; }, x);
}

}  // namespace typegrad_test
