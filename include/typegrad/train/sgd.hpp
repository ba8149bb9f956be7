// typegrad/train/sgd.hpp: tg::train::sgd, stochastic gradient descent with momentum,
// updating parameter arrays in place from their gradients.
//
//   tg::train::sgd opt({.learning_rate = 0.05, .momentum = 0.9});
//   for (...) { tg::gradient(ws, loss, tg::gradient_to(gW, gb, ...), ...); opt.step(tg::train::param(W, gW), tg::train::param(b, gb)); }
//
// Per element, with g the gradient (plus weight_decay * p when that is not 0):
//   v = momentum * v + g;   p = p - learning_rate * v        (momentum 0: p = p - learning_rate * g)
// the form PyTorch's SGD uses (v starts at 0, so the first step is plain gradient descent).
// The velocities are allocated at the first step, one per parameter; every later step
// must pass parameters of the same sizes in the same order (std::invalid_argument
// otherwise, raised before anything is written).
#pragma once

#include <cstddef>

#include "parameter.hpp"

namespace typegrad::train {

struct sgd_options {
    double learning_rate = 0.01;
    double momentum = 0.0;
    double weight_decay = 0.0;
};

template <class T = double>
class sgd {
public:
    explicit sgd(sgd_options o = {}) : options(o) {}

    /// The settings; learning_rate may be changed between steps (a schedule).
    sgd_options options;

    template <class... P>
    void step(parameter<T> const& first, P const&... rest) {
        parameter<T> const all[] = {first, rest...};
        velocity_.bind("tg::train::sgd::step", all, 1);
        T const lr = static_cast<T>(options.learning_rate), mu = static_cast<T>(options.momentum),
                wd = static_cast<T>(options.weight_decay);
        for (std::size_t i = 0; i < sizeof...(P) + 1; ++i) {
            T* const p = all[i].value;
            T const* const g = all[i].gradient;
            T* const v = velocity_.at(i);
            for (std::ptrdiff_t e = 0; e < all[i].size; ++e) {
                T const ge = wd == T(0) ? g[e] : g[e] + wd * p[e];
                v[e] = mu * v[e] + ge;
                p[e] -= lr * v[e];
            }
        }
        ++steps_;
    }

    /// Steps taken so far.
    std::size_t steps() const { return steps_; }

private:
    detail::state_arrays<T> velocity_;
    std::size_t steps_ = 0;
};

}  // namespace typegrad::train
