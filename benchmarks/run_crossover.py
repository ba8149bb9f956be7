#!/usr/bin/env python3
"""Forward versus reverse: the crossover grid, the peers, compile cost; one command.

  benchmarks/run_crossover.py                 # everything (tens of minutes on 2 cores)
  benchmarks/run_crossover.py --skip-compile-time --skip-callgrind   # faster
  benchmarks/run_crossover.py --only-report   # redraw plots and the README table from results/

Steps (outputs under benchmarks/results/):
 1. configures BUILD (default build-crossover: Release, tests and examples off) with
    benchmarks/tu_time.sh as compiler launcher, builds `crossover` and every peer
    target CMake found (a peer that fails to build is skipped with a message);
    compile time and peak memory of each translation unit: tu_compile.csv;
 2. runs crossover (checks every mode against the hand-written Jacobian, then
    times): crossover.csv; with --callgrind-max K (default 4), the instructions per
    call of every mode for n, m <= K and for the peers' callgrind workloads, under
    callgrind (column `instructions`);
 3. writes typegrad's Jacobians at the check points (reference.txt), runs every
    peer (each checks against them before timing) and peers.py (PyTorch, JAX):
    peers.csv, peers_python.csv; callgrind counts for the small peer workloads;
 4. compile_time.py for g++, clang++ and nvcc (when found): compile_time_compilers.csv;
 5. plots (PNG, matplotlib) and the generated part of benchmarks/README.md (between
    the crossover:begin and crossover:end markers).
"""

import argparse
import csv
import datetime
import math
import os
import platform
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results")
PEERS = ["sacado", "adolc", "ceres", "eigen", "boost"]
PEER_WORKLOADS = ["chain:8:8", "chain:32:1", "chain:1:32", "stat:16:16", "stat:32:1", "dense:4:4", "dense:8:8"]
CALLGRIND_PEER_WORKLOADS = ["dense:4:4", "chain:8:8"]
FLAGS = "-std=c++20 -O3 -fno-math-errno (CMake Release: -O3 -DNDEBUG)"
BEGIN, END = "<!-- crossover:begin -->", "<!-- crossover:end -->"


def log(msg):
    print(f"[run_crossover] {msg}", flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, text=True, **kw)


def read_csv(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return list(csv.DictReader(f))


def write_csv(path, rows, fields):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


# ---------------------------------------------------------------------------
# 1. build

def build(args):
    tu_log = os.path.join(args.build, "tu_times.log")
    launcher = f"{os.path.join(HERE, 'tu_time.sh')};{tu_log}"
    cfg = ["cmake", "-S", ROOT, "-B", args.build, "-DCMAKE_BUILD_TYPE=Release", "-DTYPEGRAD_BUILD_TESTS=OFF",
           "-DTYPEGRAD_BUILD_EXAMPLES=OFF", "-DTYPEGRAD_ENABLE_CUDA=OFF", f"-DCMAKE_CXX_COMPILER_LAUNCHER={launcher}"]
    if run(cfg, stdout=subprocess.DEVNULL).returncode != 0:
        sys.exit("cmake configure failed")
    built = {}
    for target in ["crossover"] + [f"peer_{p}" for p in PEERS]:
        log(f"building {target}")
        r = run(["cmake", "--build", args.build, "--target", target, f"-j{args.jobs}"], stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT)
        ok = r.returncode == 0
        if not ok:
            unknown = "No rule to make target" in r.stdout or "unknown target" in r.stdout
            why = "not configured (library not found by CMake)" if unknown else "build failed: " + next(
                (line for line in r.stdout.splitlines() if "error" in line), r.stdout[-300:])
            log(f"{target}: {why}; skipped")
        built[target] = ok
    if not built["crossover"]:
        sys.exit("crossover did not build")
    # compile cost per translation unit (the last compilation of each object)
    per_tu = {}
    if os.path.exists(tu_log):
        with open(tu_log) as f:
            for line in f:
                p = line.split()
                if len(p) == 6 and p[5] == "0":
                    per_tu[os.path.basename(p[0]).replace(".o", "")] = p
    old = {r["translation_unit"]: r for r in read_csv(os.path.join(RESULTS, "tu_compile.csv"))}
    for name, p in per_tu.items():
        old[name] = {"translation_unit": name, "wall_s": p[1], "cpu_s": f"{float(p[2]) + float(p[3]):.2f}",
                     "peak_rss_mib": f"{int(p[4]) / 1024:.0f}", "compiler": compiler_version(), "flags": FLAGS}
    write_csv(os.path.join(RESULTS, "tu_compile.csv"), sorted(old.values(), key=lambda r: r["translation_unit"]),
              ["translation_unit", "wall_s", "cpu_s", "peak_rss_mib", "compiler", "flags"])
    return built


def compiler_version(cxx="g++"):
    try:
        return run([cxx, "--version"], stdout=subprocess.PIPE).stdout.splitlines()[0]
    except (OSError, IndexError):
        return cxx


# ---------------------------------------------------------------------------
# 2. the grid, callgrind

def callgrind_per_call(cmd, iterations):
    """Instructions per iteration of the hot_loop of a program, under callgrind."""
    out = os.path.join(RESULTS, "callgrind.tmp.out")
    r = run(["valgrind", "--tool=callgrind", "--toggle-collect=*hot_loop*", f"--callgrind-out-file={out}"] + cmd,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    total = None
    if r.returncode == 0 and os.path.exists(out):
        with open(out) as f:
            for line in f:
                if line.startswith("totals:") or line.startswith("summary:"):
                    total = int(line.split()[1])
        os.remove(out)
    return None if total is None else total / iterations


def run_grid(args, exe):
    path = os.path.join(RESULTS, "crossover.csv")
    raw = path + ".raw"
    log("crossover: checking every mode, then timing the grid")
    r = run([exe, "--csv", raw, "--min-batch", str(args.min_batch), "--reps", str(args.reps)])
    if r.returncode != 0:
        sys.exit("crossover failed (a mode differs from the hand-written Jacobian?)")
    rows = read_csv(raw)
    os.remove(raw)
    if not args.skip_callgrind and shutil.which("valgrind"):
        for row in rows:
            n, m = int(row["n"]), int(row["m"])
            small = n <= args.callgrind_max and m <= args.callgrind_max
            # Forward vector and reverse in every cell: exact counts judge the automatic
            # choice where wall times of tens of ns are noise.
            both = row["mode"] in ("fwd-vector", "reverse")
            if small or both or f"{row['family']}:{n}:{m}" in CALLGRIND_PEER_WORKLOADS:
                iters = 2000 if small else 200
                ipc = callgrind_per_call([exe, "--loop", row["family"], str(n), str(m), row["mode"], str(iters)], iters)
                row["instructions"] = "" if ipc is None else f"{ipc:.1f}"
        log("callgrind counts done")
    fields = ["family", "n", "m", "mode", "nodes", "time_ns", "primal_ns", "ratio_to_primal", "passes", "lanes",
              "automatic_is", "instructions"]
    write_csv(path, rows, fields)
    return rows


# ---------------------------------------------------------------------------
# 3. peers

def run_peers(args, exe, built):
    ref = os.path.join(RESULTS, "reference.txt")
    if run([exe, "--reference", ref] + PEER_WORKLOADS).returncode != 0:
        sys.exit("could not write the reference Jacobians")
    rows, failed = [], []
    for p in PEERS:
        if not built.get(f"peer_{p}"):
            continue
        prog = os.path.join(args.build, "benchmarks", f"peer_{p}")
        log(f"peer {p}")
        r = run([prog, ref, "--min-batch", str(args.min_batch), "--reps", str(args.reps)], stdout=subprocess.PIPE)
        if r.returncode != 0:
            failed.append(p)
            log(f"peer {p}: a workload differs from typegrad (see above); its other workloads are kept")
        fields = ["library", "family", "n", "m", "mode", "time_ns", "hand_ns", "ratio_to_hand", "max_rel_diff"]
        mine = []
        for line in r.stdout.splitlines():
            parts = line.split(",")  # the mode may contain commas: it is everything between field 4 and the last 4
            if len(parts) >= 9:
                mine.append(dict(zip(fields, parts[:4] + [",".join(parts[4:-4])] + parts[-4:])))
        if not args.skip_callgrind and shutil.which("valgrind"):
            iters = 2000
            for row in mine:
                if f"{row['family']}:{row['n']}:{row['m']}" in CALLGRIND_PEER_WORKLOADS:
                    loop = [prog, "--loop", row["family"], row["n"], row["m"], str(iters)]
                    row["instructions"] = fmt(callgrind_per_call(loop, iters))
                    row["hand_instructions"] = fmt(callgrind_per_call(loop + ["hand"], iters))
        rows += mine
    write_csv(os.path.join(RESULTS, "peers.csv"), rows,
              ["library", "family", "n", "m", "mode", "time_ns", "hand_ns", "ratio_to_hand", "max_rel_diff",
               "instructions", "hand_instructions"])
    if not args.skip_python:
        log("peers.py (PyTorch, JAX)")
        r = run([sys.executable, os.path.join(HERE, "peers.py"), "--reference", ref, "--crossover-csv",
                 os.path.join(RESULTS, "crossover.csv"), "--out", os.path.join(RESULTS, "peers_python.csv")])
        if r.returncode != 0:
            failed.append("peers.py")
    return failed


def fmt(v):
    return "" if v is None else f"{v:.1f}"


# ---------------------------------------------------------------------------
# 4. compile_time.py for g++, clang++, nvcc

def run_compile_time(args):
    out = os.path.join(RESULTS, "compile_time_compilers.csv")
    compilers = [c for c in ["g++", "clang++", "nvcc"] if shutil.which(c)]
    log(f"compile_time.py with {' '.join(compilers)}")
    run([sys.executable, os.path.join(HERE, "compile_time.py"), "--sizes", *map(str, args.compile_sizes),
         "--shapes", "dag", "--compilers", *compilers, "--csv", out])


# ---------------------------------------------------------------------------
# 5. analysis, plots, README

def grid_index(rows):
    g = {}
    for r in rows:
        g[(r["family"], int(r["n"]), int(r["m"]), r["mode"])] = r
    return g


def automatic_accuracy(rows):
    """Per cell: does the automatic choice pick the faster of forward vector and reverse?"""
    g = grid_index(rows)
    cells = sorted({(r["family"], int(r["n"]), int(r["m"])) for r in rows})
    result = []
    for fam, n, m in cells:
        f = float(g[(fam, n, m, "fwd-vector")]["time_ns"])
        rv = float(g[(fam, n, m, "reverse")]["time_ns"])
        chosen = g[(fam, n, m, "automatic")]["automatic_is"]
        faster = "fwd-vector" if f <= rv else "reverse"
        a = {"family": fam, "n": n, "m": m, "fwd": f, "rev": rv, "chosen": chosen, "faster": faster,
             "ok": chosen == faster, "gap": max(f, rv) / min(f, rv)}
        fi, ri = g[(fam, n, m, "fwd-vector")].get("instructions"), g[(fam, n, m, "reverse")].get("instructions")
        if fi and ri:
            fi, ri = float(fi), float(ri)
            cheaper = "fwd-vector" if fi <= ri else "reverse"
            a.update({"fwd_i": fi, "rev_i": ri, "cheaper": cheaper, "ok_i": chosen == cheaper,
                      "gap_i": max(fi, ri) / min(fi, ri)})
        result.append(a)
    return result


def plots(rows, acc):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import numpy as np
    except ImportError:
        log("matplotlib not installed; plots skipped (pip install matplotlib)")
        return []
    g = grid_index(rows)
    fams = [f for f in ["chain", "stat", "dense"] if any(r["family"] == f for r in rows)]
    sizes = [1, 2, 4, 8, 16, 32, 64, 128, 256]
    written = []

    # forward / reverse ratio over the grid
    fig, axes = plt.subplots(2, len(fams), figsize=(5 * len(fams), 9), squeeze=False)
    for col, fam in enumerate(fams):
        for row_i, fmode in enumerate(["fwd-vector", "fwd-scalar"]):
            ax = axes[row_i][col]
            z = np.full((len(sizes), len(sizes)), np.nan)
            for a, n in enumerate(sizes):
                for b, m in enumerate(sizes):
                    if (fam, n, m, fmode) in g:
                        z[b, a] = math.log2(float(g[(fam, n, m, fmode)]["time_ns"]) /
                                            float(g[(fam, n, m, "reverse")]["time_ns"]))
            lim = max(1.0, np.nanmax(np.abs(z)))
            im = ax.imshow(z, origin="lower", cmap="coolwarm", vmin=-lim, vmax=lim)
            for a in range(len(sizes)):
                for b in range(len(sizes)):
                    if not np.isnan(z[b, a]):
                        ax.text(a, b, f"{2 ** z[b, a]:.2g}", ha="center", va="center", fontsize=6)
            ax.plot([-0.5, len(sizes) - 0.5], [-0.5, len(sizes) - 0.5], "k--", lw=1, label="n = m (theory)")
            ax.set_xticks(range(len(sizes)), sizes)
            ax.set_yticks(range(len(sizes)), sizes)
            ax.set_xlabel("n (inputs)")
            ax.set_ylabel("m (outputs)")
            ax.set_title(f"{fam}: time {fmode} / reverse\n(blue: forward faster; blank: not compiled)", fontsize=9)
            fig.colorbar(im, ax=ax, shrink=0.7, label="log2 ratio")
            if col == 0 and row_i == 0:
                ax.legend(loc="upper left", fontsize=7)
    fig.tight_layout()
    path = os.path.join(RESULTS, "crossover_ratio.png")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    written.append(path)

    # cost per pass against n (m fixed) and against m (n fixed)
    fig, axes = plt.subplots(2, len(fams), figsize=(5 * len(fams), 8), squeeze=False)
    for col, fam in enumerate(fams):
        for row_i, (axis, fixed) in enumerate([("n", "m"), ("m", "n")]):
            ax = axes[row_i][col]
            fixed_val = 8
            for md, marker in [("fwd-scalar", "o"), ("fwd-vector", "s"), ("reverse", "^"), ("primal", "x")]:
                xs, ys = [], []
                for s in sizes:
                    n, m = (s, fixed_val) if axis == "n" else (fixed_val, s)
                    r = g.get((fam, n, m, md))
                    if r is None:
                        continue
                    per = float(r["time_ns"]) / (int(r["lanes"]) * int(r["passes"]) if md != "primal" else 1)
                    xs.append(s)
                    ys.append(per)
                label = {"fwd-scalar": "fwd-scalar (per pass)", "fwd-vector": "fwd-vector (per lane)",
                         "reverse": "reverse (per sweep)", "primal": "primal (one call)"}[md]
                if xs:
                    ax.plot(xs, ys, marker=marker, label=label)
            ax.set_xscale("log", base=2)
            ax.set_yscale("log")
            ax.set_xlabel(axis)
            ax.set_ylabel("ns per pass")
            ax.set_title(f"{fam}: cost per pass against {axis} ({fixed} = {fixed_val})", fontsize=9)
            ax.grid(True, which="both", alpha=0.3)
            ax.legend(fontsize=7)
    fig.tight_layout()
    path = os.path.join(RESULTS, "crossover_per_pass.png")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    written.append(path)

    # compile time
    ct = [r for r in read_csv(os.path.join(RESULTS, "compile_time_compilers.csv")) if r.get("status") == "ok"]
    if ct:
        fig, ax = plt.subplots(1, 2, figsize=(11, 4.5))
        for comp in sorted({r["compiler"] for r in ct}):
            pts = sorted((int(r["distinct_nodes"]), float(r["cpu_s"]), float(r["peak_rss_mib"]))
                         for r in ct if r["compiler"] == comp and r["shape"] == "dag")
            ax[0].plot([p[0] for p in pts], [p[1] for p in pts], "o-", label=comp)
            ax[1].plot([p[0] for p in pts], [p[2] for p in pts], "o-", label=comp)
        for a, lab in zip(ax, ["CPU seconds", "peak RSS (MiB)"]):
            a.set_xscale("log")
            a.set_yscale("log")
            a.set_xlabel("distinct nodes (generated DAG, gradient in both modes)")
            a.set_ylabel(lab)
            a.grid(True, which="both", alpha=0.3)
            a.legend()
        ax[0].set_title("compile_time.py: compile time", fontsize=9)
        ax[1].set_title("compile_time.py: peak memory", fontsize=9)
        fig.tight_layout()
        path = os.path.join(RESULTS, "compile_time.png")
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    return written


def machine_header():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    commit = run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE).stdout.strip()
    return (f"Machine: {cpu}, {os.cpu_count()} cores (shared; load average {load:.1f} when the report was made), "
            f"{platform.system()} {platform.release()}. Compiler: {compiler_version()}; flags {FLAGS}. "
            f"typegrad at commit {commit}; report generated {datetime.date.today().isoformat()}.")


def report(rows):
    acc = automatic_accuracy(rows)
    pngs = plots(rows, acc)
    g = grid_index(rows)
    out = [BEGIN, "", "_Generated by `benchmarks/run_crossover.py`; do not edit by hand._", "", machine_header(), ""]

    # automatic choice
    good = sum(a["ok"] for a in acc)
    near = sum(a["ok"] or a["gap"] < 1.05 for a in acc)
    out.append(f"**Automatic choice** (forward vector mode when n <= m, else reverse): picks the faster of the two "
               f"in **{good} of {len(acc)} cells ({100.0 * good / max(len(acc), 1):.0f} %)**; counting as right "
               f"the cells where the two modes are within 5 % of each other (timing noise on this machine), "
               f"{near} of {len(acc)} ({100.0 * near / max(len(acc), 1):.0f} %). "
               "Cells where it does not pick the faster mode:")
    out.append("")
    out.append("| family | n | m | picks | faster | fwd-vector ns | reverse ns | cost of the wrong pick |")
    out.append("|---|---:|---:|---|---|---:|---:|---:|")
    for a in acc:
        if not a["ok"]:
            out.append(f"| {a['family']} | {a['n']} | {a['m']} | {a['chosen']} | {a['faster']} | {a['fwd']:.1f} | "
                       f"{a['rev']:.1f} | {a['gap']:.2f}x |")
    out.append("")
    counted = [a for a in acc if "ok_i" in a]
    if counted:
        good_i = sum(a["ok_i"] for a in counted)
        near_i = sum(a["ok_i"] or a["gap_i"] < 1.05 for a in counted)
        out.append(f"By **instructions** (callgrind, exact, every cell counted: {len(counted)} of {len(acc)}), "
                   f"the automatic choice takes the cheaper mode in {good_i} cells and one within 5 % of it in "
                   f"**{near_i} of {len(counted)} ({100.0 * near_i / len(counted):.0f} %)**. Where it does not:")
        out.append("")
        out.append("| family | n | m | picks | cheaper | fwd-vector instr. | reverse instr. | cost of the wrong pick |")
        out.append("|---|---:|---:|---|---|---:|---:|---:|")
        for a in counted:
            if not a["ok_i"] and a["gap_i"] >= 1.05:
                out.append(f"| {a['family']} | {a['n']} | {a['m']} | {a['chosen']} | {a['cheaper']} | "
                           f"{a['fwd_i']:.0f} | {a['rev_i']:.0f} | {a['gap_i']:.2f}x |")
        out.append("")

    # crossover summary per family
    out.append("Forward vector / reverse time, per family (rows m, columns n; < 1: forward faster; "
               "blank: not in the grid):")
    out.append("")
    for fam in sorted({r["family"] for r in rows}, key=["chain", "stat", "dense"].index):
        ns = sorted({int(r["n"]) for r in rows if r["family"] == fam})
        ms = sorted({int(r["m"]) for r in rows if r["family"] == fam})
        out.append(f"| {fam} | " + " | ".join(f"n={n}" for n in ns) + " |")
        out.append("|---|" + "---:|" * len(ns))
        for m in ms:
            cells = []
            for n in ns:
                if (fam, n, m, "reverse") in g:
                    ratio = float(g[(fam, n, m, "fwd-vector")]["time_ns"]) / float(g[(fam, n, m, "reverse")]["time_ns"])
                    cells.append(f"{ratio:.2f}")
                else:
                    cells.append("")
            out.append(f"| m={m} | " + " | ".join(cells) + " |")
        out.append("")

    # peers
    peers = read_csv(os.path.join(RESULTS, "peers.csv")) + read_csv(os.path.join(RESULTS, "peers_python.csv"))
    workloads = [tuple(w.split(":")) for w in PEER_WORKLOADS]
    libs = []
    for r in peers:
        key = f"{r['library']} ({r['mode']})"
        if key not in libs:
            libs.append(key)
    out.append("**Peers**: full Jacobian (values included), time relative to the hand-written C++ Jacobian of the "
               "same run (C++ peers) or of the crossover run (Python peers: per call, framework overhead included). "
               "typegrad: `tg::jacobian<tg::automatic>` and the faster of its forward-vector and reverse modes, "
               "from `crossover.csv`. Every peer was checked against typegrad's Jacobian (1e-12 relative) before "
               "being timed; `-` where the library was not run or its result differed.")
    out.append("")
    head = "| library | " + " | ".join(f"{f} {n}x{m}" for f, n, m in workloads) + " |"
    out.append(head)
    out.append("|---|" + "---:|" * len(workloads))
    hand_row, tg_auto, tg_best = [], [], []
    for f, n, m in workloads:
        key = (f, int(n), int(m))
        if (*key, "hand") in g:
            h = float(g[(*key, "hand")]["time_ns"])
            hand_row.append(f"{h:.0f} ns")
            tg_auto.append(f"{float(g[(*key, 'automatic')]['time_ns']) / h:.2f}")
            best = min(float(g[(*key, md)]["time_ns"]) for md in ("fwd-vector", "reverse"))
            tg_best.append(f"{best / h:.2f}")
        else:
            hand_row.append("-")
            tg_auto.append("-")
            tg_best.append("-")
    out.append("| hand-written (ns per call, crossover run) | " + " | ".join(hand_row) + " |")
    out.append("| **typegrad automatic** | " + " | ".join(tg_auto) + " |")
    out.append("| typegrad, faster mode | " + " | ".join(tg_best) + " |")
    for lib in libs:
        cells = []
        for f, n, m in workloads:
            r = next((r for r in peers if f"{r['library']} ({r['mode']})" == lib and r["family"] == f
                      and r["n"] == n and r["m"] == m), None)
            cells.append("-" if r is None else f"{float(r['ratio_to_hand']):.2f}")
        out.append(f"| {lib} | " + " | ".join(cells) + " |")
    out.append("")

    # instructions
    small = [(f, n, m) for f, n, m in workloads if f"{f}:{n}:{m}" in CALLGRIND_PEER_WORKLOADS]
    if any(r.get("instructions") for r in peers) or any(r.get("instructions") for r in rows):
        out.append("Instructions per Jacobian under callgrind (`--toggle-collect=*hot_loop*`, libm and library "
                   "calls included), small workloads; hand-written in parentheses where measured in the same program:")
        out.append("")
        out.append("| library | " + " | ".join(f"{f} {n}x{m}" for f, n, m in small) + " |")
        out.append("|---|" + "---:|" * len(small))
        for md in ("hand", "automatic", "fwd-vector", "reverse", "fwd-scalar"):
            cells = []
            for f, n, m in small:
                r = g.get((f, int(n), int(m), md))
                cells.append(r["instructions"] if r and r.get("instructions") else "-")
            out.append(f"| typegrad {md} |" if md != "hand" else "| hand-written |")
            out[-1] += " " + " | ".join(cells) + " |"
        for lib in libs:
            cells = []
            for f, n, m in small:
                r = next((r for r in peers if f"{r['library']} ({r['mode']})" == lib and r["family"] == f
                          and r["n"] == n and r["m"] == m and r.get("instructions")), None)
                cells.append("-" if r is None else f"{r['instructions']} ({r.get('hand_instructions', '')})")
            out.append(f"| {lib} | " + " | ".join(cells) + " |")
        out.append("")

    # compile cost
    tu = read_csv(os.path.join(RESULTS, "tu_compile.csv"))
    if tu:
        out.append("**Compile cost per translation unit** (`tu_time.sh` as compiler launcher; wall time on a "
                   "shared machine, CPU = user + system):")
        out.append("")
        out.append("| translation unit | wall s | CPU s | peak RSS MiB |")
        out.append("|---|---:|---:|---:|")
        for r in tu:
            out.append(f"| {r['translation_unit']} | {r['wall_s']} | {r['cpu_s']} | {r['peak_rss_mib']} |")
        out.append("")
    ct = [r for r in read_csv(os.path.join(RESULTS, "compile_time_compilers.csv"))]
    if ct:
        comps = sorted({r["compiler"] for r in ct})
        sizes = sorted({int(r["ops"]) for r in ct})
        out.append("**compile_time.py** (generated DAG over 4 inputs, gradient in both modes, `-O2`; CPU s / "
                   "peak MiB):")
        out.append("")
        out.append("| operations | " + " | ".join(comps) + " |")
        out.append("|---:|" + "---:|" * len(comps))
        for s in sizes:
            cells = []
            for c in comps:
                r = next((r for r in ct if r["compiler"] == c and int(r["ops"]) == s), None)
                if r is None:
                    cells.append("-")
                elif r["status"] != "ok":
                    cells.append(r["status"])
                else:
                    cells.append(f"{r['cpu_s']} s / {r['peak_rss_mib']}")
            out.append(f"| {s} | " + " | ".join(cells) + " |")
        out.append("")
    if pngs:
        out.append("Plots: " + ", ".join(f"[`{os.path.basename(p)}`](results/{os.path.basename(p)})" for p in pngs)
                   + ".")
        out.append("")
    out.append(END)

    readme = os.path.join(HERE, "README.md")
    with open(readme) as f:
        text = f.read()
    block = "\n".join(out)
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    with open(readme, "w") as f:
        f.write(text)
    log(f"README table regenerated; automatic choice right in {good}/{len(acc)} cells")
    for a in acc:
        if not a["ok"]:
            log(f"  wrong pick: {a['family']} n={a['n']} m={a['m']} picks {a['chosen']}, "
                f"{a['faster']} faster by {a['gap']:.2f}x")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default=os.path.join(ROOT, "build-crossover"))
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--min-batch", type=float, default=0.005, help="seconds per timed batch")
    p.add_argument("--reps", type=int, default=5, help="batches per measurement (the fastest is kept)")
    p.add_argument("--callgrind-max", type=int, default=4, help="callgrind counts for n, m <= this")
    p.add_argument("--compile-sizes", type=int, nargs="+", default=[25, 50, 100, 200, 400])
    p.add_argument("--skip-callgrind", action="store_true")
    p.add_argument("--skip-peers", action="store_true")
    p.add_argument("--peers-only", action="store_true", help="only the peers (programs already built), then the report")
    p.add_argument("--skip-python", action="store_true")
    p.add_argument("--skip-compile-time", action="store_true")
    p.add_argument("--only-report", action="store_true", help="only redraw plots and the README from results/")
    args = p.parse_args()
    os.makedirs(RESULTS, exist_ok=True)
    if not args.only_report:
        exe = os.path.join(args.build, "benchmarks", "crossover")
        if args.peers_only:
            built = {f"peer_{p}": os.path.exists(os.path.join(args.build, "benchmarks", f"peer_{p}")) for p in PEERS}
        else:
            built = build(args)
            run_grid(args, exe)
        if not args.skip_peers:
            failed = run_peers(args, exe, built)
            if failed:
                log(f"peers with a workload that differs from typegrad: {', '.join(failed)}")
        if not args.skip_compile_time:
            run_compile_time(args)
    report(read_csv(os.path.join(RESULTS, "crossover.csv")))


if __name__ == "__main__":
    main()
