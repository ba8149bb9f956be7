#!/usr/bin/env python3
"""Alpha-beta model of the all-reduce typegrad::mpi sends, from mpi_scaling's CSV.

Fits T(n) = alpha + beta * n to the measured all-reduce times at each rank count p
(n: bytes), reads a per-step latency alpha and an inverse bandwidth beta off the fit,
and projects the two textbook algorithms to 10 .. 1000 ranks:

  ring (bandwidth-optimal, large messages): T = 2 (p - 1) alpha + 2 (p - 1) / p * n * beta
  recursive doubling (small messages):      T = ceil(log2 p) * (alpha + n * beta)

The per-step alpha and beta come from the largest p measured that does not exceed the
machine's cores (or --from-ranks), as if each step of the
algorithm cost what one exchange costs there (on one node that is shared memory, not a
network: for a cluster put the interconnect's numbers in with --alpha and --beta).
The sizes projected are the gradient buffers of the losses in the CSV (the 'strong' rows:
value, count and the K + 1 parameters) and of larger models.
"""
import argparse
import csv
import math
import os
import sys


def fit(points):
    """T = a + b n over (n, T) points, least squares in relative error (weights 1 / T^2), so
    that the small messages fix a and the large ones b; a, b >= 0."""
    w = [1.0 / (t * t) for _, t in points]
    sw = sum(w)
    sx = sum(wi * n for wi, (n, _) in zip(w, points)); sy = sum(wi * t for wi, (_, t) in zip(w, points))
    sxx = sum(wi * n * n for wi, (n, _) in zip(w, points)); sxy = sum(wi * n * t for wi, (n, t) in zip(w, points))
    b = (sw * sxy - sx * sy) / (sw * sxx - sx * sx)
    a = (sy - b * sx) / sw
    return max(a, 0.0), max(b, 0.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv")
    ap.add_argument("--alpha", type=float, help="per-message latency in microseconds (instead of the fit)")
    ap.add_argument("--beta", type=float, help="microseconds per byte (instead of the fit)")
    ap.add_argument("--from-ranks", type=int,
                    help="the rank count whose fit gives the model (default: the largest measured that does not "
                         "exceed this machine's cores, since more ranks than cores measures the scheduler)")
    args = ap.parse_args()
    reduce, features = {}, set()
    with open(args.csv) as f:
        for row in csv.reader(f):
            if not row or row[0] == "mode":
                continue
            if row[0] == "allreduce":
                reduce.setdefault(int(row[1]), []).append((int(row[2]), float(row[3])))
            elif row[0] == "strong":
                features.add(int(row[4]))
    multi = sorted(p for p in reduce if p > 1)
    if not multi and (args.alpha is None or args.beta is None):
        sys.exit("no all-reduce measured with more than one rank")
    print("measured all-reduce (median, slowest rank), microseconds:")
    sizes = sorted({n for p in reduce for n, _ in reduce[p]})
    print("  bytes     " + "".join(f"{'p=' + str(p):>12}" for p in sorted(reduce)))
    for n in sizes:
        cells = [dict(reduce[p]).get(n) for p in sorted(reduce)]
        print(f"  {n:<10}" + "".join(f"{c:>12.2f}" if c is not None else f"{'-':>12}" for c in cells))
    for p in multi:
        a, b = fit(reduce[p])
        print(f"fit at p={p}: T = {a:.2f} us + n * {b * 1e3:.4f} ns/byte ({1 / b / 1e3 if b > 0 else float('inf'):.2f} GB/s)")
    if multi:
        cores = os.cpu_count() or 1
        p = args.from_ranks or ([q for q in multi if q <= cores] or multi[:1])[-1]
        a, b = fit(reduce[p])
        # Per step of the algorithms: a p-rank all-reduce in shared memory takes about log2 p steps.
        steps = max(1, math.ceil(math.log2(p)))
        alpha, beta = a / steps, b / (2 * (p - 1) / p)
    alpha = args.alpha if args.alpha is not None else alpha
    beta = args.beta if args.beta is not None else beta
    print(f"model (from p={p if multi else '-'}): alpha = {alpha:.2f} us per step, beta = {beta * 1e3:.4f} ns per byte")
    grads = sorted({(k + 3) * 8 for k in features}) + [8 * 10**5, 8 * 10**7]
    ranks = [10, 30, 100, 300, 1000]
    print("projected all-reduce time, microseconds (ring / recursive doubling; the smaller is what MPI would pick):")
    print("  bytes       " + "".join(f"{'p=' + str(p):>22}" for p in ranks))
    for n in grads:
        cells = []
        for p in ranks:
            ring = 2 * (p - 1) * alpha + 2 * (p - 1) / p * n * beta
            rd = math.ceil(math.log2(p)) * (alpha + n * beta)
            cells.append(f"{ring:>10.1f} / {rd:>9.1f}")
        print(f"  {n:<12}" + "".join(f"{c:>22}" for c in cells))


if __name__ == "__main__":
    main()
