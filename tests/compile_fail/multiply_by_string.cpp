// An arithmetic operation between an expression and a std::string.
// expect: typegrad_expression_or_number
#include <string>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x] = tg::vars<1>();
    std::string const s = "2";
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const f = x * s;
#else
    auto const f = x * std::stod(s);
#endif
    return tg::value(f, 1.5) > 0 ? 0 : 1;
}
