// select with a plain bool condition choosing between expressions.
// expect: select with a plain bool condition cannot choose between expressions
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x, y] = tg::vars<2>();
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const f = tg::select(true, x * y, y);
#else
    auto const f = tg::select(x > y, x * y, y);
#endif
    return tg::value(f, 2.0, 1.0) == 2.0 ? 0 : 1;
}
