// A vector-Jacobian product with fewer weights than the function has outputs.
// expect: vjp needs one weight per output of the function
#include <array>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x, y] = tg::vars<2>();
    auto const f = tg::outputs(x * y, sin(x), x + y);
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const r = tg::vjp(f, std::array{1.5, 0.5}, std::array{1.0, 1.0});
#else
    auto const r = tg::vjp(f, std::array{1.5, 0.5}, std::array{1.0, 0.0, 0.0});
#endif
    return r.gradient[1] == 1.5 ? 0 : 1;
}
