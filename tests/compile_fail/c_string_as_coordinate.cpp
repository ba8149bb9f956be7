// A string literal (const char*) given as a coordinate of the point.
// expect: the point at which to evaluate must be numbers (arithmetic types, or types registered with typegrad::is_scalar)
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x, y] = tg::vars<2>();
    auto const f = x + y;
#ifdef TYPEGRAD_SHOULD_FAIL
    double const v = tg::value(f, "1.5", 0.5);
#else
    double const v = tg::value(f, 1.5, 0.5);
#endif
    return v > 0 ? 0 : 1;
}
