// tg::conv2d of an input without its batch axis (rank 3): ranks are in the type, so
// the mismatch stops compilation instead of raising at run time.
// expect: tg::conv2d takes an input of rank 4 (N, C, H, W)
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [X, W] = tg::vars<"X", "W">();
    std::vector<double> x(9, 1.0), w(4, 1.0), y(4);
#ifdef TYPEGRAD_SHOULD_FAIL
    tg::map(tg::conv2d(X, W), tg::view(y.data(), 1, 2, 2), tg::view(x.data(), 1, 3, 3), tg::view(w.data(), 1, 1, 2, 2));
#else
    tg::map(tg::conv2d(X, W), tg::view(y.data(), 1, 1, 2, 2), tg::view(x.data(), 1, 1, 3, 3),
            tg::view(w.data(), 1, 1, 2, 2));
#endif
    return y[0] == 4.0 ? 0 : 1;
}
