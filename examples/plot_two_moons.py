#!/usr/bin/env python3
"""Plots for P4 (examples/two_moons.cpp): the loss curve and the decision boundary.

    python3 examples/plot_two_moons.py --loss two_moons_loss.csv \
        --boundary two_moons_boundary.csv --out-dir .
writes loss_curve.png and decision_boundary.png in --out-dir (needs matplotlib and numpy).

The two CSV formats (comma-separated, one header line, numbers in any form that
Python's float() reads, e.g. printf's %.17g):

1. Loss per step (--loss):
       step,loss
       0,510.83
       1,497.12
       ...
   one row per gradient-descent step, step counting from 0, loss the value of
   -sum(t log p + (1 - t) log(1 - p)) at the weights that step starts from.

2. Decision boundary and data (--boundary):
       kind,x0,x1,value
       grid,-1.73,-1.12,0.0412
       ...
       point,0.93,0.27,0
       ...
   kind "grid": p = 0.5 (tanh(x0 w0 + x1 w1) + 1) with the trained weights, at every
   node of a regular grid of step 0.01 that covers the data with a margin of 0.5:
   x0 = min(data x0) - 0.5 + 0.01 i for i = 0 .. ceil((max - min + 1) / 0.01), and the
   same for x1 (the rows in any order, each node once).
   kind "point": one row per data point, value its label (0 or 1).

A missing node or a malformed row is reported with the line number, and nothing is written.
"""
import argparse
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


class InputError(Exception):
    pass


def read_rows(path, header):
    with open(path, newline="") as fh:
        reader = csv.reader(fh)
        first = next(reader, None)
        if first is None or [c.strip() for c in first] != header:
            raise InputError(f"{path}: expected the header {','.join(header)}, got {first}")
        for line, row in enumerate(reader, start=2):
            if not row:
                continue
            if len(row) != len(header):
                raise InputError(f"{path}:{line}: expected {len(header)} fields, got {len(row)}")
            yield line, row


def read_loss(path):
    steps, losses = [], []
    for line, row in read_rows(path, ["step", "loss"]):
        try:
            steps.append(int(row[0]))
            losses.append(float(row[1]))
        except ValueError as e:
            raise InputError(f"{path}:{line}: {e}") from None
    if not steps:
        raise InputError(f"{path}: no steps")
    return np.array(steps), np.array(losses)


def read_boundary(path):
    grid, points = [], []
    for line, row in read_rows(path, ["kind", "x0", "x1", "value"]):
        kind = row[0].strip()
        try:
            values = tuple(float(v) for v in row[1:])
        except ValueError as e:
            raise InputError(f"{path}:{line}: {e}") from None
        if kind == "grid":
            grid.append(values)
        elif kind == "point":
            points.append(values)
        else:
            raise InputError(f"{path}:{line}: kind must be grid or point, got {kind!r}")
    if not grid or not points:
        raise InputError(f"{path}: needs both grid and point rows ({len(grid)} grid, {len(points)} point)")
    grid, points = np.array(grid), np.array(points)
    # Nodes are rebuilt from the coordinates rounded to the grid step, so that printing
    # with fewer digits still lands each row on its node.
    xs, ys = np.unique(np.round(grid[:, 0], 6)), np.unique(np.round(grid[:, 1], 6))
    if xs.size * ys.size != grid.shape[0]:
        raise InputError(f"{path}: {grid.shape[0]} grid rows do not fill a {xs.size} x {ys.size} grid")
    p = np.full((ys.size, xs.size), np.nan)
    p[np.searchsorted(ys, np.round(grid[:, 1], 6)), np.searchsorted(xs, np.round(grid[:, 0], 6))] = grid[:, 2]
    if np.isnan(p).any():
        raise InputError(f"{path}: some grid nodes are missing or repeated")
    return xs, ys, p, points


def plot_loss(steps, losses, out):
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(steps, losses, color="tab:blue")
    ax.set_xlabel("step")
    ax.set_ylabel("loss  -sum(t log p + (1 - t) log(1 - p))")
    ax.set_title(f"P4: gradient descent, loss {losses[0]:.1f} -> {losses[-1]:.1f}")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


def plot_boundary(xs, ys, p, points, out):
    fig, ax = plt.subplots(figsize=(7, 5))
    filled = ax.contourf(xs, ys, p, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6)
    ax.contour(xs, ys, p, levels=[0.5], colors="k", linewidths=1.5)
    fig.colorbar(filled, ax=ax, label="p = 0.5 (tanh(X w) + 1)")
    for label, colour, name in ((0, "tab:blue", "label 0"), (1, "tab:red", "label 1")):
        sel = points[:, 2] == label
        ax.scatter(points[sel, 0], points[sel, 1], s=10, c=colour, edgecolors="k", linewidths=0.3, label=name)
    ax.set_xlabel("x0")
    ax.set_ylabel("x1")
    ax.set_title("P4: decision boundary (p = 0.5) and the two moons")
    ax.legend(loc="upper right")
    ax.set_aspect("equal")
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser(description="P4 plots: loss curve and decision boundary")
    ap.add_argument("--loss", required=True, help="CSV step,loss")
    ap.add_argument("--boundary", required=True, help="CSV kind,x0,x1,value")
    ap.add_argument("--out-dir", default=".")
    args = ap.parse_args()
    try:
        steps, losses = read_loss(args.loss)
        xs, ys, p, points = read_boundary(args.boundary)
    except (InputError, OSError) as e:
        print(f"plot_two_moons: {e}", file=sys.stderr)
        return 1
    os.makedirs(args.out_dir, exist_ok=True)
    plot_loss(steps, losses, os.path.join(args.out_dir, "loss_curve.png"))
    plot_boundary(xs, ys, p, points, os.path.join(args.out_dir, "decision_boundary.png"))
    print(f"wrote {os.path.join(args.out_dir, 'loss_curve.png')} and {os.path.join(args.out_dir, 'decision_boundary.png')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
