// A Jacobian at a point given as a std::span of dynamic extent: the number of inputs must be known at
// compile time.
// expect: a point given as a std::span needs a static extent
#include <array>
#include <span>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x, y] = tg::vars<2>();
    auto const f = tg::outputs(x * y, sin(x));
    std::array<double, 2> const storage{1.5, 0.5};
#ifdef TYPEGRAD_SHOULD_FAIL
    std::span<double const> const point(storage);
#else
    std::span<double const, 2> const point(storage);
#endif
    auto const r = tg::jacobian(f, point);
    return r.jacobian(0, 1) == 1.5 ? 0 : 1;
}
