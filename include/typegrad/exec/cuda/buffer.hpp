// typegrad/exec/cuda/buffer.hpp: tg::cuda::buffer<T>, an owning array in device memory.
//
//   tg::cuda::buffer<double> x(host_vector);      // allocated and copied in
//   tg::cuda::buffer<double> y(x.size());         // allocated, zero-filled
//   tg::cuda::map(f, y, x);                       // buffers are arrays of rank 1 ...
//   tg::cuda::map(f, tg::reshape(tg::view(y), r, c), ...);  // ... or reshaped views
//   std::vector<double> h = y.to_host();
//
// A buffer is moved, never copied; it frees its memory when destroyed.
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <cuda_runtime.h>

#include "../array_ref.hpp"
#include "error.hpp"

namespace typegrad::cuda {

template <class T>
class buffer {
    static_assert(std::is_arithmetic_v<T> && !std::is_const_v<T>, "typegrad: a device buffer holds numbers");

public:
    using value_type = T;

    buffer() = default;
    /// n elements of device memory, set to zero.
    explicit buffer(std::size_t n) : size_(n) {
        if (n == 0) return;
        require_device();
        check(cudaMalloc(&data_, n * sizeof(T)), "cudaMalloc");
        if (auto const e = cudaMemset(data_, 0, n * sizeof(T)); e != cudaSuccess) {
            release();
            check(e, "cudaMemset");
        }
    }
    /// A copy of host memory.
    explicit buffer(std::span<T const> host) : buffer(host.size()) { copy_from(host); }
    explicit buffer(std::vector<T> const& host) : buffer(std::span<T const>(host)) {}

    buffer(buffer&& o) noexcept : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}
    buffer& operator=(buffer&& o) noexcept {
        if (this != &o) {
            release();
            data_ = std::exchange(o.data_, nullptr);
            size_ = std::exchange(o.size_, 0);
        }
        return *this;
    }
    buffer(buffer const&) = delete;
    buffer& operator=(buffer const&) = delete;
    ~buffer() { release(); }

    T* data() noexcept { return data_; }
    T const* data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }

    /// Copies host.size() == size() elements in; asynchronous on `stream` when one is given.
    void copy_from(std::span<T const> host, cudaStream_t stream = nullptr) {
        check_size(host.size(), "copied in");
        if (size_ == 0) return;
        check(cudaMemcpyAsync(data_, host.data(), size_ * sizeof(T), cudaMemcpyHostToDevice, stream),
              "cudaMemcpyAsync (host to device)");
        if (stream == nullptr) check(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
    }
    /// Copies size() elements out to host.size() == size() elements; waits for `stream` first.
    void copy_to(std::span<T> host, cudaStream_t stream = nullptr) const {
        check_size(host.size(), "copied out");
        if (size_ == 0) return;
        check(cudaMemcpyAsync(host.data(), data_, size_ * sizeof(T), cudaMemcpyDeviceToHost, stream),
              "cudaMemcpyAsync (device to host)");
        check(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
    }
    /// The elements as a host vector (waits for `stream`).
    std::vector<T> to_host(cudaStream_t stream = nullptr) const {
        std::vector<T> h(size_);
        copy_to(std::span<T>(h), stream);
        return h;
    }

private:
    void release() noexcept {
        if (data_) (void)cudaFree(data_);
        data_ = nullptr;
    }
    void check_size(std::size_t n, char const* what) const {
        if (n != size_)
            throw std::invalid_argument("typegrad: a device buffer of " + std::to_string(size_) + " elements " +
                                        what + " from/to host memory of " + std::to_string(n) + " elements");
    }

    T* data_ = nullptr;
    std::size_t size_ = 0;
};

template <class T>
buffer(std::vector<T> const&) -> buffer<T>;

}  // namespace typegrad::cuda

namespace typegrad {

/// A device buffer is an array of rank 1 for tg::view and the CUDA executor.
template <class T>
struct array_traits<cuda::buffer<T>> {
    static array_ref<T, 1> view(cuda::buffer<T>& b) {
        return {b.data(), {static_cast<std::ptrdiff_t>(b.size())}, {1}};
    }
    static array_ref<T const, 1> view(cuda::buffer<T> const& b) {
        return {b.data(), {static_cast<std::ptrdiff_t>(b.size())}, {1}};
    }
};

}  // namespace typegrad
