// tg::map into a const array.
// expect: an output array must be writable
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [x] = tg::vars<1>();
    std::vector<double> X{1.0, 2.0};
#ifdef TYPEGRAD_SHOULD_FAIL
    std::vector<double> const out(2);
#else
    std::vector<double> out(2);
#endif
    tg::map(x * x, out, X);
    return out[1] == 4.0 ? 0 : 1;
}
