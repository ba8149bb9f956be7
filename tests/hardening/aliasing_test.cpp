// The aliasing policy (README, "Arrays: fused loops with broadcasting", Aliasing): an
// output may be exactly an input (tg::map in place); every other sharing of memory by an
// array written is refused before anything is written: stride 0 or self-overlap in an
// output, an output that partly overlaps an input (or is its transpose in the same memory),
// a gradient that shares any memory with an input, the same array given twice as outputs or
// as a value and a partial. Arrays written that interleave without sharing an element are
// fine. Both paths: element-wise (tg::map) and reductions (tg::sum / tg::mean with gradients).
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <set>
#include <tuple>
#include <vector>

#include <typegrad/typegrad.hpp>

#include "hardening/support.hpp"

namespace tg = typegrad;
using namespace typegrad_test::hardening;

namespace {

auto const xv = tg::var<0>{};
auto const yv = tg::var<1>{};
auto const f = 2.0 * xv + 1.0;          // one input
auto const h = xv * yv + sin(xv);       // two inputs

using ext1 = std::array<std::ptrdiff_t, 1>;
using ext2 = std::array<std::ptrdiff_t, 2>;

std::vector<double> iota(std::size_t n) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = 0.5 + 0.25 * double(i);
    return v;
}

}  // namespace

TEST_CASE("an output with stride 0 on an axis of several elements is refused") {
    std::vector<double> x = iota(5), y = sentinels(5);
    auto const m = error_of([&] { tg::map(f, tg::strided_view(y.data(), ext1{5}, ext1{0}), x); });
    CHECK(contains(m, "output 0 has stride 0 on axis 0 (extent 5): several results would be written to one element"));
    auto const p = error_of([&] {
        tg::map(h, tg::with_partials(tg::skip, tg::strided_view(y.data(), ext1{5}, ext1{0}), tg::skip), x, 2.0);
    });
    CHECK(contains(p, "the partial of output 0 with respect to input 0 has stride 0"));
    auto const g = error_of([&] {
        (void)tg::sum(h, tg::gradient_to(tg::strided_view(y.data(), ext1{5}, ext1{0}), tg::skip), x, 2.0);
    });
    CHECK(contains(g, "the gradient of input 0 has stride 0"));
    CHECK(untouched(y));
    // A stretched (stride 0) input is an ordinary broadcast: fine.
    std::vector<double> z(5);
    tg::map(f, z, tg::strided_view(x.data(), ext1{5}, ext1{0}));
    for (double v : z) CHECK(v == 2.0 * x[0] + 1.0);
}

TEST_CASE("an output that overlaps itself is refused") {
    std::vector<double> x = iota(9), y = sentinels(9);
    // A 3 x 3 window with strides (1, 1): elements (0, 1) and (1, 0) are the same double.
    auto const m = error_of([&] { tg::map(f, tg::strided_view(y.data(), ext2{3, 3}, ext2{1, 1}), tg::view(x.data(), 3, 3)); });
    CHECK(contains(m, "output 0 overlaps itself"));
    CHECK(untouched(y));
}

TEST_CASE("tg::map in place (the output exactly an input) keeps working") {
    std::vector<double> x = iota(1000), w = iota(1000);
    std::vector<double> const x0 = x;
    tg::map(f, x, x);
    for (std::size_t i = 0; i < x.size(); ++i) CHECK(x[i] == 2.0 * x0[i] + 1.0);
    // In place of the second input, with partials written beside it.
    std::vector<double> const w0 = w;
    std::vector<double> dx(1000), dy(1000);
    std::vector<double> const x1 = x;
    tg::map(h, tg::with_partials(w, dx, dy), x, w);
    for (std::size_t i = 0; i < w.size(); ++i) {
        CHECK(w[i] == doctest::Approx(x1[i] * w0[i] + std::sin(x1[i])));
        CHECK(dx[i] == doctest::Approx(w0[i] + std::cos(x1[i])));
        CHECK(dy[i] == x1[i]);
    }
    // The same strided array as input and output.
    std::vector<double> s = iota(20);
    std::vector<double> const s0 = s;
    auto const v = tg::strided_view(s.data(), ext1{10}, ext1{2});
    tg::map(f, v, tg::array_ref<double const, 1>(v));
    for (std::size_t i = 0; i < 20; ++i) CHECK(s[i] == (i % 2 == 0 ? 2.0 * s0[i] + 1.0 : s0[i]));
}

TEST_CASE("an output that partly overlaps its input is refused (out = buf + 1, x = buf)") {
    std::vector<double> buf = iota(1001);
    std::vector<double> const before = buf;
    auto const m = error_of([&] { tg::map(f, tg::view(buf.data() + 1, 1000), tg::view(buf.data(), 1000)); });
    CHECK(contains(m, "output 0 shares memory with input 0; an output may be exactly an input"));
    auto const back = error_of([&] { tg::map(f, tg::view(buf.data(), 1000), tg::view(buf.data() + 1, 1000)); });
    CHECK(contains(back, "output 0 shares memory with input 0"));
    CHECK(same_bits(buf, before));
}

TEST_CASE("an output that is the transpose of its input in the same memory is refused") {
    std::vector<double> buf = iota(64 * 64);
    std::vector<double> const before = buf;
    auto const a = tg::view(buf.data(), 64, 64);
    auto const m = error_of([&] { tg::map(f, tg::transposed(a), tg::array_ref<double const, 2>(a)); });
    CHECK(contains(m, "output 0 shares memory with input 0"));
    CHECK(contains(m, "or the same memory in another order"));
    CHECK(same_bits(buf, before));
}

TEST_CASE("the same array twice as outputs, or as a value and a partial, is refused") {
    std::vector<double> x = iota(10), y = sentinels(10), d = sentinels(10);
    auto const two = tg::outputs(2.0 * xv, sin(xv));
    auto const t = error_of([&] { tg::map(two, std::tie(y, y), x); });
    CHECK(contains(t, "output 1 shares memory with output 0; every array written needs memory of its own"));
    auto const vp = error_of([&] { tg::map(f, tg::with_partials(y, y), x); });
    CHECK(contains(vp, "the partial of output 0 with respect to input 0 shares memory with output 0"));
    auto const pp = error_of([&] { tg::map(h, tg::with_partials(tg::skip, d, d), x, x); });
    CHECK(contains(pp, "the partial of output 0 with respect to input 1 shares memory with the partial of output 0 "
                       "with respect to input 0"));
    // Partly: the second output one element further on.
    std::vector<double> big = sentinels(11);
    auto const shifted = error_of([&] { tg::map(two, std::make_tuple(tg::view(big.data(), 10), tg::view(big.data() + 1, 10)), x); });
    CHECK(contains(shifted, "output 1 shares memory with output 0"));
    CHECK(untouched(y));
    CHECK(untouched(big));
}

TEST_CASE("a gradient overlapping its input by one element is refused (tg::sum and tg::mean)") {
    std::vector<double> buf = iota(1999);
    std::vector<double> const before = buf;
    auto const x = tg::view(static_cast<double const*>(buf.data()), 1000);
    auto const g = tg::view(buf.data() + 999, 1000);  // g[0] is x[999]
    auto const s = error_of([&] { (void)tg::sum(h, tg::gradient_to(g, tg::skip), x, 2.0); });
    CHECK(contains(s, "the gradient of input 0 shares memory with input 0; a gradient must not share memory with any input"));
    auto const m = error_of([&] { (void)tg::mean(h, tg::gradient_to(g, tg::skip), x, 2.0); });
    CHECK(contains(m, "the gradient of input 0 shares memory with input 0"));
    CHECK(same_bits(buf, before));
}

TEST_CASE("a gradient that is exactly its input, or another input, is refused too") {
    std::vector<double> x = iota(100), w = iota(100), gw(100);
    std::vector<double> const x0 = x, w0 = w;
    auto const self = error_of([&] { (void)tg::sum(h, tg::gradient_to(x, gw), x, w); });
    CHECK(contains(self, "the gradient of input 0 shares memory with input 0"));
    auto const other = error_of([&] { (void)tg::sum(h, tg::gradient_to(tg::skip, x), x, w); });
    CHECK(contains(other, "the gradient of input 1 shares memory with input 0"));
    // A scalar input's gradient given as the scalar itself.
    double a = 0.5;
    auto const scalar = error_of([&] { (void)tg::sum(h, tg::gradient_to(tg::skip, a), x, a); });
    CHECK(contains(scalar, "the gradient of input 1 shares memory with input 1"));
    CHECK(a == 0.5);
    // Two gradients in one array.
    auto const both = error_of([&] { (void)tg::sum(h, tg::gradient_to(gw, gw), x, w); });
    CHECK(contains(both, "the gradient of input 1 shares memory with the gradient of input 0"));
    CHECK(same_bits(x, x0));
    CHECK(same_bits(w, w0));
}

TEST_CASE("arrays that interleave without sharing an element are accepted") {
    std::vector<double> x = iota(500), buf(1000, 0.0);
    SUBCASE("two outputs in the even and odd elements of one buffer") {
        auto const two = tg::outputs(2.0 * xv, 3.0 * xv);
        auto even = tg::strided_view(buf.data(), ext1{500}, ext1{2});
        auto odd = tg::strided_view(buf.data() + 1, ext1{500}, ext1{2});
        tg::map(two, std::tie(even, odd), x);
        for (std::size_t i = 0; i < 500; ++i) {
            CHECK(buf[2 * i] == 2.0 * x[i]);
            CHECK(buf[2 * i + 1] == 3.0 * x[i]);
        }
    }
    SUBCASE("an output in the left half of each row, the input in the right half") {
        for (std::size_t i = 0; i < 1000; ++i) buf[i] = double(i);
        auto const right = tg::strided_view(static_cast<double const*>(buf.data()) + 10, ext2{50, 10}, ext2{20, 1});
        auto const left = tg::strided_view(buf.data(), ext2{50, 10}, ext2{20, 1});
        tg::map(f, left, right);
        for (std::size_t r = 0; r < 50; ++r)
            for (std::size_t c = 0; c < 10; ++c) {
                CHECK(buf[r * 20 + c] == 2.0 * double(r * 20 + c + 10) + 1.0);
                CHECK(buf[r * 20 + c + 10] == double(r * 20 + c + 10));
            }
    }
    SUBCASE("a gradient in the odd elements, its input in the even ones") {
        for (std::size_t i = 0; i < 1000; ++i) buf[i] = 0.001 * double(i);
        auto const in = tg::strided_view(static_cast<double const*>(buf.data()), ext1{500}, ext1{2});
        auto const g = tg::strided_view(buf.data() + 1, ext1{500}, ext1{2});
        double const s = tg::sum(h, tg::gradient_to(g, tg::skip), in, 3.0);
        double want = 0;
        for (std::size_t i = 0; i < 500; ++i) {
            double const xi = 0.001 * double(2 * i);
            want += xi * 3.0 + std::sin(xi);
            CHECK(buf[2 * i + 1] == doctest::Approx(3.0 + std::cos(xi)));
        }
        CHECK(s == doctest::Approx(want));
    }
    SUBCASE("inputs may overlap each other in any way") {
        std::vector<double> y(499);
        tg::map(h, y, tg::view(x.data(), 499), tg::view(x.data() + 1, 499));
        for (std::size_t i = 0; i < 499; ++i) CHECK(y[i] == doctest::Approx(x[i] * x[i + 1] + std::sin(x[i])));
    }
}

TEST_CASE("the overlap test agrees with a brute-force comparison of element addresses") {
    // Random small strided arrays in one buffer: the validator's finer test (which runs when
    // the address ranges meet) against the sets of their elements' addresses.
    namespace vd = tg::detail::validate_detail;
    std::mt19937_64 rng(15);
    std::vector<double> pool(200);
    auto random_layout = [&](tg::detail::argument_label label) {
        std::array<std::ptrdiff_t, 3> extent{}, stride{};
        std::size_t const rank = 1 + rng() % 3;  // the other axes have one element
        std::ptrdiff_t span = 0;
        for (std::size_t k = 0; k < 3; ++k) {
            extent[k] = k < rank ? 1 + std::ptrdiff_t(rng() % 4) : 1;
            stride[k] = std::ptrdiff_t(rng() % 9);
            span += (extent[k] - 1) * stride[k];
        }
        double const* p = pool.data() + rng() % std::size_t(200 - span);
        return tg::detail::describe(tg::array_ref<double const, 3>{p, extent, stride}, label);
    };
    auto addresses = [](tg::detail::array_argument const& a) {
        std::multiset<std::uintptr_t> s;
        std::ptrdiff_t idx[3] = {};
        std::ptrdiff_t const n = a.extent[0] * a.extent[1] * a.extent[2];
        for (std::ptrdiff_t e = 0; e < n; ++e) {
            std::ptrdiff_t r = e, off = 0;
            for (std::size_t k = a.rank; k-- > 0;) {
                idx[k] = r % a.extent[k];
                r /= a.extent[k];
                off += idx[k] * a.stride[k];
            }
            s.insert(reinterpret_cast<std::uintptr_t>(static_cast<double const*>(a.data) + off));
        }
        return s;
    };
    int pairs = 0, met = 0, selves = 0, overlapping = 0;
    for (int trial = 0; trial < 20000; ++trial) {
        auto const a = random_layout({tg::detail::argument_kind::output, 0, 0});
        auto const b = random_layout({tg::detail::argument_kind::input, 0, 0});
        auto const sa = addresses(a), sb = addresses(b);
        bool shared = false;
        for (auto p : sa)
            if (sb.count(p)) shared = true;
        std::set<std::uintptr_t> const distinct(sa.begin(), sa.end());
        bool const self = distinct.size() != sa.size();
        if (vd::ranges_meet(a, b)) {
            ++pairs;
            auto const m = vd::elements_meet(a, b);
            CHECK(m != vd::meet::unknown);
            CHECK((m == vd::meet::yes) == shared);
            met += shared;
        } else {
            CHECK(!shared);
        }
        std::ptrdiff_t budget = 1 << 20;
        // (Axes of stride 0 are refused before this test runs; it sees the other axes.)
        bool stretched = false;
        for (std::size_t k = 0; k < a.rank; ++k) stretched = stretched || (a.extent[k] > 1 && a.stride[k] == 0);
        auto const s = tg::detail::overlap::self_intersect(vd::byte_set_of(a, a.lo), budget);
        CHECK(s != vd::meet::unknown);
        CHECK((s == vd::meet::yes || stretched) == self);
        if (a.nested) CHECK(!self);  // the fast path's claim
        selves += self;
        overlapping += shared;
    }
    // The trials cover both answers of both tests.
    CHECK(pairs > 1000);
    CHECK(met > 100);
    CHECK(selves > 100);
    CHECK(overlapping < pairs);
}
