// benchmarks/crossover_smoke.cpp: the crossover program on tiny sizes (n, m <= 4) for
// every family, in one small translation unit. CTest runs it with --check: every mode
// (forward scalar, forward vector, reverse, automatic) must give the hand-written
// Jacobian, and then every mode is timed once briefly so that the timing path runs.
#include "crossover.hpp"
#include "crossover_cells.hpp"

namespace xover {
void register_all(std::vector<cell>& cells) {
    add_cells<chain>(cells, smoke_grid{});
    add_cells<stat>(cells, smoke_grid{});
    add_cells<dense>(cells, smoke_grid{});
}
}  // namespace xover
