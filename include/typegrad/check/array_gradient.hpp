// typegrad/check/array_gradient.hpp: tg::check_gradient for array programs.
//
//   auto report = tg::check_gradient(loss, Xv, Wv, bv, yv);        // prints, converts to bool
//   auto report = tg::check_gradient(tg::check_options{.samples = 50}, loss, Xv, Wv, bv, yv);
//
// The gradient (reverse mode) is compared with 4-point central differences of the value
// at a random sample of coordinates of every floating-point input (all of them when an
// input has no more than `samples` elements); integer inputs (labels, indices) are left
// alone. The step is scaled to each coordinate (h = cbrt(eps) max(1, |x|)). Inputs are
// copied once, so the caller's arrays are never written. The report is the scalar
// check's, with worst_input the input and worst_element the element (row-major) where
// the largest relative error occurs.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "../exec/program/api.hpp"
#include "finite_difference.hpp"

namespace typegrad {

/// How tg::check_gradient samples an array program's inputs.
struct check_options {
    std::size_t samples = 16;  ///< coordinates checked per input (all when it has fewer)
    std::uint64_t seed = 1;    ///< the sample is random, and reproducible
    double tolerance = 1e-6;   ///< on the relative error, for the report's bool
};

namespace detail::program {

/// A contiguous copy of one input, perturbed by the check; integer inputs are kept as given.
template <class A>
struct checked_input {
    using E = std::remove_const_t<typename A::element_type>;
    static constexpr bool floating = std::is_floating_point_v<E>;
    A original;
    std::vector<E> copy;
    explicit checked_input(A const& a) : original(a) {
        if constexpr (floating) {
            copy.resize(static_cast<std::size_t>(a.size()));
            for_each_offset(a, [&](std::ptrdiff_t off, std::ptrdiff_t e) { copy[static_cast<std::size_t>(e)] = a.data[off]; });
        }
    }
    auto view() const {
        if constexpr (floating)
            return array_ref<E const, A::rank>{copy.data(), original.extent, row_major_strides(original.extent)};
        else
            return original;
    }
};

template <class T, class A>
auto gradient_sink_for(checked_input<A> const& in, std::vector<T>& g) {
    if constexpr (checked_input<A>::floating) {
        g.assign(in.copy.size(), T(0));
        return array_ref<T, A::rank>{g.data(), in.original.extent, row_major_strides(in.original.extent)};
    } else
        return skip_t{};
}

}  // namespace detail::program

/// Compares the gradient of an array program with central differences at a sample of
/// coordinates of every floating-point input.
template <class F, class... Args>
    requires detail::program::program_call<F, Args...>
check_report check_gradient(check_options const& options, F const& f, Args const&... args) {
    using namespace detail::program;
    auto inputs = std::tuple{checked_input<decltype(detail::to_input(args))>(detail::to_input(args))...};
    auto const views = [&] { return std::apply([](auto const&... c) { return std::tuple{c.view()...}; }, inputs); };
    using E = std::remove_cvref_t<decltype(detail::to_expression<sizeof...(Args)>(f))>;
    using T = typename program_for<E, std::remove_cvref_t<decltype(views())>>::type::T;
    std::vector<T> grads[sizeof...(Args) == 0 ? 1 : sizeof...(Args)];
    auto const sinks = [&]<std::size_t... I>(std::index_sequence<I...>) {
        return gradient_sinks<decltype(gradient_sink_for<T>(std::get<I>(inputs), grads[I]))...>{
            {gradient_sink_for<T>(std::get<I>(inputs), grads[I])...}};
    }(std::index_sequence_for<Args...>{});
    std::apply([&](auto const&... v) { return gradient(f, sinks, v...); }, views());

    check_report r{};
    r.tolerance = options.tolerance;
    r.over_arrays = true;
    std::mt19937_64 rng(options.seed);
    double const root_eps = std::cbrt(std::numeric_limits<double>::epsilon());
    auto value_now = [&] { return static_cast<double>(std::apply([&](auto const&... v) { return value(f, v...); }, views())); };
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (([&] {
             auto& in = std::get<I>(inputs);
             if constexpr (std::remove_cvref_t<decltype(in)>::floating) {
                 std::size_t const n = in.copy.size();
                 std::size_t const k = n <= options.samples ? n : options.samples;
                 for (std::size_t s = 0; s < k; ++s) {
                     std::size_t const e = n <= options.samples ? s : static_cast<std::size_t>(rng() % n);
                     auto const x = in.copy[e];
                     double const h = root_eps * std::fmax(1.0, std::abs(static_cast<double>(x)));
                     auto at = [&](double step) {
                         in.copy[e] = static_cast<decltype(x)>(static_cast<double>(x) + step);
                         double const v = value_now();
                         in.copy[e] = x;
                         return v;
                     };
                     double const fd = (8.0 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12.0 * h);
                     double const ad = static_cast<double>(grads[I][e]);
                     double const before = r.max_rel_error;
                     detail::record(r, 0, I, ad, fd);
                     if (r.max_rel_error != before || (s == 0 && I == 0)) r.worst_element = e;
                 }
             }
         }()),
         ...);
    }(std::index_sequence_for<Args...>{});
    return r;
}

template <class F, class... Args>
    requires detail::program::program_call<F, Args...>
check_report check_gradient(F const& f, Args const&... args) {
    return check_gradient(check_options{}, f, args...);
}

}  // namespace typegrad
