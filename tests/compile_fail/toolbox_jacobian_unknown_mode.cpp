// A Jacobian with a mode tag that does not exist.
// expect: the mode must be tg::forward, tg::reverse or tg::automatic
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x, y] = tg::vars<2>();
    auto const f = tg::outputs(x * y, sin(x));
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const r = tg::jacobian<int>(f, 1.5, 0.5);
#else
    auto const r = tg::jacobian<tg::automatic>(f, 1.5, 0.5);
#endif
    return r.jacobian(0, 1) == 1.5 ? 0 : 1;
}
