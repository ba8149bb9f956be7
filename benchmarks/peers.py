#!/usr/bin/env python3
"""PyTorch and JAX (CPU, float64) on the crossover workloads, for the peer table.

The same families as benchmarks/crossover_families.hpp, written with array
operations. For each library and workload the full Jacobian is computed in forward
mode (jacfwd) and in reverse mode (jacrev), compiled where the library compiles
(jax.jit; torch.func transforms run eagerly). Before timing, the values and the
Jacobian are checked at every point of the reference file (typegrad's results,
written by `crossover --reference`) to 1e-12 relative, as the C++ peers are; a
workload that differs is reported and not timed.

Writes CSV rows with the columns of the C++ peers:
  library,family,n,m,mode,time_ns,hand_ns,ratio_to_hand,max_rel_diff
hand_ns comes from the crossover CSV (the hand-written C++ Jacobian, mode "hand"),
so the ratio compares a Python call with compiled C++: it includes the call overhead
of the framework, which is what a user calling it per point pays.

A library that is not installed is skipped with a message.

  benchmarks/peers.py --reference benchmarks/results/reference.txt \
      --crossover-csv benchmarks/results/crossover.csv --out benchmarks/results/peers_python.csv
"""

import argparse
import csv
import math
import sys
import time


def load_reference(path):
    ref = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 3:
                continue
            fam, n, m = parts[0], int(parts[1]), int(parts[2])
            vals = [float(v) for v in parts[3:]]
            x, y, jac = vals[:n], vals[n:n + m], vals[n + m:]
            ref.setdefault((fam, n, m), []).append((x, y, jac))
    return ref


def hand_times(path):
    out = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            if row["mode"] == "hand":
                out[(row["family"], int(row["n"]), int(row["m"]))] = float(row["time_ns"])
    return out


def family_fn(xp, fam, n, m):
    """f(x) for one family, with the array namespace xp (jax.numpy or torch)."""
    import numpy as np
    j = np.arange(m)
    k = j % n
    c = (j + 1) / 8.0
    if fam == "dense":
        i = np.arange(n)
        w = (2.0 * ((7 * i[None, :] + 3 * j[:, None]) % 11) - 11.0) / 8.0
        b = (j + 1) / 16.0

    def f(x):
        if fam == "chain":
            mean = (1.0 / n) * x.sum()
            return xp.tanh(xp.sin(const(c) * x[k]) + mean)
        if fam == "stat":
            mean = (1.0 / n) * x.sum()
            d = x - mean
            r = 1.0 / xp.sqrt((1.0 / n) * (d * d).sum() + 1.0)
            return (const(c) * d[k]) * r
        return xp.tanh(const(w) @ x + const(b))

    def const(a):
        return xp.asarray(a, dtype=xp.float64)

    return f


def difference(y, jac, want):
    _, wy, wj = want
    scale = max([1.0] + [abs(v) for v in wj] + [abs(v) for v in wy])
    d = max([abs(a - b) for a, b in zip(y, wy)] + [abs(a - b) for a, b in zip(jac, wj)])
    return d / scale


def time_call(fn, points, min_batch, reps):
    def batch(iters):
        t0 = time.perf_counter()
        for it in range(iters):
            fn(points[it % len(points)])
        return time.perf_counter() - t0

    iters = 4
    while batch(iters) < min_batch and iters < 1 << 24:
        iters *= 2
    return min(batch(iters) for _ in range(reps)) / iters * 1e9


def jax_engines(fam, n, m):
    import jax
    import jax.numpy as jnp
    f = family_fn(jnp, fam, n, m)
    out = {}
    for mode, jac in (("jacfwd (jit)", jax.jacfwd), ("jacrev (jit)", jax.jacrev)):
        g = jax.jit(lambda x, jac=jac: (f(x), jac(f)(x)))

        def run(x, g=g):
            y, j = g(x)
            j.block_until_ready()
            return y, j
        out[mode] = (run, lambda p: jnp.asarray(p, dtype=jnp.float64))
    return out


def torch_engines(fam, n, m):
    import torch
    import torch.func
    f = family_fn(torch, fam, n, m)
    out = {}
    for mode, jac in (("func.jacfwd", torch.func.jacfwd), ("func.jacrev", torch.func.jacrev)):
        def run(x, jac=jac):
            return f(x), jac(f)(x)
        out[mode] = (run, lambda p: torch.tensor(p, dtype=torch.float64))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reference", required=True)
    p.add_argument("--crossover-csv", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--min-batch", type=float, default=0.05)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--libraries", nargs="+", default=["jax", "torch"])
    args = p.parse_args()

    ref = load_reference(args.reference)
    hand = hand_times(args.crossover_csv)
    rows, failed = [], False
    for lib in args.libraries:
        try:
            if lib == "jax":
                import jax
                jax.config.update("jax_enable_x64", True)
                jax.config.update("jax_platforms", "cpu")
                make, name = jax_engines, f"JAX {jax.__version__}"
            else:
                import torch
                torch.set_num_threads(1)
                make, name = torch_engines, f"PyTorch {torch.__version__.split('+')[0]}"
        except Exception as e:  # not installed, or broken
            print(f"peers.py: {lib} not available ({e.__class__.__name__}: {e}); skipped", file=sys.stderr)
            continue
        for (fam, n, m), samples in sorted(ref.items()):
            for mode, (run, to_input) in make(fam, n, m).items():
                points = [to_input(s[0]) for s in samples]
                worst = 0.0
                for pt, s in zip(points, samples):
                    y, j = run(pt)
                    worst = max(worst, difference([float(v) for v in y.reshape(-1)],
                                                  [float(v) for v in j.reshape(-1)], s))
                if not worst <= 1e-12:
                    print(f"MISMATCH {name} {mode} {fam} n={n} m={m}: relative difference {worst:.3g} "
                          f"from typegrad; not timed", file=sys.stderr)
                    failed = True
                    continue
                t = time_call(run, points, args.min_batch, args.reps)
                h = hand.get((fam, n, m), math.nan)
                rows.append({"library": name, "family": fam, "n": n, "m": m, "mode": mode,
                             "time_ns": f"{t:.3f}", "hand_ns": f"{h:.3f}", "ratio_to_hand": f"{t / h:.4f}",
                             "max_rel_diff": f"{worst:.3g}"})
                print(f"{name:14} {fam:5} {n:3} x {m:3} {mode:14} {t:12.1f} ns  {t / h:9.1f} x hand", flush=True)
    with open(args.out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["library", "family", "n", "m", "mode", "time_ns", "hand_ns",
                                          "ratio_to_hand", "max_rel_diff"])
        w.writeheader()
        w.writerows(rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
