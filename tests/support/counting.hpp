// Test support: a scalar that counts the arithmetic and function calls made on it,
// to prove that shared subexpressions are computed once.
#pragma once

#include <cmath>

#include <typegrad/core/expression.hpp>

namespace typegrad_test {

struct op_counts {
    int mul = 0;
    int add = 0;
    int sub = 0;
    int div = 0;
    int sin = 0;
    int exp = 0;
};
inline op_counts counts;

struct counting {
    double v = 0;
    counting() = default;
    counting(double x) : v(x) {}  // NOLINT: implicit, as a number type
    explicit operator bool() const { return v != 0; }
    explicit operator double() const { return v; }
};
inline counting operator*(counting a, counting b) { ++counts.mul; return {a.v * b.v}; }
inline counting operator+(counting a, counting b) { ++counts.add; return {a.v + b.v}; }
inline counting operator-(counting a, counting b) { ++counts.sub; return {a.v - b.v}; }
inline counting operator/(counting a, counting b) { ++counts.div; return {a.v / b.v}; }
inline counting operator-(counting a) { return {-a.v}; }
inline counting& operator+=(counting& a, counting b) { ++counts.add; a.v += b.v; return a; }
inline bool operator<(counting a, counting b) { return a.v < b.v; }
inline bool operator>(counting a, counting b) { return a.v > b.v; }
inline bool operator==(counting a, counting b) { return a.v == b.v; }
inline counting sin(counting a) { ++counts.sin; return {std::sin(a.v)}; }
inline counting cos(counting a) { return {std::cos(a.v)}; }
inline counting exp(counting a) { ++counts.exp; return {std::exp(a.v)}; }

}  // namespace typegrad_test

template <>
struct typegrad::is_scalar<typegrad_test::counting> : std::true_type {};
