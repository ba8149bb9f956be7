// tg::hessian (and tg::d) of an expression with a loop: not supported yet, said in one sentence.
// expect: this derivative does not go through loops yet
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x, a] = tg::vars<2>();
    auto const y = tg::fori(10, [&](auto s) { return s * a; }, x);
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const h = tg::hessian(y, 1.0, 2.0);
#else
    auto const h = tg::gradient(y, 1.0, 2.0);
#endif
    (void)h;
}
