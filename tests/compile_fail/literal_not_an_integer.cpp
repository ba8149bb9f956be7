// A _c literal that is not a decimal integer gets one sentence, not "<throw-expression> is
// not a constant expression".
// expect: typegrad: only decimal integers are _c literals
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;
using namespace tg::literals;

int main() {
    auto [x] = tg::vars<1>();
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const f = 1.5_c * x;
#else
    auto const f = 3_c / 2_c * x;
#endif
    return tg::value(f, 2.0) == 3.0 ? 0 : 1;
}
