// tg::dot of an expression rather than two input variables.
// expect: tg::dot takes two input variables
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [a, v] = tg::vars<2>();
    std::vector<double> A(6, 1.0), V(3, 2.0), out(2);
#ifdef TYPEGRAD_SHOULD_FAIL
    tg::map(tg::dot(a * 2.0, v), out, tg::view(A.data(), 2, 3), V);
#else
    tg::map(tg::dot(a, v), out, tg::view(A.data(), 2, 3), V);
#endif
    return out[0] == 6.0 ? 0 : 1;
}
