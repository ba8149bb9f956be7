// GPU benchmarks of the CUDA executor (issue 6); run by benchmarks/run_gpu.sh, which
// writes the CSV to benchmarks/results/. Every case checks its results before timing.
//
//   a  map_bandwidth   value and 2 partials of a cheap function of 2 inputs over 1e8
//                      doubles (2 arrays in, 3 out), as a fraction of the device-to-device
//                      copy bandwidth measured in the same run        target >= 0.85
//   b  jacobian_compute  3 inputs, 3 outputs with transcendental functions: values and the
//                      3x3 Jacobian per point, against a hand-written CUDA kernel
//                                                                    target <= 1.05x
//   c  loss_gradient   mean of a logistic loss over 1e8 points with the gradient (per
//                      point and of two scalars); PyTorch and JAX run the same loss in
//                      benchmarks/cuda_loss_frameworks.py on the same GPU.
//
// Usage: cuda_pointwise_benchmark [elements] > results.csv  (exit code 77 without a GPU)
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <typegrad/typegrad.hpp>
#include <typegrad/cuda.hpp>

namespace tg = typegrad;

namespace {

/// Median time in ms of `reps` runs of f (after one warm-up), measured with CUDA events.
template <class F>
double median_ms(F const& f, int reps = 20) {
    f();
    tg::cuda::check(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
    cudaEvent_t a, b;
    tg::cuda::check(cudaEventCreate(&a), "cudaEventCreate");
    tg::cuda::check(cudaEventCreate(&b), "cudaEventCreate");
    std::vector<double> t;
    for (int r = 0; r < reps; ++r) {
        tg::cuda::check(cudaEventRecord(a), "cudaEventRecord");
        f();
        tg::cuda::check(cudaEventRecord(b), "cudaEventRecord");
        tg::cuda::check(cudaEventSynchronize(b), "cudaEventSynchronize");
        float ms = 0;
        tg::cuda::check(cudaEventElapsedTime(&ms, a, b), "cudaEventElapsedTime");
        t.push_back(ms);
    }
    cudaEventDestroy(a);
    cudaEventDestroy(b);
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

__global__ void fill(double* p, std::ptrdiff_t n, double phase) {
    for (std::ptrdiff_t i = blockIdx.x * std::ptrdiff_t(blockDim.x) + threadIdx.x; i < n;
         i += std::ptrdiff_t(gridDim.x) * blockDim.x)
        p[i] = sin(1e-3 * double(i) + phase);
}

/// The hand-written kernel of case b: values and the Jacobian of
///   u = sin(x) * exp(y*z),  v = log(1 + x*x) * cos(y),  w = tanh(x + y*z)
__global__ void hand_jacobian(double const* x, double const* y, double const* z, double* out, std::ptrdiff_t n) {
    for (std::ptrdiff_t i = blockIdx.x * std::ptrdiff_t(blockDim.x) + threadIdx.x; i < n;
         i += std::ptrdiff_t(gridDim.x) * blockDim.x) {
        double const a = x[i], b = y[i], c = z[i];
        double sa, ca;
        sincos(a, &sa, &ca);
        double sb, cb;
        sincos(b, &sb, &cb);
        double const e = exp(b * c), l = log(1.0 + a * a), t = tanh(a + b * c), dt = 1.0 - t * t;
        double* o = out;
        o[0 * n + i] = sa * e;
        o[1 * n + i] = l * cb;
        o[2 * n + i] = t;
        o[3 * n + i] = ca * e;             // du/dx
        o[4 * n + i] = sa * e * c;         // du/dy
        o[5 * n + i] = sa * e * b;         // du/dz
        o[6 * n + i] = 2.0 * a / (1.0 + a * a) * cb;  // dv/dx
        o[7 * n + i] = -l * sb;            // dv/dy
        o[8 * n + i] = 0.0;                // dv/dz
        o[9 * n + i] = dt;                 // dw/dx
        o[10 * n + i] = dt * c;            // dw/dy
        o[11 * n + i] = dt * b;            // dw/dz
    }
}

double max_rel(std::vector<double> const& a, std::vector<double> const& b) {
    double m = 0;
    for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]) / std::max(1.0, std::abs(b[i])));
    return m;
}

}  // namespace

int main(int argc, char** argv) {
    if (tg::cuda::device_count() == 0) {
        std::fprintf(stderr, "no CUDA device: skipped\n");
        return 77;
    }
    std::ptrdiff_t const n = argc > 1 ? std::atoll(argv[1]) : 100'000'000;
    cudaDeviceProp prop{};
    tg::cuda::check(cudaGetDeviceProperties(&prop, 0), "cudaGetDeviceProperties");
    std::printf("case,device,elements,typegrad_ms,reference,reference_ms,ratio,target\n");
    auto const sz = static_cast<std::size_t>(n);
    unsigned const grid = 4 * prop.multiProcessorCount * 8;
    bool ok = true;

    // a: memory-bound map with partials against the copy bandwidth.
    {
        tg::cuda::buffer<double> x(sz), y(sz), v(sz), dx(sz), dy(sz);
        fill<<<grid, 256>>>(x.data(), n, 0.0);
        fill<<<grid, 256>>>(y.data(), n, 1.0);
        auto [a, b] = tg::vars<2>();
        auto const f = a * b + 0.5 * a * a;
        auto run = [&] { tg::cuda::map(f, tg::with_partials(v, dx, dy), x, y); };
        run();
        auto const hx = x.to_host(), hy = y.to_host(), hdy = dy.to_host();
        for (std::size_t i = 0; i < sz; i += sz / 1000 + 1) ok = ok && hdy[i] == hx[i];
        double const t = median_ms(run);
        double const copy = median_ms([&] {
            tg::cuda::check(cudaMemcpyAsync(v.data(), x.data(), sz * sizeof(double), cudaMemcpyDeviceToDevice),
                            "cudaMemcpyAsync");
        });
        double const bw = 5.0 * 8.0 * double(n) / (t * 1e-3), copy_bw = 2.0 * 8.0 * double(n) / (copy * 1e-3);
        std::printf("map_bandwidth,%s,%td,%.4f,device_copy_GBps=%.0f typegrad_GBps=%.0f,%.4f,%.3f,>=0.85\n", prop.name,
                    n, t, copy_bw * 1e-9, bw * 1e-9, copy, bw / copy_bw);
    }
    // b: compute-bound Jacobian against a hand-written kernel.
    {
        tg::cuda::buffer<double> x(sz), y(sz), z(sz), out(12 * sz), ref(12 * sz);
        fill<<<grid, 256>>>(x.data(), n, 0.0);
        fill<<<grid, 256>>>(y.data(), n, 1.0);
        fill<<<grid, 256>>>(z.data(), n, 2.0);
        auto [a, b, c] = tg::vars<3>();
        auto const F = tg::outputs(sin(a) * exp(b * c), log(1.0 + a * a) * cos(b), tanh(a + b * c));
        std::array<tg::array_ref<double, 1>, 12> C;
        for (int k = 0; k < 12; ++k) C[k] = tg::view(out.data() + k * n, n);
        auto run = [&] {
            tg::cuda::map(F, tg::with_partials(std::tie(C[0], C[1], C[2]), std::tie(C[3], C[4], C[5]),
                                               std::tie(C[6], C[7], C[8]), std::tie(C[9], C[10], C[11])),
                          x, y, z);
        };
        auto hand = [&] { hand_jacobian<<<grid, 256>>>(x.data(), y.data(), z.data(), ref.data(), n); };
        run();
        hand();
        double const diff = max_rel(out.to_host(), ref.to_host());
        ok = ok && diff < 1e-12;
        double const t = median_ms(run), h = median_ms(hand);
        std::printf("jacobian_compute,%s,%td,%.4f,hand_written_kernel (max rel diff %.1e),%.4f,%.3f,<=1.05\n",
                    prop.name, n, t, diff, h, t / h);
    }
    // c: a loss with its gradient (the frameworks' times come from cuda_loss_frameworks.py).
    {
        tg::cuda::buffer<double> x(sz), gx(sz);
        fill<<<grid, 256>>>(x.data(), n, 0.0);
        auto [xv, w, b] = tg::vars<3>();
        auto const loss = log(1.0 + exp(-(w * xv + b)));
        double gw = 0, gb = 0, L = 0;
        auto run = [&] { L = tg::cuda::mean(loss, tg::gradient_to(gx, gw, gb), x, 0.7, -0.2); };
        double const t = median_ms(run);
        auto run_det = [&] {
            L = tg::cuda::mean(tg::cuda::options{.deterministic = true}, loss, tg::gradient_to(gx, gw, gb), x, 0.7, -0.2);
        };
        double const td = median_ms(run_det);
        std::printf("loss_gradient,%s,%td,%.4f,typegrad_deterministic,%.4f,%.3f,compare with cuda_loss_frameworks.py\n",
                    prop.name, n, t, td, td / t);
        std::fprintf(stderr, "loss %.15g, d/dw %.15g, d/db %.15g\n", L, gw, gb);
    }
    if (!ok) {
        std::fprintf(stderr, "FAILED: results disagree with the references\n");
        return 1;
    }
    return 0;
}
