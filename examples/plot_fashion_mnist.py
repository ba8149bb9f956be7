#!/usr/bin/env python3
"""Plots for P7 (examples/fashion_mnist_cnn.cpp): loss curves and test accuracy per epoch.

    python3 examples/plot_fashion_mnist.py fashion_mnist_cnn.csv --out-dir .

writes fashion_mnist_loss.png (training and test loss per epoch) and
fashion_mnist_accuracy.png (test accuracy per epoch) in --out-dir (needs matplotlib).

The CSV is what the example writes: a header line, then one row per epoch,
    epoch,train_loss,test_loss,test_accuracy,seconds
with epoch 0 the untrained network (its train_loss empty).
"""
import argparse
import csv
import os
import sys


def read(path):
    rows = []
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        expected = {"epoch", "train_loss", "test_loss", "test_accuracy", "seconds"}
        if reader.fieldnames is None or not expected.issubset(reader.fieldnames):
            sys.exit(f"{path}: expected the columns {sorted(expected)}, got {reader.fieldnames}")
        for r in reader:
            rows.append({k: (float(v) if v not in ("", None) else None) for k, v in r.items()})
    if not rows:
        sys.exit(f"{path}: no epochs")
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("csv")
    p.add_argument("--out-dir", default=".")
    a = p.parse_args()
    rows = read(a.csv)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = [r["epoch"] for r in rows]
    trained = [r for r in rows if r["train_loss"] is not None]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot([r["epoch"] for r in trained], [r["train_loss"] for r in trained], "o-", label="training (mean over the epoch)")
    ax.plot(epochs, [r["test_loss"] for r in rows], "s-", label="test (10000 images)")
    ax.set_xlabel("epoch")
    ax.set_ylabel("softmax cross-entropy")
    ax.set_title("P7: Fashion-MNIST CNN, typegrad")
    ax.legend()
    fig.tight_layout()
    loss_png = os.path.join(a.out_dir, "fashion_mnist_loss.png")
    fig.savefig(loss_png, dpi=120)

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(epochs, [r["test_accuracy"] for r in rows], "o-")
    ax.axhline(0.89, color="grey", linestyle="--", linewidth=1, label="0.89")
    ax.set_xlabel("epoch")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0.8, 0.92)
    ax.set_title("P7: Fashion-MNIST CNN, typegrad")
    ax.legend()
    fig.tight_layout()
    acc_png = os.path.join(a.out_dir, "fashion_mnist_accuracy.png")
    fig.savefig(acc_png, dpi=120)
    print(f"wrote {loss_png} and {acc_png}")


if __name__ == "__main__":
    main()
