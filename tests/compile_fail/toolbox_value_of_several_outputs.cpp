// tg::value of a tg::outputs expression is refused with the same message as the callable form.
// expect: typegrad: this function has several outputs
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [a, b] = tg::vars<2>();
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const r = tg::value(tg::outputs(a * b, a + b, a - b), 3.0, 2.0);
#else
    auto const r = tg::value(a * b, 3.0, 2.0);
#endif
    return r == 6.0 ? 0 : 1;
}
