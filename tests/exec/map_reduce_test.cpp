// tg::map partials and tg::sum / tg::mean gradients against the scalar gradient
// applied element by element, against finite differences, and against sums made by
// hand for broadcast inputs.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

namespace {

std::vector<double> random_vector(std::size_t n, std::uint64_t seed, double lo = -1.0, double hi = 1.0) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(lo, hi);
    std::vector<double> v(n);
    for (auto& x : v) x = u(rng);
    return v;
}

bool close(double a, double b, double rel = 1e-12) {
    return std::abs(a - b) <= rel * std::max({1.0, std::abs(a), std::abs(b)});
}

}  // namespace

TEST_CASE("map partials equal tg::gradient at every element") {
    auto [x, y, z] = tg::vars<"x", "y", "z">();
    auto const f = x * y * sin(z) + exp(x * z) - tanh(y / (2.0 + x * x));
    std::size_t const n = 20000;
    auto X = random_vector(n, 1), Y = random_vector(n, 2), Z = random_vector(n, 3);
    std::vector<double> v(n), dx(n), dy(n), dz(n);
    tg::map(f, tg::with_partials(v, dx, dy, dz), X, Y, Z);
    std::size_t bad = 0;
    for (std::size_t i = 0; i < n; ++i) {
        auto const [gv, g] = tg::gradient(f, X[i], Y[i], Z[i]);
        bad += !close(v[i], gv) || !close(dx[i], g[0]) || !close(dy[i], g[1]) || !close(dz[i], g[2]);
    }
    CHECK(bad == 0);

    SUBCASE("skipped entries are left alone; broadcast scalar input") {
        std::vector<double> v2(n, 5.0), dz2(n);
        tg::map(f, tg::with_partials(tg::skip, tg::skip, tg::skip, dz2), X, 0.5, Z);
        for (double w : v2) CHECK(w == 5.0);
        std::size_t wrong = 0;
        for (std::size_t i = 0; i < n; ++i) wrong += !close(dz2[i], tg::gradient(f, X[i], 0.5, Z[i]).gradient[2]);
        CHECK(wrong == 0);
    }
}

TEST_CASE("map with several outputs and their pointwise Jacobian") {
    auto [r, t] = tg::vars<"r", "theta">();
    auto const polar = tg::outputs(r * cos(t), r * sin(t));
    std::size_t const n = 1000;
    auto R = random_vector(n, 4, 0.1, 2.0), T = random_vector(n, 5, -3.0, 3.0);
    std::vector<double> px(n), py(n), dxr(n), dxt(n), dyr(n), dyt(n);
    tg::map(polar, tg::with_partials(std::tie(px, py), std::tie(dxr, dxt), std::tie(dyr, dyt)), R, T);
    for (std::size_t i = 0; i < n; i += 37) {
        CHECK(close(px[i], R[i] * std::cos(T[i])));
        CHECK(close(py[i], R[i] * std::sin(T[i])));
        CHECK(close(dxr[i], std::cos(T[i])));
        CHECK(close(dxt[i], -R[i] * std::sin(T[i])));
        CHECK(close(dyr[i], std::sin(T[i])));
        CHECK(close(dyt[i], R[i] * std::cos(T[i])));
    }
    // values only, and a callable returning a tuple
    std::vector<double> qx(n), qy(n);
    tg::map([](auto a, auto b) { return std::tuple{a * cos(b), a * sin(b)}; }, std::tie(qx, qy), R, T);
    CHECK(qx == px);
    CHECK(qy == py);
}

TEST_CASE("sum and mean gradients: element-wise adjoints and reduced scalar adjoints") {
    auto [x, a, b] = tg::vars<"x", "a", "b">();
    auto const loss = log1p(exp(a * x + b)) - 0.5 * x * x * b;
    std::size_t const n = 50001;  // several chunks and a partial block
    auto X = random_vector(n, 6);
    double const A = 0.7, B = -0.3;
    std::vector<double> gx(n);
    double ga = 0, gb = 0;
    double const s = tg::sum(loss, tg::gradient_to(gx, ga, gb), X, A, B);

    double ref = 0, ref_a = 0, ref_b = 0;
    std::size_t bad = 0;
    for (std::size_t i = 0; i < n; ++i) {
        auto const [v, g] = tg::gradient(loss, X[i], A, B);
        ref += v;
        ref_a += g[1];
        ref_b += g[2];
        bad += gx[i] != g[0];  // one element, one adjoint: exactly the scalar gradient
    }
    CHECK(bad == 0);
    CHECK(close(s, ref, 1e-11));
    CHECK(close(ga, ref_a, 1e-11));
    CHECK(close(gb, ref_b, 1e-11));
    CHECK(s == tg::sum(loss, X, A, B));  // the value alone is the same number

    // finite differences of the sum in the scalar parameters
    double const h = 1e-6;
    double const fd_a = (tg::sum(loss, X, A + h, B) - tg::sum(loss, X, A - h, B)) / (2 * h);
    double const fd_b = (tg::sum(loss, X, A, B + h) - tg::sum(loss, X, A, B - h)) / (2 * h);
    CHECK(close(ga, fd_a, 1e-6));
    CHECK(close(gb, fd_b, 1e-6));

    SUBCASE("mean is the sum over the count, gradients too") {
        std::vector<double> mx(n);
        double ma = 0, mb = 0;
        double const m = tg::mean(loss, tg::gradient_to(mx, ma, mb), X, A, B);
        CHECK(close(m, s / n, 1e-12));
        CHECK(close(ma, ga / n, 1e-12));
        CHECK(close(mb, gb / n, 1e-12));
        CHECK(close(mx[17], gx[17] / n, 1e-15));
    }
}

TEST_CASE("gradient of a partly broadcast input sums over the stretched dimension") {
    // A bias of shape (3,) against data of shape (4, 3), and a column scale of shape (4, 1).
    auto [x, bias, scale] = tg::vars<"x", "bias", "scale">();
    auto const f = sin(scale * x + bias);
    auto X = random_vector(12, 7), Bv = random_vector(3, 8), S = random_vector(4, 9);
    std::vector<double> gx(12), gb(3), gs(4);
    tg::sum(f, tg::gradient_to(tg::view(gx.data(), 4, 3), gb, tg::view(gs.data(), 4, 1)), tg::view(X.data(), 4, 3), Bv,
            tg::view(S.data(), 4, 1));
    for (int j = 0; j < 3; ++j) {
        double ref = 0;
        for (int i = 0; i < 4; ++i) ref += std::cos(S[i] * X[i * 3 + j] + Bv[j]);
        CHECK(close(gb[j], ref));
    }
    for (int i = 0; i < 4; ++i) {
        double ref = 0;
        for (int j = 0; j < 3; ++j) ref += X[i * 3 + j] * std::cos(S[i] * X[i * 3 + j] + Bv[j]);
        CHECK(close(gs[i], ref));
        for (int j = 0; j < 3; ++j) CHECK(close(gx[i * 3 + j], S[i] * std::cos(S[i] * X[i * 3 + j] + Bv[j])));
    }
}

TEST_CASE("an input the expression does not use gets a zero gradient") {
    auto [x, unused] = tg::vars<2>();
    std::vector<double> X{1, 2, 3}, U{4, 5, 6}, gu(3, 9.0);
    double const s = tg::sum(x * x, tg::gradient_to(tg::skip, gu), X, U);
    CHECK(s == 14.0);
    CHECK(gu == std::vector<double>{0, 0, 0});
}

TEST_CASE("float computations stay in float") {
    auto [x, w] = tg::vars<2>();
    std::vector<float> X{1.f, 2.f, 3.f}, gx(3);
    float gw = 0.f;
    auto const s = tg::sum(w * x * x, tg::gradient_to(gx, gw), X, 2.0f);
    static_assert(std::is_same_v<decltype(s), float const>);
    CHECK(s == 28.f);
    CHECK(gw == 14.f);
    CHECK(gx == std::vector<float>{4.f, 8.f, 12.f});
}

TEST_CASE("dot: a matrix-vector product and its gradient") {
    auto [A, v, c] = tg::vars<"A", "v", "c">();
    auto const f = c * tg::dot(A, v);  // sum_i c_i (A v)_i
    std::size_t const m = 5, k = 7;
    auto Am = random_vector(m * k, 10), V = random_vector(k, 11), C = random_vector(m, 12);
    std::vector<double> Av(m);
    tg::map(tg::dot(A, v), Av, tg::view(Am.data(), m, k), V);
    for (std::size_t i = 0; i < m; ++i) {
        double ref = 0;
        for (std::size_t j = 0; j < k; ++j) ref += Am[i * k + j] * V[j];
        CHECK(close(Av[i], ref));
    }
    std::vector<double> gA(m * k), gv(k), gc(m);
    double const s = tg::sum(f, tg::gradient_to(tg::view(gA.data(), m, k), gv, gc), tg::view(Am.data(), m, k), V, C);
    double ref_s = 0;
    for (std::size_t i = 0; i < m; ++i) ref_s += C[i] * Av[i];
    CHECK(close(s, ref_s));
    for (std::size_t i = 0; i < m; ++i) {
        CHECK(close(gc[i], Av[i]));
        for (std::size_t j = 0; j < k; ++j) CHECK(close(gA[i * k + j], C[i] * V[j]));  // dA = c v^T
    }
    for (std::size_t j = 0; j < k; ++j) {
        double ref = 0;
        for (std::size_t i = 0; i < m; ++i) ref += Am[i * k + j] * C[i];  // dv = A^T c
        CHECK(close(gv[j], ref));
    }
}

TEST_CASE("map_reduce names sum and mean by a reduction tag") {
    tg::var<0> const x;
    tg::var<1> const a;
    std::vector<double> X{1.0, 2.0, 4.0}, g1(3), g2(3);
    double ga1 = 0, ga2 = 0;
    CHECK(tg::map_reduce(tg::reduction::sum, a * x * x, X, 0.5) == tg::sum(a * x * x, X, 0.5));
    CHECK(tg::map_reduce(tg::reduction::mean, a * x * x, X, 0.5) == tg::mean(a * x * x, X, 0.5));
    double const m = tg::map_reduce(tg::cpu_options{}, tg::reduction::mean, a * x * x, tg::gradient_to(g1, ga1), X, 0.5);
    double const m2 = tg::mean(a * x * x, tg::gradient_to(g2, ga2), X, 0.5);
    CHECK(m == m2);
    CHECK(m == 3.5);  // 0.5 (1 + 4 + 16) / 3
    CHECK(g1 == g2);
    CHECK(ga1 == 7.0);  // (1 + 4 + 16) / 3
}
