// Every array argument is checked on entry, however it was made: null data with elements,
// negative extents and strides, element counts and spans that overflow. Each refusal is a
// std::invalid_argument naming the argument, thrown before anything is written.
// (Issue 15's cases: "crashes" and "silently wrong or unchecked".)
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include <typegrad/typegrad.hpp>

#include "hardening/support.hpp"

#if defined(TYPEGRAD_TEST_EIGEN)
#include <Eigen/Core>
#include <typegrad/interop/eigen.hpp>
#endif

namespace tg = typegrad;
using namespace typegrad_test::hardening;

namespace {

constexpr std::ptrdiff_t two_32 = std::ptrdiff_t(1) << 32;

using in1 = tg::array_ref<double const, 1>;
using in2 = tg::array_ref<double const, 2>;
using out1 = tg::array_ref<double, 1>;

auto const xv = tg::var<0>{};
auto const yv = tg::var<1>{};
auto const f = xv * yv + sin(xv);

}  // namespace

TEST_CASE("a null array_ref built as an aggregate is refused as an input, an output or a gradient") {
    std::vector<double> x(5, 0.5), y = sentinels(5), g = sentinels(5);
    in1 const null_in{nullptr, {5}, {1}};
    out1 const null_out{nullptr, {5}, {1}};

    auto const m_in = error_of([&] { tg::map(f, y, null_in, 2.0); });
    CHECK(contains(m_in, "input 0 has a null data pointer but 5 elements"));
    auto const s_in = error_of([&] { (void)tg::sum(f, tg::gradient_to(g, tg::skip), null_in, 2.0); });
    CHECK(contains(s_in, "input 0 has a null data pointer"));
    auto const m_out = error_of([&] { tg::map(f, null_out, x, 2.0); });
    CHECK(contains(m_out, "output 0 has a null data pointer but 5 elements"));
    auto const m_partial = error_of([&] { tg::map(f, tg::with_partials(y, null_out, tg::skip), x, 2.0); });
    CHECK(contains(m_partial, "the partial of output 0 with respect to input 0 has a null data pointer"));
    auto const s_grad = error_of([&] { (void)tg::sum(f, tg::gradient_to(null_out, tg::skip), x, 2.0); });
    CHECK(contains(s_grad, "the gradient of input 0 has a null data pointer"));
    auto const mean_grad = error_of([&] { (void)tg::mean(f, tg::gradient_to(tg::skip, null_out), 2.0, x); });
    CHECK(contains(mean_grad, "the gradient of input 1 has a null data pointer"));
    CHECK(untouched(y));
    CHECK(untouched(g));

    SUBCASE("a null pointer with no elements is an empty array, not an error") {
        in1 const empty{nullptr, {0}, {1}};
        out1 const empty_out{nullptr, {0}, {1}};
        CHECK(error_of([&] { tg::map(f, empty_out, empty, 2.0); }) == "no error");
        CHECK(tg::sum(f, empty, 2.0) == 0.0);
    }
}

TEST_CASE("a std::span of a null pointer with a size is refused") {
    std::vector<double> y = sentinels(5);
    std::span<double const> const s(static_cast<double const*>(nullptr), 5);
    CHECK(contains(error_of([&] { tg::map(f, y, s, 2.0); }), "input 0 has a null data pointer but 5 elements"));
    CHECK(contains(error_of([&] { (void)tg::mean(f, 1.0, s); }), "input 1 has a null data pointer"));
    CHECK(untouched(y));
}

TEST_CASE("negative extents are refused, not taken as empty or as their product") {
    std::vector<double> buf(8, 1.0), y = sentinels(8), g = sentinels(8);
    SUBCASE("{-3} as an input does not do nothing") {
        auto const m = error_of([&] { tg::map(f, y, in1{buf.data(), {-3}, {1}}, 2.0); });
        CHECK(contains(m, "input 0 has a negative extent (-3) on axis 0"));
    }
    SUBCASE("{-2, -3} is not 6 elements") {
        auto const m = error_of([&] { (void)tg::sum(f, in2{buf.data(), {-2, -3}, {3, 1}}, 2.0); });
        CHECK(contains(m, "input 0 has a negative extent (-2) on axis 0"));
        auto const r = error_of([&] { (void)tg::reshape(in2{buf.data(), {-2, -3}, {3, 1}}, 6); });
        CHECK(contains(r, "negative"));
    }
    SUBCASE("as an output and as a gradient") {
        auto const m = error_of([&] { tg::map(f, out1{y.data(), {-1}, {1}}, 0.5, 2.0); });
        CHECK(contains(m, "output 0 has a negative extent (-1)"));
        auto const s =
            error_of([&] { (void)tg::sum(f, tg::gradient_to(tg::array_ref<double, 2>{g.data(), {2, -4}, {4, 1}}, tg::skip),
                                         in2{buf.data(), {2, 4}, {4, 1}}, 2.0); });
        CHECK(contains(s, "the gradient of input 0 has a negative extent (-4) on axis 1"));
    }
    CHECK(untouched(y));
    CHECK(untouched(g));
}

TEST_CASE("negative strides are refused (where the axis has more than one element)") {
    std::vector<double> buf(8, 1.0), y = sentinels(4);
    auto const m = error_of([&] { tg::map(f, y, in1{buf.data() + 3, {4}, {-1}}, 2.0); });
    CHECK(contains(m, "input 0 has a negative stride (-1) on axis 0; negative strides are not supported"));
    auto const o = error_of([&] { tg::map(f, out1{y.data() + 3, {4}, {-1}}, tg::view(buf.data(), 4), 2.0); });
    CHECK(contains(o, "output 0 has a negative stride (-1)"));
    CHECK(untouched(y));
    // The stride of an axis of one element is never used: any value is fine.
    std::vector<double> z(4);
    tg::map(f, tg::array_ref<double, 2>{z.data(), {1, 4}, {-5, 1}}, in2{buf.data(), {1, 4}, {-9, 1}}, 2.0);
    CHECK(z[3] == doctest::Approx(2.0 + std::sin(1.0)));
}

TEST_CASE("element counts that overflow std::ptrdiff_t are refused") {
    std::vector<double> buf(8, 1.0), y = sentinels(8), g = sentinels(8);
    SUBCASE("(2^32, 2^32) does not wrap to 0") {
        auto const m = error_of([&] { (void)tg::sum(f, in2{buf.data(), {two_32, two_32}, {two_32, 1}}, 2.0); });
        CHECK(contains(m, "input 0 has extents (4294967296, 4294967296), whose product (the element count) overflows"));
    }
    SUBCASE("(2^62 + 1, 4) does not wrap to 4") {
        auto const m = error_of([&] {
            tg::map(f, tg::array_ref<double, 2>{y.data(), {(std::ptrdiff_t(1) << 62) + 1, 4}, {4, 1}},
                    in2{buf.data(), {(std::ptrdiff_t(1) << 62) + 1, 4}, {4, 1}}, 2.0);
        });
        CHECK(contains(m, "input 0 has extents (4611686018427387905, 4), whose product (the element count) overflows"));
    }
    SUBCASE("(3e9, 4e9) is an invalid_argument, not a std::length_error from inside std::vector") {
        auto const m = error_of([&] {
            (void)tg::sum(f, tg::gradient_to(g, tg::skip), in1{buf.data(), {8}, {1}},
                          in2{buf.data(), {3'000'000'000, 4'000'000'000}, {0, 0}});
        });
        CHECK(contains(m, "input 1 has extents (3000000000, 4000000000), whose product"));
    }
    SUBCASE("tg::view(nullptr, 2^32, 2^32) and tg::reshape") {
        auto const v = error_of([&] { (void)tg::view(static_cast<double*>(nullptr), two_32, two_32); });
        CHECK(contains(v, "array extents (4294967296, 4294967296) have a product (the element count) that overflows"));
        auto const r = error_of([&] { (void)tg::reshape(tg::view(buf.data(), 8), two_32, two_32); });
        CHECK(contains(r, "overflows std::ptrdiff_t"));
    }
    SUBCASE("shapes that broadcast to more than std::ptrdiff_t elements") {
        auto const m = error_of([&] {
            (void)tg::sum(f, in2{buf.data(), {two_32, 1}, {0, 1}}, in2{buf.data(), {1, two_32}, {1, 0}});
        });
        CHECK(contains(m, "the inputs broadcast to shape (4294967296, 4294967296), whose element count overflows"));
    }
    SUBCASE("strides that carry the last element beyond the address space") {
        auto const m = error_of([&] { tg::map(f, y, in1{buf.data(), {2}, {std::ptrdiff_t(1) << 61}}, 2.0); });
        CHECK(contains(m, "input 0 has a last element beyond the address space"));
        auto const big = error_of([&] { tg::map(f, y, in2{buf.data(), {4, 2}, {PTRDIFF_MAX / 2, PTRDIFF_MAX / 2}}, 2.0); });
        CHECK(contains(big, "overflows std::ptrdiff_t"));
    }
    CHECK(untouched(y));
    CHECK(untouched(g));
}

TEST_CASE("std::vector, std::array and tg::view arguments pass the same checks") {
    std::vector<double> x{1, 2, 3, 4}, y = sentinels(4);
    std::array<double, 4> a{1, 2, 3, 4};
    // Valid calls are unchanged by the checks.
    tg::map(f, y, x, a);
    for (std::size_t i = 0; i < 4; ++i) CHECK(y[i] == doctest::Approx(x[i] * a[i] + std::sin(x[i])));
    double const s = tg::sum(f, tg::view(x.data(), 2, 2), tg::view(a.data(), 2, 2));
    CHECK(s == doctest::Approx(1 * 1 + 2 * 2 + 3 * 3 + 4 * 4 + std::sin(1.0) + std::sin(2.0) + std::sin(3.0) + std::sin(4.0)));
}

#if defined(TYPEGRAD_TEST_EIGEN)
TEST_CASE("Eigen maps of a null pointer are refused as inputs and outputs") {
    std::vector<double> x(5, 0.5), y = sentinels(5);
    Eigen::Map<Eigen::VectorXd const> const null_in(nullptr, 5);
    Eigen::Map<Eigen::VectorXd> null_out(nullptr, 5);
    CHECK(contains(error_of([&] { tg::map(f, y, null_in, 2.0); }), "input 0 has a null data pointer but 5 elements"));
    CHECK(contains(error_of([&] { tg::map(f, null_out, x, 2.0); }), "output 0 has a null data pointer"));
    CHECK(untouched(y));
    // An Eigen matrix written in place of its own transpose shares memory in another order.
    Eigen::MatrixXd m = Eigen::MatrixXd::Constant(3, 3, 1.0);
    auto const msg = error_of([&] { tg::map(f, m, tg::transposed(tg::view(static_cast<Eigen::MatrixXd const&>(m))), 2.0); });
    CHECK(contains(msg, "output 0 shares memory with input 0"));
    CHECK(m.isApproxToConstant(1.0));
}
#endif
