// Jacobians of vector functions with up to 16 inputs and 16 outputs, built with compile-time folds over
// index sequences: every check of support/jacobian_matrix_check.hpp except symbolic derivatives (n * m > 40).
// The functions are dense but made of few nodes (a sum s = sum_i tanh(x_i) shared by every output):
// tg::jacobian's compile time grows with nodes x inputs (forward lanes) and nodes x outputs (reverse
// sweeps), and a 16 x 16 function of ~700 nodes alone takes minutes to compile at -O3.
#include <doctest/doctest.h>

#include <typegrad/typegrad.hpp>

#include "support/jacobian_matrix_check.hpp"

using namespace typegrad_test::jacobian_matrix;

// Output J = sin(x_J) s + a_J x_{J+1}, s = sum_i tanh(x_i).
TEST_CASE("jacobian matrix: 16x16") { check_function<16>("slim 16x16", slim<16, 16>()); }
TEST_CASE("jacobian matrix: 8x8") { check_function<8>("slim 8x8", slim<8, 8>()); }
TEST_CASE("jacobian matrix: 16x2") { check_function<16>("slim 16x2", slim<16, 2>()); }
TEST_CASE("jacobian matrix: 2x16") { check_function<2>("slim 2x16", slim<2, 16>()); }

// sum_i tanh(x_i) x_{i+1}: R^16 -> R^1, and sin(k t) e^{-t/2}, k = 1..16: R -> R^16.
TEST_CASE("jacobian matrix: scalar field 16x1") { check_function<16>("field 16x1", slim_field<16>()); }
TEST_CASE("jacobian matrix: curve 1x16") { check_function<1>("curve 1x16", slim_curve<16>()); }
