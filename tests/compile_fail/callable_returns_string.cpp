// A callable whose result is neither a number nor an expression.
// expect: the callable must return a number or a typegrad expression
#include <string>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const f = [](auto, auto) { return std::string{"not a number"}; };
#else
    auto const f = [](auto a, auto b) { return a * b; };
#endif
    auto const r = tg::gradient(f, 1.5, 0.5);
    return r.value > 0 ? 0 : 1;
}
