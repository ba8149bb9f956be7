// An expression passed where the point needs a number.
// expect: an expression was passed where a number is required
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x, y] = tg::vars<2>();
    auto const f = x * y + sin(x);
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const r = tg::gradient(f, x, 0.5);
#else
    auto const r = tg::gradient(f, tg::value(x * 2.0, 0.75), 0.5);
#endif
    return r.value > 0 ? 0 : 1;
}
