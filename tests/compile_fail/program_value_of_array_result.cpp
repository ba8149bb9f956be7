// tg::value of a program whose result is an array, not a number.
// expect: tg::value gives the value of a program whose result is a number
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x] = tg::vars<1>();
    std::vector<double> v{1.0, 2.0};
#ifdef TYPEGRAD_SHOULD_FAIL
    double const s = tg::value(tg::softmax(x), v);
#else
    double const s = tg::value(tg::sum(tg::softmax(x)), v);
#endif
    return s > 0.99 ? 0 : 1;
}
