// typegrad/exec/cuda/error.hpp: CUDA failures as exceptions.
//
// Every CUDA runtime call the executor makes goes through check(): a failure becomes
// a tg::cuda::error whose message names the call and carries cudaGetErrorString.
// require_device() turns "no device" (no GPU, no driver) into such an error before
// anything else touches the runtime.
#pragma once

#include <stdexcept>
#include <string>

#include <cuda_runtime.h>

namespace typegrad::cuda {

/// A failed CUDA runtime call: what() reads "typegrad: <call> failed: <cudaGetErrorString>".
class error : public std::runtime_error {
public:
    error(cudaError_t code, std::string const& call)
        : std::runtime_error("typegrad: " + call + " failed: " + cudaGetErrorString(code) + " (" +
                             cudaGetErrorName(code) + ")"),
          code_(code),
          call_(call) {}
    /// The CUDA error code.
    cudaError_t code() const noexcept { return code_; }
    /// The call that failed, e.g. "cudaMalloc".
    std::string const& call() const noexcept { return call_; }

private:
    cudaError_t code_;
    std::string call_;
};

/// Throws tg::cuda::error when `code` is not cudaSuccess.
inline void check(cudaError_t code, char const* call) {
    if (code != cudaSuccess) {
        (void)cudaGetLastError();  // a non-sticky error must not be reported again by a later call
        throw error(code, call);
    }
}

/// The number of CUDA devices; 0 where there is no device or no driver (never throws).
inline int device_count() noexcept {
    int n = 0;
    if (cudaGetDeviceCount(&n) != cudaSuccess) {
        (void)cudaGetLastError();
        return 0;
    }
    return n;
}

/// Throws tg::cuda::error (cudaErrorNoDevice or the driver's own error) where no device can be used.
inline void require_device() {
    int n = 0;
    cudaError_t const code = cudaGetDeviceCount(&n);
    if (code != cudaSuccess) {
        (void)cudaGetLastError();
        throw error(code, "cudaGetDeviceCount (typegrad's CUDA executor needs a CUDA device)");
    }
    if (n == 0) throw error(cudaErrorNoDevice, "cudaGetDeviceCount (typegrad's CUDA executor needs a CUDA device)");
}

}  // namespace typegrad::cuda
