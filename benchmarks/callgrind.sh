#!/usr/bin/env bash
# benchmarks/callgrind.sh: instructions per gradient, typegrad against hand-written
# code, counted by valgrind's callgrind (deterministic, unlike timings on a busy machine).
#
#   benchmarks/callgrind.sh [BUILD_DIR]
#
# BUILD_DIR (default: build-callgrind at the repository root) is configured if it
# has no CMake cache yet; callgrind_driver is (re)built in it either way (-j2).
# Environment: ITERATIONS (default 100000), CASES (default: all of them), CXX for a
# fresh configure (g++ or clang++), JOBS (default 2), DRIVER (a callgrind_driver
# binary built some other way, e.g. against modified headers: nothing is built).
#
# Each case and variant runs in its own process under
#   valgrind --tool=callgrind --toggle-collect='*hot_loop*'
# so only hot_loop<Case, Variant> (the gradient loop, and the libm calls it makes)
# is counted. Printed per gradient:
#   total   every instruction in the loop, libm included
#   own     total minus the instructions inside libm (sin, exp, tanh, ...): the code the
#           compiler generated from typegrad or from the hand-written source
#   net     total minus the `copy` variant's total (the loop, the point load, the result store)
# and the ratios typegrad / hand-written of total and of net. Results also go to
# benchmarks/results/callgrind_<compiler id>.csv (callgrind_gnu.csv, callgrind_clang.csv;
# callgrind_custom.csv with DRIVER), or to $CSV.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build-callgrind}
iterations=${ITERATIONS:-100000}
cases=${CASES:-"p2 p1 rosenbrock2 rosenbrock8 rosenbrock16 rosenbrock32 smooth4 pointwise p1-numbers numbers2 numbers8 numbers16 numbers32"}
jobs=${JOBS:-2}

command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind not found (apt-get install valgrind)" >&2; exit 1; }

if [ -n "${DRIVER:-}" ]; then
    driver=$DRIVER
    compiler="driver $DRIVER"
    id=custom
else
    if [ ! -f "$build/CMakeCache.txt" ]; then
        cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTYPEGRAD_ENABLE_CUDA=OFF >/dev/null
    fi
    cmake --build "$build" --target callgrind_driver -j"$jobs" >"$build/callgrind_build.log" 2>&1 ||
        { cat "$build/callgrind_build.log" >&2; exit 1; }
    driver="$build/benchmarks/callgrind_driver"
    compiler=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
    version=$("$compiler" --version | head -1)
    compiler="$compiler ($version)"
    case "$version" in
        *clang*) id=clang ;;
        *GCC* | *g++* | *c++*) id=gnu ;;
        *) id=custom ;;
    esac
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for c in $cases; do
    variants="copy hand typegrad-reverse typegrad-forward"
    [ "$c" = p1 ] && variants="$variants hand-closed"
    for v in $variants; do
        valgrind --tool=callgrind --toggle-collect='*hot_loop*' \
            --callgrind-out-file="$work/$c.$v.out" "$driver" "$c" "$v" "$iterations" >/dev/null 2>"$work/$c.$v.log" ||
            { cat "$work/$c.$v.log" >&2; exit 1; }
    done
done

mkdir -p "$root/benchmarks/results"
python3 - "$work" "$iterations" "${CSV:-$root/benchmarks/results/callgrind_${id:-custom}.csv}" "$compiler" $cases <<'PY'
import os, sys

work, iterations, csv_path, compiler = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
cases = sys.argv[5:]

def self_cost_by_object(path):
    """Self Ir per object file and the total, read from a callgrind output file."""
    objects, names = {}, {}  # names: object ids, defined by the first ob= or cob= that uses them
    current_ob, skip_next, total = None, False, 0
    def name_of(value):  # "(id) name" or "(id)"
        value = value.strip()
        if value.startswith("("):
            key, _, rest = value.partition(")")
            if rest.strip():
                names[key] = rest.strip()
            return names.get(key, key)
        return value
    with open(path) as f:
        for line in f:
            if line.startswith("ob="):
                current_ob = name_of(line[3:])
            elif line.startswith("cob="):
                name_of(line[4:])
            elif line.startswith("calls="):
                skip_next = True
            elif line.startswith("summary:"):
                total = int(line.split()[1])
            elif line[:1].isdigit() or line[:1] in "+-*":
                if skip_next:
                    skip_next = False
                    continue
                parts = line.split()
                if len(parts) > 1:
                    obj = os.path.basename(current_ob or "?")
                    objects[obj] = objects.get(obj, 0) + int(parts[1])
    return total, objects

rows = {}
for c in cases:
    for name in sorted(os.listdir(work)):
        if not (name.startswith(c + ".") and name.endswith(".out")):
            continue
        v = name[len(c) + 1:-4]
        total, objects = self_cost_by_object(os.path.join(work, name))
        libm = sum(n for o, n in objects.items() if o.startswith("libm"))
        rows[(c, v)] = (total / iterations, (total - libm) / iterations)

print(f"callgrind: instructions per gradient ({iterations} iterations, {compiler})")
header = f"{'case':<13} {'variant':<17} {'total':>9} {'own':>8} {'net':>8} {'total/hand':>11} {'net/hand':>9}"
print(header)
print("-" * len(header))
lines = ["case,variant,total_ir,own_ir,net_ir,total_ratio_to_hand,net_ratio_to_hand"]
verdict = []
for c in cases:
    base = rows[(c, "copy")][0]
    hand_total, hand_own = rows[(c, "hand")]
    hand_net = hand_total - base
    for v in ("copy", "hand", "typegrad-reverse", "typegrad-forward", "hand-closed"):
        if (c, v) not in rows:
            continue
        total, own = rows[(c, v)]
        net = total - base
        rt = total / hand_total
        rn = net / hand_net if hand_net > 0 else float("nan")
        shown = v != "copy"
        print(f"{c:<13} {v:<17} {total:9.1f} {own:8.1f} {net:8.1f} "
              + (f"{rt:11.3f} {rn:9.3f}" if shown else f"{'':>11} {'':>9}"))
        lines.append(f"{c},{v},{total:.2f},{own:.2f},{net:.2f},{rt:.4f},{rn:.4f}")
        if v == "typegrad-reverse":
            verdict.append((c, rt, rn))
print()
for c, rt, rn in verdict:
    state = "within 1.1x" if rt <= 1.1 else "ABOVE 1.1x"
    print(f"typegrad reverse, {c:<13} {rt:6.3f}x hand-written instructions ({rn:.3f}x net of the loop): {state}")
with open(csv_path, "w") as f:
    f.write("\n".join(lines) + "\n")
print(f"\nwritten: {csv_path}")
PY
