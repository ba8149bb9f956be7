// A Jacobian of a callable that returns one expression, not several outputs.
// expect: a Jacobian needs a function with several outputs
#include <tuple>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const f = [](auto a, auto b) { return a * b + sin(a); };
#else
    auto const f = [](auto a, auto b) { return std::tuple{a * b + sin(a), a - b}; };
#endif
    auto const r = tg::jacobian(f, 1.5, 0.5);
    return r.jacobian(0, 1) == 1.5 ? 0 : 1;
}
