// typegrad/exec/cuda/thrust.hpp: thrust::device_vector as an array of rank 1 for
// tg::view and the CUDA executor (tg::cuda::map(f, y, x) with device vectors).
#pragma once

#include <cstddef>

#include <thrust/device_vector.h>

#include "../array_ref.hpp"

namespace typegrad {

template <class T, class Alloc>
struct array_traits<thrust::device_vector<T, Alloc>> {
    static array_ref<T, 1> view(thrust::device_vector<T, Alloc>& v) {
        return {thrust::raw_pointer_cast(v.data()), {static_cast<std::ptrdiff_t>(v.size())}, {1}};
    }
    static array_ref<T const, 1> view(thrust::device_vector<T, Alloc> const& v) {
        return {thrust::raw_pointer_cast(v.data()), {static_cast<std::ptrdiff_t>(v.size())}, {1}};
    }
};

}  // namespace typegrad
