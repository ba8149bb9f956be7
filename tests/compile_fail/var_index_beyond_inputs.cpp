// An expression that uses input variable 2 evaluated at a point of two numbers.
// expect: the expression uses an input variable whose index is not less than the number of inputs given
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x, y] = tg::vars<2>();
    auto const z = tg::var<2>{};
    auto const f = x * y + sin(z);
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const r = tg::gradient(f, 1.0, 2.0);
#else
    auto const r = tg::gradient(f, 1.0, 2.0, 3.0);
#endif
    return r.gradient[0] == 2.0 ? 0 : 1;
}
