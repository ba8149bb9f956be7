#!/usr/bin/env bash
# benchmarks/executor_calls.sh: the fixed cost of one small call of the CPU array
# executor (tg::map, tg::sum with a gradient, tg::mean on ELEMENTS-element arrays),
# counted by valgrind's callgrind: instructions per call, those outside libm, and the
# calls to malloc per call. The hand-written loops are the floor.
#
#   benchmarks/executor_calls.sh [BUILD_DIR]
#
# BUILD_DIR (default: build-callgrind at the repository root) is configured if it has no
# CMake cache yet; executor_call_driver is (re)built in it. Environment: ITERATIONS
# (default 10000), ELEMENTS (default 10), DRIVER (a driver built some other way, e.g.
# against other headers: nothing is built).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build-callgrind}
iterations=${ITERATIONS:-10000}
elements=${ELEMENTS:-10}
cases="map map-partials sum-gradient mean hand-map hand-sum-gradient"

command -v valgrind >/dev/null || { echo "executor_calls.sh: valgrind not found (apt-get install valgrind)" >&2; exit 1; }
if [ -n "${DRIVER:-}" ]; then
    driver=$DRIVER
else
    if [ ! -f "$build/CMakeCache.txt" ]; then
        cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTYPEGRAD_ENABLE_CUDA=OFF >/dev/null
    fi
    cmake --build "$build" --target executor_call_driver -j2 >"$build/executor_calls_build.log" 2>&1 ||
        { cat "$build/executor_calls_build.log" >&2; exit 1; }
    driver="$build/benchmarks/executor_call_driver"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for c in $cases; do
    valgrind --tool=callgrind --toggle-collect='*hot_loop*' --callgrind-out-file="$work/$c.out" \
        "$driver" "$c" "$iterations" "$elements" >/dev/null 2>"$work/$c.log" || { cat "$work/$c.log" >&2; exit 1; }
done

python3 - "$work" "$iterations" "$elements" $cases <<'PY'
import os, sys

work, iterations, elements = sys.argv[1], int(sys.argv[2]), sys.argv[3]
cases = sys.argv[4:]

def read(path):
    """Total Ir, self Ir inside libm, and the number of calls to malloc."""
    names, ob, fn_names = {}, None, {}
    total = libm = mallocs = 0
    callee, skip = None, False
    def name_of(table, value):
        value = value.strip()
        if value.startswith("("):
            key, _, rest = value.partition(")")
            if rest.strip():
                table[key] = rest.strip()
            return table.get(key, key)
        return value
    with open(path) as f:
        for line in f:
            if line.startswith("ob="):
                ob = name_of(names, line[3:])
            elif line.startswith("cob="):
                name_of(names, line[4:])
            elif line.startswith(("fn=", "fi=", "fe=")):
                if line.startswith("fn="):
                    name_of(fn_names, line[3:])
            elif line.startswith("cfn="):
                callee = name_of(fn_names, line[4:])
            elif line.startswith("calls="):
                if callee == "malloc":
                    mallocs += int(line.split("=")[1].split()[0])
                skip = True
            elif line.startswith("summary:"):
                total = int(line.split()[1])
            elif line[:1].isdigit() or line[:1] in "+-*":
                if skip:
                    skip = False
                    continue
                parts = line.split()
                if len(parts) > 1 and os.path.basename(ob or "").startswith("libm"):
                    libm += int(parts[1])
    return total, libm, mallocs

print(f"callgrind: per call on {elements}-element arrays ({iterations} calls)")
print(f"{'case':<18} {'instructions':>12} {'outside libm':>12} {'mallocs':>8}")
for c in cases:
    total, libm, mallocs = read(os.path.join(work, c + ".out"))
    print(f"{c:<18} {total / iterations:12.1f} {(total - libm) / iterations:12.1f} {mallocs / iterations:8.2f}")
PY
