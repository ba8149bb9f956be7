// typegrad/config.hpp: the one place that owns host/device markup and feature switches.
#pragma once

// Node code is compiled for the host and, under nvcc, for the device as well.
#if defined(__CUDACC__)
#define TYPEGRAD_HOST_DEVICE __host__ __device__
#define TYPEGRAD_HAS_CUDA 1
#else
#define TYPEGRAD_HOST_DEVICE
#define TYPEGRAD_HAS_CUDA 0
#endif

// The per-node steps of a pass must be inlined into the pass, so that values and
// derivatives stay in registers; compilers otherwise give up on large graphs.
#if defined(__CUDACC__)
#define TYPEGRAD_INLINE __forceinline__
#elif defined(__GNUC__) || defined(__clang__)
#define TYPEGRAD_INLINE [[gnu::always_inline]] inline
#else
#define TYPEGRAD_INLINE inline
#endif

// Code that only builds an error message: kept out of line, so that the checks before it
// stay small and fast.
#if defined(__GNUC__) || defined(__clang__)
#define TYPEGRAD_COLD __attribute__((noinline, cold))
#else
#define TYPEGRAD_COLD
#endif

// Threads. The executors read TYPEGRAD_HAS_OPENMP, never _OPENMP. What depends on it lives
// in an inline namespace named after it, so that translation units compiled with and
// without -fopenmp, linked into one program, call different functions instead of
// breaking the one-definition rule (results are the same either way: chunks are fixed).
#if defined(_OPENMP)
#define TYPEGRAD_HAS_OPENMP 1
#define TYPEGRAD_THREADS_NAMESPACE threads_openmp
#else
#define TYPEGRAD_HAS_OPENMP 0
#define TYPEGRAD_THREADS_NAMESPACE threads_serial
#endif
