// benchmarks/callgrind_driver.cpp: runs one case with one variant a fixed number of
// times, for instruction counting under valgrind (see callgrind.sh).
//
//   callgrind_driver CASE VARIANT [ITERATIONS]
//   CASE:    p2 p1 rosenbrock2 rosenbrock8 rosenbrock16 rosenbrock32 smooth4 pointwise
//            p1-numbers numbers2 numbers8 numbers16 numbers32 (Rosenbrock with plain numbers)
//   VARIANT: typegrad-reverse typegrad-forward hand hand-closed (p1 only)
//            copy (the loop alone: loads a point and stores it as the result)
//
// All the work is inside hot_loop<Case, Variant> (never inlined), so
// `valgrind --tool=callgrind --toggle-collect='*hot_loop*'` counts exactly the
// gradients, the loop around them, and the library calls they make.
#include <array>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "cases.hpp"

namespace {

constexpr std::size_t point_count = 64;

/// The loop alone: what every variant pays besides the gradient.
struct copy_point {
    static constexpr char const* name = "copy";
    template <class Case>
    BENCH_INLINE static bench::result<Case::n> run(std::array<double, Case::n> const& x) {
        return {x[0], x};
    }
};

template <class Case, class Variant>
[[gnu::noinline]] void hot_loop(std::array<double, Case::n> const* pts, bench::result<Case::n>* out,
                                std::size_t iterations) {
    for (std::size_t k = 0; k < iterations; ++k) out[k & (point_count - 1)] = Variant::template run<Case>(pts[k & (point_count - 1)]);
}

template <class Case, class Variant>
int run(std::size_t iterations) {
    auto const pts = bench::make_points<Case>(point_count);
    std::vector<bench::result<Case::n>> out(point_count);
    hot_loop<Case, Variant>(pts.data(), out.data(), iterations);
    double sum = 0.0;
    for (auto const& r : out) {
        sum += r.value;
        for (double g : r.gradient) sum += g;
    }
    std::printf("%s %s %zu iterations, checksum %.17g\n", Case::name, Variant::name, iterations, sum);
    return 0;
}

template <class Case>
int dispatch_variant(std::string const& variant, std::size_t iterations) {
    if (variant == "typegrad-reverse") return run<Case, bench::typegrad_reverse>(iterations);
    if (variant == "typegrad-forward") return run<Case, bench::typegrad_forward>(iterations);
    if (variant == "hand") return run<Case, bench::hand>(iterations);
    if (variant == "copy") return run<Case, copy_point>(iterations);
    if constexpr (requires { Case::hand_closed; })
        if (variant == "hand-closed") return run<Case, bench::hand_closed>(iterations);
    std::fprintf(stderr, "unknown variant %s\n", variant.c_str());
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s CASE VARIANT [ITERATIONS]\n", argv[0]);
        return 2;
    }
    std::string const c = argv[1];
    std::string const v = argv[2];
    std::size_t const iterations = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 100000;
    using namespace bench;
    if (c == "p2") return dispatch_variant<p2>(v, iterations);
    if (c == "p1") return dispatch_variant<p1>(v, iterations);
    if (c == "rosenbrock2") return dispatch_variant<rosenbrock<2>>(v, iterations);
    if (c == "rosenbrock8") return dispatch_variant<rosenbrock<8>>(v, iterations);
    if (c == "rosenbrock32") return dispatch_variant<rosenbrock<32>>(v, iterations);
    if (c == "rosenbrock16") return dispatch_variant<rosenbrock<16>>(v, iterations);
    if (c == "smooth4") return dispatch_variant<smooth4>(v, iterations);
    if (c == "pointwise") return dispatch_variant<pointwise>(v, iterations);
    if (c == "p1-numbers") return dispatch_variant<p1_numbers>(v, iterations);
    if (c == "numbers2") return dispatch_variant<rosenbrock_numbers<2>>(v, iterations);
    if (c == "numbers8") return dispatch_variant<rosenbrock_numbers<8>>(v, iterations);
    if (c == "numbers16") return dispatch_variant<rosenbrock_numbers<16>>(v, iterations);
    if (c == "numbers32") return dispatch_variant<rosenbrock_numbers<32>>(v, iterations);
    std::fprintf(stderr, "unknown case %s\n", c.c_str());
    return 2;
}
