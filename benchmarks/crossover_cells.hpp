// benchmarks/crossover_cells.hpp: the (n, m) grid of the crossover benchmark, packed
// as n * 1000 + m. Why the grid stops where it does: typegrad unrolls every pass per
// node, per tangent lane (forward vector mode) and per output sweep (reverse mode),
// so the generated code, and the compile time, grow like nodes x (n + m), and
// nodes grow with n + m (chain, stat) or n m (dense). Measured with g++ 12 -O3 for
// one cell on its own: chain 16x16 9.5 s, 32x32 46 s, 128x1 61 s, 1x128 over 300 s
// (not finished); stat 16x16 18 s, 32x32 231 s and 1.9 GB. The grid keeps
// n, m in {1, ..., 32} with n m <= 256 for chain and stat, and n, m <= 8 for dense.
#pragma once

#include <utility>

namespace xover {

using chain_stat_grid = std::index_sequence<1001, 1002, 1004, 1008, 1016, 1032, 2001, 2002, 2004, 2008, 2016, 2032,
                                            4001, 4002, 4004, 4008, 4016, 4032, 8001, 8002, 8004, 8008, 8016, 8032,
                                            16001, 16002, 16004, 16008, 16016, 32001, 32002, 32004, 32008>;
using dense_grid =
    std::index_sequence<1001, 1002, 1004, 1008, 2001, 2002, 2004, 2008, 4001, 4002, 4004, 4008, 8001, 8002, 8004, 8008>;

// The smoke test's grid: every mode on tiny sizes, checked, not timed in full.
using smoke_grid = std::index_sequence<1001, 1003, 2002, 3001, 3002, 2004>;

}  // namespace xover
