"""The LSTM gradient of benchmarks/lstm.cpp (loss and every weight gradient) in PyTorch eager,
one thread, float64, for a ratio against typegrad and the hand-written BPTT.

    T = 50 steps, batch 16, 8 inputs, 64 hidden units; z = x W + h U + b, gates i, f, g, o,
    c = f c + i g, h = o tanh(c); yhat = h_{T-1} V + c0; loss = mean((yhat - y)^2).

Variants: "cell" (the step written out, as typegrad's program is) and "nn.LSTM" (PyTorch's
fused layer, same math; its weights are transposed and it has two biases, one kept at 0).
Usage: python3 lstm_torch.py [--reps N]. Prints the best time of N repetitions per variant in ms.
"""
import argparse
import math
import time

import torch

T, B, D, H = 50, 16, 8, 64


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--iters", type=int, default=20)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    dt = torch.float64
    xs = torch.empty(T, B, D, dtype=dt).uniform_(-1.5, 1.5)
    y = torch.empty(B, dtype=dt).uniform_(-1, 1)
    W = torch.empty(D, 4 * H, dtype=dt).uniform_(-math.sqrt(3 / D), math.sqrt(3 / D)).requires_grad_()
    U = torch.empty(H, 4 * H, dtype=dt).uniform_(-math.sqrt(3 / H), math.sqrt(3 / H)).requires_grad_()
    b = torch.empty(4 * H, dtype=dt).uniform_(-0.1, 0.1).requires_grad_()
    V = torch.empty(H, dtype=dt).uniform_(-math.sqrt(3 / H), math.sqrt(3 / H)).requires_grad_()
    c0 = torch.tensor(0.1, dtype=dt, requires_grad=True)
    weights = [W, U, b, V, c0]

    def cell_loss():
        h = torch.zeros(B, H, dtype=dt)
        c = torch.zeros(B, H, dtype=dt)
        for t in range(T):
            z = xs[t] @ W + h @ U + b
            i = torch.sigmoid(z[:, :H])
            f = torch.sigmoid(z[:, H:2 * H])
            g = torch.tanh(z[:, 2 * H:3 * H])
            o = torch.sigmoid(z[:, 3 * H:])
            c = f * c + i * g
            h = o * torch.tanh(c)
        return torch.mean(torch.square(h @ V + c0 - y))

    lstm = torch.nn.LSTM(D, H, dtype=dt)
    with torch.no_grad():  # the same weights: PyTorch keeps W^T, U^T and b_ih + b_hh
        lstm.weight_ih_l0.copy_(W.detach().T)
        lstm.weight_hh_l0.copy_(U.detach().T)
        lstm.bias_ih_l0.copy_(b.detach())
        lstm.bias_hh_l0.zero_()
    lstm_weights = list(lstm.parameters()) + [V, c0]

    def layer_loss():
        out, _ = lstm(xs)
        return torch.mean(torch.square(out[-1] @ V + c0 - y))

    def gradient(loss_fn, params):
        loss = loss_fn()
        grads = torch.autograd.grad(loss, params)
        return loss, grads

    l1, g1 = gradient(cell_loss, weights)
    l2, g2 = gradient(layer_loss, lstm_weights)
    diff = max((g1[0] - g2[0].T).abs().max().item(), (g1[1] - g2[1].T).abs().max().item())
    print(f"loss: cell {l1.item():.17g}, nn.LSTM {l2.item():.17g}; largest W/U gradient difference {diff:.2e}")

    for name, fn, params in (("cell", cell_loss, weights), ("nn.LSTM", layer_loss, lstm_weights)):
        best = float("inf")
        for _ in range(args.reps):
            start = time.perf_counter()
            for _ in range(args.iters):
                gradient(fn, params)
            best = min(best, (time.perf_counter() - start) / args.iters)
        print(f"torch {torch.__version__} {name}: {best * 1e3:.3f} ms per gradient (T={T}, B={B}, D={D}, H={H}, float64, 1 thread)")


if __name__ == "__main__":
    main()
