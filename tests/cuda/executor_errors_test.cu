// Host-side errors of the CUDA executor. These checks need no GPU and run in every
// build where nvcc is found: shapes are checked before the device is touched, a null
// pointer is refused by tg::view, and with no device the executor throws
// tg::cuda::error instead of crashing. Where a device exists, host memory passed as a
// device array is refused instead. Outputs are never touched by a rejected call.
#include <cstdio>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <typegrad/typegrad.hpp>
#include <typegrad/cuda.hpp>

namespace tg = typegrad;

namespace {

int failures = 0;

void expect(bool ok, std::string const& what) {
    if (!ok) {
        ++failures;
        std::printf("FAILED: %s\n", what.c_str());
    }
}

/// Runs call, expecting exception E whose message contains `text`.
template <class E, class Call>
void expect_throw(Call const& call, std::string const& text, std::string const& what) {
    try {
        call();
        expect(false, what + ": no exception");
    } catch (E const& e) {
        expect(std::string(e.what()).find(text) != std::string::npos,
               what + ": message '" + e.what() + "' lacks '" + text + "'");
    } catch (std::exception const& e) {
        expect(false, what + ": wrong exception type, message '" + e.what() + "'");
    }
}

}  // namespace

int main() {
    auto [x, y] = tg::vars<"x", "y">();
    auto const f = x * y + sin(x);
    bool const device = tg::cuda::device_count() > 0;
    std::printf("CUDA devices: %d\n", tg::cuda::device_count());

    // Arrays in host memory: every shape check comes before the device is looked at,
    // so these errors are the CPU executor's, device or not.
    std::vector<double> a(6, 1.0), b(4, 1.0), out(6, 3.0), g(4, 3.0);
    auto const A = tg::view(a.data(), 2, 3);
    expect_throw<std::invalid_argument>([&] { tg::cuda::map(f, tg::view(out.data(), 2, 3), A, b); },
                                        "input 1 has shape (4,)", "inputs that do not broadcast");
    expect_throw<std::invalid_argument>([&] { tg::cuda::map(f, tg::view(out.data(), 3, 2), A, 2.0); },
                                        "output 0 has shape (3, 2), expected (2, 3)", "output of the wrong shape");
    expect_throw<std::invalid_argument>(
        [&] { tg::cuda::map(f, tg::with_partials(tg::view(out.data(), 2, 3), tg::skip, tg::view(g.data(), 4)), A, 2.0); },
        "the partial of output 0 with respect to input 1 has shape (4,)", "partial of the wrong shape");
    expect_throw<std::invalid_argument>([&] { (void)tg::cuda::sum(f, tg::gradient_to(g, tg::skip), A, 2.0); },
                                        "the gradient of input 0 has shape (4,), expected (2, 3)",
                                        "gradient of the wrong shape");
    double number = 5.0;
    expect_throw<std::invalid_argument>([&] { (void)tg::cuda::mean(f, tg::gradient_to(tg::skip, number), A, b); },
                                        "inputs cannot be broadcast", "mean over inputs that do not broadcast");
    expect_throw<std::invalid_argument>([&] { (void)tg::view(static_cast<double const*>(nullptr), 5); },
                                        "null pointer", "a null pointer with extents");
    // Bad and overlapping arrays (tests/hardening/ for the CPU executor): refused on the host,
    // before the device is looked at, by the same checks.
    expect_throw<std::invalid_argument>(
        [&] { tg::cuda::map(f, tg::view(out.data(), 5), tg::array_ref<double const, 1>{nullptr, {5}, {1}}, 2.0); },
        "input 0 has a null data pointer but 5 elements", "an aggregate array_ref of a null pointer");
    expect_throw<std::invalid_argument>(
        [&] { tg::cuda::map(f, tg::array_ref<double, 1>{out.data(), {-3}, {1}}, 1.0, 2.0); },
        "output 0 has a negative extent (-3)", "a negative extent");
    expect_throw<std::invalid_argument>(
        [&] { tg::cuda::map(tg::outputs(x, y), std::tie(out, out), a, a); },
        "output 1 shares memory with output 0", "the same array as two outputs");
    expect_throw<std::invalid_argument>(
        [&] { tg::cuda::map(f, tg::view(out.data() + 1, 5), tg::view(std::as_const(out).data(), 5), 2.0); },
        "output 0 shares memory with input 0", "an output that partly overlaps its input");
    expect_throw<std::invalid_argument>(
        [&] { (void)tg::cuda::sum(f, tg::gradient_to(tg::view(a.data() + 2, 4), tg::skip), tg::view(std::as_const(a).data(), 4), 2.0); },
        "the gradient of input 0 shares memory with input 0", "a gradient that overlaps its input");
    expect(out == std::vector<double>(6, 3.0) && g == std::vector<double>(4, 3.0) && number == 5.0 &&
               a == std::vector<double>(6, 1.0),
           "outputs untouched by rejected calls");

    // No elements: nothing to compute, no device needed; the gradient of a number is 0.
    double gy = 7.0;
    double const s = tg::cuda::sum(f, tg::gradient_to(tg::skip, gy), tg::view(static_cast<double const*>(nullptr), 0), 2.0);
    expect(s == 0.0 && gy == 0.0, "a sum over no elements");

    // Shapes agree: now the device is needed.
    if (!device) {
        expect_throw<tg::cuda::error>([&] { tg::cuda::map(f, tg::view(out.data(), 2, 3), A, 2.0); },
                                      "cudaGetDeviceCount", "map without a device");
        expect_throw<tg::cuda::error>([&] { (void)tg::cuda::sum(f, A, 2.0); }, "needs a CUDA device",
                                      "sum without a device");
        expect_throw<tg::cuda::error>([&] { tg::cuda::buffer<float> buf(10); }, "cudaGetDeviceCount",
                                      "a device buffer without a device");
    } else {
        expect_throw<std::invalid_argument>([&] { tg::cuda::map(f, tg::view(out.data(), 2, 3), A, 2.0); },
                                            "input 0 is in ordinary host memory", "map over host memory");
        tg::cuda::buffer<double> dev_a(a);
        expect_throw<std::invalid_argument>(
            [&] { tg::cuda::map(f, tg::view(out.data(), 2, 3), tg::view(std::as_const(dev_a).data(), 2, 3), 2.0); },
            "output 0 is in ordinary host memory", "map into host memory");
        expect_throw<std::invalid_argument>(
            [&] { dev_a.copy_from(std::span<double const>(b)); }, "6 elements copied in from/to host memory of 4",
            "copy of the wrong size");
    }
    expect(out == std::vector<double>(6, 3.0), "outputs untouched without a device");

    // CUDA failures carry the call and cudaGetErrorString.
    try {
        tg::cuda::check(cudaErrorInvalidValue, "cudaMemcpy");
        expect(false, "check did not throw");
    } catch (tg::cuda::error const& e) {
        std::string const m = e.what();
        expect(e.code() == cudaErrorInvalidValue && e.call() == "cudaMemcpy" &&
                   m.find("cudaMemcpy failed: ") != std::string::npos &&
                   m.find(cudaGetErrorString(cudaErrorInvalidValue)) != std::string::npos,
               "tg::cuda::error's message: " + m);
    }

    if (failures != 0) return 1;
    std::printf("host-side errors of the CUDA executor: all as expected (%s)\n",
                device ? "with a device" : "without a device");
    return 0;
}
