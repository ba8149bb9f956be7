#!/bin/sh
# Builds typegrad with CUDA, runs the CUDA tests (plainly and under compute-sanitizer),
# the CUDA example and the GPU benchmarks; writes CSV to benchmarks/results/.
# Needs a GPU; one command:   sh benchmarks/run_gpu.sh [build-dir] [elements]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-gpu}
elements=${2:-100000000}
export PATH=/usr/local/cuda/bin:$PATH
results=$root/benchmarks/results
mkdir -p "$results"
stamp=$(date +%Y%m%d-%H%M%S)

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTYPEGRAD_BUILD_BENCHMARKS=ON
cmake --build "$build" -j"$(nproc)" --target cuda_kernel_gradient cuda_executor_double cuda_executor_float \
    cuda_executor_errors cuda_pointwise cuda_pointwise_benchmark exec_tests
ctest --test-dir "$build" --output-on-failure -R '^(cuda/|examples/cuda|exec/)'
for t in kernel_gradient executor_double executor_float executor_errors; do
    compute-sanitizer --error-exitcode 1 --tool memcheck "$build/tests/cuda/cuda_$t"
    compute-sanitizer --error-exitcode 1 --tool racecheck "$build/tests/cuda/cuda_$t"
done
"$build/examples/cuda_pointwise"
"$build/cuda_pointwise_benchmark" "$elements" | tee "$results/cuda_pointwise-$stamp.csv"
# The loss of case c in PyTorch and JAX, where they are installed.
python3 "$root/benchmarks/cuda_loss_frameworks.py" "$elements" | tee "$results/cuda_loss_frameworks-$stamp.csv" || true
