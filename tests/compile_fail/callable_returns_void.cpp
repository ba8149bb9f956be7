// A callable that returns nothing. No typegrad message yet: the compiler stops at the
// void result ("incomplete type") before the return-type static_assert is reached.
// expect: incomplete type
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
