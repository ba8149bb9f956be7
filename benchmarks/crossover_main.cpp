// benchmarks/crossover_main.cpp: the driver of the forward-versus-reverse crossover
// benchmark (cells from crossover_grid.cpp, or crossover_smoke.cpp for the test).
//
//   crossover [--csv FILE] [--min-batch SECONDS] [--reps R] [--family NAME]
//       checks every mode of every cell against the hand-written Jacobian (exit 1 on
//       a mismatch, before anything is timed), then times every mode and writes
//       family,n,m,mode,nodes,time_ns,primal_ns,ratio_to_primal,passes,lanes,automatic_is
//       (passes: value-plus-derivative passes; lanes: tangent lanes or adjoint seeds per pass)
//   crossover --check            only the check
//   crossover --loop FAMILY N M MODE ITERATIONS
//       runs one mode of one cell in its hot_loop (for callgrind --toggle-collect)
//   crossover --reference FILE FAMILY:N:M ...
//       writes the points and typegrad's Jacobians there, for the peers to check against
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "crossover.hpp"

namespace {

using xover::cell;
using xover::mode;

bool parse_mode(char const* s, mode& md) {
    for (mode m : xover::all_modes)
        if (std::strcmp(s, xover::mode_name(m)) == 0) {
            md = m;
            return true;
        }
    return false;
}

cell const* find(std::vector<cell> const& cells, std::string const& family, std::size_t n, std::size_t m) {
    for (auto const& c : cells)
        if (family == c.family && c.n == n && c.m == m) return &c;
    return nullptr;
}

std::size_t passes(cell const& c, mode md) {
    switch (md) {
        case mode::fwd_scalar: return c.n;
        case mode::reverse: return c.m;
        case mode::automatic: return std::strcmp(c.automatic_is, "reverse") == 0 ? c.m : 1;
        default: return 1;
    }
}

std::size_t lanes(cell const& c, mode md) {
    switch (md) {
        case mode::fwd_vector: return c.n;
        case mode::automatic: return std::strcmp(c.automatic_is, "reverse") == 0 ? 1 : c.n;
        case mode::fwd_scalar:
        case mode::reverse: return 1;
        default: return 0;
    }
}

int usage() {
    std::fprintf(stderr,
                 "usage: crossover [--csv FILE] [--min-batch S] [--reps R] [--family NAME] [--check]\n"
                 "       crossover --loop FAMILY N M MODE ITERATIONS\n"
                 "       crossover --reference FILE FAMILY:N:M ...\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<cell> cells;
    xover::register_all(cells);

    std::string csv = "-", family;
    double min_batch = 0.005;
    int reps = 5;
    bool check_only = false;
    for (int a = 1; a < argc; ++a) {
        std::string const arg = argv[a];
        auto next = [&]() -> char const* { return a + 1 < argc ? argv[++a] : nullptr; };
        if (arg == "--loop") {
            if (argc - a - 1 < 5) return usage();
            std::string const fam = argv[a + 1];
            std::size_t const n = std::strtoul(argv[a + 2], nullptr, 10);
            std::size_t const m = std::strtoul(argv[a + 3], nullptr, 10);
            mode md{};
            if (!parse_mode(argv[a + 4], md)) return usage();
            long const iters = std::strtol(argv[a + 5], nullptr, 10);
            cell const* c = find(cells, fam, n, m);
            if (!c) {
                std::fprintf(stderr, "no cell %s %zu %zu\n", fam.c_str(), n, m);
                return 2;
            }
            c->loop(md, iters);
            return 0;
        } else if (arg == "--reference") {
            char const* file = next();
            if (!file) return usage();
            std::FILE* out = std::fopen(file, "w");
            if (!out) return 2;
            for (++a; a < argc; ++a) {
                char fam[32];
                std::size_t n = 0, m = 0;
                if (std::sscanf(argv[a], "%31[^:]:%zu:%zu", fam, &n, &m) != 3) return usage();
                cell const* c = find(cells, fam, n, m);
                if (!c) {
                    std::fprintf(stderr, "no cell %s\n", argv[a]);
                    return 2;
                }
                c->reference(out);
            }
            std::fclose(out);
            return 0;
        } else if (arg == "--csv") {
            char const* v = next();
            if (!v) return usage();
            csv = v;
        } else if (arg == "--min-batch") {
            char const* v = next();
            if (!v) return usage();
            min_batch = std::strtod(v, nullptr);
        } else if (arg == "--reps") {
            char const* v = next();
            if (!v) return usage();
            reps = std::atoi(v);
        } else if (arg == "--family") {
            char const* v = next();
            if (!v) return usage();
            family = v;
        } else if (arg == "--check") {
            check_only = true;
        } else {
            return usage();
        }
    }

    std::vector<cell const*> chosen;
    for (auto const& c : cells)
        if (family.empty() || family == c.family) chosen.push_back(&c);

    bool ok = true;
    for (cell const* c : chosen) {
        double worst = 0.0;
        bool const good = c->check(worst);
        std::fprintf(stderr, "check %-5s n=%-3zu m=%-3zu nodes=%-4zu every mode == hand-written: %s (worst %.2g)\n",
                     c->family, c->n, c->m, c->nodes, good ? "ok" : "FAILED", worst);
        ok = ok && good;
    }
    if (!ok) {
        std::fprintf(stderr, "a mode differs from the hand-written Jacobian; not timing\n");
        return 1;
    }
    if (check_only) return 0;

    std::FILE* out = csv == "-" ? stdout : std::fopen(csv.c_str(), "w");
    if (!out) return 2;
    std::fprintf(out, "family,n,m,mode,nodes,time_ns,primal_ns,ratio_to_primal,passes,lanes,automatic_is\n");
    for (cell const* c : chosen) {
        double const primal = c->time_ns(mode::primal, min_batch, reps);
        for (mode md : xover::all_modes) {
            double const t = md == mode::primal ? primal : c->time_ns(md, min_batch, reps);
            std::fprintf(out, "%s,%zu,%zu,%s,%zu,%.3f,%.3f,%.4f,%zu,%zu,%s\n", c->family, c->n, c->m,
                         xover::mode_name(md), c->nodes, t, primal, t / primal, passes(*c, md), lanes(*c, md),
                         c->automatic_is);
            std::fflush(out);
        }
        std::fprintf(stderr, "timed %-5s n=%-3zu m=%-3zu\n", c->family, c->n, c->m);
    }
    if (out != stdout) std::fclose(out);
    return 0;
}
