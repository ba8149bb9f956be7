// A bool given as a coordinate of the point: bool is not a number to typegrad.
// expect: the point at which to evaluate must be numbers (arithmetic types, or types registered with typegrad::is_scalar)
#include <array>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x, y] = tg::vars<2>();
    auto const f = x * y;
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const r = tg::gradient(f, std::array{true, false});
#else
    auto const r = tg::gradient(f, std::array{1, 0});
#endif
    return r.value == 0 ? 0 : 1;
}
