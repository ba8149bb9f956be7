// tg::max_pool2d of a matrix: pooling takes NCHW arrays (rank 4).
// expect: tg::max_pool2d and tg::avg_pool2d take an input of rank 4 (N, C, H, W)
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [X] = tg::vars<"X">();
    std::vector<double> x(16, 1.0), y(4);
#ifdef TYPEGRAD_SHOULD_FAIL
    tg::map(tg::max_pool2d(X, 2), tg::view(y.data(), 2, 2), tg::view(x.data(), 4, 4));
#else
    tg::map(tg::max_pool2d(X, 2), tg::view(y.data(), 1, 1, 2, 2), tg::view(x.data(), 1, 1, 4, 4));
#endif
    return y[0] == 1.0 ? 0 : 1;
}
