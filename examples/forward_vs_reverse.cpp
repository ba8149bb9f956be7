// Forward versus reverse mode on a wide function (16 inputs, 1 output) and a
// tall one (1 input, 16 outputs): which mode typegrad chooses and how many
// passes each mode needs. Forward vector mode is one pass carrying n tangent
// lanes (about n times the work of a value pass); reverse mode is one sweep per
// output (about m times). So forward wins when n <= m and reverse when n > m.
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <type_traits>
#include <utility>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;
using namespace tg::literals;

template <std::size_t... I>
auto wide(std::index_sequence<I...>) {  // R^16 -> R: sum of tanh(x_i x_{i+1}) + exp(-x_i^2)
    return tg::outputs(((tanh(tg::var<I>{} * tg::var<(I + 1) % sizeof...(I)>{}) + exp(-(tg::var<I>{} * tg::var<I>{}))) + ...));
}
template <std::size_t... I>
auto tall(std::index_sequence<I...>) {  // R -> R^16: sin((i+1) x) e^{-x}
    auto const x = tg::var<0>{};
    return tg::outputs((sin(tg::constant<I + 1> * x) * exp(-x))...);
}

template <class Mode, class F, class P>
double microseconds(F const& f, P const& p) {
    auto const t0 = std::chrono::steady_clock::now();
    double sink = 0;
    for (int i = 0; i < 20000; ++i) {
        auto q = p;
        q[0] += 1e-9 * i;
        sink += tg::jacobian<Mode>(f, q).jacobian(0, 0);
    }
    auto const t1 = std::chrono::steady_clock::now();
    if (sink == 12345.678) std::printf(" ");
    return std::chrono::duration<double, std::micro>(t1 - t0).count() / 20000;
}

template <class F, std::size_t N>
bool report(char const* name, F const& f, std::array<double, N> const& p) {
    auto const jf = tg::jacobian<tg::forward>(f, p);
    auto const jr = tg::jacobian<tg::reverse>(f, p);
    constexpr std::size_t M = decltype(jf.value){}.size();
    using chosen = tg::chosen_mode<N, M>;
    bool agree = true;
    for (std::size_t i = 0; i < M; ++i)
        for (std::size_t j = 0; j < N; ++j)
            agree = agree && std::abs(jf.jacobian(i, j) - jr.jacobian(i, j)) <= 1e-14 * (1 + std::abs(jr.jacobian(i, j)));
    std::printf("%s: n = %zu inputs, m = %zu outputs\n", name, N, M);
    std::printf("  forward: 1 pass with %zu tangent lanes  %8.3f us per Jacobian\n", N, microseconds<tg::forward>(f, p));
    std::printf("  reverse: %zu adjoint sweep(s) over one value pass  %8.3f us per Jacobian\n", M,
                microseconds<tg::reverse>(f, p));
    std::printf("  automatic choice: %s; the two modes %s\n\n",
                std::is_same_v<chosen, tg::forward> ? "forward" : "reverse", agree ? "agree" : "DISAGREE");
    return agree;
}

int main() {
    std::array<double, 16> p{};
    for (std::size_t i = 0; i < 16; ++i) p[i] = 0.1 * double(i) - 0.7;
    bool ok = report("wide", wide(std::make_index_sequence<16>{}), p);
    ok = report("tall", tall(std::make_index_sequence<16>{}), std::array{0.3}) && ok;
    std::printf("(times are wall-clock on this machine; the benchmarks measure properly)\n");
    return ok ? 0 : 1;
}
