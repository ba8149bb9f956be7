// Jacobians of vector functions built with compile-time folds over index sequences, every entry
// nonzero (dense), banded (structural zeros), or with run-time coefficients: every check of
// support/jacobian_matrix_check.hpp, symbolic derivatives of every entry included (n * m <= 40).
#include <doctest/doctest.h>

#include <typegrad/typegrad.hpp>

#include "support/jacobian_matrix_check.hpp"

using namespace typegrad_test::jacobian_matrix;

// Output J = sum_I a_IJ term_IJ(x_I) + tanh(|x|^2 / n) x_J, the terms cycling through tanh, sin,
// sqrt(1 + x^2), exp(x / 2) x_{I+1} and x^2.
TEST_CASE("jacobian matrix: dense 3x5") { check_function<3>("dense 3x5", dense<3, 5>()); }
TEST_CASE("jacobian matrix: dense 5x3") { check_function<5>("dense 5x3", dense<5, 3>()); }
TEST_CASE("jacobian matrix: dense 4x4") { check_function<4>("dense 4x4", dense<4, 4>()); }

// Output J depends on x_J, x_{J+1} and x_{J+2} (indices mod n) only.
TEST_CASE("jacobian matrix: banded 3x9") { check_function<3>("banded 3x9", band<3, 9>()); }
TEST_CASE("jacobian matrix: banded 9x3") { check_function<9>("banded 9x3", band<9, 3>()); }

// Output J = sum_I a_JI sin(x_I + b_JI) + c_J x_0 x_{n-1} with random run-time numbers: no node merged by type.
TEST_CASE("jacobian matrix: run-time coefficients 3x4") {
    check_function<3>("run-time coefficients 3x4", runtime_dense<3, 4>(random_coefficients<3, 4>(34)));
}

// Few nodes, dense: output J = sin(x_J) s + a_J x_{J+1}, s = sum_i tanh(x_i) (as in jacobian_matrix_wide_test.cpp).
TEST_CASE("jacobian matrix: 7x5") { check_function<7>("slim 7x5", slim<7, 5>()); }
