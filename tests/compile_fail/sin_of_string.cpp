// A typegrad function applied to a std::string.
// expect: typegrad_expression_or_number
#include <string>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x] = tg::vars<1>();
    std::string const s = "0.5";
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const f = x + tg::sin(s);
#else
    auto const f = x + tg::sin(std::stod(s));
#endif
    return tg::value(f, 1.5) > 0 ? 0 : 1;
}
