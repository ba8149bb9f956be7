#!/usr/bin/env bash
# Runs benchmarks/mpi_scaling.cpp at 1, 2 and 4 ranks and writes one CSV, then fits the
# alpha-beta model of the all-reduce (benchmarks/mpi_alpha_beta.py) to the sizes measured.
#   benchmarks/mpi_scaling.sh [build dir] [out dir] [extra mpi_scaling arguments...]
set -euo pipefail
build=${1:-build}; out=${2:-$build}; shift $(( $# >= 2 ? 2 : $# )) || true
mkdir -p "$out"
flags=()
if mpirun --version 2>&1 | grep -q "Open MPI"; then
    flags=(--allow-run-as-root --oversubscribe --bind-to none)
    # More ranks than cores: let waiting ranks yield instead of spinning.
    export OMPI_MCA_mpi_yield_when_idle=1
fi
csv="$out/mpi_scaling.csv"
: > "$csv"
for np in 1 2 4; do
    echo "=== $np rank(s)" >&2
    run="$out/mpi_scaling_np$np.csv"
    mpirun "${flags[@]}" -np "$np" "$build/mpi_scaling" "$@" > "$run"
    cat "$run" >&2
    if [ "$np" = 1 ]; then cat "$run" >> "$csv"; else grep -v '^mode,' "$run" >> "$csv"; fi
done
python3 "$(dirname "$0")/mpi_alpha_beta.py" "$csv" | tee "$out/mpi_alpha_beta.txt"
