// typegrad/cuda.hpp: the CUDA executor, for .cu files compiled by nvcc
// (with -std=c++20 --expt-relaxed-constexpr):
//
//   #include <typegrad/typegrad.hpp>
//   #include <typegrad/cuda.hpp>
//   tg::cuda::buffer<double> x(host_x), y(host_x.size()), dy(host_x.size());
//   tg::cuda::map(f, tg::with_partials(y, dy), x);        // asynchronous on the stream
//   double L = tg::cuda::sum(f, tg::gradient_to(dy), x);  // waits: the value is a host number
//
// Not included by typegrad.hpp, which stays plain C++.
#pragma once

#include "config.hpp"

#if !TYPEGRAD_HAS_CUDA
#error "typegrad/cuda.hpp is for CUDA sources (.cu) compiled by nvcc; host code uses typegrad/typegrad.hpp"
#endif

#include "exec/cuda/buffer.hpp"
#include "exec/cuda/error.hpp"
#include "exec/cuda/map.hpp"
#include "exec/cuda/reduce.hpp"
#include "exec/cuda/thrust.hpp"
