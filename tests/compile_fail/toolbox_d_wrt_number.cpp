// A symbolic derivative with respect to a number instead of an input variable.
// expect: d(f, x) differentiates with respect to an input variable
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x, y] = tg::vars<2>();
    auto const f = x * y + sin(x);
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const df = tg::d(f, 2.0);
#else
    auto const df = tg::d(f, x);
#endif
    return tg::value(df, 0.0, 0.5) == 1.5 ? 0 : 1;
}
