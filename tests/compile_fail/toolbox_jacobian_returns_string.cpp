// A Jacobian of a callable that returns a std::string.
// expect: a Jacobian needs a function with several outputs
#include <string>
#include <tuple>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const f = [](auto, auto) { return std::string{"not a number"}; };
#else
    auto const f = [](auto a, auto b) { return std::tuple{a * b, a + b}; };
#endif
    auto const r = tg::jacobian(f, 1.5, 0.5);
    return r.jacobian(1, 1) == 1.0 ? 0 : 1;
}
