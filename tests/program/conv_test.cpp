// tg::conv2d, tg::max_pool2d, tg::avg_pool2d: values against loops written here from the
// definitions (zero padding by an explicit bounds test), adjoints against central
// differences (tg::check_gradient) at random shapes, strides and paddings, tangents
// against the gradient, the bias as broadcasting, max pooling's tie rule, and shape
// errors that name both shapes and write nothing.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/program_check.hpp"

namespace tg = typegrad;
using typegrad_test::arr;
using typegrad_test::fill_uniform;
using typegrad_test::near;

namespace {

std::size_t at4(arr<4> const& a, std::ptrdiff_t i, std::ptrdiff_t j, std::ptrdiff_t k, std::ptrdiff_t l) {
    return static_cast<std::size_t>(((i * a.shape[1] + j) * a.shape[2] + k) * a.shape[3] + l);
}

// The convolution by its definition: seven loops, input read as 0 outside its extents.
arr<4> naive_conv(arr<4> const& x, arr<4> const& w, tg::conv2d_options o) {
    std::ptrdiff_t const N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
    std::ptrdiff_t const O = w.shape[0], KH = w.shape[2], KW = w.shape[3];
    std::ptrdiff_t const OH = (H + 2 * o.pad_h - KH) / o.stride_h + 1, OW = (W + 2 * o.pad_w - KW) / o.stride_w + 1;
    arr<4> y(N, O, OH, OW);
    for (std::ptrdiff_t n = 0; n < N; ++n)
        for (std::ptrdiff_t oc = 0; oc < O; ++oc)
            for (std::ptrdiff_t i = 0; i < OH; ++i)
                for (std::ptrdiff_t j = 0; j < OW; ++j) {
                    double s = 0;
                    for (std::ptrdiff_t c = 0; c < C; ++c)
                        for (std::ptrdiff_t p = 0; p < KH; ++p)
                            for (std::ptrdiff_t q = 0; q < KW; ++q) {
                                std::ptrdiff_t const r = i * o.stride_h + p - o.pad_h, s2 = j * o.stride_w + q - o.pad_w;
                                if (r < 0 || r >= H || s2 < 0 || s2 >= W) continue;
                                s += w.v[at4(w, oc, c, p, q)] * x.v[at4(x, n, c, r, s2)];
                            }
                    y.v[at4(y, n, oc, i, j)] = s;
                }
    return y;
}

// Pooling by its definition: max (first of ties) or mean of each window.
arr<4> naive_pool(arr<4> const& x, std::ptrdiff_t k, std::ptrdiff_t s, bool average) {
    std::ptrdiff_t const OH = (x.shape[2] - k) / s + 1, OW = (x.shape[3] - k) / s + 1;
    arr<4> y(x.shape[0], x.shape[1], OH, OW);
    for (std::ptrdiff_t n = 0; n < x.shape[0]; ++n)
        for (std::ptrdiff_t c = 0; c < x.shape[1]; ++c)
            for (std::ptrdiff_t i = 0; i < OH; ++i)
                for (std::ptrdiff_t j = 0; j < OW; ++j) {
                    double m = -std::numeric_limits<double>::infinity(), sum = 0;
                    for (std::ptrdiff_t p = 0; p < k; ++p)
                        for (std::ptrdiff_t q = 0; q < k; ++q) {
                            double const v = x.v[at4(x, n, c, i * s + p, j * s + q)];
                            m = std::fmax(m, v);
                            sum += v;
                        }
                    y.v[at4(y, n, c, i, j)] = average ? sum / static_cast<double>(k * k) : m;
                }
    return y;
}

struct conv_case {
    std::ptrdiff_t n, c, h, w, o, kh, kw;
    tg::conv2d_options opt;
};

std::string describe(conv_case const& k) {
    auto s = [](std::ptrdiff_t v) { return std::to_string(v); };
    return "x (" + s(k.n) + ", " + s(k.c) + ", " + s(k.h) + ", " + s(k.w) + "), w (" + s(k.o) + ", " + s(k.c) + ", " +
           s(k.kh) + ", " + s(k.kw) + "), stride (" + s(k.opt.stride_h) + ", " + s(k.opt.stride_w) + "), padding (" +
           s(k.opt.pad_h) + ", " + s(k.opt.pad_w) + ")";
}

// Random shapes, strides and paddings for which the kernel fits the padded input.
std::vector<conv_case> random_cases(std::uint64_t seed, int count) {
    std::mt19937_64 g(seed);
    auto pick = [&](int lo, int hi) { return static_cast<std::ptrdiff_t>(std::uniform_int_distribution<int>(lo, hi)(g)); };
    std::vector<conv_case> r;
    while (static_cast<int>(r.size()) < count) {
        conv_case k{pick(1, 3), pick(1, 3), pick(1, 7), pick(1, 7), pick(1, 3), pick(1, 4), pick(1, 4),
                    {pick(1, 3), pick(1, 3), pick(0, 2), pick(0, 2)}};
        if (k.kh > k.h + 2 * k.opt.pad_h || k.kw > k.w + 2 * k.opt.pad_w) continue;
        r.push_back(k);
    }
    return r;
}

}  // namespace

TEST_CASE("conv2d values equal the seven-loop definition at random shapes, strides and paddings") {
    auto [X, W] = tg::vars<"X", "W">();
    std::uint64_t seed = 100;
    for (auto const& k : random_cases(1, 40)) {
        INFO(describe(k));
        arr<4> x(k.n, k.c, k.h, k.w), w(k.o, k.c, k.kh, k.kw);
        fill_uniform(x, ++seed);
        fill_uniform(w, ++seed);
        arr<4> const ref = naive_conv(x, w, k.opt);
        arr<4> y(ref.shape[0], ref.shape[1], ref.shape[2], ref.shape[3]);
        tg::map(tg::conv2d(X, W, k.opt), y.ref(), x.cref(), w.cref());
        for (std::size_t i = 0; i < ref.size(); ++i) CHECK(near(y.v[i], ref.v[i], 1e-13));
    }
}

TEST_CASE("conv2d with one stride and padding for both axes, an input read through strides") {
    auto [X, W] = tg::vars<"X", "W">();
    arr<4> x(2, 3, 6, 5), w(4, 3, 3, 3);
    fill_uniform(x, 3);
    fill_uniform(w, 4);
    arr<4> const ref = naive_conv(x, w, {2, 2, 1, 1});
    arr<4> y(2, 4, 3, 3);
    tg::map(tg::conv2d(X, W, 2, 1), y.ref(), x.cref(), w.cref());
    for (std::size_t i = 0; i < ref.size(); ++i) CHECK(near(y.v[i], ref.v[i], 1e-13));

    // The same input stored with its last two axes swapped, read through swapped strides.
    arr<4> xt(2, 3, 5, 6);
    for (std::ptrdiff_t n = 0; n < 2; ++n)
        for (std::ptrdiff_t c = 0; c < 3; ++c)
            for (std::ptrdiff_t i = 0; i < 6; ++i)
                for (std::ptrdiff_t j = 0; j < 5; ++j) xt.v[at4(xt, n, c, j, i)] = x.v[at4(x, n, c, i, j)];
    tg::array_ref<double const, 4> const strided{xt.v.data(), {2, 3, 6, 5}, {90, 30, 1, 6}};
    arr<4> y2(2, 4, 3, 3);
    tg::map(tg::conv2d(X, W, 2, 1), y2.ref(), strided, w.cref());
    for (std::size_t i = 0; i < ref.size(); ++i) CHECK(near(y2.v[i], ref.v[i], 1e-13));
    CHECK(tg::to_string(tg::conv2d(X, W, 2, 1)) == "conv2d(X, W, stride=2, padding=1)");
}

TEST_CASE("kernels read through other strides, or of another element type, give the same values and adjoints") {
    // These take the direct loops instead of im2col + GEMM (the kernels are not one matrix).
    auto [X, W, C] = tg::vars<"X", "W", "C">();
    arr<4> x(2, 3, 7, 6), w(4, 3, 3, 2);
    fill_uniform(x, 31);
    fill_uniform(w, 32);
    tg::conv2d_options const o{1, 2, 1, 0};
    arr<4> const ref = naive_conv(x, w, o);
    // w stored as (O, KH, KW, C): element (o, c, p, q) at ((o * 3 + p) * 2 + q) * 3 + c.
    std::vector<double> ohwc(w.size());
    for (std::ptrdiff_t oc = 0; oc < 4; ++oc)
        for (std::ptrdiff_t c = 0; c < 3; ++c)
            for (std::ptrdiff_t p = 0; p < 3; ++p)
                for (std::ptrdiff_t q = 0; q < 2; ++q)
                    ohwc[static_cast<std::size_t>(((oc * 3 + p) * 2 + q) * 3 + c)] = w.v[at4(w, oc, c, p, q)];
    tg::array_ref<double const, 4> const ws{ohwc.data(), {4, 3, 3, 2}, {18, 1, 6, 3}};
    arr<4> y(ref.shape[0], ref.shape[1], ref.shape[2], ref.shape[3]);
    tg::map(tg::conv2d(X, W, o), y.ref(), x.cref(), ws);
    for (std::size_t i = 0; i < ref.size(); ++i) CHECK(near(y.v[i], ref.v[i], 1e-13));

    // Adjoints and tangents through both paths agree.
    arr<4> cw(ref.shape[0], ref.shape[1], ref.shape[2], ref.shape[3]);
    fill_uniform(cw, 33);
    auto const loss = tg::sum(square(tg::conv2d(X, W, o)) * C);
    arr<4> gx1(2, 3, 7, 6), gw1(4, 3, 3, 2), gx2(2, 3, 7, 6), gw2(4, 3, 3, 2);
    tg::gradient(loss, tg::gradient_to(gx1.ref(), gw1.ref(), tg::skip), x.cref(), w.cref(), cw.cref());
    tg::gradient(loss, tg::gradient_to(gx2.ref(), gw2.ref(), tg::skip), x.cref(), ws, cw.cref());
    for (std::size_t i = 0; i < gx1.size(); ++i) CHECK(near(gx1.v[i], gx2.v[i], 1e-13));
    for (std::size_t i = 0; i < gw1.size(); ++i) CHECK(near(gw1.v[i], gw2.v[i], 1e-13));
    arr<4> vx(2, 3, 7, 6), vw(4, 3, 3, 2);
    fill_uniform(vx, 34);
    fill_uniform(vw, 35);
    auto const j1 = tg::jvp(loss, tg::along(vx.cref(), vw.cref(), tg::skip), x.cref(), w.cref(), cw.cref());
    auto const j2 = tg::jvp(loss, tg::along(vx.cref(), vw.cref(), tg::skip), x.cref(), ws, cw.cref());
    CHECK(near(j1.tangent, j2.tangent, 1e-13));
    CHECK(tg::check_gradient(tg::check_options{.samples = 30, .tolerance = 1e-7}, loss, x.cref(), ws, cw.cref()));

    std::vector<float> wf(w.v.begin(), w.v.end());
    tg::array_ref<float const, 4> const wfr{wf.data(), {4, 3, 3, 2}, {18, 6, 2, 1}};
    arr<4> yf(ref.shape[0], ref.shape[1], ref.shape[2], ref.shape[3]);
    tg::map(tg::conv2d(X, W, o), yf.ref(), x.cref(), wfr);
    arr<4> wd(4, 3, 3, 2);
    for (std::size_t i = 0; i < wd.size(); ++i) wd.v[i] = static_cast<double>(wf[i]);
    arr<4> const reff = naive_conv(x, wd, o);
    for (std::size_t i = 0; i < reff.size(); ++i) CHECK(near(yf.v[i], reff.v[i], 1e-13));
}

TEST_CASE("a bias per output channel is broadcasting: conv2d(X, W) + reshape(b, O, 1, 1)") {
    auto [X, W, b] = tg::vars<"X", "W", "b">();
    arr<4> x(2, 2, 5, 5), w(3, 2, 3, 3);
    arr<1> bv(3);
    fill_uniform(x, 5);
    fill_uniform(w, 6);
    fill_uniform(bv, 7);
    arr<4> const ref = naive_conv(x, w, {1, 1, 1, 1});
    arr<4> y(2, 3, 5, 5);
    auto const layer = tg::conv2d(X, W, 1, 1) + tg::reshape(b, 3, 1, 1);
    tg::map(layer, y.ref(), x.cref(), w.cref(), bv.cref());
    for (std::ptrdiff_t n = 0; n < 2; ++n)
        for (std::ptrdiff_t o = 0; o < 3; ++o)
            for (std::ptrdiff_t i = 0; i < 5; ++i)
                for (std::ptrdiff_t j = 0; j < 5; ++j)
                    CHECK(near(y.v[at4(y, n, o, i, j)], ref.v[at4(ref, n, o, i, j)] + bv.v[static_cast<std::size_t>(o)], 1e-13));
    // The bias's gradient of sum(layer) is the number of output positions per channel.
    arr<1> gb(3);
    tg::gradient(tg::sum(layer), tg::gradient_to(tg::skip, tg::skip, gb.ref()), x.cref(), w.cref(), bv.cref());
    for (double g : gb.v) CHECK(g == 2.0 * 25.0);
    CHECK(tg::check_gradient(tg::check_options{.samples = 40, .tolerance = 1e-7},
                             tg::sum(tanh(layer)), x.cref(), w.cref(), bv.cref()));
}

TEST_CASE("conv2d adjoints against central differences at random shapes, strides and paddings") {
    auto [X, W, C] = tg::vars<"X", "W", "C">();
    std::uint64_t seed = 500;
    for (auto const& k : random_cases(2, 12)) {
        INFO(describe(k));
        arr<4> x(k.n, k.c, k.h, k.w), w(k.o, k.c, k.kh, k.kw);
        fill_uniform(x, ++seed);
        fill_uniform(w, ++seed);
        arr<4> const shape = naive_conv(x, w, k.opt);
        arr<4> cw(shape.shape[0], shape.shape[1], shape.shape[2], shape.shape[3]);
        fill_uniform(cw, ++seed);
        // A weighted, non-linear loss, so that every output's adjoint differs.
        auto const loss = tg::sum(sin(tg::conv2d(X, W, k.opt)) * C);
        auto const report = tg::check_gradient(tg::check_options{.samples = 64, .seed = seed, .tolerance = 1e-7}, loss,
                                               x.cref(), w.cref(), cw.cref());
        CHECK(report);
    }
}

TEST_CASE("conv2d tangents equal the gradient dotted with the direction, in either operand") {
    auto [X, W] = tg::vars<"X", "W">();
    arr<4> x(2, 2, 6, 5), w(3, 2, 3, 2), vx(2, 2, 6, 5), vw(3, 2, 3, 2);
    fill_uniform(x, 11);
    fill_uniform(w, 12);
    fill_uniform(vx, 13);
    fill_uniform(vw, 14);
    tg::conv2d_options const o{2, 1, 1, 2};
    auto const loss = tg::sum(square(tg::conv2d(X, W, o)));
    arr<4> gx(2, 2, 6, 5), gw(3, 2, 3, 2);
    double const L = tg::gradient(loss, tg::gradient_to(gx.ref(), gw.ref()), x.cref(), w.cref());
    auto const r = tg::jvp(loss, tg::along(vx.cref(), vw.cref()), x.cref(), w.cref());
    double dot = 0;
    for (std::size_t i = 0; i < gx.size(); ++i) dot += gx.v[i] * vx.v[i];
    for (std::size_t i = 0; i < gw.size(); ++i) dot += gw.v[i] * vw.v[i];
    CHECK(near(r.value, L, 1e-13));
    CHECK(near(r.tangent, dot, 1e-12));
    auto const only_w = tg::jvp(loss, tg::along(tg::skip, vw.cref()), x.cref(), w.cref());
    double dot_w = 0;
    for (std::size_t i = 0; i < gw.size(); ++i) dot_w += gw.v[i] * vw.v[i];
    CHECK(near(only_w.tangent, dot_w, 1e-12));
}

TEST_CASE("max_pool2d and avg_pool2d values equal their definitions") {
    auto [X] = tg::vars<"X">();
    struct pool_case {
        std::ptrdiff_t n, c, h, w, k, s;
    };
    std::uint64_t seed = 900;
    for (pool_case const p : {pool_case{1, 1, 4, 4, 2, 2}, pool_case{2, 3, 7, 5, 2, 2}, pool_case{2, 2, 6, 6, 3, 1},
                              pool_case{1, 2, 5, 8, 3, 2}, pool_case{3, 1, 3, 3, 3, 3}, pool_case{1, 1, 5, 5, 1, 2}}) {
        INFO("h ", p.h, " w ", p.w, " window ", p.k, " stride ", p.s);
        arr<4> x(p.n, p.c, p.h, p.w);
        fill_uniform(x, ++seed);
        arr<4> const mref = naive_pool(x, p.k, p.s, false), aref = naive_pool(x, p.k, p.s, true);
        arr<4> m(mref.shape[0], mref.shape[1], mref.shape[2], mref.shape[3]), a = m;
        tg::map(tg::max_pool2d(X, p.k, p.s), m.ref(), x.cref());
        tg::map(tg::avg_pool2d(X, p.k, p.s), a.ref(), x.cref());
        for (std::size_t i = 0; i < mref.size(); ++i) {
            CHECK(m.v[i] == mref.v[i]);
            CHECK(near(a.v[i], aref.v[i], 1e-15));
        }
    }
    arr<4> x(1, 1, 4, 6);
    fill_uniform(x, 3);
    arr<4> y(1, 1, 2, 3);
    tg::map(tg::max_pool2d(X, 2), y.ref(), x.cref());  // the stride defaults to the window
    arr<4> const ref = naive_pool(x, 2, 2, false);
    for (std::size_t i = 0; i < y.size(); ++i) CHECK(y.v[i] == ref.v[i]);
    CHECK(tg::to_string(tg::max_pool2d(X, 2)) == "max_pool2d(X, window=2, stride=2)");

    // An input read through swapped strides (stored as (N, C, W, H)), and its adjoint.
    arr<4> xt(1, 1, 6, 4);
    for (std::ptrdiff_t i = 0; i < 4; ++i)
        for (std::ptrdiff_t j = 0; j < 6; ++j) xt.v[at4(xt, 0, 0, j, i)] = x.v[at4(x, 0, 0, i, j)];
    tg::array_ref<double const, 4> const strided{xt.v.data(), {1, 1, 4, 6}, {24, 24, 1, 4}};
    arr<4> ys(1, 1, 2, 3), ya(1, 1, 2, 3), yref = naive_pool(x, 2, 2, true);
    tg::map(tg::max_pool2d(X, 2), ys.ref(), strided);
    tg::map(tg::avg_pool2d(X, 2), ya.ref(), strided);
    for (std::size_t i = 0; i < y.size(); ++i) {
        CHECK(ys.v[i] == ref.v[i]);
        CHECK(near(ya.v[i], yref.v[i], 1e-15));
    }
    arr<4> g(1, 1, 4, 6), gs(1, 1, 4, 6);
    tg::gradient(tg::sum(square(tg::max_pool2d(X, 2))), tg::gradient_to(g.ref()), x.cref());
    tg::gradient(tg::sum(square(tg::max_pool2d(X, 2))), tg::gradient_to(gs.ref()), strided);
    CHECK(g.v == gs.v);
}

TEST_CASE("pooling adjoints against central differences, max pooling's ties go to the first element") {
    auto [X, C] = tg::vars<"X", "C">();
    arr<4> x(2, 2, 7, 6);
    fill_uniform(x, 21);
    arr<4> c1(2, 2, 3, 3), c2(2, 2, 5, 4);
    fill_uniform(c1, 22);
    fill_uniform(c2, 23);
    CHECK(tg::check_gradient(tg::check_options{.samples = 84, .tolerance = 1e-7},
                             tg::sum(tg::max_pool2d(X, 2) * C), x.cref(), c1.cref()));
    CHECK(tg::check_gradient(tg::check_options{.samples = 84, .tolerance = 1e-7},
                             tg::sum(square(tg::avg_pool2d(X, 3, 1)) * C), x.cref(), c2.cref()));
    CHECK(tg::check_gradient(tg::check_options{.samples = 84, .tolerance = 1e-7},
                             tg::sum(square(tg::max_pool2d(X, 3, 1)) * C), x.cref(), c2.cref()));

    SUBCASE("a constant input: every window's adjoint goes to its top-left element") {
        arr<4> flat(1, 1, 4, 4);
        flat.v.assign(16, 0.5);
        arr<4> g(1, 1, 4, 4);
        tg::gradient(tg::sum(tg::max_pool2d(X, 2)), tg::gradient_to(g.ref()), flat.cref());
        for (std::ptrdiff_t i = 0; i < 4; ++i)
            for (std::ptrdiff_t j = 0; j < 4; ++j)
                CHECK(g.v[at4(g, 0, 0, i, j)] == (i % 2 == 0 && j % 2 == 0 ? 1.0 : 0.0));
        // Overlapping windows (stride 1): an element that is first in several windows gets each.
        arr<4> g2(1, 1, 4, 4);
        tg::gradient(tg::sum(tg::max_pool2d(X, 2, 1)), tg::gradient_to(g2.ref()), flat.cref());
        for (std::ptrdiff_t i = 0; i < 4; ++i)
            for (std::ptrdiff_t j = 0; j < 4; ++j) CHECK(g2.v[at4(g2, 0, 0, i, j)] == (i < 3 && j < 3 ? 1.0 : 0.0));
    }
    SUBCASE("a NaN in a window is its maximum and takes its adjoint") {
        arr<4> v(1, 1, 2, 2);
        v.v = {1.0, std::nan(""), 3.0, 2.0};
        arr<4> y(1, 1, 1, 1), g(1, 1, 2, 2);
        tg::map(tg::max_pool2d(X, 2), y.ref(), v.cref());
        CHECK(std::isnan(y.v[0]));
        tg::gradient(tg::sum(tg::max_pool2d(X, 2)), tg::gradient_to(g.ref()), v.cref());
        CHECK(g.v == std::vector<double>{0.0, 1.0, 0.0, 0.0});
    }
    SUBCASE("tangents: the direction at the arg-max, the mean of the direction over the window") {
        arr<4> t(2, 2, 7, 6);
        fill_uniform(t, 24);
        arr<4> y(2, 2, 3, 3), yd(2, 2, 3, 3), ya(2, 2, 5, 4), yad(2, 2, 5, 4);
        tg::jvp(tg::max_pool2d(X, 2), tg::along(t.cref()), tg::into(y.ref(), yd.ref()), x.cref());
        tg::jvp(tg::avg_pool2d(X, 3, 1), tg::along(t.cref()), tg::into(ya.ref(), yad.ref()), x.cref());
        for (std::ptrdiff_t n = 0; n < 2; ++n)
            for (std::ptrdiff_t c = 0; c < 2; ++c) {
                for (std::ptrdiff_t i = 0; i < 3; ++i)
                    for (std::ptrdiff_t j = 0; j < 3; ++j) {
                        std::size_t best = at4(x, n, c, 2 * i, 2 * j);
                        for (std::ptrdiff_t p = 0; p < 2; ++p)
                            for (std::ptrdiff_t q = 0; q < 2; ++q)
                                if (x.v[at4(x, n, c, 2 * i + p, 2 * j + q)] > x.v[best]) best = at4(x, n, c, 2 * i + p, 2 * j + q);
                        CHECK(yd.v[at4(yd, n, c, i, j)] == t.v[best]);
                    }
                for (std::ptrdiff_t i = 0; i < 5; ++i)
                    for (std::ptrdiff_t j = 0; j < 4; ++j) {
                        double s = 0;
                        for (std::ptrdiff_t p = 0; p < 3; ++p)
                            for (std::ptrdiff_t q = 0; q < 3; ++q) s += t.v[at4(t, n, c, i + p, j + q)];
                        CHECK(near(yad.v[at4(yad, n, c, i, j)], s / 9.0, 1e-15));
                    }
            }
    }
}

TEST_CASE("bad shapes raise std::invalid_argument naming both shapes, nothing is written") {
    auto [X, W] = tg::vars<"X", "W">();
    auto expect_error = [&](auto const& e, arr<4>& out, auto const&... in) {
        out.v.assign(out.v.size(), 42.0);
        std::string m;
        try {
            tg::map(e, out.ref(), in.cref()...);
        } catch (std::invalid_argument const& ex) {
            m = ex.what();
        }
        for (double v : out.v) CHECK(v == 42.0);
        return m;
    };
    arr<4> x(2, 3, 5, 5), out(2, 4, 3, 3);
    fill_uniform(x, 1);
    SUBCASE("channels differ") {
        arr<4> w(4, 2, 3, 3);
        std::string const m = expect_error(tg::conv2d(X, W), out, x, w);
        CHECK(m.find("conv2d(X, W, stride=1, padding=0)") != std::string::npos);
        CHECK(m.find("channels") != std::string::npos);
        CHECK(m.find("(2, 3, 5, 5)") != std::string::npos);
        CHECK(m.find("(4, 2, 3, 3)") != std::string::npos);
        arr<4> gx(2, 3, 5, 5);
        gx.v.assign(gx.v.size(), 7.0);
        CHECK_THROWS_AS(tg::gradient(tg::sum(tg::conv2d(X, W)), tg::gradient_to(gx.ref(), tg::skip), x.cref(), w.cref()),
                        std::invalid_argument);
        for (double v : gx.v) CHECK(v == 7.0);
    }
    SUBCASE("the kernel is larger than the padded input") {
        arr<4> w(4, 3, 8, 3);
        std::string const m = expect_error(tg::conv2d(X, W, 1, 1), out, x, w);
        CHECK(m.find("larger than the padded input") != std::string::npos);
        CHECK(m.find("(2, 3, 5, 5)") != std::string::npos);
        CHECK(m.find("(4, 3, 8, 3)") != std::string::npos);
        arr<4> w7(4, 3, 7, 7);  // fits once padded by 1
        arr<4> out7(2, 4, 1, 1);
        CHECK_NOTHROW(tg::map(tg::conv2d(X, W, 1, 1), out7.ref(), x.cref(), w7.cref()));
    }
    SUBCASE("stride below 1, negative padding") {
        arr<4> w(4, 3, 3, 3);
        CHECK(expect_error(tg::conv2d(X, W, 0, 0), out, x, w).find("stride") != std::string::npos);
        CHECK(expect_error(tg::conv2d(X, W, 1, -1), out, x, w).find("padding") != std::string::npos);
        CHECK(expect_error(tg::max_pool2d(X, 2, 0), out, x).find("stride") != std::string::npos);
    }
    SUBCASE("the pooling window is larger than the input") {
        arr<4> small(2, 3, 5, 2);
        std::string const m = expect_error(tg::max_pool2d(X, 3), out, small);
        CHECK(m.find("max_pool2d(X, window=3, stride=3)") != std::string::npos);
        CHECK(m.find("(2, 3, 5, 2)") != std::string::npos);
        CHECK(expect_error(tg::avg_pool2d(X, 6), out, small).find("larger than the input") != std::string::npos);
    }
    SUBCASE("the output given has another shape than the convolution's") {
        arr<4> w(4, 3, 3, 3);
        arr<4> wrong(2, 4, 4, 3);
        CHECK_THROWS_AS(tg::map(tg::conv2d(X, W), wrong.ref(), x.cref(), w.cref()), std::invalid_argument);
    }
}
