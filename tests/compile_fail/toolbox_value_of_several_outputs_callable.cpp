// tg::value of a callable that returns several outputs is refused, as the expression form
// is: it never returns one output alone (it once returned the last, silently).
// expect: typegrad: this function has several outputs
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const r = tg::value([](auto a, auto b) { return tg::outputs(a * b, a + b, a - b); }, 3.0, 2.0);
#else
    auto const r = tg::value([](auto a, auto b) { return a * b; }, 3.0, 2.0);
#endif
    return r == 6.0 ? 0 : 1;
}
