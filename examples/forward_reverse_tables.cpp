// P2: the forward (tangent) and reverse (adjoint) accumulation tables of
// z = x1 x2 + sin(x1) at x1 = 1.5, x2 = 0.5, printed from typegrad's own passes.
#include <array>
#include <cmath>
#include <cstdio>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto const [x1, x2] = tg::vars<"x1", "x2">();
    auto const z = x1 * x2 + sin(x1);
    std::array const point{1.5, 0.5};

    std::printf("z = %s at x1 = 1.5, x2 = 0.5\n\n", tg::to_string(z).c_str());
    auto const f1 = tg::trace_forward(z, point, std::array{1.0, 0.0});
    auto const f2 = tg::trace_forward(z, point, std::array{0.0, 1.0});
    auto const r = tg::trace_reverse(z, point);
    std::printf("forward mode, seed (1, 0): tangents are d/dx1\n%s\n", f1.to_text().c_str());
    std::printf("forward mode, seed (0, 1): tangents are d/dx2\n%s\n", f2.to_text().c_str());
    std::printf("reverse mode, seed w5bar = 1: adjoints are dz/dw\n%s\n", r.to_text().c_str());
    std::printf("as Markdown:\n%s\n", r.to_markdown().c_str());

    // The textbook's recurrences, by hand.
    double const w1 = 1.5, w2 = 0.5, w4 = std::sin(w1);
    double const w1bar = w2 + std::cos(w1), w2bar = w1;
    bool const ok = r.rows.size() == 5 && r.rows[0].derivative == w1bar && r.rows[1].derivative == w2bar &&
                    f1.rows[4].derivative == w1bar && f2.rows[4].derivative == w2bar &&
                    r.rows[3].value == w4 && f1.rows[3].derivative == std::cos(w1);
    std::printf("%s\n", ok ? "both tables match the hand-derived recurrences" : "MISMATCH");
    return ok ? 0 : 1;
}
