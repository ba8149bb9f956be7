// A Jacobian of a callable whose tuple of outputs holds a std::string.
// expect: a Jacobian needs a function with several outputs
#include <string>
#include <tuple>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const f = [](auto a, auto b) { return std::tuple{a * b, std::string{"not a number"}}; };
#else
    auto const f = [](auto a, auto b) { return std::tuple{a * b, 2.0}; };
#endif
    auto const r = tg::jacobian(f, 1.5, 0.5);
    return r.jacobian(0, 1) == 1.5 ? 0 : 1;
}
