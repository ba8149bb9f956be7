// A std::vector as a point: the message says what to give instead.
// expect: typegrad: a point needs its number of coordinates in its type: give std::array<double, N>
#include <array>
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
#ifdef TYPEGRAD_SHOULD_FAIL
    std::vector<double> const p{1.0, 2.0};
#else
    std::array<double, 2> const p{1.0, 2.0};
#endif
    auto const r = tg::gradient([](auto a, auto b) { return a * b; }, p);
    return r.gradient[0] == 2.0 ? 0 : 1;
}
