// A reduction over an axis the operand does not have.
// expect: the axis of a reduction must be less than the rank of its operand
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x] = tg::vars<1>();
    std::vector<double> v{1.0, 2.0};
#ifdef TYPEGRAD_SHOULD_FAIL
    double const s = tg::value(tg::sum(tg::sum(x, tg::axis<1>)), v);
#else
    double const s = tg::value(tg::sum(tg::sum(x, tg::axis<0>, tg::keepdims)), v);
#endif
    return s == 3.0 ? 0 : 1;
}
