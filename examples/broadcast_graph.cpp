// examples/broadcast_graph.cpp: P5 of REFERENCE_PROBLEMS.md.
//
//   e = (((a p) + (b - q) - (c + r)) d / s) u
//
// a, b: 2x2 inputs (placeholders, all 1 and all 2); p = 1, q = 2: scalar inputs;
// c, d: 2x2 variables (all 5 and all 3); r = 3, s = 4: scalar variables; u = 5: a
// constant. Scalars broadcast against the matrices as in NumPy. Prints the value, the
// gradient of sum(e) with respect to every variable, and the graph as Graphviz.
#include <cstdio>
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;
using namespace tg::literals;

int main() {
    auto [a, b, c, d, p, q, r, s] = tg::vars<"a", "b", "c", "d", "p", "q", "r", "s">();
    auto const u = 5_c;
    auto const e = (((a * p) + (b - q) - (c + r)) * d / s) * u;

    std::vector<double> A(4, 1.0), B(4, 2.0), C(4, 5.0), D(4, 3.0), E(4);
    auto m = [](std::vector<double>& v) { return tg::view(v.data(), 2, 2); };
    double const P = 1, Q = 2, R = 3, S = 4;

    tg::map(e, m(E), m(A), m(B), m(C), m(D), P, Q, R, S);
    std::printf("e = %s\n  = [[%g, %g], [%g, %g]]\n", tg::to_string(e).c_str(), E[0], E[1], E[2], E[3]);

    // The gradient of sum(e): 2x2 for c and d, numbers for r and s (placeholders skipped).
    std::vector<double> gc(4), gd(4);
    double gr = 0, gs = 0;
    double const total = tg::sum(e, tg::gradient_to(tg::skip, tg::skip, m(gc), m(gd), tg::skip, tg::skip, gr, gs), m(A),
                                 m(B), m(C), m(D), P, Q, R, S);
    std::printf("sum(e) = %g\n", total);
    std::printf("d sum(e) / dc = [[%g, %g], [%g, %g]]\n", gc[0], gc[1], gc[2], gc[3]);
    std::printf("d sum(e) / dd = [[%g, %g], [%g, %g]]\n", gd[0], gd[1], gd[2], gd[3]);
    std::printf("d sum(e) / dr = %g\nd sum(e) / ds = %g\n\n", gr, gs);
    std::printf("%s", tg::to_dot(e).c_str());

    // By hand: inner = a p + b - q - c - r = -7, e = inner d u / s.
    bool ok = total == 4 * -26.25 && gr == -15.0 && gs == 26.25;
    for (int i = 0; i < 4; ++i) ok = ok && E[i] == -26.25 && gc[i] == -3.75 && gd[i] == -8.75;
    if (!ok) {
        std::printf("MISMATCH with the values derived by hand\n");
        return 1;
    }
    return 0;
}
