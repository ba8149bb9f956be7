// Broadcasting: NumPy's rules on a table of shape pairs, tg::map against the scalar
// evaluation element by element, and every kind of bad input rejected before any
// output is touched.
#include <doctest/doctest.h>

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

namespace {

tg::dims make_dims(std::initializer_list<std::ptrdiff_t> e) {
    tg::dims d;
    d.rank = e.size();
    std::size_t k = 0;
    for (auto x : e) d.extent[k++] = x;
    return d;
}

struct broadcast_case {
    std::initializer_list<std::ptrdiff_t> a, b;
    bool ok;
    std::initializer_list<std::ptrdiff_t> result;
};

// NumPy: align trailing dimensions; extents agree or one is 1; missing leading dimensions are 1.
broadcast_case const table[] = {
    {{}, {}, true, {}},
    {{}, {3}, true, {3}},
    {{3}, {}, true, {3}},
    {{3}, {3}, true, {3}},
    {{1}, {3}, true, {3}},
    {{2, 3}, {3}, true, {2, 3}},
    {{2, 3}, {1, 3}, true, {2, 3}},
    {{2, 1}, {1, 3}, true, {2, 3}},
    {{4, 1}, {3}, true, {4, 3}},
    {{2, 1, 3}, {4, 1}, true, {2, 4, 3}},
    {{8, 1, 6, 1}, {7, 1, 5}, true, {8, 7, 6, 5}},
    {{5, 4}, {1}, true, {5, 4}},
    {{15, 3, 5}, {15, 1, 5}, true, {15, 3, 5}},
    {{0}, {1}, true, {0}},
    {{0, 3}, {3}, true, {0, 3}},
    {{2, 3}, {2}, false, {}},
    {{3}, {4}, false, {}},
    {{2, 1}, {8, 4, 3}, false, {}},
    {{0}, {2}, false, {}},
};

std::vector<double> iota_vector(std::size_t n, double start = 0.25, double step = 0.5) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = start + step * static_cast<double>(i);
    return v;
}

}  // namespace

TEST_CASE("broadcast follows NumPy's rules on a table of shape pairs") {
    for (auto const& c : table) {
        tg::dims const a = make_dims(c.a), b = make_dims(c.b);
        CAPTURE(tg::to_string(a));
        CAPTURE(tg::to_string(b));
        tg::dims r;
        CHECK(tg::try_broadcast(a, b, r) == c.ok);
        if (c.ok) {
            CHECK(r == make_dims(c.result));
            tg::dims r2;
            CHECK(tg::try_broadcast(b, a, r2));  // symmetric
            CHECK(r2 == r);
        } else {
            CHECK_THROWS_AS(tg::broadcast(a, b), std::invalid_argument);
            try {
                tg::broadcast(a, b, "x", "y");
            } catch (std::invalid_argument const& e) {
                std::string const m = e.what();
                CHECK(m.find(tg::to_string(a)) != std::string::npos);
                CHECK(m.find(tg::to_string(b)) != std::string::npos);
            }
        }
    }
}

TEST_CASE("shapes print as NumPy prints them") {
    CHECK(tg::to_string(make_dims({})) == "()");
    CHECK(tg::to_string(make_dims({4})) == "(4,)");
    CHECK(tg::to_string(make_dims({2, 3})) == "(2, 3)");
}

TEST_CASE("map over broadcast shapes equals the scalar evaluation element by element") {
    auto [x, y, z] = tg::vars<"x", "y", "z">();
    auto const f = x * sin(y) + exp(z) / (1.0 + x * x);
    auto const value_at = [&](double a, double b, double c) { return tg::value(f, a, b, c); };

    SUBCASE("matrix, row vector, scalar") {
        auto X = iota_vector(6), Y = iota_vector(3, -1.0, 0.75);
        std::vector<double> out(6);
        tg::map(f, tg::view(out.data(), 2, 3), tg::view(X.data(), 2, 3), Y, 0.5);
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 3; ++j) CHECK(out[i * 3 + j] == value_at(X[i * 3 + j], Y[j], 0.5));
    }
    SUBCASE("column against row gives an outer product shape") {
        auto C = iota_vector(4), R = iota_vector(3, 1.0, -0.25), Z = iota_vector(12, -0.5, 0.1);
        std::vector<double> out(12);
        tg::map(f, tg::view(out.data(), 4, 3), tg::view(C.data(), 4, 1), tg::view(R.data(), 1, 3),
                tg::view(Z.data(), 4, 3));
        for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 3; ++j) CHECK(out[i * 3 + j] == value_at(C[i], R[j], Z[i * 3 + j]));
    }
    SUBCASE("rank 4 with stretched middle dimensions") {
        auto A = iota_vector(2 * 3, 0.1, 0.3), B = iota_vector(4 * 5, -0.7, 0.05);
        std::vector<double> out(2 * 4 * 3 * 5);
        tg::map(f, tg::view(out.data(), 2, 4, 3, 5), tg::view(A.data(), 2, 1, 3, 1), tg::view(B.data(), 4, 1, 5),
                -0.25);
        for (int a = 0; a < 2; ++a)
            for (int b = 0; b < 4; ++b)
                for (int c = 0; c < 3; ++c)
                    for (int d = 0; d < 5; ++d)
                        CHECK(out[((a * 4 + b) * 3 + c) * 5 + d] == value_at(A[a * 3 + c], B[b * 5 + d], -0.25));
    }
    SUBCASE("transposed and strided views, strided output") {
        auto M = iota_vector(12);  // 3 x 4
        auto V = iota_vector(8);   // every other element used
        std::vector<double> out(2 * 12, -1.0);  // 4 x 3 written at stride 2
        auto const Mt = tg::transposed(tg::view(M.data(), 3, 4));  // 4 x 3
        auto const Vs = tg::strided_view(V.data() + 1, std::array<std::ptrdiff_t, 1>{3}, std::array<std::ptrdiff_t, 1>{2});
        auto const O = tg::strided_view(out.data(), std::array<std::ptrdiff_t, 2>{4, 3}, std::array<std::ptrdiff_t, 2>{6, 2});
        tg::map(f, O, Mt, Vs, 1.5);
        for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 3; ++j) {
                CHECK(out[i * 6 + j * 2] == value_at(M[j * 4 + i], V[1 + 2 * j], 1.5));
                CHECK(out[i * 6 + j * 2 + 1] == -1.0);  // the gaps are not touched
            }
    }
    SUBCASE("more elements than one chunk, with a broadcast column") {
        std::size_t const rows = 150, cols = 301;  // 45150 elements: three chunks, partial blocks
        auto X = iota_vector(rows * cols, -3.0, 1e-4), Y = iota_vector(rows, 0.0, 0.01);
        std::vector<double> out(rows * cols);
        tg::map(f, tg::view(out.data(), rows, cols), tg::view(X.data(), rows, cols), tg::view(Y.data(), rows, 1),
                0.125);
        std::size_t bad = 0;
        for (std::size_t i = 0; i < rows; ++i)
            for (std::size_t j = 0; j < cols; ++j)
                bad += out[i * cols + j] != value_at(X[i * cols + j], Y[i], 0.125);
        CHECK(bad == 0);
    }
    SUBCASE("integer and float inputs") {
        std::vector<int> I{1, 2, 3};
        std::vector<float> F{0.5f, 1.5f, 2.5f};
        std::vector<double> out(3);
        tg::map(f, out, I, F, 0.0);  // computes in double
        for (int i = 0; i < 3; ++i) CHECK(out[i] == value_at(I[i], F[i], 0.0));
        std::vector<float> outf(3);
        tg::map(x * y, outf, F, F);  // all float: computes in float
        for (int i = 0; i < 3; ++i) CHECK(outf[i] == F[i] * F[i]);
    }
}

TEST_CASE("empty and size-1 arrays") {
    auto [x, y] = tg::vars<2>();
    std::vector<double> empty, out;
    tg::map(x + y, out, empty, 1.0);  // nothing to do, nothing thrown
    std::vector<double> one{2.0}, many{1.0, 2.0, 3.0}, out3(3);
    tg::map(x * y, out3, one, many);  // a size-1 array stretches
    CHECK(out3 == std::vector<double>{2.0, 4.0, 6.0});
    std::vector<double> out1(1);
    tg::map(x * y, out1, one, one);
    CHECK(out1[0] == 4.0);
    CHECK(tg::sum(x * y, empty, 2.0) == 0.0);
    CHECK(std::isnan(tg::mean(x * y, empty, 2.0)));
    double g = 7.0;
    std::vector<double> ge;
    CHECK(tg::sum(x * y, tg::gradient_to(ge, g), empty, 2.0) == 0.0);
    CHECK(g == 0.0);  // an empty sum has a zero gradient
}

TEST_CASE("bad input is rejected before any output is touched") {
    tg::var<0> const x;  // not structured bindings: lambdas below capture them (clang 14)
    tg::var<1> const y;
    std::vector<double> a(6, 1.0), b(4, 1.0);
    std::vector<double> out(6, 42.0), d(6, 42.0);
    auto untouched = [&] {
        for (double v : out) CHECK(v == 42.0);
        for (double v : d) CHECK(v == 42.0);
    };
    auto message_of = [](auto&& call) {
        try {
            call();
        } catch (std::invalid_argument const& e) {
            return std::string(e.what());
        }
        return std::string("no exception");
    };

    SUBCASE("inputs that do not broadcast") {
        auto const m = message_of([&] { tg::map(x * y, tg::view(out.data(), 2, 3), tg::view(a.data(), 2, 3), b); });
        CHECK(m.find("(4,)") != std::string::npos);
        CHECK(m.find("(2, 3)") != std::string::npos);
        untouched();
    }
    SUBCASE("an output of the wrong shape") {
        auto const m = message_of([&] { tg::map(x * y, out, tg::view(a.data(), 2, 3), 1.0); });
        CHECK(m.find("output 0 has shape (6,), expected (2, 3)") != std::string::npos);
        untouched();
    }
    SUBCASE("a partial of the wrong shape, after a good output") {
        std::vector<double> small(5, 42.0);
        auto const m = message_of([&] { tg::map(x * y, tg::with_partials(out, d, small), a, 1.0); });
        CHECK(m.find("partial of output 0 with respect to input 1 has shape (5,), expected (6,)") != std::string::npos);
        untouched();
        for (double v : small) CHECK(v == 42.0);
    }
    SUBCASE("a gradient of the wrong shape") {
        double gy = 42.0;
        auto const m = message_of([&] { tg::sum(x * y, tg::gradient_to(tg::view(d.data(), 3, 2), gy), tg::view(a.data(), 2, 3), 1.0); });
        CHECK(m.find("gradient of input 0 has shape (3, 2), expected (2, 3)") != std::string::npos);
        untouched();
        CHECK(gy == 42.0);
    }
    SUBCASE("a number for the gradient of an array input") {
        double gx = 42.0, gy = 42.0;
        auto const m = message_of([&] { tg::sum(x * y, tg::gradient_to(gx, gy), a, 1.0); });
        CHECK(m.find("is a number, but the input has shape (6,)") != std::string::npos);
        CHECK(gx == 42.0);
        CHECK(gy == 42.0);
    }
    SUBCASE("null pointers and negative extents") {
        double* null = nullptr;
        CHECK_THROWS_WITH_AS(tg::view(null, 3), "typegrad: a null pointer was given for an array of 3 elements",
                             std::invalid_argument);
        CHECK_NOTHROW(tg::view(null, 0));  // an empty array may have no storage
        CHECK_THROWS_AS(tg::view(a.data(), -1), std::invalid_argument);
        CHECK_THROWS_AS(tg::reshape(tg::view(a), 4, 2), std::invalid_argument);
    }
    SUBCASE("dot over axes of different lengths") {
        std::vector<double> w(4, 1.0), r(2, 42.0);
        auto const m = message_of([&] { tg::map(tg::dot(x, y), r, tg::view(a.data(), 2, 3), w); });
        CHECK(m.find("dot(x0, x1): the contracted (last) axes differ in length") != std::string::npos);
        CHECK(m.find("(2, 3)") != std::string::npos);
        CHECK(m.find("(4,)") != std::string::npos);
        for (double v : r) CHECK(v == 42.0);
    }
}
