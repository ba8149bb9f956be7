// A std::string given as a coordinate of the point.
// expect: the point at which to evaluate must be numbers (arithmetic types, or types registered with typegrad::is_scalar)
#include <string>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x, y] = tg::vars<2>();
    auto const f = x * y;
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const r = tg::gradient(f, 1.5, std::string{"0.5"});
#else
    auto const r = tg::gradient(f, 1.5, std::stod(std::string{"0.5"}));
#endif
    return r.value > 0 ? 0 : 1;
}
