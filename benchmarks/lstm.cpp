// benchmarks/lstm.cpp: the gradient of a one-layer LSTM (loss and every weight gradient),
// typegrad's tg::scan against a hand-written backpropagation through time
// (examples/support/lstm_hand.hpp) on the same BLAS.
//
//   T = 50 steps, batch 16, 8 inputs, 64 hidden units; the model and loss of examples/lstm.cpp.
//   lstm_typegrad   tg::gradient of the scan program, workspace kept across calls
//   lstm_typegrad_no_let  the same without tg::let on z and c_next (each use recomputed)
//   lstm_typegrad_projected  the input products of all steps as one matrix product before
//                   the scan (as the hand code and nn.LSTM do), so that the cell holds one
//                   product, h U; W's gradient is then one product over all steps too
//   lstm_hand       hand BPTT: the input products of all steps as one GEMM, per step one
//                   GEMM for h U and one for dz U^T, the weight gradients as two GEMMs over
//                   all steps
// The gradients are checked against each other first (exit 1 on a mismatch). After the runs
// it prints the ratio typegrad / hand measured in the same run (best of the repetitions,
// CPU time). --small shrinks T to 5 (the CTest smoke run). One thread; OpenBLAS is asked
// for one thread too (OPENBLAS_NUM_THREADS=1 is set before it starts).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "best_time_reporter.hpp"

#include <typegrad/typegrad.hpp>

#include "../examples/support/lstm_hand.hpp"

namespace {

namespace tg = typegrad;

#if defined(TYPEGRAD_HAND_CBLAS)
using dense = hand::cblas;
#else
using dense = hand::loops;
#endif

std::ptrdiff_t T = 50;
constexpr std::ptrdiff_t B = 16, D = 8, H = 64;

template <tg::fixed_string Name, bool Shared, class E>
auto share(E const& e) {
    if constexpr (Shared)
        return tg::let<Name>(e);
    else
        return e;
}

std::size_t n(std::ptrdiff_t v) { return static_cast<std::size_t>(v); }

std::vector<double> uniforms(std::size_t count, double scale, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-scale, scale);
    std::vector<double> v(count);
    for (auto& x : v) x = u(rng);
    return v;
}

struct problem {
    std::vector<double> xs, s0, y, W, U, b, V, c;
    problem()
        : xs(uniforms(n(T * B * D), 1.5, 1)), s0(n(B * 2 * H), 0.0), y(uniforms(n(B), 1.0, 2)),
          W(uniforms(n(D * 4 * H), std::sqrt(3.0 / D), 3)), U(uniforms(n(H * 4 * H), std::sqrt(3.0 / H), 4)),
          b(uniforms(n(4 * H), 0.1, 5)), V(uniforms(n(H), std::sqrt(3.0 / H), 6)), c{0.1} {}
};

// The program of examples/lstm.cpp. Shared: z and c_next named with tg::let (their slices
// hold run-time bounds, so without a let every use of them is a computation of its own:
// the gates' z four times over, matrix products included).
template <bool Shared, bool Projected = false>
auto make_loss() {
    auto const X = tg::named<0, "X">();
    auto const S0 = tg::named<1, "s0">();
    auto const Wx = tg::named<2, "W">();
    auto const Uh = tg::named<3, "U">();
    auto const bz = tg::named<4, "b">();
    auto const Vo = tg::named<5, "V">();
    auto const co = tg::named<6, "c">();
    auto const Y = tg::named<7, "y">();
    auto const h_units = H;
    if constexpr (Projected) {
        // x_t W + b for every t at once: (T B, D) x (D, 4H), back to (T, B, 4H).
        auto const XW = tg::reshape(tg::matmul(tg::reshape(X, T * B, D), Wx) + bz, T, B, 4 * H);
        auto const hs = tg::scan(
            [=](auto s, auto xw) {
                auto const h = tg::slice(s, tg::axis<1>, 0, h_units);
                auto const cs = tg::slice(s, tg::axis<1>, h_units, 2 * h_units);
                auto const z = tg::let<"z">(xw + tg::matmul(h, Uh));
                auto const i = sigmoid(tg::slice(z, tg::axis<1>, 0, h_units));
                auto const f = sigmoid(tg::slice(z, tg::axis<1>, h_units, 2 * h_units));
                auto const g = tanh(tg::slice(z, tg::axis<1>, 2 * h_units, 3 * h_units));
                auto const o = sigmoid(tg::slice(z, tg::axis<1>, 3 * h_units, 4 * h_units));
                auto const c_next = tg::let<"c_next">(f * cs + i * g);
                return tg::concat(tg::axis<1>, o * tanh(c_next), c_next);
            },
            S0, XW);
        auto const h_last = tg::slice(tg::reshape(tg::slice(hs, T - 1, T), B, 2 * H), tg::axis<1>, 0, H);
        return tg::mean(tg::square(tg::matmul(h_last, Vo) + co - Y));
    } else {
    auto const hs = tg::scan(
        [=](auto s, auto x) {
            auto const h = tg::slice(s, tg::axis<1>, 0, h_units);
            auto const cs = tg::slice(s, tg::axis<1>, h_units, 2 * h_units);
            auto const z = share<"z", Shared>(tg::matmul(x, Wx) + tg::matmul(h, Uh) + bz);
            auto const i = sigmoid(tg::slice(z, tg::axis<1>, 0, h_units));
            auto const f = sigmoid(tg::slice(z, tg::axis<1>, h_units, 2 * h_units));
            auto const g = tanh(tg::slice(z, tg::axis<1>, 2 * h_units, 3 * h_units));
            auto const o = sigmoid(tg::slice(z, tg::axis<1>, 3 * h_units, 4 * h_units));
            auto const c_next = share<"c_next", Shared>(f * cs + i * g);
            return tg::concat(tg::axis<1>, o * tanh(c_next), c_next);
        },
        S0, X);
    auto const h_last = tg::slice(tg::reshape(tg::slice(hs, T - 1, T), B, 2 * H), tg::axis<1>, 0, H);
    return tg::mean(tg::square(tg::matmul(h_last, Vo) + co - Y));
    }
}

template <bool Shared, bool Projected = false>
struct typegrad_run {
    problem p;
    decltype(make_loss<Shared, Projected>()) loss = make_loss<Shared, Projected>();
    tg::workspace ws;
    std::vector<double> gW = std::vector<double>(p.W.size()), gU = std::vector<double>(p.U.size()),
                        gb = std::vector<double>(p.b.size()), gV = std::vector<double>(p.V.size());
    double gc = 0;
    double operator()() {
        return tg::gradient(ws, loss,
                            tg::gradient_to(tg::skip, tg::skip, tg::view(gW.data(), D, 4 * H),
                                            tg::view(gU.data(), H, 4 * H), gb, gV, gc, tg::skip),
                            tg::view(p.xs.data(), T, B, D), tg::view(p.s0.data(), B, 2 * H),
                            tg::view(p.W.data(), D, 4 * H), tg::view(p.U.data(), H, 4 * H), p.b, p.V, p.c[0], p.y);
    }
};

struct hand_run {
    problem p;
    hand::lstm_workspace ws{{n(T), n(B), n(D), n(H)}};
    std::vector<double> gW = std::vector<double>(p.W.size()), gU = std::vector<double>(p.U.size()),
                        gb = std::vector<double>(p.b.size()), gV = std::vector<double>(p.V.size()),
                        gc = std::vector<double>(1);
    double operator()() {
        return hand::lstm_value_and_gradient<dense>(p.xs.data(), p.s0.data(), p.y.data(),
                                                    {p.W.data(), p.U.data(), p.b.data(), p.V.data(), p.c.data()},
                                                    {gW.data(), gU.data(), gb.data(), gV.data(), gc.data()}, ws);
    }
};

double relative(std::vector<double> const& got, std::vector<double> const& want) {
    double scale = 0, worst = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        scale = std::max(scale, std::abs(want[i]));
        worst = std::max(worst, std::abs(got[i] - want[i]));
    }
    return scale > 0 ? worst / scale : worst;
}

template <bool Shared, bool Projected = false>
bool check() {
    typegrad_run<Shared, Projected> t;
    hand_run h;
    double const Lt = t(), Lh = h();
    double const worst = std::max({std::abs(Lt - Lh) / std::abs(Lh), relative(t.gW, h.gW), relative(t.gU, h.gU),
                                   relative(t.gb, h.gb), relative(t.gV, h.gV), relative({t.gc}, h.gc)});
    std::printf("check (%s): T = %td, loss %.17g (hand %.17g); largest relative difference of the gradients %.2e\n", Projected ? "projected" : Shared ? "let" : "no let", T, Lt,
                Lh, worst);
    return worst <= 1e-10;
}

template <bool Shared, bool Projected = false>
void BM_lstm_typegrad(benchmark::State& state) {
    typegrad_run<Shared, Projected> run;
    for (auto _ : state) benchmark::DoNotOptimize(run());
}

void BM_lstm_hand(benchmark::State& state) {
    hand_run run;
    for (auto _ : state) benchmark::DoNotOptimize(run());
}

}  // namespace

int main(int argc, char** argv) {
    setenv("OPENBLAS_NUM_THREADS", "1", 1);
    std::vector<char*> args;
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], "--small") == 0)
            T = 5;
        else
            args.push_back(argv[i]);
    }
    if (!check<true>() || !check<false>() || !check<true, true>()) {
        std::printf("typegrad's gradient differs from the hand-written one\n");
        return 1;
    }
    benchmark::RegisterBenchmark("lstm_typegrad", BM_lstm_typegrad<true>)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("lstm_typegrad_no_let", BM_lstm_typegrad<false>)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("lstm_typegrad_projected", BM_lstm_typegrad<true, true>)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("lstm_hand", BM_lstm_hand)->Unit(benchmark::kMillisecond);
    int argn = static_cast<int>(args.size());
    benchmark::Initialize(&argn, args.data());
    bench::best_time_reporter reporter(bench::timing::cpu);
    benchmark::RunSpecifiedBenchmarks(&reporter);
    double const t = reporter.ns("lstm_typegrad"), u = reporter.ns("lstm_typegrad_no_let"),
                 pr = reporter.ns("lstm_typegrad_projected"), h = reporter.ns("lstm_hand");
    std::printf("\nLSTM gradient, T = %td, B = %td, D = %td, H = %td: hand %.3f ms\n", T, B, D, H, h * 1e-6);
    std::printf("  typegrad (tg::let)     %8.3f ms  ratio to hand %.3f\n", t * 1e-6, t / h);
    std::printf("  typegrad (no tg::let)  %8.3f ms  ratio to hand %.3f\n", u * 1e-6, u / h);
    std::printf("  typegrad (projected)   %8.3f ms  ratio to hand %.3f\n", pr * 1e-6, pr / h);
    return 0;
}
