// benchmarks/mpi_scaling.cpp: strong and weak scaling of one data-parallel gradient
// evaluation (tg::mpi::mean of a logistic-regression loss), with the all-reduce timed apart,
// and the all-reduce alone over a range of message sizes (for the alpha-beta model in
// benchmarks/mpi_alpha_beta.py).
//
//   mpirun -np P build/mpi_scaling [--rows N] [--features K] [--reps R]     (benchmarks/mpi_scaling.sh)
//
// strong: N rows in all, N / P per rank. weak: N / 4 rows per rank (at P = 4 both are N rows).
// Per configuration (CSV on rank 0):
//   call_ms       one tg::mpi::mean call (local evaluation, shape agreement, all-reduce)
//   local_ms      the same loss and gradient over this rank's rows alone (tg::gradient)
//   allreduce_ms  tg::mpi::allreduce_sum of what the call sums (value, count, gradient)
//   det_ms        the call in deterministic mode (chunks of 16384 rows, gathered)
// Each time is the slowest rank's, the median of R repetitions, each after a barrier.
// Then: allreduce,P,bytes,microseconds for messages of 8 B to 2 MiB.
#include <typegrad/mpi.hpp>
#include <typegrad/typegrad.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace tg = typegrad;

namespace {

double uniform(std::uint64_t i) {
    std::uint64_t z = i + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53;
}

/// The median over repetitions of the slowest rank's time of f, in seconds.
template <class F>
double timed(int reps, F const& f) {
    std::vector<double> t(static_cast<std::size_t>(reps));
    f();  // warm-up: buffers sized, pages touched
    for (auto& v : t) {
        MPI_Barrier(MPI_COMM_WORLD);
        double const t0 = MPI_Wtime();
        f();
        double dt = MPI_Wtime() - t0;
        MPI_Allreduce(MPI_IN_PLACE, &dt, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        v = dt;
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    std::ptrdiff_t rows = 1000000, K = 16;
    int reps = 15;
    for (int a = 1; a + 1 < argc; a += 2) {
        if (!std::strcmp(argv[a], "--rows")) rows = std::stol(argv[a + 1]);
        else if (!std::strcmp(argv[a], "--features")) K = std::stol(argv[a + 1]);
        else if (!std::strcmp(argv[a], "--reps")) reps = std::stoi(argv[a + 1]);
    }
    {
        tg::mpi::context ctx(MPI_COMM_WORLD);
        tg::mpi::context det(MPI_COMM_WORLD, {.deterministic = true});
        int const P = ctx.size();
        if (ctx.rank() == 0) std::printf("mode,ranks,rows_total,rows_per_rank,features,call_ms,local_ms,allreduce_ms,det_ms\n");
        auto [w, b, x, y] = tg::vars<"w", "b", "x", "t">();
        auto const z = tg::dot(x, w) + b;
        auto const loss = softplus(z) - y * z;
        std::vector<double> wv(static_cast<std::size_t>(K), 0.01), gw(static_cast<std::size_t>(K));
        double bv = 0.1, gb = 0;
        for (bool weak : {false, true}) {
            std::ptrdiff_t const total = weak ? rows / 4 * P : rows;
            auto const mine = tg::mpi::shard_rows(ctx, total, tg::mpi::default_chunk_rows);
            auto const n = mine.size();
            std::vector<double> X(static_cast<std::size_t>(n * K)), t(static_cast<std::size_t>(n));
            for (std::ptrdiff_t i = 0; i < n; ++i) {
                auto const g = static_cast<std::uint64_t>(mine.begin + i) * static_cast<std::uint64_t>(K + 1);
                for (std::ptrdiff_t k = 0; k < K; ++k)
                    X[static_cast<std::size_t>(i * K + k)] = 2 * uniform(g + static_cast<std::uint64_t>(k)) - 1;
                t[static_cast<std::size_t>(i)] = uniform(g + static_cast<std::uint64_t>(K)) < 0.5 ? 0.0 : 1.0;
            }
            auto const Xv = tg::view(X.data(), n, K);
            auto const tv = tg::view(t.data(), n);
            auto sinks = tg::gradient_to(gw, gb, tg::skip, tg::skip);
            double const call = timed(reps, [&] {
                tg::mpi::mean(ctx, loss, sinks, wv, bv, tg::mpi::shard(Xv), tg::mpi::shard(tv));
            });
            double const detcall = timed(reps, [&] {
                tg::mpi::mean(det, loss, sinks, wv, bv, tg::mpi::shard(Xv), tg::mpi::shard(tv));
            });
            tg::workspace ws;
            double const local = timed(reps, [&] { tg::gradient(ws, tg::sum(loss), sinks, wv, bv, Xv, tv); });
            double value = 0, count = 0;
            double const reduce = timed(reps, [&] { tg::mpi::allreduce_sum(ctx, value, count, gw, gb); });
            if (ctx.rank() == 0)
                std::printf("%s,%d,%td,%td,%td,%.4f,%.4f,%.4f,%.4f\n", weak ? "weak" : "strong", P, total, n, K,
                            1e3 * call, 1e3 * local, 1e3 * reduce, 1e3 * detcall);
        }
        // The all-reduce alone, by message size.
        for (std::size_t bytes = 8; bytes <= (2u << 20); bytes *= 8) {
            std::vector<double> buf(bytes / 8, 1.0);
            double const s = timed(reps, [&] { tg::mpi::allreduce_sum(ctx, buf); });
            if (ctx.rank() == 0) std::printf("allreduce,%d,%zu,%.2f\n", P, bytes, 1e6 * s);
        }
    }
    MPI_Finalize();
    return 0;
}
