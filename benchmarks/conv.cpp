// benchmarks/conv.cpp: tg::conv2d against a naive seven-loop convolution, against an
// im2col + GEMM lowering written here, and against the operation's own direct loops
// (its fallback for kernels that are not one matrix), values and gradients.
//
//   layer1   N x 1 x 28 x 28, 8 kernels of 3 x 3          (the first layer of P7's net)
//   layer2   N x 8 x 13 x 13, 16 kernels of 8 x 3 x 3     (its second layer)
//   layer3   N x 32 x 16 x 16, 64 kernels of 32 x 3 x 3, padding 1 (wider, GEMM-sized)
//
// The gradient cases time the loss sum(conv2d(X, W) * C) with its gradient in X and W;
// the naive and im2col references compute the same value and both adjoints. The
// im2col lowering copies every receptive field into a (C KH KW) x (OH OW) buffer per
// image and multiplies it by the kernels seen as an O x (C KH KW) matrix (through
// typegrad's gemm, so on CBLAS when typegrad::blas is linked); its adjoints are the
// two transposed products and a scatter back (col2im). Every result is checked against
// the naive one before timing (exit 1 on a mismatch). "direct" calls tg::conv2d's
// direct-loop rules on the same arrays; "typegrad" is the whole program (map or gradient)
// with its workspace kept between calls. After the runs the program
// prints each variant's time and its ratio to the naive reference measured in this
// same run. --small shrinks the batch (the CTest smoke run). One thread.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "best_time_reporter.hpp"

#include <typegrad/typegrad.hpp>  // with typegrad::blas linked, it installs CBLAS behind gemm

namespace {

namespace tg = typegrad;

bool small = false;
int failures = 0;

struct layer {
    char const* name;
    std::ptrdiff_t n, c, h, w, o, k, pad;
    std::ptrdiff_t oh() const { return h + 2 * pad - k + 1; }
    std::ptrdiff_t ow() const { return w + 2 * pad - k + 1; }
};

layer layers[] = {{"layer1", 32, 1, 28, 28, 8, 3, 0}, {"layer2", 32, 8, 13, 13, 16, 3, 0}, {"layer3", 16, 32, 16, 16, 64, 3, 1}};

std::vector<double> random_vector(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    std::vector<double> v(n);
    for (auto& x : v) x = u(rng);
    return v;
}

/// The arrays of one layer: input, kernels, the loss weights C, and outputs of each variant.
struct problem {
    layer L;
    std::vector<double> x, w, cw, y, gx, gw, cols, dcols;
    explicit problem(layer const& l) : L(l) {
        x = random_vector(static_cast<std::size_t>(L.n * L.c * L.h * L.w), 1);
        w = random_vector(static_cast<std::size_t>(L.o * L.c * L.k * L.k), 2);
        cw = random_vector(static_cast<std::size_t>(L.n * L.o * L.oh() * L.ow()), 3);
        y.resize(cw.size());
        gx.resize(x.size());
        gw.resize(w.size());
        cols.resize(static_cast<std::size_t>(L.c * L.k * L.k * L.oh() * L.ow()));
        dcols.resize(cols.size());
    }
    tg::array_ref<double const, 4> xr() const { return {x.data(), {L.n, L.c, L.h, L.w}, {L.c * L.h * L.w, L.h * L.w, L.w, 1}}; }
    tg::array_ref<double const, 4> wr() const { return {w.data(), {L.o, L.c, L.k, L.k}, {L.c * L.k * L.k, L.k * L.k, L.k, 1}}; }
    std::array<std::ptrdiff_t, 4> yshape() const { return {L.n, L.o, L.oh(), L.ow()}; }
    tg::array_ref<double const, 4> cr() const { return {cw.data(), yshape(), tg::detail::row_major_strides(yshape())}; }
    tg::array_ref<double, 4> yr() { return {y.data(), yshape(), tg::detail::row_major_strides(yshape())}; }
    tg::array_ref<double, 4> gxr() { return {gx.data(), {L.n, L.c, L.h, L.w}, {L.c * L.h * L.w, L.h * L.w, L.w, 1}}; }
    tg::array_ref<double, 4> gwr() { return {gw.data(), {L.o, L.c, L.k, L.k}, {L.c * L.k * L.k, L.k * L.k, L.k, 1}}; }
};

// ---- naive: the definition, seven loops, a bounds test per term.

double in_x(problem const& p, std::ptrdiff_t n, std::ptrdiff_t c, std::ptrdiff_t r, std::ptrdiff_t s) {
    layer const& L = p.L;
    if (r < 0 || r >= L.h || s < 0 || s >= L.w) return 0.0;
    return p.x[static_cast<std::size_t>(((n * L.c + c) * L.h + r) * L.w + s)];
}

void naive_value(problem& p) {
    layer const& L = p.L;
    for (std::ptrdiff_t n = 0; n < L.n; ++n)
        for (std::ptrdiff_t o = 0; o < L.o; ++o)
            for (std::ptrdiff_t i = 0; i < L.oh(); ++i)
                for (std::ptrdiff_t j = 0; j < L.ow(); ++j) {
                    double s = 0;
                    for (std::ptrdiff_t c = 0; c < L.c; ++c)
                        for (std::ptrdiff_t a = 0; a < L.k; ++a)
                            for (std::ptrdiff_t b = 0; b < L.k; ++b)
                                s += p.w[static_cast<std::size_t>(((o * L.c + c) * L.k + a) * L.k + b)] *
                                     in_x(p, n, c, i + a - L.pad, j + b - L.pad);
                    p.y[static_cast<std::size_t>(((n * L.o + o) * L.oh() + i) * L.ow() + j)] = s;
                }
}

double naive_gradient(problem& p) {
    layer const& L = p.L;
    naive_value(p);
    double loss = 0;
    for (std::size_t e = 0; e < p.y.size(); ++e) loss += p.y[e] * p.cw[e];
    std::fill(p.gx.begin(), p.gx.end(), 0.0);
    std::fill(p.gw.begin(), p.gw.end(), 0.0);
    for (std::ptrdiff_t n = 0; n < L.n; ++n)
        for (std::ptrdiff_t o = 0; o < L.o; ++o)
            for (std::ptrdiff_t i = 0; i < L.oh(); ++i)
                for (std::ptrdiff_t j = 0; j < L.ow(); ++j) {
                    double const yb = p.cw[static_cast<std::size_t>(((n * L.o + o) * L.oh() + i) * L.ow() + j)];
                    for (std::ptrdiff_t c = 0; c < L.c; ++c)
                        for (std::ptrdiff_t a = 0; a < L.k; ++a)
                            for (std::ptrdiff_t b = 0; b < L.k; ++b) {
                                std::ptrdiff_t const r = i + a - L.pad, s = j + b - L.pad;
                                if (r < 0 || r >= L.h || s < 0 || s >= L.w) continue;
                                std::size_t const wi = static_cast<std::size_t>(((o * L.c + c) * L.k + a) * L.k + b);
                                std::size_t const xi = static_cast<std::size_t>(((n * L.c + c) * L.h + r) * L.w + s);
                                p.gw[wi] += yb * p.x[xi];
                                p.gx[xi] += yb * p.w[wi];
                            }
                }
    return loss;
}

// ---- im2col + GEMM, one image at a time (the buffer is C KH KW x OH OW).

void im2col(problem& p, std::ptrdiff_t n) {
    layer const& L = p.L;
    std::ptrdiff_t const OH = L.oh(), OW = L.ow();
    for (std::ptrdiff_t c = 0; c < L.c; ++c)
        for (std::ptrdiff_t a = 0; a < L.k; ++a)
            for (std::ptrdiff_t b = 0; b < L.k; ++b) {
                double* const row = p.cols.data() + ((c * L.k + a) * L.k + b) * OH * OW;
                for (std::ptrdiff_t i = 0; i < OH; ++i)
                    for (std::ptrdiff_t j = 0; j < OW; ++j) row[i * OW + j] = in_x(p, n, c, i + a - L.pad, j + b - L.pad);
            }
}

void im2col_value(problem& p) {
    layer const& L = p.L;
    std::ptrdiff_t const K = L.c * L.k * L.k, P = L.oh() * L.ow();
    tg::detail::matrix_view<double const> const wm{p.w.data(), L.o, K, K, 1};
    for (std::ptrdiff_t n = 0; n < L.n; ++n) {
        im2col(p, n);
        tg::detail::gemm<double>(wm, {p.cols.data(), K, P, P, 1}, {p.y.data() + n * L.o * P, L.o, P, P, 1}, 0.0);
    }
}

double im2col_gradient(problem& p) {
    layer const& L = p.L;
    std::ptrdiff_t const K = L.c * L.k * L.k, P = L.oh() * L.ow(), OW = L.ow();
    tg::detail::matrix_view<double const> const wm{p.w.data(), L.o, K, K, 1};
    double loss = 0;
    std::fill(p.gx.begin(), p.gx.end(), 0.0);
    std::fill(p.gw.begin(), p.gw.end(), 0.0);
    for (std::ptrdiff_t n = 0; n < L.n; ++n) {
        im2col(p, n);
        double* const yn = p.y.data() + n * L.o * P;
        double const* const cn = p.cw.data() + n * L.o * P;
        tg::detail::gemm<double>(wm, {p.cols.data(), K, P, P, 1}, {yn, L.o, P, P, 1}, 0.0);
        for (std::ptrdiff_t e = 0; e < L.o * P; ++e) loss += yn[e] * cn[e];
        tg::detail::matrix_view<double const> const yb{cn, L.o, P, P, 1};
        // dW += ybar cols^T; dcols = W^T ybar; then each column entry added back to its pixel.
        tg::detail::gemm<double>(yb, tg::detail::matrix_view<double const>{p.cols.data(), K, P, P, 1}.transposed(),
                                 {p.gw.data(), L.o, K, K, 1}, 1.0);
        tg::detail::gemm<double>(wm.transposed(), yb, {p.dcols.data(), K, P, P, 1}, 0.0);
        for (std::ptrdiff_t c = 0; c < L.c; ++c)
            for (std::ptrdiff_t a = 0; a < L.k; ++a)
                for (std::ptrdiff_t b = 0; b < L.k; ++b) {
                    double const* const row = p.dcols.data() + ((c * L.k + a) * L.k + b) * P;
                    for (std::ptrdiff_t i = 0; i < L.oh(); ++i)
                        for (std::ptrdiff_t j = 0; j < OW; ++j) {
                            std::ptrdiff_t const r = i + a - L.pad, s = j + b - L.pad;
                            if (r < 0 || r >= L.h || s < 0 || s >= L.w) continue;
                            p.gx[static_cast<std::size_t>(((n * L.c + c) * L.h + r) * L.w + s)] += row[i * OW + j];
                        }
                }
    }
    return loss;
}

// ---- typegrad's direct loops, called as the rules (no program around them).

void direct_value(problem& p) {
    tg::ops::conv2d_op const op{{1, 1, p.L.pad, p.L.pad}};
    op.direct_value<double>(p.yr(), p.xr(), p.wr());
}
double direct_gradient(problem& p) {
    tg::ops::conv2d_op const op{{1, 1, p.L.pad, p.L.pad}};
    op.direct_value<double>(p.yr(), p.xr(), p.wr());
    double loss = 0;
    for (std::size_t e = 0; e < p.y.size(); ++e) loss += p.y[e] * p.cw[e];
    std::fill(p.gx.begin(), p.gx.end(), 0.0);
    std::fill(p.gw.begin(), p.gw.end(), 0.0);
    op.direct_vjp<double>(p.cr(), p.xr(), p.wr(), p.gxr(), p.gwr());
    return loss;
}

// ---- typegrad (im2col + GEMM inside the operation, buffers from the workspace).

auto const X = tg::var<0>{};
auto const W = tg::var<1>{};
auto const C = tg::var<2>{};

void typegrad_value(tg::workspace& ws, problem& p) {
    tg::map(ws, tg::conv2d(X, W, 1, p.L.pad), p.yr(), p.xr(), p.wr());
}
double typegrad_gradient(tg::workspace& ws, problem& p) {
    return tg::gradient(ws, tg::sum(tg::conv2d(X, W, 1, p.L.pad) * C), tg::gradient_to(p.gxr(), p.gwr(), tg::skip),
                        p.xr(), p.wr(), p.cr());
}

void check(char const* what, std::vector<double> const& got, std::vector<double> const& want) {
    for (std::size_t i = 0; i < got.size(); ++i)
        if (!(std::abs(got[i] - want[i]) <= 1e-10 * std::fmax(1.0, std::abs(want[i])))) {
            std::printf("MISMATCH %s[%zu]: %.17g, naive %.17g\n", what, i, got[i], want[i]);
            ++failures;
            return;
        }
}

void check_layer(layer const& L) {
    problem ref(L), a(L), b(L), d(L);
    tg::workspace ws;
    double const loss = naive_gradient(ref);
    typegrad_value(ws, a);
    check("typegrad value", a.y, ref.y);
    im2col_value(b);
    check("im2col value", b.y, ref.y);
    std::vector<double> const lt{typegrad_gradient(ws, a)}, li{im2col_gradient(b)};
    check("typegrad loss", lt, {loss});
    check("im2col loss", li, {loss});
    check("typegrad dx", a.gx, ref.gx);
    check("typegrad dw", a.gw, ref.gw);
    check("im2col dx", b.gx, ref.gx);
    check("im2col dw", b.gw, ref.gw);
    direct_value(d);
    check("direct value", d.y, ref.y);
    std::vector<double> const ld{direct_gradient(d)};
    check("direct loss", ld, {loss});
    check("direct dx", d.gx, ref.gx);
    check("direct dw", d.gw, ref.gw);
}

template <int I>
void BM_naive_value(benchmark::State& s) {
    problem p(layers[I]);
    for (auto _ : s) {
        naive_value(p);
        benchmark::DoNotOptimize(p.y.data());
    }
}
template <int I>
void BM_im2col_value(benchmark::State& s) {
    problem p(layers[I]);
    for (auto _ : s) {
        im2col_value(p);
        benchmark::DoNotOptimize(p.y.data());
    }
}
template <int I>
void BM_typegrad_value(benchmark::State& s) {
    problem p(layers[I]);
    tg::workspace ws;
    for (auto _ : s) {
        typegrad_value(ws, p);
        benchmark::DoNotOptimize(p.y.data());
    }
}
template <int I>
void BM_direct_value(benchmark::State& s) {
    problem p(layers[I]);
    for (auto _ : s) {
        direct_value(p);
        benchmark::DoNotOptimize(p.y.data());
    }
}
template <int I>
void BM_direct_gradient(benchmark::State& s) {
    problem p(layers[I]);
    for (auto _ : s) benchmark::DoNotOptimize(direct_gradient(p));
}
template <int I>
void BM_naive_gradient(benchmark::State& s) {
    problem p(layers[I]);
    for (auto _ : s) benchmark::DoNotOptimize(naive_gradient(p));
}
template <int I>
void BM_im2col_gradient(benchmark::State& s) {
    problem p(layers[I]);
    for (auto _ : s) benchmark::DoNotOptimize(im2col_gradient(p));
}
template <int I>
void BM_typegrad_gradient(benchmark::State& s) {
    problem p(layers[I]);
    tg::workspace ws;
    for (auto _ : s) benchmark::DoNotOptimize(typegrad_gradient(ws, p));
}

template <int I>
void register_layer() {
    std::string const n = layers[I].name;
    benchmark::RegisterBenchmark((n + "_value_naive").c_str(), BM_naive_value<I>);
    benchmark::RegisterBenchmark((n + "_value_im2col").c_str(), BM_im2col_value<I>);
    benchmark::RegisterBenchmark((n + "_value_typegrad").c_str(), BM_typegrad_value<I>);
    benchmark::RegisterBenchmark((n + "_value_direct").c_str(), BM_direct_value<I>);
    benchmark::RegisterBenchmark((n + "_gradient_naive").c_str(), BM_naive_gradient<I>);
    benchmark::RegisterBenchmark((n + "_gradient_im2col").c_str(), BM_im2col_gradient<I>);
    benchmark::RegisterBenchmark((n + "_gradient_typegrad").c_str(), BM_typegrad_gradient<I>);
    benchmark::RegisterBenchmark((n + "_gradient_direct").c_str(), BM_direct_gradient<I>);
}

}  // namespace

int main(int argc, char** argv) {
    setenv("OPENBLAS_NUM_THREADS", "1", 1);
    std::vector<char*> args;
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], "--small") == 0)
            small = true;
        else
            args.push_back(argv[i]);
    }
    if (small)
        for (auto& L : layers) L.n = 2;
    for (auto const& L : layers) check_layer(L);
    if (failures) return 1;
    register_layer<0>();
    register_layer<1>();
    register_layer<2>();
    int n = static_cast<int>(args.size());
    benchmark::Initialize(&n, args.data());
    bench::best_time_reporter reporter(bench::timing::cpu);
    benchmark::RunSpecifiedBenchmarks(&reporter);

#if defined(TYPEGRAD_USE_CBLAS)
    char const* gemm = "CBLAS";
#else
    char const* gemm = "typegrad's loops";
#endif
    std::printf("\nratio to the naive seven-loop convolution, same run (im2col's GEMM: %s)\n", gemm);
    std::printf("%-8s %-9s %6s %12s %12s %12s %12s %8s %8s %8s %16s\n", "layer", "pass", "batch", "naive ns", "im2col ns",
                "direct ns", "typegrad ns", "im2col", "direct", "typegrad", "typegrad/im2col");
    for (auto const& L : layers)
        for (char const* pass : {"value", "gradient"}) {
            std::string const b = std::string(L.name) + "_" + pass + "_";
            double const nv = reporter.ns(b + "naive"), im = reporter.ns(b + "im2col"), dr = reporter.ns(b + "direct"),
                         tg_ = reporter.ns(b + "typegrad");
            std::printf("%-8s %-9s %6td %12.0f %12.0f %12.0f %12.0f %8.3f %8.3f %8.3f %16.3f\n", L.name, pass, L.n, nv, im,
                        dr, tg_, im / nv, dr / nv, tg_ / nv, tg_ / im);
        }
    return 0;
}
