// `if (x > 0)` inside a generic callable: one sentence pointing to tg::select.
// expect: typegrad: an expression is not a bool
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const f = [](auto a) {
        if (a > 0) return a * a;
        return a * a;
    };
#else
    auto const f = [](auto a) { return tg::select(a > 0, a * a, a * a); };
#endif
    return tg::gradient(f, 3.0).gradient[0] == 6.0 ? 0 : 1;
}
