// typegrad/exec/cuda/common.hpp: what tg::cuda::map, tg::cuda::sum and tg::cuda::mean share.
//
// The host side is the CPU executor's: the same output packs, the same layout
// (broadcast shape and walks, detail::make_layout), the same sink types and the same
// checks, so shapes and error messages agree. Only after every check has passed is
// the device touched: first whether there is one, then whether every array lies in
// device memory, then the launch. Scalar inputs given as host numbers travel by value
// in the kernel's arguments; arrays are read through device pointers.
#pragma once

#if defined(__CUDACC__) && !defined(__CUDACC_RELAXED_CONSTEXPR__)
#error "typegrad/cuda.hpp: compile with nvcc's --expt-relaxed-constexpr (typegrad's scalar passes use constexpr std::array in device code)"
#endif

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include <cuda_runtime.h>

#include "../../core/tuple.hpp"
#include "../cpu_map.hpp"
#include "../cpu_reduce.hpp"
#include "error.hpp"

namespace typegrad::cuda {

/// Options of the CUDA executor: `tg::cuda::map(tg::cuda::options{.stream = s}, f, ...)`.
struct options {
    /// The stream the work is queued on (the default stream when null). tg::cuda::map
    /// returns without waiting; tg::cuda::sum and tg::cuda::mean wait, as they return a host value.
    cudaStream_t stream = nullptr;
    /// Reductions: false adds each block's part atomically (one pass, order not fixed);
    /// true writes every tile's part and sums the parts with cub::DeviceReduce (a fixed
    /// order: bit-identical results run to run on the same device).
    bool deterministic = false;
};

namespace detail {

using typegrad::detail::walk;

/// One input as the kernel reads it: a device pointer, or (data == nullptr) a number carried by value.
template <class E>
struct device_input {
    E const* data;
    E value;
};

template <class X>
constexpr bool is_number = std::is_arithmetic_v<X>;

/// The kernel's view of input x: a host number goes by value, an array by its (device) pointer.
template <class X>
auto device_input_of(X const& x) {
    if constexpr (is_number<X>)
        return device_input<X>{nullptr, x};
    else {
        auto const a = typegrad::detail::to_input(x);
        using E = typegrad::detail::element_of<decltype(a)>;
        return device_input<E>{a.data, E{}};
    }
}

/// Throws when p (the data of `what`) is ordinary host memory the device cannot read.
inline void require_device_memory(void const* p, std::string const& what) {
    if (p == nullptr) return;
    cudaPointerAttributes attr{};
    check(cudaPointerGetAttributes(&attr, p), "cudaPointerGetAttributes");
    if (attr.type == cudaMemoryTypeUnregistered)
        throw std::invalid_argument("typegrad: " + what +
                                    " is in ordinary host memory; the CUDA executor needs device memory "
                                    "(tg::cuda::buffer, thrust::device_vector, cudaMalloc, managed memory)");
}

template <class A>
void require_device_array(A const& a, std::string const& what) {
    if (a.size() > 0) require_device_memory(static_cast<void const*>(a.data), what);
}

/// Scratch device memory, stream-ordered (cudaMallocAsync), freed on the same stream.
class scratch {
public:
    scratch(std::size_t bytes, cudaStream_t s) : stream_(s) {
        if (bytes > 0) check(cudaMallocAsync(&p_, bytes, s), "cudaMallocAsync");
    }
    scratch(scratch const&) = delete;
    scratch& operator=(scratch const&) = delete;
    ~scratch() {
        if (p_) (void)cudaFreeAsync(p_, stream_);
    }
    template <class T>
    T* as() const {
        return static_cast<T*>(p_);
    }

private:
    void* p_ = nullptr;
    cudaStream_t stream_;
};

/// Threads per block of every kernel here.
inline constexpr int block_threads = 256;

/// Blocks for `work` items of `per_block` each (the kernels loop when there are more).
inline unsigned grid_for(std::ptrdiff_t work, std::ptrdiff_t per_block) {
    std::ptrdiff_t const b = (work + per_block - 1) / per_block;
    return static_cast<unsigned>(std::clamp<std::ptrdiff_t>(b, 1, std::ptrdiff_t(1) << 20));
}

/// Offset of iteration element e in an array walked by w.
__device__ __forceinline__ std::ptrdiff_t element_offset(dims const& it, walk const& w, std::ptrdiff_t e) {
    if (w.flat) return e;
    if (w.scalar) return 0;
    return typegrad::detail::offset_of(it, w, e);
}

template <class T, class P, std::size_t I, class E>
__device__ __forceinline__ void load_one(T* p, device_input<E> const& in, walk const* w, dims const& it,
                                         std::ptrdiff_t e) {
    if constexpr (P::used[I]) p[I] = in.data ? static_cast<T>(in.data[element_offset(it, w[I], e)]) : static_cast<T>(in.value);
}

/// The point of iteration element e: the inputs the expression reads (others 0).
template <class T, class P, class Ins, std::size_t... I>
__device__ __forceinline__ std::array<T, sizeof...(I)> load_point(Ins const& ins, walk const* w, dims const& it,
                                                                  std::ptrdiff_t e, std::index_sequence<I...>) {
    std::array<T, sizeof...(I)> p{};
    (load_one<T, P, I>(p.data(), typegrad::get<I>(ins), w, it, e), ...);
    return p;
}

/// Checks every input array lies in device memory.
template <class... X, std::size_t... I>
void require_device_inputs(std::index_sequence<I...>, X const&... x) {
    (
        [&] {
            if constexpr (!is_number<X>)
                require_device_array(typegrad::detail::to_input(x), typegrad::detail::argument_name("input", I));
        }(),
        ...);
}

}  // namespace detail
}  // namespace typegrad::cuda
