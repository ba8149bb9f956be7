"""P7's CNN (examples/fashion_mnist_cnn.cpp) and the conv layers of benchmarks/conv.cpp in
PyTorch eager on the CPU, for a ratio against typegrad (benchmarks/run_cnn_peers.py).

Training step, as the example's loop body (tg::gradient of the loss, then adam.step):

    x (B, 1, 28, 28) -> conv 8 of 3x3 + bias -> relu -> max pool 2 -> (B, 8, 13, 13)
                     -> conv 16 of 8x3x3 + bias -> relu -> max pool 2 -> (B, 16, 5, 5)
                     -> reshape (B, 400) -> matmul (400, 10) + bias -> mean softmax cross-entropy
    stride 1, no padding, pool 2 x 2 stride 2 (rounded down); Adam lr 1e-3, betas 0.9 / 0.999,
    eps 1e-8; float64 (typegrad's parameters and data are double). Random inputs in [0, 1),
    random labels. One step = zero_grad + forward + backward + optimizer.step.

Layers (as benchmarks/conv.cpp): "value" is conv2d(X, W) without a graph; "gradient" is
sum(conv2d(X, W) * C) with its gradient in X and W (torch.autograd.grad).
    layer1  32 x 1 x 28 x 28, 8 of 3x3      layer2  32 x 8 x 13 x 13, 16 of 8x3x3
    layer3  16 x 32 x 16 x 16, 64 of 32x3x3, padding 1

Usage: python3 cnn_torch.py [--threads 1] [--dtype float64|float32] [--batches 32,128]
                            [--reps 7] [--min-time 0.2] [--no-layers] [--json FILE]
Each figure is the best of --reps repetitions, each repetition timing enough calls for
--min-time seconds, after a warm-up. Prints ms per step and the epoch of 60000 images
extrapolated from it (60000 / B steps).
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F

EPOCH_IMAGES = 60000
LAYERS = (("layer1", 32, 1, 28, 28, 8, 3, 0), ("layer2", 32, 8, 13, 13, 16, 3, 0), ("layer3", 16, 32, 16, 16, 64, 3, 1))


def best_seconds(fn, reps, min_time):
    """Best time per call of fn over reps repetitions, each at least min_time long."""
    for _ in range(3):  # warm-up (allocator, first-call dispatch)
        fn()
    start = time.perf_counter()
    fn()
    once = max(time.perf_counter() - start, 1e-7)
    iters = max(1, int(min_time / once))
    best = float("inf")
    for _ in range(reps):
        start = time.perf_counter()
        for _ in range(iters):
            fn()
        best = min(best, (time.perf_counter() - start) / iters)
    return best


def make_step(batch, dt, seed=0):
    g = torch.Generator().manual_seed(seed)
    # He normal for the layers before ReLU, Glorot uniform for the dense one (as the example).
    W1 = (torch.randn(8, 1, 3, 3, generator=g, dtype=dt) * (2.0 / 9) ** 0.5).requires_grad_()
    b1 = torch.zeros(8, dtype=dt, requires_grad=True)
    W2 = (torch.randn(16, 8, 3, 3, generator=g, dtype=dt) * (2.0 / 72) ** 0.5).requires_grad_()
    b2 = torch.zeros(16, dtype=dt, requires_grad=True)
    lim = (6.0 / 410) ** 0.5
    W3 = (torch.rand(400, 10, generator=g, dtype=dt) * 2 * lim - lim).requires_grad_()
    b3 = torch.zeros(10, dtype=dt, requires_grad=True)
    params = [W1, b1, W2, b2, W3, b3]
    opt = torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    x = torch.rand(batch, 1, 28, 28, generator=g, dtype=dt)
    y = torch.randint(0, 10, (batch,), generator=g)

    def step():
        opt.zero_grad(set_to_none=True)
        h1 = F.max_pool2d(F.relu(F.conv2d(x, W1, b1)), 2)
        h2 = F.max_pool2d(F.relu(F.conv2d(h1, W2, b2)), 2)
        logits = h2.reshape(-1, 400) @ W3 + b3
        loss = F.cross_entropy(logits, y)
        loss.backward()
        opt.step()
        return loss

    return step


def make_layer(layer, dt):
    _, n, c, h, w, o, k, pad = layer
    g = torch.Generator().manual_seed(1)
    X = (torch.rand(n, c, h, w, generator=g, dtype=dt) * 2 - 1).requires_grad_()
    W = (torch.rand(o, c, k, k, generator=g, dtype=dt) * 2 - 1).requires_grad_()
    oh, ow = h + 2 * pad - k + 1, w + 2 * pad - k + 1
    C = torch.rand(n, o, oh, ow, generator=g, dtype=dt) * 2 - 1

    def value():
        with torch.no_grad():
            return F.conv2d(X, W, padding=pad)

    def gradient():
        loss = torch.sum(F.conv2d(X, W, padding=pad) * C)
        return torch.autograd.grad(loss, (X, W))

    return value, gradient


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--dtype", choices=("float64", "float32"), default="float64")
    parser.add_argument("--batches", default="32,128")
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--min-time", type=float, default=0.2)
    parser.add_argument("--no-layers", action="store_true")
    parser.add_argument("--json", help="also write the figures (ms) to this file")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    dt = getattr(torch, args.dtype)
    tag = f"torch {torch.__version__} eager, CPU, {args.dtype}, {torch.get_num_threads()} thread(s)"
    out = {"torch": torch.__version__, "dtype": args.dtype, "threads": torch.get_num_threads(), "step_ms": {}, "layer_ms": {}}

    print(f"training step (zero_grad + forward + backward + Adam), {tag}")
    for b in (int(s) for s in args.batches.split(",")):
        ms = best_seconds(make_step(b, dt), args.reps, args.min_time) * 1e3
        out["step_ms"][str(b)] = ms
        print(f"  batch {b:4d}: {ms:8.3f} ms per step, {ms * EPOCH_IMAGES / b / 1e3:7.2f} s per epoch of {EPOCH_IMAGES} images")

    if not args.no_layers:
        print(f"conv layers of benchmarks/conv.cpp, {tag}")
        for layer in LAYERS:
            value, gradient = make_layer(layer, dt)
            for name, fn in (("value", value), ("gradient", gradient)):
                ms = best_seconds(fn, args.reps, args.min_time) * 1e3
                out["layer_ms"][f"{layer[0]}_{name}"] = ms
                print(f"  {layer[0]} {name:8s} (batch {layer[1]}): {ms:8.4f} ms")

    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
