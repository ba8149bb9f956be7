// Softmax cross-entropy with labels that are not integers.
// expect: the labels of tg::softmax_cross_entropy must be integers
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [z, y] = tg::vars<2>();
    std::vector<double> logits{0.0, 1.0, 2.0, 1.0, 0.0, 0.0};
#ifdef TYPEGRAD_SHOULD_FAIL
    std::vector<double> labels{2.0, 0.0};
#else
    std::vector<int> labels{2, 0};
#endif
    double const s = tg::value(tg::mean(tg::softmax_cross_entropy(z, y)), tg::view(logits.data(), 2, 3), labels);
    return s > 0 ? 0 : 1;
}
