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
