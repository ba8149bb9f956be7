// benchmarks/crossover_grid.cpp: the full grid (crossover_chain.cpp, crossover_stat.cpp,
// crossover_dense.cpp).
#include "crossover.hpp"

namespace xover {
void register_chain(std::vector<cell>& cells);
void register_stat(std::vector<cell>& cells);
void register_dense(std::vector<cell>& cells);

void register_all(std::vector<cell>& cells) {
    register_chain(cells);
    register_stat(cells);
    register_dense(cells);
}
}  // namespace xover
