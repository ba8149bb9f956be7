// typegrad/modes/hessian.hpp: Hessians and Hessian-vector products, forward over reverse.
//
// The reverse pass runs on dual numbers: the gradient it returns carries, in its
// tangent lanes, the derivatives of the gradient along the seed directions. With
// the n unit directions that is the Hessian (n lanes, one reverse sweep); with
// one direction v it is H v. The Hessian is made symmetric by construction: the
// upper triangle is computed and mirrored.
#pragma once

#include <array>
#include <cstddef>

#include "../core/matrix.hpp"
#include "dual.hpp"
#include "gradient.hpp"
#include "inputs.hpp"

namespace typegrad {

/// Value, gradient and Hessian of a scalar function at a point.
template <class T, std::size_t N>
struct hessian_result {
    T value;
    std::array<T, N> gradient;
    matrix<T, N, N> hessian;
};

/// Value, gradient and the Hessian-vector product H v.
template <class T, std::size_t N>
struct hvp_result {
    T value;
    std::array<T, N> gradient;
    std::array<T, N> hvp;
};

namespace detail {

template <class F, class T, std::size_t N>
constexpr hessian_result<T, N> hessian_at(F const& f, std::array<T, N> const& x) {
    using D = dual<T, N>;
    std::array<D, N> xd{};
    for (std::size_t i = 0; i < N; ++i) {
        xd[i].v = x[i];
        xd[i].t[i] = T(1);
    }
    auto const g = gradient_at<reverse>(f, xd);
    hessian_result<T, N> r{g.value.v, {}, {}};
    for (std::size_t i = 0; i < N; ++i) {
        r.gradient[i] = g.gradient[i].v;
        for (std::size_t j = i; j < N; ++j) r.hessian(i, j) = r.hessian(j, i) = g.gradient[i].t[j];
    }
    return r;
}

template <class F, class T, std::size_t N>
constexpr hvp_result<T, N> hvp_at(F const& f, std::array<T, N> const& x, std::array<T, N> const& v) {
    using D = dual<T, 1>;
    std::array<D, N> xd{};
    for (std::size_t i = 0; i < N; ++i) xd[i] = D(x[i], {v[i]});
    auto const g = gradient_at<reverse>(f, xd);
    hvp_result<T, N> r{g.value.v, {}, {}};
    for (std::size_t i = 0; i < N; ++i) {
        r.gradient[i] = g.gradient[i].v;
        r.hvp[i] = g.gradient[i].t[0];
    }
    return r;
}

}  // namespace detail

/// Value, gradient and (symmetric) Hessian: `auto [v, g, H] = tg::hessian(f, x, y);`, H(i, j).
template <class F, class... Args>
constexpr auto hessian(F const& f, Args const&... args) {
    return detail::hessian_at(f, detail::make_point(args...));
}

/// Value, gradient and H v in one forward-over-reverse pass.
template <class F, class A, class B, std::size_t N>
constexpr auto hvp(F const& f, std::array<A, N> const& point, std::array<B, N> const& v) {
    auto const x = detail::make_point(point);
    using T = typename decltype(x)::value_type;
    std::array<T, N> w{};
    for (std::size_t i = 0; i < N; ++i) w[i] = static_cast<T>(v[i]);
    return detail::hvp_at(f, x, w);
}

}  // namespace typegrad
