// The same expression evaluated with its partials on the CPU (tg::map) and on the
// GPU (tg::cuda::map), then a loss and its gradient (tg::sum, tg::cuda::sum); the
// results are compared and the times printed. Exit code 77 (skipped) without a GPU.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

#include <typegrad/typegrad.hpp>
#include <typegrad/cuda.hpp>

namespace tg = typegrad;

namespace {

double max_rel_diff(std::vector<double> const& a, std::vector<double> const& b) {
    double m = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        m = std::max(m, std::abs(a[i] - b[i]) / std::max(1.0, std::abs(b[i])));
    return m;
}

template <class F>
double millis(F const& f) {
    auto const t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main() {
    if (tg::cuda::device_count() == 0) {
        std::printf("no CUDA device: skipped\n");
        return 77;
    }
    auto [x, y, a] = tg::vars<"x", "y", "a">();
    auto const f = x * y + sin(x) * exp(-(y * y)) + a * tanh(x - y);

    std::size_t const n = 1 << 22;
    std::vector<double> hx(n), hy(n);
    for (std::size_t i = 0; i < n; ++i) {
        hx[i] = std::sin(0.001 * double(i));
        hy[i] = std::cos(0.0007 * double(i));
    }
    double const ha = 0.5;

    // CPU: values and the partials with respect to x and y.
    std::vector<double> cv(n), cdx(n), cdy(n);
    double const cpu_ms = millis([&] { tg::map(f, tg::with_partials(cv, cdx, cdy, tg::skip), hx, hy, ha); });

    // GPU: the same call with device buffers (a first call warms up the context).
    tg::cuda::buffer<double> dx(hx), dy(hy), v(n), ddx(n), ddy(n);
    tg::cuda::map(f, tg::with_partials(v, ddx, ddy, tg::skip), dx, dy, ha);
    tg::cuda::check(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
    double const gpu_ms = millis([&] {
        tg::cuda::map(f, tg::with_partials(v, ddx, ddy, tg::skip), dx, dy, ha);
        tg::cuda::check(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
    });
    double const dv = max_rel_diff(v.to_host(), cv), ddxv = max_rel_diff(ddx.to_host(), cdx),
                 ddyv = max_rel_diff(ddy.to_host(), cdy);
    std::printf("map with partials over %zu points: CPU %.2f ms, GPU %.3f ms\n", n, cpu_ms, gpu_ms);
    std::printf("  largest relative difference: value %.1e, d/dx %.1e, d/dy %.1e\n", dv, ddxv, ddyv);

    // A loss and its gradient: the sum of f, with d/dx per element and d/da summed.
    std::vector<double> cgx(n);
    double cga = 0, gga = 0;
    double cpu_sum = 0, gpu_sum = 0;
    double const cpu_sum_ms = millis([&] { cpu_sum = tg::sum(f, tg::gradient_to(cgx, tg::skip, cga), hx, hy, ha); });
    tg::cuda::buffer<double> ggx(n);
    double const gpu_sum_ms = millis([&] {
        gpu_sum = tg::cuda::sum(tg::cuda::options{.deterministic = true}, f, tg::gradient_to(ggx, tg::skip, gga), dx, dy, ha);
    });
    double const sum_diff = std::abs(gpu_sum - cpu_sum) / std::abs(cpu_sum);
    double const ga_diff = std::abs(gga - cga) / std::abs(cga);
    std::printf("sum with gradient: CPU %.2f ms, GPU %.3f ms (includes the copy of the value to the host)\n",
                cpu_sum_ms, gpu_sum_ms);
    std::printf("  sum %.15g (CPU %.15g), d/da %.15g (CPU %.15g), d/dx max rel. difference %.1e\n", gpu_sum, cpu_sum,
                gga, cga, max_rel_diff(ggx.to_host(), cgx));

    bool const ok = dv < 1e-13 && ddxv < 1e-13 && ddyv < 1e-13 && sum_diff < 1e-12 && ga_diff < 1e-12;
    std::printf(ok ? "CPU and GPU agree\n" : "FAILED: CPU and GPU disagree\n");
    return ok ? 0 : 1;
}
