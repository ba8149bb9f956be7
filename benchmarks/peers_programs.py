#!/usr/bin/env python3
"""PyTorch (eager and torch.compile) and JAX (jit) on the array-program benchmarks of issue 13.

    pip install numpy torch "jax[cpu]"
    python3 benchmarks/peers_programs.py --out benchmarks/results/programs_peers.csv
    python3 benchmarks/peers_programs.py --reference-csv benchmarks/results/programs.csv \
        --reference-variant hand --out benchmarks/results/programs_peers.csv

Workloads (CPU, float64, one thread; sizes as in the issue):
  p6-sgd-step             P6's network (X 1000 x 100, 10 hidden units, y 1000 x 1):
                          one SGD step on 5 rows (gather, loss, gradient, update), lr 0.05
  p6-full-gradient        the loss and its gradient (W1, b1, W2, b2) on all 1000 rows
  logsumexp-gradient      log(sum(exp(x))) and its gradient, n = 1024 and 10^6
  rosenbrock-gradient     sum 100 (x[1:] - x[:-1]^2)^2 + (1 - x[:-1])^2, written with
                          slices, and its gradient, n = 256 and 10^6
  normal-loglik-gradient  sum -log(sigma) - log(2 pi)/2 - ((d - mu)/sigma)^2/2 over 1024
                          points, and its gradient in (mu, sigma)
  logistic-nll-gradient   sum softplus(X w) - t (X w) and its gradient in w, X of
                          1000 x 100 and 10^6 x 100
Each is written as a user of the framework would (the framework's own logsumexp,
softplus, relu; gradients by backward() or jax.value_and_grad; torch.compile on the
function whose gradient is taken, backward() outside it). Before timing, each result is
checked against NumPy (a closed form or a NumPy backprop written here): a peer that
disagrees is reported and not timed. Times are the median of repeated calls after
warm-up (and compilation); the SGD step cycles through 4096 batches of row indices
drawn beforehand, so drawing costs nothing.

The CSV has the columns of peers_arrays.py (benchmark, variant, elements, ns, reference,
ratio_to_reference); elements is the number of data entries a call reads (rows x
inputs for P6 and logistic regression, n otherwise). With --reference-csv, rows of that
CSV whose variant is --reference-variant (default "typegrad") and whose (benchmark,
elements) match give the reference time (ratio = peer time / reference time).
--machine-out writes the machine and the versions beside the CSV.
A package that is missing is skipped with a message. Timing and printing only: no
pass/fail logic of the test suite lives here.
"""
import argparse
import csv
import datetime
import math
import os
import platform
import sys
import time

# One thread everywhere, set before the libraries load.
for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

import numpy as np  # noqa: E402

P6_ROWS, P6_INPUTS, P6_HIDDEN, P6_BATCH, P6_LR = 1000, 100, 10, 5, 0.05
LSE_SIZES = (1024, 1_000_000)
ROSENBROCK_SIZES = (256, 1_000_000)
NORMAL_POINTS = 1024
LOGISTIC_SIZES = ((1000, 100), (1_000_000, 100))
BATCHES = 4096
HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def median_time(fn, min_runs=7, min_total=0.5, max_runs=20000):
    """Median seconds per call of fn, after warm-up, in nanoseconds."""
    for _ in range(3):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < max_runs and (len(times) < min_runs or time.perf_counter() - start < min_total):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times)) * 1e9


def agree(a, b, rel=1e-10):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return False
    return bool(np.all(np.abs(a - b) <= rel * np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))))


def all_agree(got, want):
    return len(got) == len(want) and all(agree(g, w) for g, w in zip(got, want))


# ---------------------------------------------------------------------------------------
# Data and NumPy references
# ---------------------------------------------------------------------------------------
class Data:
    def __init__(self, seed=13):
        rng = np.random.default_rng(seed)
        self.X = rng.standard_normal((P6_ROWS, P6_INPUTS))
        self.y = rng.standard_normal((P6_ROWS, 1))
        self.W1 = rng.standard_normal((P6_INPUTS, P6_HIDDEN))
        self.b1 = rng.standard_normal(P6_HIDDEN)
        self.W2 = rng.standard_normal((P6_HIDDEN, 1))
        self.b2 = rng.standard_normal(1)
        self.batches = rng.integers(0, P6_ROWS, size=(BATCHES, P6_BATCH))
        self.lse = {n: rng.uniform(-5, 5, n) for n in LSE_SIZES}
        self.rosenbrock = {n: rng.uniform(-2, 2, n) for n in ROSENBROCK_SIZES}
        self.normal = rng.normal(1.5, 2.0, NORMAL_POINTS)
        self.mu, self.sigma = 0.7, 1.9
        self.logistic = {}
        for n, k in LOGISTIC_SIZES:
            X = rng.standard_normal((n, k))
            w = 0.1 * rng.standard_normal(k)
            t = (rng.standard_normal(n) > 0).astype(np.float64)
            self.logistic[(n, k)] = (X, t, w)

    def p6_params(self):
        return [self.W1, self.b1, self.W2, self.b2]


def np_p6_value_and_gradient(params, X, y):
    """Hand-written backprop (relu'(0) = 0), as benchmarks/hand/mlp.hpp."""
    W1, b1, W2, b2 = params
    z1 = X @ W1 + b1
    a1 = np.maximum(z1, 0)
    z2 = a1 @ W2 + b2
    r = np.maximum(z2, 0) - y
    loss = np.mean(r * r)
    d2 = (2.0 / r.size) * r * (z2 > 0)
    d1 = (d2 @ W2.T) * (z1 > 0)
    return loss, [X.T @ d1, d1.sum(axis=0), a1.T @ d2, d2.sum(axis=0)]


def np_p6_step(params, X, y, idx):
    loss, grads = np_p6_value_and_gradient(params, X[idx], y[idx])
    return loss, [p - P6_LR * g for p, g in zip(params, grads)]


def np_logsumexp(x):
    m = x.max()
    e = np.exp(x - m)
    s = e.sum()
    return m + math.log(s), e / s


def np_rosenbrock(x):
    d = x[1:] - x[:-1] ** 2
    e = 1 - x[:-1]
    g = np.zeros_like(x)
    g[:-1] = -400 * x[:-1] * d - 2 * e
    g[1:] += 200 * d
    return np.sum(100 * d * d + e * e), g


def np_normal(d, mu, sigma):
    r = d - mu
    n, s1, s2 = d.size, r.sum(), (r * r).sum()
    value = -n * (math.log(sigma) + HALF_LOG_2PI) - s2 / (2 * sigma**2)
    return value, s1 / sigma**2, -n / sigma + s2 / sigma**3


def np_logistic(X, t, w):
    z = X @ w
    s = 1 / (1 + np.exp(-z))
    return np.sum(np.logaddexp(0, z) - t * z), X.T @ (s - t)


# Each workload: (benchmark, elements, reference outputs, name of the builder per framework).
def workloads(d):
    out = []
    loss0, grads0 = np_p6_value_and_gradient(d.p6_params(), d.X, d.y)
    loss_s, params_s = np_p6_step(d.p6_params(), d.X, d.y, d.batches[0])
    out.append(("p6-sgd-step", P6_BATCH * P6_INPUTS, [loss_s] + params_s, ("p6_step",)))
    out.append(("p6-full-gradient", P6_ROWS * P6_INPUTS, [loss0] + grads0, ("p6_full",)))
    for n in LSE_SIZES:
        out.append(("logsumexp-gradient", n, list(np_logsumexp(d.lse[n])), ("logsumexp", n)))
    for n in ROSENBROCK_SIZES:
        out.append(("rosenbrock-gradient", n, list(np_rosenbrock(d.rosenbrock[n])), ("rosenbrock", n)))
    out.append(("normal-loglik-gradient", NORMAL_POINTS, list(np_normal(d.normal, d.mu, d.sigma)), ("normal",)))
    for n, k in LOGISTIC_SIZES:
        out.append(("logistic-nll-gradient", n * k, list(np_logistic(*d.logistic[(n, k)])), ("logistic", (n, k))))
    return out


# ---------------------------------------------------------------------------------------
# PyTorch: each builder returns (check, run): check() gives the outputs to compare with
# NumPy's, run() is the timed call.
# ---------------------------------------------------------------------------------------
class TorchPeer:
    def __init__(self, torch, d, compiled):
        self.torch, self.d, self.compiled = torch, d, compiled
        self.name = "pytorch-compile" if compiled else "pytorch-eager"
        self.t = lambda a: torch.from_numpy(np.require(a, requirements="C"))  # keeps 0-d arrays 0-d

    def maybe_compile(self, fn):
        return self.torch.compile(fn, dynamic=False) if self.compiled else fn

    def leaves(self, arrays):
        return [self.t(a).clone().requires_grad_(True) for a in arrays]

    @staticmethod
    def p6_loss(torch):
        def loss(W1, b1, W2, b2, X, y):
            h = torch.relu(X @ W1 + b1)
            yhat = torch.relu(h @ W2 + b2)
            return torch.mean((yhat - y) ** 2)
        return loss

    def p6_step(self):
        torch, d = self.torch, self.d
        X, y = self.t(d.X), self.t(d.y)
        loss_fn = self.maybe_compile(self.p6_loss(torch))
        batches = [self.t(b) for b in d.batches]

        def make():
            params = self.leaves(d.p6_params())

            def step(idx):
                loss = loss_fn(*params, X[idx], y[idx])
                loss.backward()
                with torch.no_grad():
                    for p in params:
                        p -= P6_LR * p.grad
                        p.grad = None
                return loss.detach()
            return params, step

        def check():
            params, step = make()
            loss = step(batches[0])
            return [loss.numpy()] + [p.detach().numpy() for p in params]

        params, step = make()
        counter = [0]

        def run():
            counter[0] = (counter[0] + 1) % BATCHES
            step(batches[counter[0]])
        return check, run

    def p6_full(self):
        torch, d = self.torch, self.d
        X, y = self.t(d.X), self.t(d.y)
        loss_fn = self.maybe_compile(self.p6_loss(torch))
        params = self.leaves(d.p6_params())

        def call():
            for p in params:
                p.grad = None
            loss = loss_fn(*params, X, y)
            loss.backward()
            return [loss.detach().numpy()] + [p.grad.numpy() for p in params]
        return call, call

    def gradient_of(self, fn, leaves, *data):
        """(value, gradients) of fn(*leaves, *data) by backward()."""
        fn = self.maybe_compile(fn)

        def call():
            for p in leaves:
                p.grad = None
            v = fn(*leaves, *data)
            v.backward()
            return [v.detach().numpy()] + [p.grad.numpy() for p in leaves]
        return call, call

    def logsumexp(self, n):
        torch = self.torch
        return self.gradient_of(lambda x: torch.logsumexp(x, 0), self.leaves([self.d.lse[n]]))

    def rosenbrock(self, n):
        torch = self.torch

        def f(x):
            xs, xp = x[1:], x[:-1]
            return torch.sum(100 * (xs - xp * xp) ** 2 + (1 - xp) ** 2)
        return self.gradient_of(f, self.leaves([self.d.rosenbrock[n]]))

    def normal(self):
        torch = self.torch

        def f(mu, sigma, data):
            return torch.sum(-torch.log(sigma) - HALF_LOG_2PI - 0.5 * ((data - mu) / sigma) ** 2)
        leaves = self.leaves([np.array(self.d.mu), np.array(self.d.sigma)])
        return self.gradient_of(f, leaves, self.t(self.d.normal))

    def logistic(self, shape):
        torch = self.torch
        X, t, w = self.d.logistic[shape]

        def f(w, X, t):
            z = X @ w
            return torch.sum(torch.nn.functional.softplus(z, threshold=50.0) - t * z)
        return self.gradient_of(f, self.leaves([w]), self.t(X), self.t(t))


# ---------------------------------------------------------------------------------------
# JAX: jax.jit of jax.value_and_grad (the SGD step jitted whole, update included).
# ---------------------------------------------------------------------------------------
class JaxPeer:
    name = "jax-jit"

    def __init__(self, jax, d):
        self.jax, self.jnp, self.d = jax, jax.numpy, d

    @staticmethod
    def p6_loss(jax):
        def loss(params, X, y):
            W1, b1, W2, b2 = params
            h = jax.nn.relu(X @ W1 + b1)
            yhat = jax.nn.relu(h @ W2 + b2)
            return jax.numpy.mean((yhat - y) ** 2)
        return loss

    def p6_step(self):
        jax, jnp, d = self.jax, self.jnp, self.d
        loss = self.p6_loss(jax)
        X, y = jnp.asarray(d.X), jnp.asarray(d.y)
        batches = [jnp.asarray(b) for b in d.batches]

        @jax.jit
        def step(params, X, y, idx):
            v, g = jax.value_and_grad(loss)(params, X[idx], y[idx])
            return v, [p - P6_LR * gp for p, gp in zip(params, g)]

        def check():
            v, params = step([jnp.asarray(a) for a in d.p6_params()], X, y, batches[0])
            return [np.asarray(v)] + [np.asarray(p) for p in params]

        state = {"params": [jnp.asarray(a) for a in d.p6_params()], "k": 0}

        def run():
            state["k"] = (state["k"] + 1) % BATCHES
            v, state["params"] = step(state["params"], X, y, batches[state["k"]])
            jax.block_until_ready(state["params"])
        return check, run

    def p6_full(self):
        jax, jnp, d = self.jax, self.jnp, self.d
        vg = jax.jit(jax.value_and_grad(self.p6_loss(jax)))
        params = [jnp.asarray(a) for a in d.p6_params()]
        X, y = jnp.asarray(d.X), jnp.asarray(d.y)

        def call():
            v, g = vg(params, X, y)
            jax.block_until_ready(g)
            return [np.asarray(v)] + [np.asarray(a) for a in g]
        return call, lambda: jax.block_until_ready(vg(params, X, y))

    def gradient_of(self, fn, leaves, *data):
        jax, jnp = self.jax, self.jnp
        argnums = tuple(range(len(leaves)))
        vg = jax.jit(jax.value_and_grad(fn, argnums=argnums))
        args = [jnp.asarray(a) for a in leaves] + [jnp.asarray(a) for a in data]

        def call():
            v, g = vg(*args)
            jax.block_until_ready(g)
            return [np.asarray(v)] + [np.asarray(a) for a in g]
        return call, lambda: jax.block_until_ready(vg(*args))

    def logsumexp(self, n):
        return self.gradient_of(lambda x: self.jax.nn.logsumexp(x), [self.d.lse[n]])

    def rosenbrock(self, n):
        jnp = self.jnp

        def f(x):
            xs, xp = x[1:], x[:-1]
            return jnp.sum(100 * (xs - xp * xp) ** 2 + (1 - xp) ** 2)
        return self.gradient_of(f, [self.d.rosenbrock[n]])

    def normal(self):
        jnp = self.jnp

        def f(mu, sigma, data):
            return jnp.sum(-jnp.log(sigma) - HALF_LOG_2PI - 0.5 * ((data - mu) / sigma) ** 2)
        return self.gradient_of(f, [np.array(self.d.mu), np.array(self.d.sigma)], self.d.normal)

    def logistic(self, shape):
        jax, jnp = self.jax, self.jnp
        X, t, w = self.d.logistic[shape]

        def f(w, X, t):
            z = X @ w
            return jnp.sum(jax.nn.softplus(z) - t * z)
        return self.gradient_of(f, [w], X, t)


def load_peers(d, want):
    peers, versions = [], {}
    if any(v.startswith("pytorch") for v in want):
        try:
            import torch
            torch.set_num_threads(1)
            torch.set_num_interop_threads(1)
            versions["torch"] = f"{torch.__version__} (CPU capability {torch.backends.cpu.get_cpu_capability()})"
            if "pytorch-eager" in want:
                peers.append(TorchPeer(torch, d, compiled=False))
            if "pytorch-compile" in want:
                peers.append(TorchPeer(torch, d, compiled=True))
        except ImportError:
            print("PyTorch not installed: skipped (pip install torch)", file=sys.stderr)
    if "jax-jit" in want:
        try:
            import jax
            jax.config.update("jax_enable_x64", True)
            jax.config.update("jax_platforms", "cpu")
            import jaxlib
            versions["jax"] = f"{jax.__version__} (jaxlib {jaxlib.__version__})"
            peers.append(JaxPeer(jax, d))
        except ImportError:
            print("JAX not installed: skipped (pip install \"jax[cpu]\")", file=sys.stderr)
    return peers, versions


def measure(peers, d, only):
    rows = []
    for bench, elements, want, (builder, *args) in workloads(d):
        if only and bench not in only:
            continue
        for peer in peers:
            check, run = getattr(peer, builder)(*args)
            got = check()
            if not all_agree(got, want):
                worst = max(float(np.max(np.abs(np.asarray(g) - np.asarray(w)))) for g, w in zip(got, want))
                print(f"{peer.name}: {bench} ({elements}) disagrees with NumPy (max abs diff {worst:.3g}); not timed",
                      file=sys.stderr)
                continue
            ns = median_time(run)
            rows.append((bench, peer.name, elements, ns))
            print(f"{bench:24s} {elements:>10d} {peer.name:16s} {ns / 1e3:12.2f} us", file=sys.stderr)
    return rows


def machine_description(versions, load_before):
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    lines = [
        f"date: {datetime.date.today().isoformat()}",
        f"cpu: {cpu}, {os.cpu_count()} logical cores visible",
        f"os: {platform.platform()}",
        f"python: {platform.python_version()}",
        f"numpy: {np.__version__}",
    ]
    lines += [f"{k}: {v}" for k, v in versions.items()]
    lines.append("threads: " + ", ".join(f"{v}={os.environ.get(v, '')}" for v in
                                         ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "XLA_FLAGS")))
    load_after = os.getloadavg()
    lines.append(f"load average (1, 5, 15 min): {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} before, "
                 f"{load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} after (other work on the machine)")
    lines.append("timing: median of repeated calls after 3 warm-up calls (at least 7 calls and 0.5 s)")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference-csv", help="CSV with benchmark, variant, elements, ns columns (the C++ run)")
    ap.add_argument("--reference-variant", default="typegrad")
    ap.add_argument("--peers", nargs="+", default=["pytorch-eager", "pytorch-compile", "jax-jit"])
    ap.add_argument("--only", nargs="*", help="benchmark names to run (default: all)")
    ap.add_argument("--out", default="-")
    ap.add_argument("--machine-out", help="file for the machine and versions (default: beside --out)")
    args = ap.parse_args()
    reference = {}
    if args.reference_csv:
        with open(args.reference_csv) as fh:
            for r in csv.DictReader(fh):
                if r["variant"] == args.reference_variant:
                    reference[(r["benchmark"], int(r["elements"]))] = float(r["ns"])
    load_before = os.getloadavg()
    d = Data()
    peers, versions = load_peers(d, args.peers)
    rows = measure(peers, d, args.only)
    out = sys.stdout if args.out == "-" else open(args.out, "w", newline="")
    wr = csv.writer(out)
    wr.writerow(["benchmark", "variant", "elements", "ns", "reference", "ratio_to_reference"])
    for bench, variant, n, ns in rows:
        ref = reference.get((bench, n))
        wr.writerow([bench, variant, n, f"{ns:.1f}", args.reference_variant if ref else "",
                     f"{ns / ref:.4f}" if ref else ""])
    if out is not sys.stdout:
        out.close()
    machine_out = args.machine_out or (None if args.out == "-" else os.path.splitext(args.out)[0] + "_machine.txt")
    text = machine_description(versions, load_before)
    if machine_out:
        with open(machine_out, "w") as fh:
            fh.write(text)
    print(text, file=sys.stderr, end="")


if __name__ == "__main__":
    main()
