// One templated function, written once for double, differentiated unchanged.
// Unqualified calls (sin, exp, sqrt) find std:: for double and typegrad for expressions.
// Each typegrad expression has its own type (the type is the graph), so generic code
// deduces its types with auto rather than forcing one T on every argument and result.
#include <cmath>
#include <cstdio>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

// The Rosenbrock function plus a smooth term, as a numerical code would write it.
template <class X, class Y>
auto banana(X x, Y y) {
    using std::exp;
    using std::sqrt;
    return (1.0 - x) * (1.0 - x) + 100.0 * (y - x * x) * (y - x * x) + sqrt(1.0 + exp(x * y));
}

int main() {
    double const x = 0.3, y = -0.4;
    double const plain = banana(x, y);
    // A generic lambda hands typegrad's variables to the same template.
    auto const f = [](auto a, auto b) { return banana(a, b); };
    auto const [v, g] = tg::gradient(f, x, y);

    double const s = std::exp(x * y);
    double const r = std::sqrt(1.0 + s);
    double const dx = -2 * (1 - x) - 400 * x * (y - x * x) + y * s / (2 * r);
    double const dy = 200 * (y - x * x) + x * s / (2 * r);
    std::printf("banana(%.1f, %.1f) with double:   %.12f\n", x, y, plain);
    std::printf("banana(%.1f, %.1f) with typegrad: %.12f\n", x, y, v);
    std::printf("gradient: (%.12f, %.12f)\n", g[0], g[1]);
    std::printf("by hand:  (%.12f, %.12f)\n", dx, dy);
    bool const ok = std::abs(v - plain) < 1e-13 && std::abs(g[0] - dx) < 1e-11 && std::abs(g[1] - dy) < 1e-11;
    std::printf("%s\n", ok ? "typegrad agrees with double and with the hand-derived gradient" : "MISMATCH");
    return ok ? 0 : 1;
}
