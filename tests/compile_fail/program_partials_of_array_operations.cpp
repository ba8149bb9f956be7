// tg::map asked for element-wise partials of a function with an array operation.
// expect: tg::map gives element-wise partials of element-wise functions only
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [a, b] = tg::vars<2>();
    std::vector<double> A(6, 1.0), B(3, 2.0), y(2), da(2), db(2);
#ifdef TYPEGRAD_SHOULD_FAIL
    tg::map(tg::matmul(a, b), tg::with_partials(y, da, db), tg::view(A.data(), 2, 3), B);
#else
    tg::map(tg::matmul(a, b), y, tg::view(A.data(), 2, 3), B);
#endif
    return y[0] == 6.0 ? 0 : 1;
}
