// tg::d of a tg::outputs pack asks for one expression.
// expect: typegrad: d(f, x) takes one expression
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x, y] = tg::vars<2>();
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const e = tg::d(tg::outputs(x * y, sin(x)), x);
#else
    auto const e = tg::d(x * y, x);
#endif
    return tg::value(e, 1.0, 2.0) == 2.0 ? 0 : 1;
}
