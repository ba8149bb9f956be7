// Division by the compile-time constant zero, found when the constants fold.
// expect: division by the compile-time constant zero
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;
using namespace tg::literals;

int main() {
    auto [x] = tg::vars<1>();
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const f = x * (1_c / (1_c - 1_c));
#else
    auto const f = x * (1_c / (1_c + 1_c));
#endif
    return tg::value(f, 3.0) == 1.5 ? 0 : 1;
}
