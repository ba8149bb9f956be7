#!/usr/bin/env python3
"""PyTorch (eager, CPU) and JAX (jit, CPU) on the array benchmarks of arrays.cpp.

    ./build/benchmarks/arrays --csv=benchmarks/results/arrays.csv
    python3 benchmarks/peers_arrays.py --typegrad-csv benchmarks/results/arrays.csv \
        --out benchmarks/results/arrays_peers.csv

Workloads (the same as arrays.cpp, same sizes, double precision, one thread):
  pointwise-jacobian  f = x y sin(z) + exp(x z) and its three partials at 1e6 points
  p3-gradient         logistic-regression loss and its gradient with respect to w,
                      K = 100, N = 1000
Each peer's result is checked against NumPy's closed form before it is timed; a peer
that disagrees is reported and not timed. A package that is missing is skipped with
a message. The CSV has the columns of arrays.cpp's (benchmark, variant, elements, ns,
reference, ratio_to_reference), the reference being typegrad's time from
--typegrad-csv when given (ratio = peer time / typegrad time).
Timing and printing only: no pass/fail logic of the test suite lives here.
"""
import argparse
import csv
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

import numpy as np  # noqa: E402

JAC_N = 1_000_000
K, N = 100, 1000


def best_time(fn, repeat=20, min_total=0.5):
    fn()  # warm up (and compile, for JAX)
    best = float("inf")
    start = time.perf_counter()
    runs = 0
    while runs < repeat or time.perf_counter() - start < min_total:
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
        runs += 1
        if runs > 10000:
            break
    return best * 1e9


def data():
    rng = np.random.default_rng(7)
    x, y, z = (rng.uniform(-1, 1, JAC_N) for _ in range(3))
    X = rng.standard_normal((K, N))
    w = 0.1 * rng.standard_normal(K)
    t = (rng.standard_normal(N) > 0).astype(np.float64)
    return x, y, z, X, w, t


def reference(x, y, z, X, w, t):
    s, c, e = np.sin(z), np.cos(z), np.exp(x * z)
    jac = (x * y * s + e, y * s + z * e, x * s, x * y * c + x * e)
    p = 1 / (1 + np.exp(-(w @ X)))
    loss = -np.sum(t * np.log(p) + (1 - t) * np.log(1 - p))
    return jac, (loss, X @ (p - t))


def agree(a, b, rel=1e-10):
    a, b = np.asarray(a), np.asarray(b)
    return np.all(np.abs(a - b) <= rel * np.maximum(1.0, np.maximum(np.abs(a), np.abs(b))))


def run_torch(d, ref):
    try:
        import torch
    except ImportError:
        print("PyTorch not installed: skipped (pip install torch)")
        return []
    torch.set_num_threads(1)
    x, y, z, X, w, t = (torch.tensor(a, dtype=torch.float64) for a in d)

    def jac():
        xs, ys, zs = (a.clone().requires_grad_(True) for a in (x, y, z))
        f = xs * ys * torch.sin(zs) + torch.exp(xs * zs)
        f.backward(torch.ones_like(f))  # element-wise: the gradient of the sum is the diagonal
        return f.detach(), xs.grad, ys.grad, zs.grad

    def p3():
        ws = w.clone().requires_grad_(True)
        p = torch.sigmoid(ws @ X)
        loss = -torch.sum(t * torch.log(p) + (1 - t) * torch.log(1 - p))
        loss.backward()
        return loss.detach(), ws.grad

    return measure("pytorch-eager", jac, p3, ref, lambda v: v.numpy())


def run_jax(d, ref):
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        print("JAX not installed: skipped (pip install jax)")
        return []
    jax.config.update("jax_enable_x64", True)
    x, y, z, X, w, t = (jnp.asarray(a) for a in d)

    def f(a, b, c):
        return a * b * jnp.sin(c) + jnp.exp(a * c)

    vg = jax.vmap(jax.value_and_grad(f, argnums=(0, 1, 2)))
    jac_jit = jax.jit(vg)

    def jac():
        v, (gx, gy, gz) = jac_jit(x, y, z)
        v.block_until_ready()
        return v, gx, gy, gz

    def loss(ws):
        p = jax.nn.sigmoid(ws @ X)
        return -jnp.sum(t * jnp.log(p) + (1 - t) * jnp.log(1 - p))

    p3_jit = jax.jit(jax.value_and_grad(loss))

    def p3():
        l, g = p3_jit(w)
        g.block_until_ready()
        return l, g

    return measure("jax-jit", jac, p3, ref, np.asarray)


def measure(name, jac, p3, ref, to_np):
    rows = []
    got = [to_np(a) for a in jac()]
    if all(agree(a, b) for a, b in zip(got, ref[0])):
        rows.append(("pointwise-jacobian", name, JAC_N, best_time(jac)))
    else:
        print(f"{name}: pointwise Jacobian disagrees with the closed form; not timed")
    l, g = p3()
    if agree(to_np(l), ref[1][0]) and agree(to_np(g), ref[1][1]):
        rows.append(("p3-gradient", name, K * N, best_time(p3)))
    else:
        print(f"{name}: P3 gradient disagrees with the closed form; not timed")
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--typegrad-csv", help="CSV written by arrays --csv=FILE")
    ap.add_argument("--out", default="-")
    args = ap.parse_args()
    typegrad = {}
    if args.typegrad_csv:
        with open(args.typegrad_csv) as fh:
            for r in csv.DictReader(fh):
                if r["variant"] == "typegrad":
                    typegrad[r["benchmark"]] = float(r["ns"])
    d = data()
    ref = reference(*d)
    rows = run_torch(d, ref) + run_jax(d, ref)
    out = sys.stdout if args.out == "-" else open(args.out, "w", newline="")
    wr = csv.writer(out)
    wr.writerow(["benchmark", "variant", "elements", "ns", "reference", "ratio_to_reference"])
    for bench, variant, n, ns in rows:
        tg = typegrad.get(bench)
        ratio = f"{ns / tg:.4f}" if tg else ""
        wr.writerow([bench, variant, n, f"{ns:.1f}", "typegrad" if tg else "", ratio])
        print(f"{bench:20s} {variant:14s} {ns / 1e6:10.3f} ms" + (f"   {ns / tg:6.2f}x typegrad" if tg else ""),
              file=sys.stderr)
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
