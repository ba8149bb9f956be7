// A callable that returns nothing.
// expect: typegrad: the callable must return a number or a typegrad expression
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const f = [](auto a, auto b) { (void)(a * b); };
#else
    auto const f = [](auto a, auto b) { return a * b; };
#endif
    auto const r = tg::gradient(f, 1.5, 0.5);
    return r.value > 0 ? 0 : 1;
}
