"""Case c of benchmarks/cuda_pointwise.cu in PyTorch and JAX on the same GPU.

loss = mean(log(1 + exp(-(w * x + b)))) over n doubles, with the gradient with
respect to x (per point), w and b. Prints CSV rows: framework, elements, median ms.
Frameworks that are not installed are reported as such.
"""
import statistics
import sys
import time

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000_000
print("case,framework,elements,median_ms,loss")


def median_ms(f, reps=20):
    f()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


try:
    import torch

    x = torch.sin(1e-3 * torch.arange(n, dtype=torch.float64, device="cuda")).requires_grad_()
    w = torch.tensor(0.7, dtype=torch.float64, device="cuda", requires_grad=True)
    b = torch.tensor(-0.2, dtype=torch.float64, device="cuda", requires_grad=True)

    def step():
        loss = torch.log1p(torch.exp(-(w * x + b))).mean()
        gx, gw, gb = torch.autograd.grad(loss, (x, w, b))
        torch.cuda.synchronize()
        return loss

    print(f"loss_gradient,pytorch_eager,{n},{median_ms(step):.4f},{step().item():.15g}")
except Exception as e:  # noqa: BLE001
    print(f"loss_gradient,pytorch,{n},nan,unavailable: {type(e).__name__}")

try:
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)
    x = jnp.sin(1e-3 * jnp.arange(n, dtype=jnp.float64))

    def loss(x, w, b):
        return jnp.mean(jnp.log1p(jnp.exp(-(w * x + b))))

    grad = jax.jit(jax.value_and_grad(loss, argnums=(0, 1, 2)))

    def step():
        v, g = grad(x, 0.7, -0.2)
        jax.block_until_ready(g)
        return v

    print(f"loss_gradient,jax_jit,{n},{median_ms(step):.4f},{float(step()):.15g}")
except Exception as e:  # noqa: BLE001
    print(f"loss_gradient,jax,{n},nan,unavailable: {type(e).__name__}")
