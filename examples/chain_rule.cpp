// P1, the multivariate chain rule: g1 feeds both h1 and h2, so the graph is a DAG
// and the reverse pass adds both contributions into g1's adjoint.
//
//   g1 = 3x, g2 = x^2 + x, h1 = 2 g1 + 1, h2 = 2 g1 + g2, loss = (h1 - h2)^2
//   closed form: loss'(x) = -2 (1 - x - x^2)(1 + 2x)
#include <cmath>
#include <cstdio>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;
using namespace tg::literals;

int main() {
    auto const x = tg::named<0, "x">();
    // Compile-time constants keep the expression an empty type, so g1 is shared by type.
    auto const g1 = 3_c * x;
    auto const g2 = pow(x, 2_c) + x;
    auto const h1 = 2_c * g1 + 1_c;
    auto const h2 = 2_c * g1 + g2;
    auto const loss = pow(h1 - h2, 2_c);

    std::printf("P1: loss = (h1 - h2)^2 with h1 = 2 g1 + 1, h2 = 2 g1 + g2, g1 = 3x, g2 = x^2 + x\n");
    std::printf("the graph has %zu distinct nodes; its type occupies %zu byte(s) and holds no data\n\n",
                tg::node_count<decltype(loss)>, sizeof(loss));
    std::printf("%8s %14s %14s %14s %14s\n", "x", "loss", "reverse", "forward", "closed form");
    bool ok = true;
    for (double xv : {-2.0, -1.0, 0.0, 0.5, 1.0, 2.0}) {
        auto const [value, grad] = tg::gradient(loss, xv);
        auto const fwd = tg::gradient<tg::forward>(loss, xv);
        double const closed = -2 * (1 - xv - xv * xv) * (1 + 2 * xv);
        std::printf("%8.3f %14.6f %14.6f %14.6f %14.6f\n", xv, value, grad[0], fwd.gradient[0], closed);
        ok = ok && std::abs(grad[0] - closed) <= 1e-12 * (1 + std::abs(closed)) && fwd.gradient[0] == grad[0];
    }

    // With run-time constants the subexpression is shared explicitly with tg::let.
    auto const shared = tg::let<"g1">(3.0 * x);
    auto const loss_rt = pow((2.0 * shared + 1.0) - (2.0 * shared + (x * x + x)), 2_c);
    auto const [v, g] = tg::gradient(loss_rt, 0.5);
    std::printf("\nwith run-time constants and tg::let: loss(0.5) = %.6f, loss'(0.5) = %.6f\n", v, g[0]);
    ok = ok && std::abs(g[0] - (-2 * (1 - 0.5 - 0.25) * 2)) < 1e-12;

    // The derivative is an expression too: print it and evaluate it.
    auto const dloss = tg::d(loss, x);
    std::printf("\nloss  = %s\n", tg::to_string(loss).c_str());
    std::printf("dloss = %s\n", tg::to_string(dloss).c_str());
    std::printf("dloss(0.5) = %.6f\n", tg::value(dloss, 0.5));
    ok = ok && std::abs(tg::value(dloss, 0.5) - (-2 * (1 - 0.5 - 0.25) * 2)) < 1e-12;

    // The graph, each distinct node once: 2 * g1 is shared by h1 and h2 (render with `dot -Tpng`).
    std::printf("\nthe graph in Graphviz dot:\n%s", tg::to_dot(loss, "P1").c_str());

    std::printf("%s\n", ok ? "all derivatives match the closed form" : "MISMATCH");
    return ok ? 0 : 1;
}
