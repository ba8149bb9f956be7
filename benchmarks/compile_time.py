#!/usr/bin/env python3
"""Compile time and peak memory of typegrad expressions as they grow.

Generates one translation unit per (shape, size): an expression over 4 inputs
built from named intermediates (`auto const w7 = sin(w3) * w5;` style lines,
compile-time constants only, so the expression is an empty type), which calls
tg::gradient (reverse) and tg::gradient<tg::forward>. Each file is compiled with
every compiler at -O2 -std=c++20 under /usr/bin/time; wall seconds and the peak
resident set size are written to benchmarks/results/compile_time.csv and printed.

Shapes:
  dag   a DAG: every intermediate is used at least once and later operations reuse
        earlier ones at random (shared subexpressions);
  tree  a tree: every intermediate is used exactly once.
Each typegrad file is preceded by its hand-written reference: the same function, its
reverse sweep and its forward lanes as straight-line double code (no typegrad header),
compiled by the same compiler; "x hand" is typegrad's CPU time over it. Compilers are
super-linear on long straight-line functions too, so growth is read against that row.
The size is the number of operations (interior nodes); the distinct node count
typegrad sees (operations, inputs and constants) is checked with a static_assert
and reported. A "0" row is the file with the same includes and calls on a
one-operation expression: the fixed cost of the headers.

Usage:
  benchmarks/compile_time.py                      # sizes 25 50 100 200 400, g++ and clang++
  benchmarks/compile_time.py --sizes 25 100 --compilers g++ --shapes dag
  benchmarks/compile_time.py --modes split        # also reverse-only and forward-only files
  benchmarks/compile_time.py --time-report        # g++ -ftime-report on the largest dag (saved)
  benchmarks/compile_time.py --compilers g++ clang++ nvcc   # nvcc compiles the file as CUDA (-x cu)
Only the standard library is used; /usr/bin/time (Debian package `time`) is required.
"""

import argparse
import csv
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, "benchmarks", "results")
INPUTS = 4

UNARY = ["sin", "exp", "tanh"]
BINARY = ["+", "*", "-"]
WITH_CONSTANT = ["2_c *", "+ 3_c"]


class Expression:
    """Builds the expression line by line and keeps typegrad's view of its nodes."""

    def __init__(self):
        self.lines = []
        self.key = {}        # name -> structural key (empty types with equal keys are one node)
        self.names = {}      # structural key -> name (to refuse duplicates)
        self.ops = 0
        self.leaves = set()  # distinct leaves (inputs, constants) in use
        self.steps = []      # (name, operation, operands), in order: the hand-written reference
        for i in range(INPUTS):
            name = f"x{i}"
            self.key[name] = name
            self.names[name] = name

    def add(self, text, key, leaves=(), op=None, args=()):
        if key in self.names:
            return None
        self.ops += 1
        name = f"w{self.ops}"
        self.lines.append(f"    auto const {name} = {text};")
        self.steps.append((name, op, list(args)))
        self.key[name] = key
        self.names[key] = name
        self.leaves.update(leaves)
        return name

    def unary(self, op, a):
        return self.add(f"{op}({a})", f"{op}({self.key[a]})", self._leaves(a), op, [a])

    def binary(self, op, a, b):
        return self.add(f"{a} {op} {b}", f"({self.key[a]}{op}{self.key[b]})", self._leaves(a, b), op, [a, b])

    def constant(self, form, a):
        if form == "2_c *":
            return self.add(f"2_c * {a}", f"(2*{self.key[a]})", self._leaves(a) + ["2_c"], "twice", [a])
        return self.add(f"{a} + 3_c", f"({self.key[a]}+3)", self._leaves(a) + ["3_c"], "plus3", [a])

    @staticmethod
    def _leaves(*names):
        return [n for n in names if n.startswith("x")]

    def distinct_nodes(self):
        return self.ops + len(self.leaves)


def generate(size, shape, seed):
    """An expression of exactly `size` operations; returns (Expression, root name)."""
    rng = random.Random(seed * 1000 + size + (0 if shape == "dag" else 7))
    e = Expression()
    width = max(4, int(math.sqrt(size)))  # open ends kept at once: depth grows like size / width
    unused = []                           # intermediates nobody uses yet, oldest first
    inputs = [f"x{i}" for i in range(INPUTS)]
    made = []                             # every intermediate, for reuse in the DAG

    def take_unused(name):
        if name in unused:
            unused.remove(name)

    def reduction_cost(n_unused):
        return max(n_unused - 1, 0)

    attempts = 0
    while e.ops + reduction_cost(len(unused)) < size:
        attempts += 1
        if attempts > 100 * size + 1000:
            raise RuntimeError("generator could not reach the requested size")
        # First operand: the oldest open end once there are enough of them (keeps depth down),
        # and always when one operation is left (an operation that closes no open end
        # would need one more addition in the final reduction).
        last = size - e.ops - reduction_cost(len(unused)) == 1
        if unused and (last or len(unused) >= width or rng.random() < 0.5):
            a = unused[0]
        else:
            a = rng.choice(inputs + made[-2 * width:]) if shape == "dag" else rng.choice(inputs)
        kind = rng.random()
        if kind < 0.3:
            op = rng.choice(UNARY)
            name = e.unary(op, a)
            operands = [a]
        elif kind < 0.4:
            name = e.constant(rng.choice(WITH_CONSTANT), a)
            operands = [a]
        else:
            op = rng.choice(BINARY)
            if shape == "dag":
                b = rng.choice(inputs + made)  # any earlier intermediate: reuse
            else:
                pool = [u for u in unused if u != a]
                b = rng.choice(pool) if pool and rng.random() < 0.7 else rng.choice(inputs)
            if b == a:
                continue
            name = e.binary(op, a, b)
            operands = [a, b]
        if name is None:  # the same expression exists already: it would be the same node
            continue
        for o in operands:
            take_unused(o)
        unused.append(name)
        made.append(name)

    # Sum the open ends pairwise into the root.
    while len(unused) > 1:
        a, b = unused.pop(0), unused.pop(0)
        name = e.binary("+", a, b)
        if name is None:
            raise RuntimeError("duplicate in the final reduction")
        unused.append(name)
    assert e.ops == size, (e.ops, size)
    return e, unused[0]


def source(e, root, modes):
    calls = []
    if "reverse" in modes:
        calls.append("    auto const r = tg::gradient(f, x);\n"
                     "    std::printf(\"reverse %.17g %.17g\\n\", r.value, r.gradient[0]);")
    if "forward" in modes:
        calls.append("    auto const q = tg::gradient<tg::forward>(f, x);\n"
                     "    std::printf(\"forward %.17g %.17g\\n\", q.value, q.gradient[0]);")
    body = "\n".join(e.lines)
    inputs = "\n".join(f"    auto const x{i} = tg::var<{i}>{{}};" for i in range(INPUTS))
    return f"""// generated by benchmarks/compile_time.py: {e.ops} operations, {e.distinct_nodes()} distinct nodes
#include <array>
#include <cstdio>
#include <type_traits>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;
using namespace tg::literals;

namespace {{
auto make() {{
{inputs}
{body}
    return {root};
}}
}}  // namespace

int main(int argc, char**) {{
    auto const f = make();
    static_assert(std::is_empty_v<decltype(f)>);
    static_assert(tg::node_count<decltype(f)> == {e.distinct_nodes()});
    std::array<double, {INPUTS}> const x{{0.1 * argc, 0.2, 0.3, 0.4}};
{chr(10).join(calls)}
    return 0;
}}
"""


def hand_source(e, root, modes):
    """The same function and gradients written by hand as straight-line code: the values,
    the adjoints swept back (first contribution assigns), and one tangent per input
    (only the lanes a node can depend on). What the compiler must do at least."""
    def value(op, a):
        if op in ("sin", "exp", "tanh"):
            return f"std::{op}({a[0]})"
        if op == "twice":
            return f"2.0 * {a[0]}"
        if op == "plus3":
            return f"{a[0]} + 3.0"
        return f"{a[0]} {op} {a[1]}"

    def partials(name, op, a):  # None: exactly 1; "-": exactly -1
        if op == "*":
            return [a[1], a[0]]
        return {"sin": [f"std::cos({a[0]})"], "exp": [name], "tanh": [f"(1.0 - {name} * {name})"],
                "twice": ["2.0"], "plus3": [None], "+": [None, None], "-": [None, "-"]}[op]

    def term(p, t):
        return t if p is None else (f"-{t}" if p == "-" else f"{p} * {t}")

    inputs = [f"x{i}" for i in range(INPUTS)]
    head = ", ".join(f"double {x}" for x in inputs)
    primal = [f"    double const {n} = {value(op, a)};" for n, op, a in e.steps]
    out = []
    if "reverse" in modes:
        body = list(primal) + [f"    double const a_{root} = 1.0;"]
        assigned = {root}
        lines = {}
        for n, op, a in reversed(e.steps):
            if n not in assigned:
                continue
            for x, p in zip(a, partials(n, op, a)):
                t = term(p, f"a_{n}")
                if x in assigned:
                    body.append(f"    a_{x} += {t};")
                else:
                    body.append(f"    double a_{x} = {t};")
                    assigned.add(x)
        grad = ", ".join(f"a_{x}" if x in assigned else "0.0" for x in inputs)
        out.append(f"__attribute__((noinline)) R reverse_gradient({head}) {{\n" + "\n".join(body) +
                   f"\n    return {{{root}, {{{grad}}}}};\n}}")
    if "forward" in modes:
        deps = {x: {i} for i, x in enumerate(inputs)}
        body = []
        for n, op, a in e.steps:
            body.append(f"    double const {n} = {value(op, a)};")
            deps[n] = set().union(*(deps[x] for x in a))
            ps = partials(n, op, a)
            for lane in sorted(deps[n]):
                terms = []
                for x, p in zip(a, ps):
                    if lane in deps[x]:
                        terms.append(term(p, "1.0" if x in inputs else f"t{lane}_{x}"))
                body.append(f"    double const t{lane}_{n} = {' + '.join(terms)};")
        grad = ", ".join(f"t{i}_{root}" if i in deps[root] else "0.0" for i in range(INPUTS))
        out.append(f"__attribute__((noinline)) R forward_gradient({head}) {{\n" + "\n".join(body) +
                   f"\n    return {{{root}, {{{grad}}}}};\n}}")
    calls = []
    if "reverse" in modes:
        calls.append('    R const r = reverse_gradient(0.1 * argc, 0.2, 0.3, 0.4);\n'
                     '    std::printf("reverse %.17g %.17g\\n", r.value, r.gradient[0]);')
    if "forward" in modes:
        calls.append('    R const q = forward_gradient(0.1 * argc, 0.2, 0.3, 0.4);\n'
                     '    std::printf("forward %.17g %.17g\\n", q.value, q.gradient[0]);')
    return (f"// generated by benchmarks/compile_time.py: hand-written reference, {e.ops} operations\n"
            "#include <cmath>\n#include <cstdio>\n\n"
            f"struct R {{\n    double value;\n    double gradient[{INPUTS}];\n}};\n\n" + "\n\n".join(out) +
            "\n\nint main(int argc, char**) {\n" + "\n".join(calls) + "\n    return 0;\n}\n")


def baseline():
    """The one-operation expression sin(x0): the fixed cost of the headers and the calls."""
    e = Expression()
    return e, e.unary("sin", "x0")


def first_error(output):
    for line in output.splitlines():
        if "error:" in line:
            return line.split("error:", 1)[1].strip()[:160]
    return output.strip().splitlines()[-1][:160] if output.strip() else ""


def compile_once(compiler, path, obj, extra=()):
    """(wall seconds, CPU seconds, peak RSS in MiB, ok, output) of one compilation."""
    timing = obj + ".time"
    cmd = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", timing, compiler, "-std=c++20", "-O2",
           "-I", os.path.join(ROOT, "include"), *extra, "-c", path, "-o", obj]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with open(timing) as f:
        last = f.read().strip().splitlines()[-1].split()
    wall, cpu, rss_kib = float(last[0]), float(last[1]) + float(last[2]), int(last[3])
    return wall, cpu, rss_kib / 1024.0, proc.returncode == 0, proc.stdout


def check_runs(compiler, obj, exe):
    """Links and runs the program once (not timed): the gradients must be computed."""
    link = subprocess.run([compiler, obj, "-o", exe], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if link.returncode != 0:
        return False
    run = subprocess.run([exe], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return run.returncode == 0 and ("reverse" in run.stdout or "forward" in run.stdout)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[25, 50, 100, 200, 400])
    p.add_argument("--compilers", nargs="+", default=["g++", "clang++"])
    p.add_argument("--shapes", nargs="+", default=["dag", "tree"], choices=["dag", "tree"])
    p.add_argument("--modes", choices=["both", "split"], default="both",
                   help="both: one file calling both modes; split: also reverse-only and forward-only files")
    p.add_argument("--repeat", type=int, default=1, help="compile each file N times, keep the fastest")
    p.add_argument("--no-hand", action="store_true",
                   help="skip the hand-written reference (the same function and gradients as straight-line code)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--time-report", action="store_true",
                   help="also run g++ -ftime-report on the largest dag and save the report")
    p.add_argument("--keep", metavar="DIR", help="write the generated sources here (default: a temporary folder)")
    p.add_argument("--csv", default=os.path.join(RESULTS, "compile_time.csv"))
    p.add_argument("--clang-flags", default="", metavar="FLAGS",
                   help="extra flags for clang++, e.g. -fbracket-depth=1024 (clang refuses fold expressions over "
                        "more than 256 operands by default, and typegrad's passes fold over all nodes)")
    args = p.parse_args()

    if not os.path.exists("/usr/bin/time"):
        sys.exit("compile_time.py: /usr/bin/time is missing (apt-get install time)")
    compilers = [c for c in args.compilers if shutil.which(c)]
    for c in set(args.compilers) - set(compilers):
        print(f"compile_time.py: {c} not found, skipped", file=sys.stderr)

    work = args.keep or tempfile.mkdtemp(prefix="typegrad_compile_time_")
    os.makedirs(work, exist_ok=True)
    os.makedirs(os.path.dirname(args.csv), exist_ok=True)
    mode_sets = {"both": ("reverse", "forward")}
    if args.modes == "split":
        mode_sets.update({"reverse": ("reverse",), "forward": ("forward",)})

    jobs = []  # (code, shape, ops, distinct, modes name, path); a hand job comes right before its typegrad job
    base, base_root = baseline()
    for mname, modes in mode_sets.items():
        path = os.path.join(work, f"baseline_{mname}.cpp")
        with open(path, "w") as f:
            f.write(source(base, base_root, modes))
        jobs.append(("typegrad", "-", 0, base.distinct_nodes(), mname, path))
    for shape in args.shapes:
        for size in args.sizes:
            e, root = generate(size, shape, args.seed)
            for mname, modes in mode_sets.items():
                if not args.no_hand:
                    path = os.path.join(work, f"{shape}_{size}_{mname}_hand.cpp")
                    with open(path, "w") as f:
                        f.write(hand_source(e, root, modes))
                    jobs.append(("hand", shape, size, e.distinct_nodes(), mname, path))
                path = os.path.join(work, f"{shape}_{size}_{mname}.cpp")
                with open(path, "w") as f:
                    f.write(source(e, root, modes))
                jobs.append(("typegrad", shape, size, e.distinct_nodes(), mname, path))

    rows = []
    header = (f"{'compiler':<9} {'code':<8} {'shape':<5} {'modes':<8} {'ops':>4} {'nodes':>5} {'wall s':>7} "
              f"{'cpu s':>7} {'peak MiB':>9} {'growth':>7} {'x hand':>7}")
    print(header)
    print("-" * len(header))
    for compiler in compilers:
        prev = {}
        hand_cpu = {}
        for code, shape, size, distinct, mname, path in jobs:
            obj = path[:-4] + "." + os.path.basename(compiler).replace("+", "x") + ".o"
            best = None
            note = ""
            extra = args.clang_flags.split() if "clang" in os.path.basename(compiler) else []
            if os.path.basename(compiler).startswith("nvcc"):
                # as CUDA source (EDG front end, then the host compiler), as tests/cuda is built
                extra = ["-x", "cu", "--expt-relaxed-constexpr"]
            for _ in range(max(args.repeat, 1)):
                wall, cpu, rss, ok, out = compile_once(compiler, path, obj, extra)
                if not ok:
                    note = first_error(out)
                    best = (wall, cpu, rss, False)
                    break
                if best is None or cpu < best[1]:
                    best = (wall, cpu, rss, True)
            wall, cpu, rss, ok = best
            ran = ok and check_runs(compiler, obj, obj[:-2] + ".exe")
            status = "ok" if ran else ("compile-failed" if not ok else "run-failed")
            growth = ""
            key = (code, shape, mname)
            if size and key in prev and prev[key][1] > 0 and ok:
                psize, pcpu = prev[key]
                growth = f"{(cpu / pcpu) / (size / psize):7.2f}"
            if size and ok:
                prev[key] = (size, cpu)
            ratio = ""
            if code == "hand" and ok:
                hand_cpu[(shape, size, mname)] = cpu
            elif ok and hand_cpu.get((shape, size, mname), 0) > 0:
                ratio = f"{cpu / hand_cpu[(shape, size, mname)]:7.2f}"
            print(f"{os.path.basename(compiler):<9} {code:<8} {shape:<5} {mname:<8} {size:>4} {distinct:>5} {wall:7.2f} "
                  f"{cpu:7.2f} {rss:9.0f} {growth:>7} {ratio:>7}"
                  + ("" if status == "ok" else f"  {status}: {note}"), flush=True)
            rows.append({"compiler": os.path.basename(compiler), "code": code, "shape": shape, "modes": mname, "ops": size,
                         "distinct_nodes": distinct, "wall_s": f"{wall:.2f}", "cpu_s": f"{cpu:.2f}",
                         "peak_rss_mib": f"{rss:.0f}", "flags": " ".join(["-std=c++20", "-O2"] + extra),
                         "ratio_to_hand": ratio.strip(), "status": status, "note": note})
    print("(cpu s: user + system, steadier than wall time on a shared machine; growth: the CPU time ratio to the\n"
          " previous size divided by the size ratio, 1.00 is linear; x hand: typegrad's CPU time over the hand-written\n"
          " straight-line code of the same function and gradients, compiled just before it by the same compiler\n"
          " (without typegrad's header, so the ratio includes the header); --repeat N keeps the fastest)")

    with open(args.csv, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()) if rows else ["compiler"])
        w.writeheader()
        w.writerows(rows)
    print(f"written: {args.csv}")

    if args.time_report and "dag" in args.shapes and shutil.which("g++"):
        size = max(args.sizes)
        path = os.path.join(work, f"dag_{size}_both.cpp")
        wall, cpu, rss, ok, out = compile_once("g++", path, path[:-4] + ".report.o", ["-ftime-report"])
        report = os.path.join(RESULTS, f"time_report_gxx_dag_{size}.txt")
        with open(report, "w") as f:
            f.write(out)
        print(f"\ng++ -ftime-report, dag of {size} operations ({wall:.2f} s wall, {cpu:.2f} s cpu): largest phases")
        phases = []
        for line in out.splitlines():
            if ":" not in line or line.strip().startswith("TOTAL"):
                continue
            name, rest = line.split(":", 1)
            # "usr ( x%)  sys ( y%)  wall ( z%)  GGC ( w%)": the third timed column is wall
            values = re.findall(r"([\d.]+)\s*\(\s*\d+%\)", rest)
            if len(values) >= 3:
                phases.append((float(values[2]), name.strip(), line.strip()))
        for _, _, line in sorted(phases, reverse=True)[:12]:
            print("  " + line)
        print(f"full report: {report}")

    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
