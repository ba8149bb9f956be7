// tg::jacobian of a single expression points to the several-outputs forms.
// expect: typegrad: a Jacobian needs a function with several outputs
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x, y] = tg::vars<2>();
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const j = tg::jacobian(x * y + sin(x), 1.0, 2.0);
#else
    auto const j = tg::jacobian(tg::outputs(x * y + sin(x)), 1.0, 2.0);
#endif
    return j.jacobian(0, 1) == 1.0 ? 0 : 1;
}
