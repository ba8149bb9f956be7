// typegrad::mpi under mpirun: `mpirun -np N mpi_tests CASE`. Every rank runs the case; the
// references are computed by every rank in one process over all the rows (the data of row
// i is a function of i alone, so each rank generates its shard without communication).
// The ordinary mode must agree with the one-process gradient to rounding; deterministic
// mode must equal, bit for bit, the chunks evaluated one after another in one process (and
// for an element-wise loss with the default chunk, tg::sum over all rows itself), whatever N.
// Assertions never stop a rank early (that would leave the others waiting): each failure is
// counted and printed, and the exit status is the sum over ranks.
#include <typegrad/mpi.hpp>
#include <typegrad/typegrad.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tg = typegrad;

namespace {

int rank_ = 0, size_ = 1, failures = 0;

void check(bool ok, std::string const& what) {
    if (!ok) {
        ++failures;
        std::fprintf(stderr, "rank %d of %d: FAILED: %s\n", rank_, size_, what.c_str());
    }
}
bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }
bool close(double a, double b, double rel = 1e-12) { return std::abs(a - b) <= rel * std::max(1.0, std::abs(b)); }
std::string str(double v) {
    char b[64];
    std::snprintf(b, sizeof b, "%.17g", v);
    return b;
}
void check_bits(double got, double want, std::string const& what) {
    check(same_bits(got, want), what + ": got " + str(got) + ", expected " + str(want) + " bit for bit");
}
void check_close(double got, double want, std::string const& what) {
    check(close(got, want), what + ": got " + str(got) + ", expected " + str(want) + " to rounding");
}

/// A uniform number in [0, 1) from an integer (splitmix64).
double uniform(std::uint64_t i) {
    std::uint64_t z = i + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53;
}

/// Rows of rank r when rank r gets a share r + 1 (uneven), in whole chunks of `chunk`.
tg::mpi::row_range uneven_rows(std::ptrdiff_t n, int r, int ranks, std::ptrdiff_t chunk = 1) {
    std::ptrdiff_t const chunks = (n + chunk - 1) / chunk, weight = ranks * (ranks + 1) / 2;
    auto first = [&](int q) { return std::min(n, chunks * (q * (q + 1) / 2) / weight * chunk); };
    return {first(r), r + 1 == ranks ? n : first(r + 1)};
}

// ---------------------------------------------------------------------------------
// Data: logistic regression on one feature (element-wise), and a linear model (program).

struct rows1 {
    std::vector<double> x, t;
    explicit rows1(std::ptrdiff_t n) : x(static_cast<std::size_t>(n)), t(static_cast<std::size_t>(n)) {
        for (std::ptrdiff_t i = 0; i < n; ++i) {
            x[static_cast<std::size_t>(i)] = 4.0 * uniform(2 * static_cast<std::uint64_t>(i)) - 2.0;
            t[static_cast<std::size_t>(i)] = uniform(2 * static_cast<std::uint64_t>(i) + 1) < 0.5 ? 0.0 : 1.0;
        }
    }
    auto xs(std::ptrdiff_t b, std::ptrdiff_t e) const { return tg::view(x.data() + b, e - b); }
    auto ts(std::ptrdiff_t b, std::ptrdiff_t e) const { return tg::view(t.data() + b, e - b); }
};

auto logistic_loss() {
    auto [w, b, x, t] = tg::vars<"w", "b", "x", "t">();
    auto z = w * x + b;
    return softplus(z) - t * z;
}

struct result1 {
    double value = 0, gw = 0, gb = 0;
};

/// One process, all rows: tg::sum or tg::mean.
result1 one_process(rows1 const& d, bool mean) {
    result1 r;
    auto const n = static_cast<std::ptrdiff_t>(d.x.size());
    auto g = tg::gradient_to(r.gw, r.gb, tg::skip, tg::skip);
    r.value = mean ? tg::mean(logistic_loss(), g, 0.7, -0.3, d.xs(0, n), d.ts(0, n))
                   : tg::sum(logistic_loss(), g, 0.7, -0.3, d.xs(0, n), d.ts(0, n));
    return r;
}

/// One process, chunk after chunk in order: what deterministic mode must give.
result1 chunked(rows1 const& d, std::ptrdiff_t chunk, bool mean) {
    result1 r;
    auto const n = static_cast<std::ptrdiff_t>(d.x.size());
    for (std::ptrdiff_t b = 0; b < n; b += chunk) {
        std::ptrdiff_t const e = std::min(n, b + chunk);
        double gw = 0, gb = 0;
        r.value += tg::sum(logistic_loss(), tg::gradient_to(gw, gb, tg::skip, tg::skip), 0.7, -0.3, d.xs(b, e), d.ts(b, e));
        r.gw += gw;
        r.gb += gb;
    }
    if (mean) {
        r.value /= static_cast<double>(n);
        r.gw /= static_cast<double>(n);
        r.gb /= static_cast<double>(n);
    }
    return r;
}

result1 distributed(tg::mpi::context& ctx, rows1 const& d, tg::mpi::row_range s, bool mean) {
    result1 r;
    auto g = tg::gradient_to(r.gw, r.gb, tg::skip, tg::skip);
    auto const x = tg::mpi::shard(d.xs(s.begin, s.end));
    auto const t = tg::mpi::shard(d.ts(s.begin, s.end));
    r.value = mean ? tg::mpi::mean(ctx, logistic_loss(), g, 0.7, -0.3, x, t)
                   : tg::mpi::sum(ctx, logistic_loss(), g, 0.7, -0.3, x, t);
    return r;
}

void compare(result1 const& got, result1 const& want, bool bitwise, std::string const& what) {
    auto cmp = bitwise ? check_bits : check_close;
    cmp(got.value, want.value, what + ", value");
    cmp(got.gw, want.gw, what + ", d/dw");
    cmp(got.gb, want.gb, what + ", d/db");
}

// ---------------------------------------------------------------------------------

void allreduce_sinks() {
    // A number, a vector, a strided view (every other element of a buffer) and tg::skip.
    for (bool det : {false, true}) {
        tg::mpi::context ctx(MPI_COMM_WORLD, {.deterministic = det});
        double a = rank_ + 1.0;
        std::vector<double> v{1.0 * rank_, 2.0 * rank_, 3.0 * rank_};
        std::vector<double> buf(12, -1.0);
        for (int k = 0; k < 6; ++k) buf[static_cast<std::size_t>(2 * k)] = rank_ * 10.0 + k;
        auto strided = tg::strided_view(buf.data(), std::array<std::ptrdiff_t, 2>{2, 3}, std::array<std::ptrdiff_t, 2>{6, 2});
        tg::mpi::allreduce_sum(ctx, a, v, tg::skip, strided);
        double const P = size_, S = P * (P - 1) / 2;  // sum of ranks
        std::string const m = det ? " (rank order)" : "";
        check_bits(a, P * (P + 1) / 2, "sum of rank + 1" + m);
        for (int k = 0; k < 3; ++k) check_bits(v[static_cast<std::size_t>(k)], (k + 1) * S, "vector entry" + m);
        for (int k = 0; k < 6; ++k) {
            check_bits(buf[static_cast<std::size_t>(2 * k)], 10 * S + P * k, "strided entry" + m);
            check_bits(buf[static_cast<std::size_t>(2 * k + 1)], -1.0, "the gaps of a strided sink are untouched" + m);
        }
    }
    // float sinks too.
    tg::mpi::context ctx(MPI_COMM_WORLD);
    float f = 0.5f;
    std::vector<float> fv(5, 0.25f);
    tg::mpi::allreduce_sum(ctx, f, fv);
    check(f == 0.5f * static_cast<float>(size_) && fv[4] == 0.25f * static_cast<float>(size_), "float sums");
}

void elementwise_sum() {
    std::ptrdiff_t const n = 2 * tg::mpi::default_chunk_rows + 7355;  // three chunks, the last partial
    rows1 const d(n);
    result1 const ref = one_process(d, false);
    tg::mpi::context fast(MPI_COMM_WORLD);
    tg::mpi::context det(MPI_COMM_WORLD, {.deterministic = true});
    compare(distributed(fast, d, tg::mpi::shard_rows(fast, n), false), ref, false, "sum, even shards");
    compare(distributed(fast, d, uneven_rows(n, rank_, size_), false), ref, false, "sum, uneven shards");
    // With the default chunk (the executor's own), the chunks add exactly as one tg::sum.
    compare(distributed(det, d, tg::mpi::shard_rows(det, n, tg::mpi::default_chunk_rows), false), ref, true,
            "sum, deterministic, against tg::sum in one process");
    compare(distributed(det, d, uneven_rows(n, rank_, size_, tg::mpi::default_chunk_rows), false), ref, true,
            "sum, deterministic, uneven shards, against tg::sum in one process");
    // Small chunks: many of them, against the chunks added in one process.
    tg::mpi::context small(MPI_COMM_WORLD, {.deterministic = true, .chunk_rows = 1000});
    compare(distributed(small, d, uneven_rows(n, rank_, size_, 1000), false), chunked(d, 1000, false), true,
            "sum, deterministic, chunks of 1000 rows");
    compare(distributed(small, d, uneven_rows(n, rank_, size_, 1000), false), ref, false,
            "sum, deterministic, chunks of 1000 rows, against tg::sum");
}

void mean_uneven() {
    std::ptrdiff_t const n = 12345;
    rows1 const d(n);
    result1 const ref = one_process(d, true);
    tg::mpi::context fast(MPI_COMM_WORLD);
    compare(distributed(fast, d, uneven_rows(n, rank_, size_), true), ref, false, "mean, uneven shards");
    {
        auto const u = uneven_rows(n, rank_, size_);
        double const v = tg::mpi::value(fast, tg::mean(logistic_loss()), 0.7, -0.3, tg::mpi::shard(d.xs(u.begin, u.end)),
                                        tg::mpi::shard(d.ts(u.begin, u.end)));
        check_close(v, ref.value, "tg::mpi::value of the mean");
    }
    // One rank with no rows at all.
    tg::mpi::row_range s = uneven_rows(n, rank_, size_);
    if (size_ > 1 && rank_ == 0) s = {0, 0};
    if (size_ > 1 && rank_ == 1) s.begin = 0;
    compare(distributed(fast, d, s, true), ref, false, "mean, rank 0 without rows");
    tg::mpi::context det(MPI_COMM_WORLD, {.deterministic = true, .chunk_rows = 512});
    compare(distributed(det, d, uneven_rows(n, rank_, size_, 512), true), chunked(d, 512, true), true,
            "mean, deterministic, against the chunks in one process");
    compare(distributed(det, d, uneven_rows(n, rank_, size_, 512), true), ref, false,
            "mean, deterministic, against tg::mean");
    // The closed form at w = b = 0: softplus(0) - t * 0 = log 2 per row, d/db = mean(1/2 - t).
    double gw = 0, gb = 0;
    auto const r = tg::mpi::shard_rows(fast, n);
    double const L = tg::mpi::mean(fast, logistic_loss(), tg::gradient_to(gw, gb, tg::skip, tg::skip), 0.0, 0.0,
                                   tg::mpi::shard(d.xs(r.begin, r.end)), tg::mpi::shard(d.ts(r.begin, r.end)));
    double tsum = 0;
    for (double t : d.t) tsum += t;
    check_close(L, std::log(2.0), "mean at 0 is log 2");
    check_close(gb, 0.5 - tsum / static_cast<double>(n), "d/db at 0 is 1/2 - mean(t)");

    // float computations (their element count travels as an integer).
    std::vector<float> xf(d.x.begin(), d.x.end()), tf(d.t.begin(), d.t.end());
    float rw = 0, rb = 0;
    float const Lf = tg::mean(logistic_loss(), tg::gradient_to(rw, rb, tg::skip, tg::skip), 0.7f, -0.3f, xf, tf);
    for (bool deterministic : {false, true}) {
        tg::mpi::context ctx(MPI_COMM_WORLD, {.deterministic = deterministic, .chunk_rows = 512});
        auto const u = uneven_rows(n, rank_, size_, 512);
        float fw = 0, fb = 0;
        float const Lm = tg::mpi::mean(ctx, logistic_loss(), tg::gradient_to(fw, fb, tg::skip, tg::skip), 0.7f, -0.3f,
                                       tg::mpi::shard(tg::view(xf.data() + u.begin, u.size())),
                                       tg::mpi::shard(tg::view(tf.data() + u.begin, u.size())));
        auto near = [](float a, float b) { return std::abs(a - b) <= 1e-5f * std::max(1.0f, std::abs(b)); };
        std::string const m = deterministic ? " (deterministic)" : "";
        check(near(Lm, Lf), "float mean" + m + ": " + str(Lm) + " vs " + str(Lf));
        check(near(fw, rw) && near(fb, rb), "float gradient" + m + ": " + str(fw) + ", " + str(fb) + " vs " + str(rw) + ", " + str(rb));
    }
}

// A linear model as an array program: mean((X W + b - Y)^2), X (n, 3), W (3, 2), b (2,), Y (n, 2).
struct rows2 {
    std::ptrdiff_t n, k;
    std::vector<double> X, Y;
    rows2(std::ptrdiff_t rows, std::ptrdiff_t features)
        : n(rows), k(features), X(static_cast<std::size_t>(rows * features)), Y(static_cast<std::size_t>(rows * 2)) {
        for (std::size_t i = 0; i < X.size(); ++i) X[i] = uniform(1000003 + i) - 0.5;
        for (std::size_t i = 0; i < Y.size(); ++i) Y[i] = uniform(7000001 + i);
    }
    auto Xs(std::ptrdiff_t b, std::ptrdiff_t e) const { return tg::view(X.data() + b * k, e - b, k); }
    auto Ys(std::ptrdiff_t b, std::ptrdiff_t e) const { return tg::view(Y.data() + b * 2, e - b, 2); }
};

auto linear_body() {
    auto [X, W, b, Y] = tg::vars<"X", "W", "b", "Y">();
    return tg::square(tg::matmul(X, W) + b - Y);
}

struct result2 {
    double value = 0;
    std::vector<double> gW, gb;
    explicit result2(std::ptrdiff_t k) : gW(static_cast<std::size_t>(k * 2)), gb(2) {}
};

void compare(result2 const& got, result2 const& want, bool bitwise, std::string const& what) {
    auto cmp = bitwise ? check_bits : check_close;
    cmp(got.value, want.value, what + ", value");
    for (std::size_t i = 0; i < want.gW.size(); ++i) cmp(got.gW[i], want.gW[i], what + ", dL/dW");
    for (std::size_t i = 0; i < want.gb.size(); ++i) cmp(got.gb[i], want.gb[i], what + ", dL/db");
}

void program_loss() {
    std::ptrdiff_t const n = 3001, k = 3;
    rows2 const d(n, k);
    std::vector<double> const W{0.3, -0.2, 0.5, 0.1, -0.4, 0.25}, b{0.05, -0.1};
    auto const Wv = tg::view(W.data(), k, 2);
    result2 ref(k);
    ref.value = tg::gradient(tg::mean(linear_body()), tg::gradient_to(tg::skip, tg::view(ref.gW.data(), k, 2), ref.gb, tg::skip),
                             d.Xs(0, n), Wv, b, d.Ys(0, n));
    std::ptrdiff_t const chunk = 256;
    result2 chunks(k);
    for (std::ptrdiff_t r0 = 0; r0 < n; r0 += chunk) {
        std::ptrdiff_t const r1 = std::min(n, r0 + chunk);
        result2 c(k);
        c.value = tg::gradient(tg::sum(linear_body()), tg::gradient_to(tg::skip, tg::view(c.gW.data(), k, 2), c.gb, tg::skip),
                               d.Xs(r0, r1), Wv, b, d.Ys(r0, r1));
        chunks.value += c.value;
        for (std::size_t i = 0; i < c.gW.size(); ++i) chunks.gW[i] += c.gW[i];
        for (std::size_t i = 0; i < c.gb.size(); ++i) chunks.gb[i] += c.gb[i];
    }
    double const count = static_cast<double>(n * 2);
    chunks.value /= count;
    for (double& g : chunks.gW) g /= count;
    for (double& g : chunks.gb) g /= count;

    auto run = [&](tg::mpi::context& ctx, tg::mpi::row_range s) {
        result2 r(k);
        r.value = tg::mpi::gradient(ctx, tg::mean(linear_body()),
                                    tg::gradient_to(tg::skip, tg::view(r.gW.data(), k, 2), r.gb, tg::skip),
                                    tg::mpi::shard(d.Xs(s.begin, s.end)), Wv, b, tg::mpi::shard(d.Ys(s.begin, s.end)));
        return r;
    };
    tg::mpi::context fast(MPI_COMM_WORLD);
    tg::mpi::context det(MPI_COMM_WORLD, {.deterministic = true, .chunk_rows = chunk});
    compare(run(fast, uneven_rows(n, rank_, size_)), ref, false, "program, uneven shards");
    compare(run(det, uneven_rows(n, rank_, size_, chunk)), chunks, true, "program, deterministic, against the chunks");
    compare(run(det, tg::mpi::shard_rows(det, n, chunk)), chunks, true, "program, deterministic, even shards");
    compare(run(det, uneven_rows(n, rank_, size_, chunk)), ref, false, "program, deterministic, against tg::gradient");
}

/// Runs f on every rank; it must throw std::invalid_argument whose message holds every
/// fragment (on every rank).
void expect_refused(std::function<void()> const& f, std::vector<std::string> const& fragments, std::string const& what) {
    try {
        f();
        check(false, what + ": no exception");
    } catch (std::invalid_argument const& e) {
        std::string const m = e.what();
        for (auto const& p : fragments) check(m.find(p) != std::string::npos, what + ": message without '" + p + "': " + m);
        if (rank_ == 0 && size_ > 1) std::printf("%s: %s\n", what.c_str(), m.c_str());
    }
}

void shape_mismatch() {
    for (bool det : {false, true}) {
        tg::mpi::context ctx(MPI_COMM_WORLD, {.deterministic = det, .chunk_rows = 64});
        std::string const mode = det ? " (deterministic)" : "";
        // Sinks of allreduce_sum: rank 1 has one more element.
        double a = 2.0;
        std::vector<double> g(rank_ == 1 ? 4 : 3, 1.0);
        if (size_ == 1) {
            tg::mpi::allreduce_sum(ctx, a, g);
            check(a == 2.0 && g == std::vector<double>(3, 1.0), "one rank: its own sums");
        } else {
            expect_refused([&] { tg::mpi::allreduce_sum(ctx, a, g); },
                           {"rank 0 has [a number, (3,)]", "rank 1 has [a number, (4,)]", "expected the same"},
                           "allreduce_sum, mismatched shapes" + mode);
            check(a == 2.0 && g[0] == 1.0 && g[2] == 1.0, "nothing written after a mismatch" + mode);
        }
        // A data-parallel call where rank 1 has 4 features (its own arguments agree).
        std::ptrdiff_t const k = size_ > 1 && rank_ == 1 ? 4 : 3, n = 300;
        rows2 const d(n, k);
        std::vector<double> W(static_cast<std::size_t>(k * 2), 0.1), b(2, 0.0), gW(W.size(), 7.0), gb(2, 7.0);
        auto const s = tg::mpi::shard_rows(ctx, n, 64);
        auto call = [&] {
            return tg::mpi::gradient(ctx, tg::mean(linear_body()),
                                     tg::gradient_to(tg::skip, tg::view(gW.data(), k, 2), gb, tg::skip),
                                     tg::mpi::shard(d.Xs(s.begin, s.end)), tg::view(W.data(), k, 2), b,
                                     tg::mpi::shard(d.Ys(s.begin, s.end)));
        };
        if (size_ == 1)
            check(std::isfinite(call()), "one rank: a value");
        else {
            expect_refused(call, {"rank 0 has [tg::skip, (3, 2), (2,), tg::skip]", "rank 1 has [tg::skip, (4, 2), (2,), tg::skip]"},
                           "gradient, mismatched parameter shapes" + mode);
            check(gW[0] == 7.0 && gb[0] == 7.0, "no sink written after a mismatch" + mode);
        }
    }
}

void local_error() {
    // Rank 1's own call is wrong (a gradient sink of the wrong shape): every rank throws its message.
    for (bool det : {false, true}) {
        tg::mpi::context ctx(MPI_COMM_WORLD, {.deterministic = det, .chunk_rows = 64});
        std::string const mode = det ? " (deterministic)" : "";
        std::ptrdiff_t const n = 300, k = 3;
        rows2 const d(n, k);
        std::vector<double> W(6, 0.1), b(2, 0.0);
        std::vector<double> gW(6, 7.0), gb(2, 7.0);
        auto const s = tg::mpi::shard_rows(ctx, n, 64);
        auto call = [&] {
            return tg::mpi::gradient(ctx, tg::mean(linear_body()),
                                     tg::gradient_to(tg::skip, tg::view(gW.data(), k, 2), tg::view(gb.data(), 2), tg::skip),
                                     tg::mpi::shard(d.Xs(s.begin, s.end)), tg::view(W.data(), k, 2), b,
                                     tg::mpi::shard(d.Ys(s.begin, s.end)));
        };
        if (size_ == 1)
            check(std::isfinite(call()), "one rank: a value");
        else {
            // The sinks agree in shape everywhere; rank 1's input b has 3 elements.
            std::vector<double> b1(3, 0.0);
            auto bad = [&] {
                return tg::mpi::gradient(ctx, tg::mean(linear_body()),
                                         tg::gradient_to(tg::skip, tg::view(gW.data(), k, 2), tg::view(gb.data(), 2), tg::skip),
                                         tg::mpi::shard(d.Xs(s.begin, s.end)), tg::view(W.data(), k, 2),
                                         rank_ == 1 ? tg::view(b1.data(), 3) : tg::view(b.data(), 2),
                                         tg::mpi::shard(d.Ys(s.begin, s.end)));
            };
            expect_refused(bad, {"rank 1 refused its arguments: typegrad:", "(3,)"},
                           "gradient, one rank's bad input" + mode);
            check(gW[0] == 7.0 && gb[0] == 7.0, "no sink written after a refusal" + mode);
            // And the same context works afterwards.
            check(std::isfinite(call()), "a good call after a refused one" + mode);
        }
    }
}

void chunk_alignment() {
    tg::mpi::context det(MPI_COMM_WORLD, {.deterministic = true, .chunk_rows = 100});
    std::ptrdiff_t const n = 1000;
    rows1 const d(n);
    auto const s = uneven_rows(n, rank_, size_);  // not on chunk boundaries
    if (size_ == 1)
        compare(distributed(det, d, s, false), chunked(d, 100, false), true, "one rank: the chunks");
    else
        expect_refused([&] { distributed(det, d, s, false); }, {"chunk boundary", "chunk_rows = 100", "starts at row"},
                       "deterministic mode, shards off chunk boundaries");
    // A context over no communicator is refused where it is made.
    try {
        tg::mpi::context none(MPI_COMM_NULL);
        check(false, "a context over MPI_COMM_NULL");
    } catch (std::invalid_argument const& e) {
        check(std::string(e.what()).find("MPI_COMM_NULL") != std::string::npos, e.what());
    }
    // An option that makes no sense is refused on every rank too.
    tg::mpi::context zero(MPI_COMM_WORLD, {.deterministic = true, .chunk_rows = 0});
    expect_refused([&] { distributed(zero, d, tg::mpi::shard_rows(zero, n), false); }, {"chunk_rows is 0"},
                   "chunk_rows 0");
}

void no_allocation() {
    // After the first call, the context's buffers and workspace do not grow.
    std::ptrdiff_t const n = 5000;
    rows1 const d(n);
    for (bool det : {false, true}) {
        tg::mpi::context ctx(MPI_COMM_WORLD, {.deterministic = det, .chunk_rows = 512});
        auto const s = tg::mpi::shard_rows(ctx, n, 512);
        result1 const first = distributed(ctx, d, s, true);
        std::size_t const b = ctx.buffers.capacity(), w = ctx.evaluation.capacity();
        for (int i = 0; i < 3; ++i) compare(distributed(ctx, d, s, true), first, true, "the same call again");
        check(ctx.buffers.capacity() == b && ctx.evaluation.capacity() == w, "no growth after the first call");
    }
}

}  // namespace

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    std::string const which = argc > 1 ? argv[1] : "";
    struct named {
        char const* name;
        void (*run)();
    };
    named const cases[] = {{"allreduce_sinks", allreduce_sinks}, {"elementwise_sum", elementwise_sum},
                           {"mean_uneven", mean_uneven},         {"program_loss", program_loss},
                           {"shape_mismatch", shape_mismatch},   {"local_error", local_error},
                           {"chunk_alignment", chunk_alignment}, {"no_allocation", no_allocation}};
    bool found = false;
    for (auto const& c : cases)
        if (which == c.name || which == "all") {
            found = true;
            try {
                c.run();
            } catch (std::exception const& e) {
                check(false, std::string(c.name) + " threw: " + e.what());
            }
        }
    if (!found) check(false, "no case named '" + which + "'");
    int total = 0;
    MPI_Allreduce(&failures, &total, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    if (rank_ == 0) std::printf("%s with %d ranks: %d failure(s)\n", which.c_str(), size_, total);
    MPI_Finalize();
    return total == 0 ? 0 : 1;
}
