// A function with several outputs given to a scalar API (gradient) is rejected.
// expect: typegrad: this function has several outputs
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x, y] = tg::vars<2>();
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const r = tg::gradient(tg::outputs(x * y + sin(x), x * 3.0), 1.0, 2.0);
#else
    auto const r = tg::gradient(x * y + sin(x), 1.0, 2.0);
#endif
    return r.gradient[1] == 1.0 ? 0 : 1;
}
