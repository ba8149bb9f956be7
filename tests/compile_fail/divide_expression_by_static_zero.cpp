// An expression divided by a compile-time zero is rejected, not left to give inf at run time.
// expect: typegrad: division by the compile-time constant zero
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;
using namespace tg::literals;

int main() {
    auto [x] = tg::vars<1>();
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const f = x / (2_c - 2_c);
#else
    auto const f = x / (3_c - 2_c);
#endif
    return tg::value(f, 1.0) == 1.0 ? 0 : 1;
}
