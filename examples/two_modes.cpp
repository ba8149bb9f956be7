// P2: z = x1 x2 + sin(x1) in forward mode (one sweep per input) and in reverse
// mode (one sweep for the whole gradient), at x1 = 1.5, x2 = 0.5.
#include <array>
#include <cmath>
#include <cstdio>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto const [x1, x2] = tg::vars<"x1", "x2">();
    auto const z = x1 * x2 + sin(x1);
    std::array const point{1.5, 0.5};

    std::printf("z = x1 * x2 + sin(x1) at x1 = %.1f, x2 = %.1f\n\n", point[0], point[1]);
    std::printf("forward mode, one sweep per input:\n");
    auto const [v1, dz_dx1] = tg::jvp(z, point, std::array{1.0, 0.0});
    auto const [v2, dz_dx2] = tg::jvp(z, point, std::array{0.0, 1.0});
    std::printf("  seed (1, 0): z = %.6f, dz/dx1 = %.6f\n", v1, dz_dx1);
    std::printf("  seed (0, 1): z = %.6f, dz/dx2 = %.6f\n", v2, dz_dx2);

    std::printf("reverse mode, one sweep for the gradient:\n");
    auto const [v, g] = tg::gradient(z, point);
    std::printf("  z = %.6f, gradient = (%.6f, %.6f)\n", v, g[0], g[1]);

    double const e1 = point[1] + std::cos(point[0]);
    double const e2 = point[0];
    std::printf("closed form: (x2 + cos x1, x1) = (%.6f, %.6f)\n", e1, e2);
    bool const ok = std::abs(g[0] - e1) < 1e-15 && g[1] == e2 && dz_dx1 == g[0] && dz_dx2 == g[1];
    std::printf("%s\n", ok ? "both modes agree with the closed form" : "MISMATCH");
    return ok ? 0 : 1;
}
