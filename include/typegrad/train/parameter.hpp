// typegrad/train/parameter.hpp: tg::train::param, a parameter array paired with its gradient,
// as the optimizers (train/sgd.hpp, train/adam.hpp) take them.
//
//   tg::train::param(w, gw)    w: a writable array (tg::array_ref<T, R>, std::vector<T>, std::span<T>),
//                              gw: its gradient, of the same shape (read only)
//
// Both must be contiguous row-major arrays; a shape or size that differs, or a strided
// array, raises std::invalid_argument.
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "../exec/array_ref.hpp"

namespace typegrad::train {

/// A parameter array (updated in place) and its gradient: `size` numbers each.
template <class T>
struct parameter {
    T* value;
    T const* gradient;
    std::ptrdiff_t size;
};

namespace detail {
[[noreturn]] inline void parameter_error(std::string const& what) {
    throw std::invalid_argument("typegrad: tg::train::param: " + what);
}
}  // namespace detail

template <class T, std::size_t R, class G>
    requires std::is_same_v<std::remove_const_t<G>, T>
parameter<T> param(array_ref<T, R> const& value, array_ref<G, R> const& gradient) {
    for (std::size_t d = 0; d < R; ++d)
        if (value.extent[d] != gradient.extent[d])
            detail::parameter_error("the gradient's extent " + std::to_string(gradient.extent[d]) + " on axis " +
                                    std::to_string(d) + " differs from the parameter's " + std::to_string(value.extent[d]));
    if (!value.contiguous() || !gradient.contiguous())
        detail::parameter_error("the parameter and its gradient must be contiguous row-major arrays");
    return {value.data, gradient.data, value.size()};
}

template <class T, class G>
    requires std::is_same_v<std::remove_const_t<G>, T>
parameter<T> param(std::span<T> value, std::span<G> gradient) {
    if (value.size() != gradient.size())
        detail::parameter_error("the gradient has " + std::to_string(gradient.size()) + " elements, the parameter " +
                                std::to_string(value.size()));
    return {value.data(), gradient.data(), static_cast<std::ptrdiff_t>(value.size())};
}

template <class T>
parameter<T> param(std::vector<T>& value, std::vector<T> const& gradient) {
    return param(std::span<T>(value), std::span<T const>(gradient));
}

namespace detail {

/// Optimizer state: one array per parameter, sized at the first step. Later steps must
/// pass parameters of the same sizes, in the same order (checked before anything is written).
template <class T>
class state_arrays {
public:
    template <std::size_t N>
    void bind(char const* who, parameter<T> const (&p)[N], std::size_t arrays_per_parameter) {
        if (state_.empty() && sizes_.empty()) {
            sizes_.reserve(N);
            for (auto const& q : p) sizes_.push_back(q.size);
            state_.resize(N * arrays_per_parameter);
            for (std::size_t i = 0; i < N; ++i)
                for (std::size_t k = 0; k < arrays_per_parameter; ++k)
                    state_[i * arrays_per_parameter + k].assign(static_cast<std::size_t>(p[i].size), T(0));
            return;
        }
        if (sizes_.size() != N)
            throw std::invalid_argument(std::string("typegrad: ") + who + ": expected " + std::to_string(sizes_.size()) +
                                        " parameters (as at the first step), got " + std::to_string(N));
        for (std::size_t i = 0; i < N; ++i)
            if (sizes_[i] != p[i].size)
                throw std::invalid_argument(std::string("typegrad: ") + who + ": parameter " + std::to_string(i) +
                                            " has " + std::to_string(p[i].size) + " elements; expected " +
                                            std::to_string(sizes_[i]) + " (as at the first step)");
    }
    T* at(std::size_t i) { return state_[i].data(); }

private:
    std::vector<std::ptrdiff_t> sizes_;
    std::vector<std::vector<T>> state_;
};

}  // namespace detail

}  // namespace typegrad::train
