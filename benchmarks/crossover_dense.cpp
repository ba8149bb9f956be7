// benchmarks/crossover_dense.cpp: the dense family's cells of the crossover grid (one
// translation unit per family, so that they compile in parallel and their compile
// cost is measured separately).
#include "crossover.hpp"
#include "crossover_cells.hpp"

namespace xover {
void register_dense(std::vector<cell>& cells) { add_cells<dense>(cells, dense_grid{}); }
}  // namespace xover
