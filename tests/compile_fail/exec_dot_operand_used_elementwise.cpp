// An array that tg::dot contracts also used element by element.
// expect: it cannot also be used element by element
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [a, v, c] = tg::vars<3>();
    std::vector<double> A(6, 1.0), V(3, 2.0), C(2, 1.0);
#ifdef TYPEGRAD_SHOULD_FAIL
    double const s = tg::sum(tg::dot(a, v) * a, tg::view(A.data(), 2, 3), V, C);
#else
    double const s = tg::sum(tg::dot(a, v) * c, tg::view(A.data(), 2, 3), V, C);
#endif
    return s == 12.0 ? 0 : 1;
}
