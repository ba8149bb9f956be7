// Built against the installed typegrad: returns 0 when the gradient is right.
#include <cmath>
#include <typegrad/typegrad.hpp>

int main() {
    namespace tg = typegrad;
    auto [x1, x2] = tg::vars<2>();
    auto const [v, g] = tg::gradient(x1 * x2 + sin(x1), 1.5, 0.5);
    bool const ok = std::abs(v - (0.75 + std::sin(1.5))) < 1e-15 && std::abs(g[0] - (0.5 + std::cos(1.5))) < 1e-15 &&
                    g[1] == 1.5;
    return ok ? 0 : 1;
}
