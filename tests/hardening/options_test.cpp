// tg::cpu_options refuses a negative thread count; reductions over no elements: tg::sum
// is 0, tg::mean is NaN (as NumPy's mean of an empty array), and gradients are zeros.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include <typegrad/typegrad.hpp>

#include "hardening/support.hpp"

namespace tg = typegrad;
using namespace typegrad_test::hardening;

namespace {
auto const xv = tg::var<0>{};
auto const yv = tg::var<1>{};
auto const h = xv * yv + sin(xv);
}  // namespace

TEST_CASE("cpu_options with a negative thread count is refused before anything is written") {
    std::vector<double> x(10, 0.5), y = sentinels(10), g = sentinels(10);
    tg::cpu_options const bad{.threads = -5};
    auto const m = error_of([&] { tg::map(bad, h, y, x, 2.0); });
    CHECK(contains(m, "cpu_options::threads is -5; give a positive number of threads, or 0 for the default"));
    auto const s = error_of([&] { (void)tg::sum(bad, h, tg::gradient_to(g, tg::skip), x, 2.0); });
    CHECK(contains(s, "cpu_options::threads is -5"));
    CHECK(contains(error_of([&] { (void)tg::mean(tg::cpu_options{.threads = -1}, h, x, 2.0); }), "threads is -1"));
    CHECK(contains(error_of([&] { (void)tg::map_reduce(bad, tg::reduction::sum, h, x, 2.0); }), "threads is -5"));
    CHECK(untouched(y));
    CHECK(untouched(g));
    // 0 (the default) and positive counts are fine, and give the same result.
    double const a = tg::sum(tg::cpu_options{.threads = 0}, h, x, 2.0);
    double const b = tg::sum(tg::cpu_options{.threads = 3}, h, x, 2.0);
    CHECK(a == b);
}

TEST_CASE("reductions over no elements: the sum is 0, the mean NaN, the gradients zeros") {
    std::vector<double> empty;
    CHECK(tg::sum(h, empty, 2.0) == 0.0);
    CHECK(std::isnan(tg::mean(h, empty, 2.0)));
    double ga = 5.0;
    CHECK(tg::sum(h, tg::gradient_to(tg::skip, ga), empty, 2.0) == 0.0);
    CHECK(ga == 0.0);
    ga = 5.0;
    CHECK(std::isnan(tg::mean(h, tg::gradient_to(tg::skip, ga), empty, 2.0)));
    CHECK(ga == 0.0);
    // An input with elements broadcast against an empty one: no elements, a zero gradient.
    std::vector<double> w{1.0, 2.0, 3.0}, gw(3, 5.0);
    std::vector<double> none_by_3;
    CHECK(tg::sum(h, tg::gradient_to(tg::view(gw.data(), 1, 3), tg::skip), tg::view(w.data(), 1, 3),
                  tg::view(none_by_3.data(), 0, 3)) == 0.0);
    for (double v : gw) CHECK(v == 0.0);
}

TEST_CASE("tg::sum and tg::mean refuse inputs that do not broadcast, even one the function does not read") {
    // Found by the fuzzer (corpus: unused-input-shape-does-not-broadcast): tg::map refused it, the
    // reductions ran over the first input alone.
    auto const unused_y = sin(xv) + 1.0;
    std::vector<double> x(4, 0.5), y(3, 1.0), g = sentinels(4);
    auto const s = error_of([&] { (void)tg::sum(unused_y, x, y); });
    CHECK(contains(s, "cannot be broadcast together (operand shapes (4,) and (3,))"));
    CHECK(contains(error_of([&] { (void)tg::mean(unused_y, tg::gradient_to(g, tg::skip), x, y); }),
                   "cannot be broadcast together"));
    CHECK(untouched(g));
    std::vector<double> out = sentinels(4);
    CHECK(contains(error_of([&] { tg::map(unused_y, out, x, y); }), "cannot be broadcast together"));
    CHECK(untouched(out));
    // Shapes that broadcast are fine: (4,) with (1,).
    std::vector<double> one(1, 7.0);
    CHECK(tg::sum(unused_y, x, one) == doctest::Approx(4.0 * (std::sin(0.5) + 1.0)));
}
