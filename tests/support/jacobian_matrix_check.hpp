// Test support: every check of a function with several outputs (a Jacobian) at many points.
//
// check_function<n>(name, f) evaluates f: R^n -> R^m (a tg::outputs pack, a std::tuple or std::array of
// expressions, or a callable returning one) at 50 pseudo-random points (a fixed seed per name) and checks
// at each point that
// - tg::jacobian<forward> equals tg::jacobian<reverse> to rounding (1e-12, relative with an absolute floor);
// - tg::jacobian (automatic) is bit-identical to the mode tg::chosen_mode<n, m> names;
// - the output values are the same in every mode, in tg::vjp and in tg::jvp;
// - tg::vjp(f, x, w) is w^T J and tg::jvp(f, x, v) is J v (to rounding of the sums, scaled by their terms);
// - where n * m <= 40, every entry equals the symbolic derivative tg::value(tg::d(f_i, x_j), x), and the
//   values equal tg::value of each output on its own (for larger functions these m * n derivative
//   expressions and m value passes cost too much compile time);
// and, on the first 3 points, that every entry equals a central difference of the values (1e-6).
// Failures are collected (the first 8 with their point) and reported in one CHECK per function.
#pragma once

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iomanip>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include <typegrad/typegrad.hpp>

#include "sweep.hpp"
#include "finite_difference.hpp"

namespace typegrad_test::jacobian_matrix {

namespace tg = typegrad;
using namespace typegrad::literals;

constexpr int points_per_function = 50;
constexpr int fd_points_per_function = 3;
constexpr std::size_t symbolic_limit = 40;  // symbolic d of every entry only where n * m <= 40
constexpr double mode_tolerance = 1e-12;
constexpr double fd_tolerance = 1e-6;

template <std::size_t I>
using X = tg::var<I>;

inline std::string entry_name(char const* what, std::size_t i, std::size_t j) {
    return std::string(what) + " (" + std::to_string(i) + ", " + std::to_string(j) + ")";
}

// ---- The outputs of a function as a std::tuple (or std::array) of expressions, independently of the
// ---- form it was given in, for symbolic derivatives and finite differences of single outputs.

template <class F>
concept outputs_pack = requires { typename F::op; } && std::is_same_v<typename F::op, tg::ops::outputs>;
template <class F>
concept tuple_like = requires { std::tuple_size<F>::value; };

template <std::size_t N, class F>
auto output_tuple(F const& f) {
    if constexpr (outputs_pack<F>)
        return [&]<std::size_t... J>(std::index_sequence<J...>) {
            return std::tuple{f.template child<J>()...};
        }(std::make_index_sequence<F::arity>{});
    else if constexpr (tuple_like<F>)
        return f;
    else
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            return output_tuple<N>(f(X<I>{}...));
        }(std::make_index_sequence<N>{});
}

// d output / d x_I by the symbolic derivative; a plain number output has derivative 0.
template <std::size_t I, class E, std::size_t N>
double symbolic_entry(E const& e, std::array<double, N> const& x) {
    if constexpr (tg::expression<E>)
        return tg::value(tg::d(e, X<I>{}), x);
    else
        return 0.0;
}

template <class E, std::size_t N>
double output_value(E const& e, std::array<double, N> const& x) {
    if constexpr (tg::expression<E>)
        return tg::value(e, x);
    else
        return static_cast<double>(e);
}

template <class Jac, class Outs, std::size_t N>
void check_symbolic(Jac const& jac, Outs const& outs, std::array<double, N> const& x, failure_log& log) {
    constexpr std::size_t M = std::tuple_size_v<Outs>;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        (
            [&] {
                constexpr std::size_t i = K / N;
                constexpr std::size_t j = K % N;
                double const s = symbolic_entry<j>(std::get<i>(outs), x);
                if (!close(jac(i, j), s, mode_tolerance))
                    log.add(entry_name("forward != symbolic d", i, j), x, jac(i, j), s);
            }(),
            ...);
    }(std::make_index_sequence<M * N>{});
}

// Each entry against a central difference of values_at(y)[i], the values of the outputs at y.
template <std::size_t M, class Jac, class Values, std::size_t N>
void check_differences(Jac const& jac, Values const& values_at, std::array<double, N> const& x, failure_log& log) {
    for (std::size_t i = 0; i < M; ++i) {
        auto const at = [&](std::array<double, N> const& y) { return static_cast<double>(values_at(y)[i]); };
        for (std::size_t j = 0; j < N; ++j) {
            double const fd = central_difference(at, x, j);
            if (!close(jac(i, j), fd, fd_tolerance))
                log.add(entry_name("jacobian != central difference", i, j), x, jac(i, j), fd);
        }
    }
}

// The value of each output on its own, by tg::value.
template <class Outs, std::size_t N>
auto separate_values(Outs const& outs, std::array<double, N> const& y) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return std::array<double, sizeof...(I)>{output_value(std::get<I>(outs), y)...};
    }(std::make_index_sequence<std::tuple_size_v<Outs>>{});
}

/// Every check of the comment at the top of this file for the function f of N inputs, at points uniform
/// in [lo, hi]^N.
template <std::size_t N, class F>
void check_function(char const* name, F const& f, double lo = -1.5, double hi = 1.5) {
    auto const outs = output_tuple<N>(f);
    using Outs = std::remove_cvref_t<decltype(outs)>;
    constexpr std::size_t M = std::tuple_size_v<Outs>;
    using chosen = tg::chosen_mode<N, M>;
    static_assert(std::is_same_v<chosen, std::conditional_t<(N <= M), tg::forward, tg::reverse>>);
    constexpr bool small = N * M <= symbolic_limit;

    std::mt19937_64 rng(seed_for(name));
    failure_log log{8};
    for (int p = 0; p < points_per_function; ++p) {
        std::array<double, N> x{};
        std::array<double, N> v{};
        std::array<double, M> w{};
        for (auto& c : x) c = uniform(rng, lo, hi);
        for (auto& c : v) c = uniform(rng, -1.0, 1.0);
        for (auto& c : w) c = uniform(rng, -1.0, 1.0);

        auto const jf = tg::jacobian<tg::forward>(f, x);
        auto const jr = tg::jacobian<tg::reverse>(f, x);
        auto const ja = tg::jacobian(f, x);
        auto const jc = tg::jacobian<chosen>(f, x);
        auto const back = tg::vjp(f, x, w);
        auto const fwd = tg::jvp(f, x, v);
        static_assert(std::is_same_v<decltype(jf.jacobian), tg::matrix<double, M, N>>);
        static_assert(std::is_same_v<decltype(back.gradient), std::array<double, N>>);
        static_assert(std::is_same_v<decltype(fwd.tangent), std::array<double, M>>);

        if (!(ja.jacobian == jc.jacobian)) log.add("automatic != chosen mode (bitwise)", x, 0, 0);
        if (ja.value != jc.value) log.add("automatic value != chosen mode value", x, 0, 0);
        for (std::size_t i = 0; i < M; ++i) {
            if (jf.value[i] != jr.value[i])
                log.add(entry_name("forward value != reverse value", i, 0), x, jf.value[i], jr.value[i]);
            if (back.value[i] != jr.value[i])
                log.add(entry_name("vjp value != reverse value", i, 0), x, back.value[i], jr.value[i]);
            if (fwd.value[i] != jr.value[i])
                log.add(entry_name("jvp value != reverse value", i, 0), x, fwd.value[i], jr.value[i]);
            if (!std::isfinite(jr.value[i])) log.add(entry_name("value not finite", i, 0), x, jr.value[i], 0);
        }
        for (std::size_t i = 0; i < M; ++i)
            for (std::size_t j = 0; j < N; ++j) {
                if (!std::isfinite(jr.jacobian(i, j)))
                    log.add(entry_name("reverse entry not finite", i, j), x, jr.jacobian(i, j), 0);
                if (!close(jf.jacobian(i, j), jr.jacobian(i, j), mode_tolerance))
                    log.add(entry_name("forward != reverse", i, j), x, jf.jacobian(i, j), jr.jacobian(i, j));
            }
        // vjp against w^T J and jvp against J v, J the reverse Jacobian.
        for (std::size_t j = 0; j < N; ++j) {
            double sum = 0, scale = 0;
            for (std::size_t i = 0; i < M; ++i) {
                sum += w[i] * jr.jacobian(i, j);
                scale += std::abs(w[i] * jr.jacobian(i, j));
            }
            if (!close_to_scale(back.gradient[j], sum, mode_tolerance, scale))
                log.add(entry_name("vjp != w^T J", 0, j), x, back.gradient[j], sum);
        }
        for (std::size_t i = 0; i < M; ++i) {
            double sum = 0, scale = 0;
            for (std::size_t j = 0; j < N; ++j) {
                sum += jr.jacobian(i, j) * v[j];
                scale += std::abs(jr.jacobian(i, j) * v[j]);
            }
            if (!close_to_scale(fwd.tangent[i], sum, mode_tolerance, scale))
                log.add(entry_name("jvp != J v", i, 0), x, fwd.tangent[i], sum);
        }
        // Small functions: the values against tg::value of each output on its own, and finite differences of
        // those. Larger ones (where m more value passes would cost much compile time): finite differences of
        // the values the reverse Jacobian returns.
        if constexpr (small) {
            auto const separate = separate_values(outs, x);
            for (std::size_t i = 0; i < M; ++i)
                if (!close(jr.value[i], separate[i], 1e-15))
                    log.add(entry_name("value != tg::value of the output", i, 0), x, jr.value[i], separate[i]);
            check_symbolic(jf.jacobian, outs, x, log);
            if (p < fd_points_per_function)
                check_differences<M>(
                    jr.jacobian, [&](std::array<double, N> const& y) { return separate_values(outs, y); }, x, log);
        } else if (p < fd_points_per_function) {
            check_differences<M>(jr.jacobian,
                                 [&](std::array<double, N> const& y) { return tg::jacobian<tg::reverse>(f, y).value; },
                                 x, log);
        }
    }
    INFO("function: ", std::string(name), " (n = ", N, ", m = ", M, ")");
    INFO(log.text());
    CHECK(log.count() == 0);
}

// ---- Families built with folds over index sequences.

// A sign-alternating compile-time coefficient a_ij in {±1/4, ..., ±7/4}.
template <std::size_t I, std::size_t J>
using coefficient = tg::ratio<((I + J) % 2 ? -1 : 1) * static_cast<std::intmax_t>((I + 2 * J) % 7 + 1), 4>;

// A smooth term of x_I in row J; the kind cycles with I + J. sin(x_I), tanh(x_I), sqrt(1 + x_I^2) and
// exp(x_I / 2) are empty types, so every row that uses one shares its node.
template <std::size_t N, std::size_t I, std::size_t J>
auto dense_term() {
    constexpr X<I> x{};
    constexpr X<(I + 1) % N> y{};
    constexpr coefficient<I, J> a{};
    if constexpr ((I + J) % 5 == 0)
        return a * tanh(x);
    else if constexpr ((I + J) % 5 == 1)
        return sin(x) * a;
    else if constexpr ((I + J) % 5 == 2)
        return a * sqrt(1_c + x * x);
    else if constexpr ((I + J) % 5 == 3)
        return exp(tg::ratio<1, 2>{} * x) * y * a;
    else
        return a * x * x;
}

// The square norm of x, shared by every row of a dense function.
template <std::size_t N>
auto square_norm() {
    return [&]<std::size_t... I>(std::index_sequence<I...>) { return ((X<I>{} * X<I>{}) + ...); }(
        std::make_index_sequence<N>{});
}

// Row J: sum_I a_IJ term(x_I) + tanh(|x|^2 / N) x_{J mod N}: every entry nonzero.
template <std::size_t N, std::size_t J>
auto dense_row() {
    auto const shared = tanh(square_norm<N>() * tg::ratio<1, N>{}) * X<J % N>{};
    return [&]<std::size_t... I>(std::index_sequence<I...>) { return (dense_term<N, I, J>() + ... + shared); }(
        std::make_index_sequence<N>{});
}

template <std::size_t N, std::size_t M>
auto dense() {
    return [&]<std::size_t... J>(std::index_sequence<J...>) { return tg::outputs(dense_row<N, J>()...); }(
        std::make_index_sequence<M>{});
}

// A banded function: output J depends on x_{J mod N}, x_{J+1 mod N} and x_{J+2 mod N} only, so most
// entries are structural zeros (the mode skips them at compile time).
template <std::size_t N, std::size_t J>
auto band_row() {
    constexpr X<J % N> a{};
    constexpr X<(J + 1) % N> b{};
    constexpr X<(J + 2) % N> c{};
    return tanh(a) * b + sqrt(1_c + c * c) * exp(-a * tg::ratio<1, 3>{}) + sin(a * b * c);
}

template <std::size_t N, std::size_t M>
auto band() {
    return [&]<std::size_t... J>(std::index_sequence<J...>) { return std::tuple{band_row<N, J>()...}; }(
        std::make_index_sequence<M>{});
}

// Run-time coefficients: output J = sum_I a_JI sin(x_I + b_JI) + c_J x_0 x_{N-1}. Each occurrence holds
// numbers, so no two are merged by type; every term is its own node.
template <std::size_t N, std::size_t M>
struct coefficients {
    std::array<std::array<double, N>, M> a{};
    std::array<std::array<double, N>, M> b{};
    std::array<double, M> c{};
};

template <std::size_t N, std::size_t M>
coefficients<N, M> random_coefficients(std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    coefficients<N, M> k;
    for (auto& row : k.a)
        for (auto& v : row) v = uniform(rng, -2.0, 2.0);
    for (auto& row : k.b)
        for (auto& v : row) v = uniform(rng, -1.0, 1.0);
    for (auto& v : k.c) v = uniform(rng, -1.0, 1.0);
    return k;
}

template <std::size_t N, std::size_t M>
auto runtime_dense(coefficients<N, M> const& k) {
    auto const row = [&]<std::size_t J>(std::integral_constant<std::size_t, J>) {
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            return ((k.a[J][I] * sin(X<I>{} + k.b[J][I])) + ... + (k.c[J] * X<0>{} * X<N - 1>{}));
        }(std::make_index_sequence<N>{});
    };
    return [&]<std::size_t... J>(std::index_sequence<J...>) {
        return tg::outputs(row(std::integral_constant<std::size_t, J>{})...);
    }(std::make_index_sequence<M>{});
}

// A curve t -> (sin(k t) e^{-t/k}, ...) for k = 1..M: R -> R^M.
template <std::size_t M>
auto curve() {
    return [&]<std::size_t... K>(std::index_sequence<K...>) {
        constexpr X<0> t{};
        return tg::outputs((sin(tg::constant<K + 1> * t) * exp(-t * tg::ratio<1, K + 1>{}))...);
    }(std::make_index_sequence<M>{});
}

// A curve from few nodes: output K = sin((K + 1) t) e^{-t / 2}, e^{-t / 2} shared: R -> R^M.
template <std::size_t M>
auto slim_curve() {
    auto const e = exp(X<0>{} * tg::ratio<-1, 2>{});
    return [&]<std::size_t... K>(std::index_sequence<K...>) {
        return tg::outputs((sin(X<0>{} * tg::constant<K + 1>) * e)...);
    }(std::make_index_sequence<M>{});
}

// A scalar field from few nodes: sum_i tanh(x_i) x_{i+1}: R^N -> R^1.
template <std::size_t N>
auto slim_field() {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return tg::outputs(((tanh(X<I>{}) * X<(I + 1) % N>{}) + ...));
    }(std::make_index_sequence<N>{});
}

// A scalar field of N inputs as a function with one output: R^N -> R^1.
template <std::size_t N>
auto field() {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return tg::outputs(((tanh(X<I>{}) * X<(I + 1) % N>{} + sqrt(1_c + X<I>{} * X<I>{})) + ...));
    }(std::make_index_sequence<N>{});
}

// A dense Jacobian from fewer nodes still: output J = sin(x_J) s + a_J x_{J+1}, s = sum_i tanh(x_i) shared.
template <std::size_t N, std::size_t M>
auto slim() {
    auto const s = [&]<std::size_t... I>(std::index_sequence<I...>) { return (tanh(X<I>{}) + ...); }(
        std::make_index_sequence<N>{});
    return [&]<std::size_t... J>(std::index_sequence<J...>) {
        return tg::outputs((sin(X<J % N>{}) * s + X<(J + 1) % N>{} * coefficient<J, 1>{})...);
    }(std::make_index_sequence<M>{});
}

// A dense Jacobian from few nodes: u_i = tanh(x_i) is shared by every row, and so is s = sum_i u_i;
// output J = u_J s + sin(x_{J+1}) a_J + sqrt(1 + x_J^2) / (J + 1) depends on every input through s.
template <std::size_t N, std::size_t M>
auto shared_sum() {
    auto const s = [&]<std::size_t... I>(std::index_sequence<I...>) { return (tanh(X<I>{}) + ...); }(
        std::make_index_sequence<N>{});
    return [&]<std::size_t... J>(std::index_sequence<J...>) {
        return tg::outputs((tanh(X<J % N>{}) * s + sin(X<(J + 1) % N>{}) * coefficient<J, 1>{} +
                            sqrt(1_c + X<J % N>{} * X<J % N>{}) * tg::ratio<1, J + 1>{})...);
    }(std::make_index_sequence<M>{});
}

}  // namespace typegrad_test::jacobian_matrix
