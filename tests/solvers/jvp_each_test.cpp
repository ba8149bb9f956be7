// tg::jvp_each (exec/program/api.hpp): several tangent passes over one value pass, as the
// coloured Jacobians use it; against separate tg::jvp calls, and its errors before any write.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <span>
#include <stdexcept>
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

TEST_CASE("tg::jvp_each equals one tg::jvp per set of directions, errors leave the sinks untouched") {
    auto [x, w, s] = tg::vars<"x", "w", "s">();
    auto const F = tg::concat(tg::slice(x, 1, tg::end) * w, exp(tg::slice(x, 0, 1)) * s) + tg::sum(x * x);
    std::vector<double> xv{0.3, -0.2, 0.7, 1.1}, wv{2.0, -1.0, 0.5};
    std::vector<double> v0{1, 0, 0, 1}, v1{0, 1, 0, 0}, v2{0.5, -0.5, 2, 1};
    std::vector<double> u0{1, 1, 1}, u1{0, 0, 0}, u2{-1, 2, 0.25};
    using dirs = decltype(tg::along(tg::view(v0), tg::view(u0), 0.0));
    std::array<dirs, 3> const d{tg::along(tg::view(v0), tg::view(u0), 0.0), tg::along(tg::view(v1), tg::view(u1), 1.0),
                                tg::along(tg::view(v2), tg::view(u2), -2.0)};
    std::vector<double> t0(4, 9.0), t1(4, 9.0), t2(4, 9.0);
    std::array<tg::array_ref<double, 1>, 3> const outs{tg::view(t0), tg::view(t1), tg::view(t2)};
    tg::workspace ws;
    tg::jvp_each(ws, F, std::span<dirs const>(d), std::span<tg::array_ref<double, 1> const>(outs), xv, wv, 0.8);
    std::vector<double> const* got[3] = {&t0, &t1, &t2};
    for (int k = 0; k < 3; ++k) {
        std::vector<double> y(4), yd(4);
        tg::jvp(F, d[std::size_t(k)], tg::into(y, yd), xv, wv, 0.8);
        for (int i = 0; i < 4; ++i) CHECK((*got[k])[std::size_t(i)] == doctest::Approx(yd[std::size_t(i)]).epsilon(1e-15));
    }

    std::vector<double> bad(3, 7.0), a(4, 7.0);
    std::array<tg::array_ref<double, 1>, 3> const wrong{tg::view(a), tg::view(bad), tg::view(a)};
    CHECK_THROWS_WITH_AS(
        tg::jvp_each(ws, F, std::span<dirs const>(d), std::span<tg::array_ref<double, 1> const>(wrong), xv, wv, 0.8),
        doctest::Contains("output 1 has shape (3,), expected (4,)"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(tg::jvp_each(ws, F, std::span<dirs const>(d).first(2),
                                      std::span<tg::array_ref<double, 1> const>(outs), xv, wv, 0.8),
                         "typegrad: tg::jvp_each got 2 sets of directions and 3 tangent arrays, expected one tangent "
                         "array per set",
                         std::invalid_argument);
    std::vector<double> short_dir{1, 2};
    std::array<dirs, 1> const d_bad{tg::along(tg::view(short_dir), tg::view(u0), 0.0)};
    std::array<tg::array_ref<double, 1>, 1> const one{tg::view(a)};
    CHECK_THROWS_WITH_AS(
        tg::jvp_each(ws, F, std::span<dirs const>(d_bad), std::span<tg::array_ref<double, 1> const>(one), xv, wv, 0.8),
        doctest::Contains("the direction of input 0 has shape (2,), expected (4,)"), std::invalid_argument);
    for (double e : a) CHECK(e == 7.0);
    for (double e : bad) CHECK(e == 7.0);
}

TEST_CASE("tg::jvp_each runs its sets as lanes of shared passes: any count, strided tangents, each as its own tg::jvp") {
    // Sets run four at a time; 1, 4, 5 and 9 sets cover full, partial and single-lane passes.
    auto [x, c] = tg::vars<"x", "c">();
    auto const F = tg::concat(tg::slice(x, 0, 1), tg::slice(x, 0, tg::end - 1)) * exp(x) + c * tg::mean(sin(x)) + x / c;
    int const n = 300;  // more than one block of elements
    std::vector<double> xv(n);
    for (int i = 0; i < n; ++i) xv[std::size_t(i)] = std::cos(0.37 * i);
    for (int sets : {1, 4, 5, 9}) {
        CAPTURE(sets);
        using dirs = decltype(tg::along(tg::view(xv), 0.0));
        std::vector<std::vector<double>> v(static_cast<std::size_t>(sets), std::vector<double>(std::size_t(n)));
        std::vector<dirs> d;
        for (int k = 0; k < sets; ++k) {
            for (int i = 0; i < n; ++i) v[std::size_t(k)][std::size_t(i)] = std::sin(1.0 + k + 0.11 * i * (k + 1));
            d.push_back(tg::along(tg::view(v[std::size_t(k)]), 0.25 * k));
        }
        // Tangents written with stride 2 into one buffer (every other entry stays as it was).
        std::vector<double> buf(std::size_t(sets) * 2 * n, -5.0);
        std::vector<tg::array_ref<double, 1>> outs;
        for (int k = 0; k < sets; ++k) outs.push_back(tg::array_ref<double, 1>{buf.data() + 2 * n * k, {n}, {2}});
        tg::workspace ws;
        tg::jvp_each(ws, F, std::span<dirs const>(d), std::span<tg::array_ref<double, 1> const>(outs), xv, 1.7);
        for (int k = 0; k < sets; ++k) {
            std::vector<double> y(n), yd(n);
            tg::jvp(F, d[std::size_t(k)], tg::into(y, yd), xv, 1.7);
            for (int i = 0; i < n; ++i) {
                CHECK(buf[std::size_t(2 * n * k + 2 * i)] == doctest::Approx(yd[std::size_t(i)]).epsilon(1e-14));
                CHECK(buf[std::size_t(2 * n * k + 2 * i + 1)] == -5.0);
            }
        }
    }
}
