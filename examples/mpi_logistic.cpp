// examples/mpi_logistic.cpp: logistic regression on 10^6 generated rows, split over MPI ranks,
// trained by gradient descent; each step is one tg::mpi::mean call (every rank's shard, one
// global loss and gradient).
//
//   mpirun -np 4 build/examples/mpi_logistic [--rows N] [--steps S] [--deterministic]
//
// Row i of the data is a function of i and the seed alone, so every rank generates only its
// own rows and the data set is the same for any number of ranks. The labels come from a known
// weight vector (with label noise); the example checks that the loss falls, that the fitted
// weights point along the true ones, and (with --deterministic) prints the final loss with all
// its digits: it is the same for any number of ranks.
#include <typegrad/mpi.hpp>
#include <typegrad/typegrad.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace tg = typegrad;

namespace {

constexpr std::ptrdiff_t K = 8;  // features
constexpr std::uint64_t seed = 20261203;

/// A uniform number in [0, 1) from (seed, i) (splitmix64).
double uniform(std::uint64_t i) {
    std::uint64_t z = seed * 0x9e3779b97f4a7c15ull + i;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53;
}

double true_weight(std::ptrdiff_t k) { return (k % 2 == 0 ? 1.0 : -1.0) * (0.5 + 0.25 * static_cast<double>(k)); }
constexpr double true_bias = -0.3;

/// Rows [begin, end): features in [-1, 1), labels drawn from the true model.
void generate(std::ptrdiff_t begin, std::ptrdiff_t end, std::vector<double>& X, std::vector<double>& t) {
    auto const n = static_cast<std::size_t>(end - begin);
    X.resize(n * K);
    t.resize(n);
    for (std::ptrdiff_t i = begin; i < end; ++i) {
        auto const r = static_cast<std::size_t>(i - begin);
        auto const base = static_cast<std::uint64_t>(i) * (K + 1);
        double z = true_bias;
        for (std::ptrdiff_t k = 0; k < K; ++k) {
            double const x = 2.0 * uniform(base + static_cast<std::uint64_t>(k)) - 1.0;
            X[r * K + static_cast<std::size_t>(k)] = x;
            z += true_weight(k) * x;
        }
        t[r] = uniform(base + K) < 1.0 / (1.0 + std::exp(-z)) ? 1.0 : 0.0;
    }
}

}  // namespace

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    std::ptrdiff_t rows = 1000000;
    int steps = 200;
    bool deterministic = false;
    for (int a = 1; a < argc; ++a) {
        if (!std::strcmp(argv[a], "--rows") && a + 1 < argc) rows = std::stol(argv[++a]);
        else if (!std::strcmp(argv[a], "--steps") && a + 1 < argc) steps = std::stoi(argv[++a]);
        else if (!std::strcmp(argv[a], "--deterministic")) deterministic = true;
    }
    int status = 0;
    {
        tg::mpi::context ctx(MPI_COMM_WORLD, {.deterministic = deterministic});
        // Shards of whole chunks, so that deterministic mode may be switched on.
        auto const mine = tg::mpi::shard_rows(ctx, rows, ctx.options.chunk_rows);
        std::vector<double> X, t;
        generate(mine.begin, mine.end, X, t);

        // The loss of one row, -log p(t | x) with z = x . w + b, in its stable form.
        auto [w, b, x, y] = tg::vars<"w", "b", "x", "t">();
        auto const z = tg::dot(x, w) + b;
        auto const loss = softplus(z) - y * z;

        std::vector<double> wv(K, 0.0), gw(K);
        double bv = 0.0, gb = 0.0;
        auto const Xs = tg::mpi::shard(tg::view(X.data(), mine.size(), K));
        auto const ts = tg::mpi::shard(tg::view(t.data(), mine.size()));
        double const step = 2.0;
        double first = 0, last = 0;
        double const t0 = MPI_Wtime();
        for (int s = 0; s <= steps; ++s) {
            last = tg::mpi::mean(ctx, loss, tg::gradient_to(gw, gb, tg::skip, tg::skip), wv, bv, Xs, ts);
            if (s == 0) first = last;
            if (ctx.rank() == 0 && (s % 50 == 0 || s == steps)) std::printf("step %4d  loss %.12f\n", s, last);
            if (s == steps) break;
            for (std::ptrdiff_t k = 0; k < K; ++k) wv[static_cast<std::size_t>(k)] -= step * gw[static_cast<std::size_t>(k)];
            bv -= step * gb;
        }
        double const seconds = MPI_Wtime() - t0;

        // The fitted direction against the true one (cosine), and the loss.
        double dot = 0, nw = 0, nt = 0;
        for (std::ptrdiff_t k = 0; k < K; ++k) {
            dot += wv[static_cast<std::size_t>(k)] * true_weight(k);
            nw += wv[static_cast<std::size_t>(k)] * wv[static_cast<std::size_t>(k)];
            nt += true_weight(k) * true_weight(k);
        }
        double const cosine = dot / std::sqrt(nw * nt);
        if (ctx.rank() == 0) {
            std::printf("%td rows on %d rank(s)%s: %d steps in %.3f s (%.2f ms per step)\n", rows, ctx.size(),
                        deterministic ? ", deterministic" : "", steps, seconds, 1e3 * seconds / (steps + 1));
            std::printf("loss %.6f -> %.17g; bias %.4f (true %.4f); cosine(fitted w, true w) = %.6f\n", first, last, bv,
                        true_bias, cosine);
        }
        if (!(last < first - 0.01) || !(cosine > 0.95)) {
            if (ctx.rank() == 0) std::printf("FAILED: the loss did not fall or the weights are off\n");
            status = 1;
        }
    }
    MPI_Finalize();
    return status;
}
