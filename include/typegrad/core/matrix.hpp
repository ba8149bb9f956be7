// typegrad/core/matrix.hpp: a fixed-size row-major matrix for Jacobians and Hessians.
#pragma once

#include <array>
#include <cstddef>

#include "../config.hpp"

namespace typegrad {

/// R x C numbers, row-major, no heap: m(i, j), m.rows(), m.cols(), m.data.
template <class T, std::size_t R, std::size_t C>
struct matrix {
    std::array<T, R * C> data;

    TYPEGRAD_HOST_DEVICE constexpr T& operator()(std::size_t i, std::size_t j) { return data[i * C + j]; }
    TYPEGRAD_HOST_DEVICE constexpr T const& operator()(std::size_t i, std::size_t j) const { return data[i * C + j]; }
    static constexpr std::size_t rows() { return R; }
    static constexpr std::size_t cols() { return C; }
    friend constexpr bool operator==(matrix const&, matrix const&) = default;
};

}  // namespace typegrad
