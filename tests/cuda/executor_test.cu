// The executor test bodies shared with the CPU executor (tests/support/executor_bodies.hpp),
// run on the CUDA executor: one body, two backends. Each body compares the GPU's
// results with the scalar passes on the host and with the CPU executor.
// Built once per number type (TYPEGRAD_TEST_TYPE: float or double) to keep each nvcc
// compile short. Exit code 77 (skipped) without a GPU.
#include <cstdio>
#include <utility>
#include <vector>

#include <typegrad/typegrad.hpp>
#include <typegrad/cuda.hpp>

#include "support/executor_bodies.hpp"

namespace tg = typegrad;

#if !defined(TYPEGRAD_TEST_TYPE)
#define TYPEGRAD_TEST_TYPE double
#endif

namespace {

struct cuda_backend {
    static constexpr char const* name = "CUDA";
    template <class T>
    static tg::cuda::buffer<T> upload(std::vector<T> const& v) {
        return tg::cuda::buffer<T>(v);
    }
    template <class T>
    static tg::cuda::buffer<T> zeros(std::size_t n) {
        return tg::cuda::buffer<T>(n);
    }
    template <class T>
    static std::vector<T> download(tg::cuda::buffer<T> const& b) {
        return b.to_host();
    }
    template <class... A>
    static void map(A&&... a) {
        tg::cuda::map(std::forward<A>(a)...);
    }
    template <class... A>
    static auto sum(A&&... a) {
        return tg::cuda::sum(std::forward<A>(a)...);
    }
    template <class... A>
    static auto mean(A&&... a) {
        return tg::cuda::mean(std::forward<A>(a)...);
    }
    template <class... A>
    static auto sum_deterministic(A&&... a) {
        return tg::cuda::sum(tg::cuda::options{.deterministic = true}, std::forward<A>(a)...);
    }
    template <class... A>
    static auto mean_deterministic(A&&... a) {
        return tg::cuda::mean(tg::cuda::options{.deterministic = true}, std::forward<A>(a)...);
    }
};

template <class T>
int run(char const* type) {
    auto const r = typegrad_test::bodies::run_all<cuda_backend, T>();
    for (auto const& f : r.failures) std::printf("FAILED (%s): %s\n", type, f.c_str());
    std::printf("%s: %d checks, %zu failed\n", type, r.checks, r.failures.size());
    return r.ok() && r.checks > 40 ? 0 : 1;
}

}  // namespace

int main() {
    if (tg::cuda::device_count() == 0) {
        std::printf("no CUDA device: skipped\n");
        return 77;
    }
    try {
#define TYPEGRAD_STRINGIFY(x) #x
#define TYPEGRAD_NAME(x) TYPEGRAD_STRINGIFY(x)
        return run<TYPEGRAD_TEST_TYPE>(TYPEGRAD_NAME(TYPEGRAD_TEST_TYPE));
    } catch (std::exception const& e) {
        std::printf("FAILED: exception %s\n", e.what());
        return 1;
    }
}
