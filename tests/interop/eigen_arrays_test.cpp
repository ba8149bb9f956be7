// Eigen objects as arrays for tg::map and tg::sum: column-major and row-major
// matrices, vectors, maps and blocks, compared with element-by-element evaluation.
#include <doctest/doctest.h>

#include <cmath>

#include <Eigen/Core>

#include <typegrad/interop/eigen.hpp>
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

TEST_CASE("Eigen matrices, vectors and blocks broadcast like NumPy arrays") {
    Eigen::MatrixXd A(3, 4);  // column-major
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> B(3, 4);
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 4; ++j) {
            A(i, j) = 0.5 * i - 0.25 * j;
            B(i, j) = std::sin(1.0 + i + 3 * j);
        }
    Eigen::VectorXd row = Eigen::VectorXd::LinSpaced(4, -1.0, 1.0);  // shape (4,): one per column
    tg::var<0> const a;
    tg::var<1> const b;
    tg::var<2> const r;
    auto const f = a * exp(b) + r;

    Eigen::MatrixXd out(3, 4);
    tg::map(f, out, A, B, row);
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 4; ++j) CHECK(out(i, j) == doctest::Approx(A(i, j) * std::exp(B(i, j)) + row(j)));

    // A block (strided) of a column-major matrix, and a const map.
    Eigen::MatrixXd big = Eigen::MatrixXd::Random(6, 6);
    double const raw[4] = {1.0, 2.0, 3.0, 4.0};
    Eigen::Map<Eigen::Vector4d const> mapped(raw);
    Eigen::MatrixXd out2(3, 4);
    tg::map(f, out2, big.block(1, 2, 3, 4), 0.0, mapped);
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 4; ++j) CHECK(out2(i, j) == doctest::Approx(big(1 + i, 2 + j) + raw[j]));

    // The gradient of a sum goes back into Eigen objects of the inputs' shapes.
    Eigen::MatrixXd ga(3, 4);
    Eigen::VectorXd gr(4);
    double const s = tg::sum(f, tg::gradient_to(ga, tg::skip, gr), A, B, row);
    double ref = 0;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 4; ++j) {
            ref += A(i, j) * std::exp(B(i, j)) + row(j);
            CHECK(ga(i, j) == doctest::Approx(std::exp(B(i, j))));
        }
    CHECK(s == doctest::Approx(ref));
    for (int j = 0; j < 4; ++j) CHECK(gr(j) == doctest::Approx(3.0));
}
