// A __global__ kernel takes an expression by value and evaluates its gradient in
// device code, in both modes, for many points; the host checks the results
// against the same functions run on the CPU. Exit code 77 (skipped) without a GPU.
#include <cmath>
#include <cstdio>
#include <vector>

#include <cuda_runtime.h>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

template <class E>
__global__ void gradient_kernel(E f, double const* x, double const* y, double* out, int n) {
    int const i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    auto const r = tg::gradient(f, x[i], y[i]);
    auto const q = tg::gradient<tg::forward>(f, x[i], y[i]);
    out[5 * i + 0] = r.value;
    out[5 * i + 1] = r.gradient[0];
    out[5 * i + 2] = r.gradient[1];
    out[5 * i + 3] = q.gradient[0];
    out[5 * i + 4] = q.gradient[1];
}

static bool check(cudaError_t e, char const* what) {
    if (e != cudaSuccess) std::fprintf(stderr, "%s failed: %s\n", what, cudaGetErrorString(e));
    return e == cudaSuccess;
}

int main() {
    int devices = 0;
    if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
        std::printf("no CUDA device: skipped\n");
        return 77;
    }
    auto [x1, x2] = tg::vars<"x1", "x2">();
    auto const f = x1 * x2 + sin(x1) + exp(x2) * tanh(x1) + tg::select(x1 > x2, x1, 2.0 * x2);
    static_assert(sizeof(f) == sizeof(double), "only the run-time constant 2.0 is stored");

    int const n = 1000;
    std::vector<double> hx(n), hy(n), hout(5 * n);
    for (int i = 0; i < n; ++i) {
        hx[i] = -2.0 + 4.0 * i / n;
        hy[i] = 1.5 - 3.0 * ((i * 37) % n) / n;
    }
    double *dx = nullptr, *dy = nullptr, *dout = nullptr;
    bool ok = check(cudaMalloc(&dx, n * sizeof(double)), "cudaMalloc") &&
              check(cudaMalloc(&dy, n * sizeof(double)), "cudaMalloc") &&
              check(cudaMalloc(&dout, 5 * n * sizeof(double)), "cudaMalloc") &&
              check(cudaMemcpy(dx, hx.data(), n * sizeof(double), cudaMemcpyHostToDevice), "cudaMemcpy") &&
              check(cudaMemcpy(dy, hy.data(), n * sizeof(double), cudaMemcpyHostToDevice), "cudaMemcpy");
    if (ok) {
        gradient_kernel<<<(n + 127) / 128, 128>>>(f, dx, dy, dout, n);
        ok = check(cudaGetLastError(), "kernel launch") && check(cudaDeviceSynchronize(), "kernel") &&
             check(cudaMemcpy(hout.data(), dout, 5 * n * sizeof(double), cudaMemcpyDeviceToHost), "cudaMemcpy");
    }
    int failures = 0;
    for (int i = 0; ok && i < n; ++i) {
        auto const h = tg::gradient(f, hx[i], hy[i]);
        double const expect[5] = {h.value, h.gradient[0], h.gradient[1], h.gradient[0], h.gradient[1]};
        for (int k = 0; k < 5; ++k) {
            double const tol = 1e-13 * (1.0 + std::abs(expect[k]));
            if (!(std::abs(hout[5 * i + k] - expect[k]) <= tol)) ++failures;
        }
    }
    cudaFree(dx);
    cudaFree(dy);
    cudaFree(dout);
    if (!ok || failures != 0) {
        std::printf("FAILED: %d mismatches between device and host\n", failures);
        return 1;
    }
    std::printf("device gradients match the host for %d points\n", n);
    return 0;
}
