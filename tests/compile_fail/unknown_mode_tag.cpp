// A mode tag that is neither tg::forward nor tg::reverse.
// expect: the mode must be tg::forward or tg::reverse
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x] = tg::vars<1>();
    auto const f = sin(x) * x;
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const r = tg::gradient<int>(f, 1.0);
#else
    auto const r = tg::gradient<tg::reverse>(f, 1.0);
#endif
    return r.value > 0 ? 0 : 1;
}
