// benchmarks/crossover_stat.cpp: the stat family's cells of the crossover grid (one
// translation unit per family, so that they compile in parallel and their compile
// cost is measured separately).
#include "crossover.hpp"
#include "crossover_cells.hpp"

namespace xover {
void register_stat(std::vector<cell>& cells) { add_cells<stat>(cells, chain_stat_grid{}); }
}  // namespace xover
