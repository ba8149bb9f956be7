// typegrad/train/adam.hpp: tg::train::adam (Kingma and Ba, 2015), updating parameter
// arrays in place from their gradients.
//
//   tg::train::adam opt({.learning_rate = 1e-3});
//   opt.step(tg::train::param(W, gW), tg::train::param(b, gb));
//
// At step t = 1, 2, ..., per element, with g the gradient (plus weight_decay * p when
// that is not 0, as in PyTorch's Adam; not AdamW's decoupled form):
//   m = beta1 m + (1 - beta1) g;   v = beta2 v + (1 - beta2) g^2
//   p = p - learning_rate * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
// m and v start at 0 and are allocated at the first step, one pair per parameter; every
// later step must pass parameters of the same sizes in the same order
// (std::invalid_argument otherwise, raised before anything is written).
#pragma once

#include <cmath>
#include <cstddef>

#include "parameter.hpp"

namespace typegrad::train {

struct adam_options {
    double learning_rate = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double epsilon = 1e-8;
    double weight_decay = 0.0;
};

template <class T = double>
class adam {
public:
    explicit adam(adam_options o = {}) : options(o) {}

    /// The settings; learning_rate may be changed between steps (a schedule).
    adam_options options;

    template <class... P>
    void step(parameter<T> const& first, P const&... rest) {
        parameter<T> const all[] = {first, rest...};
        moments_.bind("tg::train::adam::step", all, 2);
        ++steps_;
        double const t = static_cast<double>(steps_);
        T const lr = static_cast<T>(options.learning_rate), b1 = static_cast<T>(options.beta1),
                b2 = static_cast<T>(options.beta2), eps = static_cast<T>(options.epsilon),
                wd = static_cast<T>(options.weight_decay);
        T const c1 = static_cast<T>(1.0 - std::pow(options.beta1, t)), c2 = static_cast<T>(1.0 - std::pow(options.beta2, t));
        for (std::size_t i = 0; i < sizeof...(P) + 1; ++i) {
            T* const p = all[i].value;
            T const* const g = all[i].gradient;
            T* const m = moments_.at(2 * i);
            T* const v = moments_.at(2 * i + 1);
            for (std::ptrdiff_t e = 0; e < all[i].size; ++e) {
                using std::sqrt;
                T const ge = wd == T(0) ? g[e] : g[e] + wd * p[e];
                m[e] = b1 * m[e] + (T(1) - b1) * ge;
                v[e] = b2 * v[e] + (T(1) - b2) * ge * ge;
                p[e] -= lr * (m[e] / c1) / (sqrt(v[e] / c2) + eps);
            }
        }
    }

    /// Steps taken so far (t of the last step).
    std::size_t steps() const { return steps_; }

private:
    detail::state_arrays<T> moments_;
    std::size_t steps_ = 0;
};

}  // namespace typegrad::train
