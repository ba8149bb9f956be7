// benchmarks/crossover_chain.cpp: the chain family's cells of the crossover grid (one
// translation unit per family, so that they compile in parallel and their compile
// cost is measured separately).
#include "crossover.hpp"
#include "crossover_cells.hpp"

namespace xover {
void register_chain(std::vector<cell>& cells) { add_cells<chain>(cells, chain_stat_grid{}); }
}  // namespace xover
