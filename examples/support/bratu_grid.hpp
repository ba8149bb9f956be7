// examples/support/bratu_grid.hpp: 2-D Bratu on the m x m interior points of the unit square,
// u = 0 on the boundary, written by gathers (examples/bratu2d_sparse.cpp and the sparse tests).
//
// The unknowns get one zero appended (index n = m^2, standing for the boundary); each point's
// four neighbours are index arrays into that, n where the neighbour is on the boundary. Times h^2:
//     F_i = u_left + u_right + u_up + u_down - 4 u_i + h^2 lambda e^{u_i}.
#pragma once

#include <cstdint>
#include <vector>

#include <typegrad/typegrad.hpp>

namespace example_support {

/// Each interior point's neighbours (row-major, i = r m + c), and the one appended zero.
struct bratu_grid {
    int m;
    std::vector<std::int64_t> left, right, up, down;
    std::vector<double> zero{0.0};
    explicit bratu_grid(int m_) : m(m_) {
        int const n = m * m;
        for (int r = 0; r < m; ++r)
            for (int c = 0; c < m; ++c) {
                int const i = r * m + c;
                left.push_back(c > 0 ? i - 1 : n);
                right.push_back(c + 1 < m ? i + 1 : n);
                up.push_back(r > 0 ? i - m : n);
                down.push_back(r + 1 < m ? i + m : n);
            }
    }
};

/// F(u, left, right, up, down, zero, lambda), the grid's arrays as the middle five inputs.
inline auto bratu_2d_residual(double h) {
    namespace tg = typegrad;
    auto [u, L, R, U, D, z, lam] = tg::vars<"u", "left", "right", "up", "down", "zero", "lambda">();
    auto const ext = tg::concat(u, z);
    return tg::take(ext, L) + tg::take(ext, R) + tg::take(ext, U) + tg::take(ext, D) - 4.0 * u + (h * h) * lam * exp(u);
}

}  // namespace example_support
