// An expression with tg::dot differentiated at a single point.
// expect: tg::dot contracts the last axis of two arrays
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [w, x] = tg::vars<2>();
    auto const f = sigmoid(tg::dot(w, x));
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const g = tg::gradient(f, 1.0, 2.0);
    return g.value > 0 ? 0 : 1;
#else
    std::vector<double> W{1.0}, X{2.0}, gw(1);
    double const s = tg::sum(f, tg::gradient_to(gw, tg::skip), W, tg::view(X.data(), 1, 1));
    return s > 0 ? 0 : 1;
#endif
}
