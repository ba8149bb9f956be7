// typegrad/interop/ceres.hpp: a ceres::CostFunction from a typegrad residual.
//
//   auto [a, b, c] = tg::vars<"a", "b", "c">();
//   auto r = tg::outputs(y_i - (a * exp(b * x_i) + c));          // x_i, y_i: numbers stored in the node
//   problem.AddResidualBlock(tg::ceres::make_cost_function<2, 1>(r), nullptr, ab, &c0);
//
// Optional: needs Ceres Solver (Debian's libceres-dev; CMake target typegrad::ceres). The
// residual is a scalar expression (one output, tg::outputs(...) or a std::tuple/std::array of
// them, or a generic callable), its inputs the parameter blocks' coordinates in order: block 0's,
// then block 1's, ... (so the block sizes, template arguments, add up to the number of inputs).
// A generic callable takes either one variable per coordinate or one std::tuple of variables per
// block, as a Ceres functor takes one pointer per block:
//
//   auto r = [x_i, y_i](auto const& ab, auto const& c) {
//       auto const& [a, b] = ab;
//       return tg::outputs(y_i - (a * exp(b * x_i) + std::get<0>(c)));
//   };
// Ceres's Evaluate gets the residuals and, for each block it asks for, the row-major
// (residuals x block size) Jacobian: one typegrad pass (tg::jacobian in the chosen mode, forward
// by default: one lane per coordinate), nothing allocated. Ceres owns the returned object (the
// problem deletes it, as for its own cost functions).
#pragma once

#include <ceres/sized_cost_function.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../core/var.hpp"
#include "../modes/forward.hpp"
#include "../modes/jacobian.hpp"

namespace typegrad::ceres {

namespace detail {

// Block b of a residual over blocks: a std::tuple of the variables Offset, ..., Offset + Size - 1.
template <std::size_t Offset, std::size_t... J>
constexpr std::tuple<typegrad::var<Offset + J>...> block_vars(std::index_sequence<J...>) {
    return {};
}

template <int... Sizes>
constexpr std::array<std::size_t, sizeof...(Sizes)> block_offsets() {
    std::array<std::size_t, sizeof...(Sizes)> o{};
    constexpr int sizes[] = {Sizes...};
    for (std::size_t b = 1; b < o.size(); ++b) o[b] = o[b - 1] + std::size_t(sizes[b - 1]);
    return o;
}

template <int... Sizes, std::size_t... B>
constexpr auto blocks_of(std::index_sequence<B...>) {
    constexpr auto offsets = block_offsets<Sizes...>();
    constexpr int sizes[] = {Sizes...};
    return std::tuple{block_vars<offsets[B]>(std::make_index_sequence<std::size_t(sizes[B])>{})...};
}

// The blocks as F receives them: one std::tuple of variables per parameter block.
template <int... Sizes>
using blocks_t = decltype(blocks_of<Sizes...>(std::make_index_sequence<sizeof...(Sizes)>{}));

template <class F, class Blocks>
inline constexpr bool invocable_with_blocks = false;
template <class F, class... Bs>
inline constexpr bool invocable_with_blocks<F, std::tuple<Bs...>> = std::is_invocable_v<F const&, Bs const&...>;

// A residual over blocks called as the flat callable typegrad expects (its variables are the
// blocks' coordinates in order, so the variables it is given are not needed).
template <class F, int... Sizes>
struct over_blocks {
    F f;
    template <class... V>
    constexpr auto operator()(V const&...) const {
        return std::apply([this](auto const&... b) { return f(b...); }, blocks_t<Sizes...>{});
    }
};

// F as typegrad's jacobian takes it: an expression or flat callable as it is, a callable over
// blocks wrapped.
template <class F, int... Sizes>
constexpr bool is_over_blocks() {
    constexpr std::size_t n = std::size_t((0 + ... + Sizes));
    if constexpr (typegrad::expression<F> || typegrad::detail::is_tuple_like_outputs<F>::value ||
                  typegrad::detail::invocable_with_vars<F, std::make_index_sequence<n>>::value)
        return false;
    else
        return invocable_with_blocks<F, blocks_t<Sizes...>>;
}
template <class F, int... Sizes>
using residual_t = std::conditional_t<is_over_blocks<F, Sizes...>(), over_blocks<F, Sizes...>, F>;

template <class Mode, class F, std::size_t N>
constexpr int residual_count() {
    using R = decltype(typegrad::jacobian<Mode>(std::declval<F const&>(), std::declval<std::array<double, N> const&>()));
    return int(std::tuple_size_v<decltype(R::value)>);
}

}  // namespace detail

/// The cost function of residual F over parameter blocks of sizes Sizes....
template <class F, class Mode, int... Sizes>
class cost_function
    : public ::ceres::SizedCostFunction<detail::residual_count<Mode, F, std::size_t((0 + ... + Sizes))>(), Sizes...> {
    static_assert(sizeof...(Sizes) > 0 && ((Sizes > 0) && ...),
                  "typegrad::ceres: give at least one parameter block, each of a positive size");
    static constexpr std::size_t N = std::size_t((0 + ... + Sizes));
    static constexpr int M = detail::residual_count<Mode, F, N>();

public:
    explicit cost_function(F const& f) : f_(f) {}

    bool Evaluate(double const* const* parameters, double* residuals, double** jacobians) const override {
        std::array<double, N> x{};
        constexpr std::array<int, sizeof...(Sizes)> sizes{Sizes...};
        std::size_t k = 0;
        for (std::size_t b = 0; b < sizes.size(); ++b)
            for (int j = 0; j < sizes[b]; ++j) x[k++] = parameters[b][j];
        bool wanted = false;
        if (jacobians)
            for (std::size_t b = 0; b < sizes.size(); ++b) wanted = wanted || jacobians[b] != nullptr;
        if (!wanted) {
            auto const r = typegrad::jvp(f_, x, std::array<double, N>{});  // the values, one lane
            for (int i = 0; i < M; ++i) residuals[i] = r.value[std::size_t(i)];
            return all_finite(residuals);
        }
        auto const r = typegrad::jacobian<Mode>(f_, x);
        for (int i = 0; i < M; ++i) residuals[i] = r.value[std::size_t(i)];
        std::size_t offset = 0;
        for (std::size_t b = 0; b < sizes.size(); ++b) {
            if (jacobians[b])
                for (int i = 0; i < M; ++i)
                    for (int j = 0; j < sizes[b]; ++j)
                        jacobians[b][i * sizes[b] + j] = r.jacobian(std::size_t(i), offset + std::size_t(j));
            offset += std::size_t(sizes[b]);
        }
        return all_finite(residuals);
    }

private:
    F f_;
    // A residual that is not finite is an evaluation Ceres should reject (it shortens the step).
    static bool all_finite(double const* r) {
        for (int i = 0; i < M; ++i)
            if (!std::isfinite(r[i])) return false;
        return true;
    }
};

/// `problem.AddResidualBlock(tg::ceres::make_cost_function<2, 1>(f), loss, block0, block1)`:
/// a new cost function (Ceres takes ownership). Mode: tg::forward (default) or tg::reverse.
/// F: an expression (tg::outputs(...)), a callable over the coordinates (one typegrad variable
/// each, `[](auto a, auto b, auto c)`) or a callable over the blocks (one std::tuple of variables
/// per block: `[](auto const& ab, auto const& c) { auto const& [a, b] = ab; ... }`).
template <int... Sizes, class Mode = forward, class F>
auto* make_cost_function(F const& f, Mode = {}) {
    using R = detail::residual_t<F, Sizes...>;
    if constexpr (detail::is_over_blocks<F, Sizes...>())
        return new cost_function<R, Mode, Sizes...>(R{f});
    else
        return new cost_function<R, Mode, Sizes...>(f);
}

}  // namespace typegrad::ceres
