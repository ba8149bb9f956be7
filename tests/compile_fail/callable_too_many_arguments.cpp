// A callable of two parameters given a point of three numbers.
// expect: the function cannot be called with as many typegrad variables as the point has coordinates
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto const f = [](auto a, auto b) { return a * b + sin(a); };
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const r = tg::gradient<tg::forward>(f, 1.5, 0.5, 2.0);
#else
    auto const r = tg::gradient<tg::forward>(f, 1.5, 0.5);
#endif
    return r.value > 0 ? 0 : 1;
}
