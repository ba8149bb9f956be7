// Operations defined outside the library: lgamma (whose derivative is digamma, whose
// derivative is trigamma, ...) as an element-wise operation, and a cumulative sum as an
// array operation. Each is one struct meeting the documented contract; every mode,
// printing and the Hessian pick them up. The program checks its own numbers.
#include <cmath>
#include <cstdio>
#include <numbers>
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

namespace my {

/// The polygamma function psi^(n)(x) for x > 0: the recurrence
/// psi^(n)(x) = psi^(n)(x + 1) - (-1)^n n! / x^(n+1) up to x >= 10, then the
/// asymptotic series with Bernoulli numbers (relative error below 1e-13 there).
template <int N>
double polygamma_value(double x) {
    double shift = 0.0;
    double factorial = 1.0;
    for (int k = 2; k <= N; ++k) factorial *= k;
    double const sign = N % 2 == 0 ? 1.0 : -1.0;  // (-1)^n
    for (; x < 10.0; x += 1.0) shift -= sign * factorial / std::pow(x, N + 1);
    static constexpr double bernoulli[] = {1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730};
    double series = 0.0;
    if constexpr (N == 0) {
        series = std::log(x) - 0.5 / x;
        for (int k = 1; k <= 6; ++k) series -= bernoulli[k - 1] / (2.0 * k * std::pow(x, 2 * k));
    } else {
        // (-1)^(n+1) [ (n-1)!/x^n + n!/(2 x^(n+1)) + sum_k B_2k (2k+n-1)! / ((2k)! x^(2k+n)) ]
        double const f_nm1 = factorial / N;
        series = f_nm1 / std::pow(x, N) + factorial / (2.0 * std::pow(x, N + 1));
        for (int k = 1; k <= 6; ++k) {
            double ratio = 1.0;  // (2k+n-1)! / (2k)!
            for (int j = 2 * k + 1; j <= 2 * k + N - 1; ++j) ratio *= j;
            series += bernoulli[k - 1] * ratio / std::pow(x, 2 * k + N);
        }
        series *= -sign;
    }
    return series + shift;
}

template <int N>
struct polygamma_op {
    static constexpr char const* name = N == 0 ? "digamma" : N == 1 ? "trigamma" : "polygamma";
    template <class A>
    static auto value(A const& a) {
        return polygamma_value<N>(a);
    }
    // d/dx psi^(n) = psi^(n+1): written with tg::apply, so it works on numbers, dual
    // numbers and expressions alike (a Hessian, a symbolic second derivative).
    template <class A, class Y>
    static constexpr auto partials(A const& a, Y const&) {
        return tg::partials(tg::apply<polygamma_op<N + 1>>(a));
    }
};

/// log |Gamma(x)|; its derivative is digamma.
struct lgamma_op {
    static constexpr char const* name = "lgamma";
    template <class A>
    static auto value(A const& a) {
        return std::lgamma(a);
    }
    template <class A, class Y>
    static constexpr auto partials(A const& a, Y const&) {
        return tg::partials(tg::apply<polygamma_op<0>>(a));
    }
};

template <class X>
constexpr auto lgamma(X const& x) {
    return tg::apply<lgamma_op>(x);
}

/// y[i] = x[0] + ... + x[i] over a vector: an array operation.
struct cumsum_op {
    static constexpr bool array_operation = true;
    static constexpr char const* name = "cumsum";
    template <std::size_t R>
    static consteval std::size_t rank() {
        static_assert(R == 1, "cumsum takes a vector");
        return 1;
    }
    tg::shape_result shape(tg::dims const& x) const { return tg::shape_ok(x); }
    template <class T, class X>
    void value(tg::array_ref<T, 1> const& y, X const& x) const {
        T acc = 0;
        for (std::ptrdiff_t i = 0; i < y.extent[0]; ++i) y.data[i] = acc += tg::at(x, i);
    }
    // The adjoint of a running sum is the running sum from the end.
    template <class T, class X, class G>
    void vjp(tg::array_ref<T const, 1> const& ybar, tg::array_ref<T const, 1> const&, X const&, G const& g) const {
        if constexpr (tg::wanted<G>) {
            T acc = 0;
            for (std::ptrdiff_t i = ybar.extent[0]; i-- > 0;) tg::at(g, i) += acc += ybar.data[i];
        }
    }
    template <class T, class X, class D>
    void jvp(tg::array_ref<T, 1> const& ydot, tg::array_ref<T const, 1> const& y, X const& x, D const& d) const {
        if constexpr (tg::wanted<D>)
            value(ydot, d);
        else
            for (std::ptrdiff_t i = 0; i < ydot.extent[0]; ++i) ydot.data[i] = 0;
        (void)y, (void)x;
    }
};

template <class X>
constexpr auto cumsum(X const& x) {
    return tg::apply<cumsum_op>(x);
}

}  // namespace my

int main() {
    int failures = 0;
    auto expect = [&](char const* what, double got, double want, double tol) {
        bool const ok = std::abs(got - want) <= tol * std::fmax(1.0, std::abs(want));
        std::printf("%-44s %.15g (expected %.15g)%s\n", what, got, want, ok ? "" : "  MISMATCH");
        failures += !ok;
    };

    // An element-wise operation: every mode, the symbolic derivative, the Hessian.
    auto [x, y] = tg::vars<"x", "y">();
    auto const f = my::lgamma(x) * y;
    double const euler = 0.57721566490153286;
    double const digamma_35 = -euler - 2 * std::log(2.0) + 2.0 + 1.0 / 1.5 + 1.0 / 2.5;  // psi(1/2) + 1/0.5 + 1/1.5 + 1/2.5
    double const trigamma_35 = std::numbers::pi * std::numbers::pi / 2 - 4.0 - 1.0 / 2.25 - 1.0 / 6.25;            // psi'(1/2) - sum 1/x^2
    auto const rev = tg::gradient(f, 3.5, 2.0);
    auto const fwd = tg::gradient<tg::forward>(f, 3.5, 2.0);
    expect("lgamma(3.5) * 2", rev.value, 2 * std::lgamma(3.5), 1e-15);
    expect("d/dx, reverse mode: 2 digamma(3.5)", rev.gradient[0], 2 * digamma_35, 1e-13);
    expect("d/dx, forward mode", fwd.gradient[0], 2 * digamma_35, 1e-13);
    expect("d/dy: lgamma(3.5)", rev.gradient[1], std::lgamma(3.5), 1e-15);
    auto const h = tg::hessian(f, 3.5, 2.0);
    expect("d2/dx2 (Hessian): 2 trigamma(3.5)", h.hessian(0, 0), 2 * trigamma_35, 1e-12);
    expect("d2/dxdy (Hessian): digamma(3.5)", h.hessian(0, 1), digamma_35, 1e-13);
    std::printf("f = %s, df/dx = %s\n", tg::to_string(f).c_str(), tg::to_string(tg::d(f, x)).c_str());
    expect("symbolic d2f/dx2 at (3.5, 2)", tg::value(tg::d(tg::d(f, x), x), 3.5, 2.0), 2 * trigamma_35, 1e-12);
    expect("digamma(1) = -euler", my::polygamma_value<0>(1.0), -euler, 1e-14);

    // An array operation inside an array program: reverse and forward mode.
    auto [v] = tg::vars<"v">();
    auto const loss = tg::sum(tg::square(my::cumsum(v)));
    std::vector<double> xs{0.5, -1.0, 2.0, 0.25}, g(4), dir{1.0, 0.0, -1.0, 2.0};
    double const L = tg::gradient(loss, tg::gradient_to(g), xs);
    // By hand: y = cumsum(x), L = sum y^2, dL/dx_j = 2 sum_{i >= j} y_i.
    std::vector<double> cs(4);
    double acc = 0, want_L = 0;
    for (int i = 0; i < 4; ++i) cs[static_cast<std::size_t>(i)] = acc += xs[static_cast<std::size_t>(i)], want_L += acc * acc;
    expect("sum(square(cumsum(v)))", L, want_L, 1e-15);
    double jv = 0;
    for (int j = 0; j < 4; ++j) {
        double s = 0;
        for (int i = j; i < 4; ++i) s += 2 * cs[static_cast<std::size_t>(i)];
        expect("gradient entry (reverse)", g[static_cast<std::size_t>(j)], s, 1e-15);
        jv += s * dir[static_cast<std::size_t>(j)];
    }
    auto const t = tg::jvp(loss, tg::along(dir), xs);
    expect("J v (forward mode)", t.tangent, jv, 1e-15);
    std::printf("loss = %s\n", tg::to_string(loss).c_str());
    if (tg::to_string(loss) != "sum(square(cumsum(v)))") ++failures;
    return failures == 0 ? 0 : 1;
}
