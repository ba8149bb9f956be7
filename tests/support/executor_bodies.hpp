// Test bodies shared by the array executors: each body runs one backend (the CPU
// executor, tests/exec/backend_cpu_test.cpp, or the CUDA executor,
// tests/cuda/executor_test.cu) and compares what it gives with the scalar passes
// (tg::value, tg::gradient, tg::jacobian element by element) and, for reductions,
// with the CPU executor's tg::sum / tg::mean.
//
// A backend B provides
//   template <class T> using array = ...;         host std::vector<T> or a device tg::cuda::buffer<T>
//   upload(std::vector<T>) -> array<T>, zeros<T>(n) -> array<T>, download(array<T>) -> std::vector<T>
//   map(f, out, in...), sum(...), mean(...)      the executor's calls, arguments as tg::map / tg::sum take them
//   sum_deterministic(...), mean_deterministic(...)   the same in the deterministic mode
//   static constexpr char const* name
// Tolerances (stated here, used everywhere below):
//   element-wise values and partials: 16 ulps of max(1, |expected|): the GPU's sin, exp, ...
//     are not glibc's (CUDA documents 1-2 ulp for double), and nvcc contracts a*b+c to fma;
//   sums and means: 64 ulps of the sum of |terms| (the order of the additions differs);
//   deterministic mode: bit-identical results from two runs.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <typegrad/typegrad.hpp>

namespace typegrad_test::bodies {

namespace tg = typegrad;

/// Failures of one body, with a line each.
struct report {
    int checks = 0;
    std::vector<std::string> failures;
    void check(bool ok, std::string const& what) {
        ++checks;
        if (!ok && failures.size() < 20) failures.push_back(what);
        if (!ok && failures.size() == 20) failures.push_back("(further failures not listed)");
    }
    bool ok() const { return failures.empty(); }
};

template <class T>
std::vector<T> random_vector(std::size_t n, std::uint64_t seed, double lo = -1.0, double hi = 1.0) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(lo, hi);
    std::vector<T> v(n);
    for (auto& x : v) x = static_cast<T>(u(rng));
    return v;
}

template <class T>
bool within_ulps(T got, T expected, double ulps, double scale = 1.0) {
    if (std::isnan(expected)) return std::isnan(got);
    double const eps = std::numeric_limits<T>::epsilon();
    double const s = std::max({1.0, std::abs(double(expected)), scale});
    return std::abs(double(got) - double(expected)) <= ulps * eps * s;
}

template <class T>
void compare(report& r, std::vector<T> const& got, std::vector<T> const& expected, double ulps,
             std::string const& what) {
    r.check(got.size() == expected.size(), what + ": sizes differ");
    std::size_t bad = 0, first = got.size();
    for (std::size_t i = 0; i < std::min(got.size(), expected.size()); ++i)
        if (!within_ulps(got[i], expected[i], ulps)) {
            if (bad++ == 0) first = i;
        }
    r.check(bad == 0, what + ": " + std::to_string(bad) + " elements differ, first at " + std::to_string(first) +
                          (first < got.size() ? " (got " + std::to_string(double(got[first])) + ", expected " +
                                                    std::to_string(double(expected[first])) + ")"
                                              : ""));
}

inline constexpr double element_ulps = 16;
inline constexpr double sum_ulps = 64;

/// Values and partials of one expression over broadcast inputs: x (rows, cols), y (cols,), a host number.
template <class B, class T>
void map_broadcast_partials(report& r) {
    auto [x, y, a] = tg::vars<"x", "y", "a">();
    auto const f = x * y + sin(x) * exp(-(y * y)) + a * tanh(x - y);
    std::size_t const rows = 37, cols = 53, n = rows * cols;  // several blocks, ragged last one
    auto const hx = random_vector<T>(n, 1), hy = random_vector<T>(cols, 2);
    T const ha = T(0.75);
    auto dx = B::upload(hx);
    auto dy = B::upload(hy);
    auto v = B::template zeros<T>(n), px = B::template zeros<T>(n), py = B::template zeros<T>(n),
         pa = B::template zeros<T>(n);
    auto const X = tg::view(std::as_const(dx).data(), rows, cols);
    auto const Y = tg::view(std::as_const(dy).data(), cols);
    B::map(f, tg::with_partials(tg::view(v.data(), rows, cols), tg::view(px.data(), rows, cols),
                                tg::view(py.data(), rows, cols), tg::view(pa.data(), rows, cols)),
           X, Y, ha);
    std::vector<T> ev(n), ex(n), ey(n), ea(n);
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) {
            auto const g = tg::gradient(f, hx[i * cols + j], hy[j], ha);
            ev[i * cols + j] = g.value;
            ex[i * cols + j] = g.gradient[0];
            ey[i * cols + j] = g.gradient[1];
            ea[i * cols + j] = g.gradient[2];
        }
    std::string const w = std::string(B::name) + " map with partials, broadcast inputs";
    compare(r, B::download(v), ev, element_ulps, w + ", values");
    compare(r, B::download(px), ex, element_ulps, w + ", d/dx");
    compare(r, B::download(py), ey, element_ulps, w + ", d/dy");
    compare(r, B::download(pa), ea, element_ulps, w + ", d/da");

    // Values only, written through a transposed (strided) view; a skipped output stays as it was.
    auto vt = B::template zeros<T>(n);
    B::map(f, tg::transposed(tg::view(vt.data(), cols, rows)), X, Y, ha);
    auto const hvt = B::download(vt);
    std::vector<T> back(n);
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) back[i * cols + j] = hvt[j * rows + i];
    compare(r, back, ev, element_ulps, std::string(B::name) + " map into a transposed view");
}

/// Two outputs (polar to Cartesian) with their element-wise Jacobian; one partial skipped.
template <class B, class T>
void map_several_outputs(report& r) {
    auto [rad, t] = tg::vars<"r", "theta">();
    auto const polar = tg::outputs(rad * cos(t), rad * sin(t) + t * t);
    std::size_t const n = 3001;
    auto const hr = random_vector<T>(n, 3, 0.1, 2.0), ht = random_vector<T>(n, 4, -3.0, 3.0);
    auto dr = B::upload(hr);
    auto dt = B::upload(ht);
    auto px = B::template zeros<T>(n), py = B::template zeros<T>(n), dxr = B::template zeros<T>(n),
         dxt = B::template zeros<T>(n), dyt = B::template zeros<T>(n);
    B::map(polar, tg::with_partials(std::tie(px, py), std::tie(dxr, dxt), std::tie(tg::skip, dyt)), dr, dt);
    std::vector<T> e[5];
    for (auto& v : e) v.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        auto const j = tg::jacobian(polar, hr[i], ht[i]);
        e[0][i] = j.value[0];
        e[1][i] = j.value[1];
        e[2][i] = j.jacobian(0, 0);
        e[3][i] = j.jacobian(0, 1);
        e[4][i] = j.jacobian(1, 1);
    }
    std::string const w = std::string(B::name) + " map with two outputs";
    compare(r, B::download(px), e[0], element_ulps, w + ", x");
    compare(r, B::download(py), e[1], element_ulps, w + ", y");
    compare(r, B::download(dxr), e[2], element_ulps, w + ", dx/dr");
    compare(r, B::download(dxt), e[3], element_ulps, w + ", dx/dtheta");
    compare(r, B::download(dyt), e[4], element_ulps, w + ", dy/dtheta");

    // Wider than tall (3 inputs, 1 output): the reverse pass, against tg::gradient.
    auto [a, b, c] = tg::vars<3>();
    auto const g = a * b * c + log(a * a + 1.0) - b / (c * c + 2.0);
    auto pb = B::template zeros<T>(n);
    B::map(g, tg::with_partials(tg::skip, tg::skip, pb, tg::skip), dr, dt, T(0.5));
    std::vector<T> eb(n);
    for (std::size_t i = 0; i < n; ++i) eb[i] = tg::gradient(g, hr[i], ht[i], T(0.5)).gradient[1];
    compare(r, B::download(pb), eb, element_ulps, std::string(B::name) + " map partial by the reverse pass");
}

/// A loss summed and averaged, with its gradient: x (rows, cols) one adjoint per element,
/// b (cols,) broadcast over the rows, w a host number, a (1,) array stretched over everything.
template <class B, class T>
void reduce_gradients(report& r) {
    auto [x, b, w, a] = tg::vars<"x", "b", "w", "a">();
    auto const loss = log(1.0 + exp(-(w * x + b))) + a * x * x;
    std::size_t const rows = 301, cols = 17, n = rows * cols;  // 5117 elements: several tiles
    auto const hx = random_vector<T>(n, 5), hb = random_vector<T>(cols, 6);
    T const hw = T(0.8);
    std::vector<T> const ha{T(0.125)};
    auto dx = B::upload(hx);
    auto db = B::upload(hb);
    auto da = B::upload(ha);
    auto const X = tg::view(std::as_const(dx).data(), rows, cols);
    auto const Bv = tg::view(std::as_const(db).data(), cols);
    auto const A = tg::view(std::as_const(da).data(), 1);
    auto const hX = tg::view(hx.data(), rows, cols);

    // What the CPU executor gives (the reference), and the sum of |terms| for the tolerance.
    std::vector<T> cgx(n), cgb(cols), cga(1);
    T cgw = 0;
    T const csum = tg::sum(loss, tg::gradient_to(tg::view(cgx.data(), rows, cols), cgb, cgw, cga), hX, hb, hw, ha);
    T const cmean = tg::mean(loss, hX, hb, hw, ha);
    T const scale = tg::sum(abs(loss), hX, hb, hw, ha);
    auto near = [&](T got, T expected, double s) { return within_ulps(got, expected, sum_ulps, s); };

    for (int mode = 0; mode < 2; ++mode) {
        bool const det = mode == 1;
        std::string const wh = std::string(B::name) + (det ? " deterministic" : "") + " sum with gradient";
        auto gx = B::template zeros<T>(n), gb = B::template zeros<T>(cols), ga = B::template zeros<T>(1);
        T gw = 0;
        auto G = tg::gradient_to(tg::view(gx.data(), rows, cols), gb, gw, ga);
        T const s = det ? B::sum_deterministic(loss, G, X, Bv, hw, A) : B::sum(loss, G, X, Bv, hw, A);
        r.check(near(s, csum, scale), wh + ": value " + std::to_string(double(s)) + ", CPU " + std::to_string(double(csum)));
        compare(r, B::download(gx), cgx, element_ulps, wh + ", d/dx");
        auto const hgb = B::download(gb);
        for (std::size_t j = 0; j < cols; ++j)
            r.check(near(hgb[j], cgb[j], scale), wh + ", d/db[" + std::to_string(j) + "]");
        r.check(near(gw, cgw, scale), wh + ", d/dw " + std::to_string(double(gw)) + ", CPU " + std::to_string(double(cgw)));
        r.check(near(B::download(ga)[0], cga[0], scale), wh + ", d/da");

        T const m = det ? B::mean_deterministic(loss, X, Bv, hw, A) : B::mean(loss, X, Bv, hw, A);
        r.check(near(m, cmean, scale / T(n)), wh + ": mean");
    }

    // Deterministic mode: bit-identical run to run.
    auto g1 = B::template zeros<T>(cols), g2 = B::template zeros<T>(cols);
    T w1 = 0, w2 = 0;
    T const s1 = B::sum_deterministic(loss, tg::gradient_to(tg::skip, g1, w1, tg::skip), X, Bv, hw, A);
    T const s2 = B::sum_deterministic(loss, tg::gradient_to(tg::skip, g2, w2, tg::skip), X, Bv, hw, A);
    r.check(s1 == s2 && w1 == w2 && B::download(g1) == B::download(g2),
            std::string(B::name) + " deterministic sums are bit-identical run to run");
}

/// No elements: the sum is 0, the mean NaN, the gradients zero.
template <class B, class T>
void reduce_empty(report& r) {
    auto [x, w] = tg::vars<2>();
    auto const f = x * w;
    auto dx = B::template zeros<T>(0);
    auto const X = tg::view(std::as_const(dx).data(), 0);
    T gw = T(7);
    T const s = B::sum(f, tg::gradient_to(tg::skip, gw), X, T(2));
    r.check(s == T(0) && gw == T(0), std::string(B::name) + " sum over no elements");
    r.check(std::isnan(B::mean(f, X, T(2))), std::string(B::name) + " mean over no elements is NaN");
}

/// Shapes that do not agree: an exception naming both, and the outputs untouched.
template <class B, class T>
void shape_errors(report& r) {
    auto [x, y] = tg::vars<2>();
    auto const f = x * y;
    auto dx = B::upload(std::vector<T>(6, T(1)));
    auto dy = B::upload(std::vector<T>(4, T(1)));
    auto out = B::upload(std::vector<T>(6, T(3)));
    auto const X = tg::view(std::as_const(dx).data(), 2, 3);
    std::string message;
    try {
        B::map(f, tg::view(out.data(), 2, 3), X, dy);
    } catch (std::invalid_argument const& e) {
        message = e.what();
    }
    r.check(message.find("(2, 3)") != std::string::npos && message.find("(4,)") != std::string::npos,
            std::string(B::name) + " inputs that do not broadcast: message was '" + message + "'");
    message.clear();
    try {
        B::map(f, tg::view(out.data(), 3, 2), X, T(2));
    } catch (std::invalid_argument const& e) {
        message = e.what();
    }
    r.check(message.find("output 0 has shape (3, 2), expected (2, 3)") != std::string::npos,
            std::string(B::name) + " output of the wrong shape: message was '" + message + "'");
    message.clear();
    auto g = B::upload(std::vector<T>(4, T(3)));
    try {
        (void)B::sum(f, tg::gradient_to(g, tg::skip), X, T(2));
    } catch (std::invalid_argument const& e) {
        message = e.what();
    }
    r.check(message.find("gradient of input 0 has shape (4,), expected (2, 3)") != std::string::npos,
            std::string(B::name) + " gradient of the wrong shape: message was '" + message + "'");
    r.check(B::download(out) == std::vector<T>(6, T(3)) && B::download(g) == std::vector<T>(4, T(3)),
            std::string(B::name) + " outputs untouched after a rejected call");
}

/// Every body, for one backend and one number type.
template <class B, class T>
report run_all() {
    report r;
    map_broadcast_partials<B, T>(r);
    map_several_outputs<B, T>(r);
    reduce_gradients<B, T>(r);
    reduce_empty<B, T>(r);
    shape_errors<B, T>(r);
    return r;
}

}  // namespace typegrad_test::bodies
