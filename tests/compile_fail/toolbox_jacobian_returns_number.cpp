// A Jacobian of a callable that returns a plain number.
// expect: a Jacobian needs a function with several outputs
#include <tuple>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const f = [](auto, auto) { return 2.0; };
#else
    auto const f = [](auto a, auto b) { return std::tuple{a * b, 2.0}; };
#endif
    auto const r = tg::jacobian(f, 1.5, 0.5);
    return r.jacobian(0, 0) == 0.5 ? 0 : 1;
}
