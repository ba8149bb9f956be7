#!/usr/bin/env python3
"""P7's CNN, typegrad against PyTorch eager on the CPU, in one run (issue 18). Builds nothing.

  benchmarks/run_cnn_peers.py [--conv build/benchmarks/conv]
                              [--cnn build/examples/fashion_mnist_cnn] [--threads 1]
                              [--batches 32,128] [--images 7680] [--epochs 3]

Three measurements, one after the other, with OPENBLAS_NUM_THREADS (and OMP, MKL) set to
--threads and torch.set_num_threads(--threads):

 1. Training step. benchmarks/conv times single layers, not a step, so the step is the
    example itself (examples/fashion_mnist_cnn: tg::gradient of the loss into the six
    parameter gradients, then adam.step), trained on random images and labels written
    here as IDX files into a temporary folder (TYPEGRAD_FASHION_MNIST): --images training
    images (a multiple of every batch, so no partial batch), 500 test images, --epochs
    epochs per batch size; the time per step is the example's own epoch time (its CSV)
    over images / batch, best epoch after the first (the first one sizes the workspace).
    The epoch time includes the example's shuffle and copy of each batch (about a
    microsecond per image), which PyTorch's step does not do.
 2. The conv layers of benchmarks/conv (value, and the gradient of sum(conv2d * C) in
    X and W), typegrad's "typegrad" column against torch's F.conv2d / autograd.grad.
 3. benchmarks/peers/cnn_torch.py for both (float64, as typegrad's double).

Prints ms per step, the epoch of 60000 images extrapolated from it, and typegrad / torch
(below 1: typegrad faster).
"""

import argparse
import csv
import json
import os
import random
import re
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
EPOCH_IMAGES = 60000


def write_idx(folder, stem, count, labels, rng):
    """Random Fashion-MNIST-shaped IDX files (uncompressed): images of 28 x 28 bytes, labels 0..9."""
    with open(os.path.join(folder, stem + "-images-idx3-ubyte"), "wb") as f:
        f.write(struct.pack(">IIII", 0x803, count, 28, 28))
        f.write(bytes(rng.getrandbits(8) for _ in range(count * 784)))
    with open(os.path.join(folder, stem + "-labels-idx1-ubyte"), "wb") as f:
        f.write(struct.pack(">II", 0x801, count))
        f.write(bytes(rng.randrange(labels) for _ in range(count)))


def typegrad_steps(cnn, batches, images, epochs, env):
    """ms per training step of examples/fashion_mnist_cnn at each batch size."""
    out = {}
    with tempfile.TemporaryDirectory(prefix="cnn-peers-") as tmp:
        rng = random.Random(7)
        write_idx(tmp, "train", images, 10, rng)
        write_idx(tmp, "t10k", 500, 10, rng)
        for b in batches:
            csv_path = os.path.join(tmp, f"epochs-{b}.csv")
            cmd = [cnn, "--epochs", str(epochs), "--batch", str(b), "--csv", csv_path, "--seed", "7"]
            run = subprocess.run(cmd, env=dict(env, TYPEGRAD_FASHION_MNIST=tmp), capture_output=True, text=True)
            if run.returncode != 0 or not os.path.exists(csv_path):
                sys.exit(f"{' '.join(cmd)} failed ({run.returncode}):\n{run.stdout}{run.stderr}")
            with open(csv_path) as f:
                secs = [float(r["seconds"]) for r in csv.DictReader(f) if r["epoch"] != "0"]
            timed = secs[1:] or secs
            out[b] = min(timed) * 1e3 / (images // b)
    return out


def typegrad_layers(conv, env):
    """ms of the "typegrad" column of benchmarks/conv's closing table, per layer and pass."""
    run = subprocess.run([conv], env=env, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"{conv} failed ({run.returncode}):\n{run.stdout}{run.stderr}")
    out = {}
    table = run.stdout.split("ratio to the naive", 1)[-1]
    for line in table.splitlines():
        m = re.match(r"(layer\d)\s+(value|gradient)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", line)
        if m:
            out[f"{m.group(1)}_{m.group(2)}"] = (int(m.group(3)), float(m.group(7)) / 1e6)
    if not out:
        sys.exit(f"no closing table in the output of {conv}:\n{run.stdout}")
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--conv", default=os.path.join(ROOT, "build", "benchmarks", "conv"))
    p.add_argument("--cnn", default=os.path.join(ROOT, "build", "examples", "fashion_mnist_cnn"))
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batches", default="32,128")
    p.add_argument("--images", type=int, default=7680)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--skip-layers", action="store_true")
    args = p.parse_args()
    batches = [int(s) for s in args.batches.split(",")]
    bad = [b for b in batches if args.images % b]
    if bad:
        sys.exit(f"--images {args.images} is not a multiple of batch {bad}")
    env = dict(os.environ)
    for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[k] = str(args.threads)

    tg_step = typegrad_steps(args.cnn, batches, args.images, args.epochs, env)
    tg_layer = {} if args.skip_layers else typegrad_layers(args.conv, env)
    with tempfile.NamedTemporaryFile(suffix=".json") as j:
        cmd = [sys.executable, os.path.join(HERE, "peers", "cnn_torch.py"), "--threads", str(args.threads),
               "--batches", args.batches, "--json", j.name] + (["--no-layers"] if args.skip_layers else [])
        run = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed ({run.returncode}):\n{run.stdout}{run.stderr}")
        torch = json.load(open(j.name))

    print(f"P7 CNN, typegrad vs torch {torch['torch']} eager ({torch['dtype']}), CPU, "
          f"{args.threads} thread(s) each; typegrad: {args.cnn} on {args.images} random images, "
          f"best of epochs 2-{args.epochs}")
    print(f"{'batch':>6} {'typegrad ms/step':>17} {'torch ms/step':>14} {'typegrad/torch':>15} "
          f"{'typegrad s/epoch':>17} {'torch s/epoch':>14}")
    for b in batches:
        t, r = tg_step[b], torch["step_ms"][str(b)]
        print(f"{b:6d} {t:17.3f} {r:14.3f} {t / r:15.2f} {t * EPOCH_IMAGES / b / 1e3:17.2f} "
              f"{r * EPOCH_IMAGES / b / 1e3:14.2f}")
    if tg_layer:
        print(f"\nconv layers ({args.conv}'s tg::conv2d column vs F.conv2d), ms")
        print(f"{'layer':8} {'pass':9} {'batch':>6} {'typegrad':>10} {'torch':>10} {'typegrad/torch':>15}")
        for key, (n, t) in tg_layer.items():
            layer, pass_ = key.split("_")
            r = torch["layer_ms"][key]
            print(f"{layer:8} {pass_:9} {n:6d} {t:10.4f} {r:10.4f} {t / r:15.2f}")


if __name__ == "__main__":
    main()
