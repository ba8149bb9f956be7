// tg::gradient_to with fewer entries than inputs.
// expect: tg::gradient_to needs one entry (an array, a number or tg::skip) per input
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x, a] = tg::vars<2>();
    std::vector<double> X{1.0, 2.0}, gx(2);
    double ga = 0;
#ifdef TYPEGRAD_SHOULD_FAIL
    double const s = tg::sum(a * x, tg::gradient_to(gx), X, 3.0);
#else
    double const s = tg::sum(a * x, tg::gradient_to(gx, ga), X, 3.0);
#endif
    return s == 9.0 && ga == 3.0 ? 0 : 1;
}
