// benchmarks/executor_call_driver.cpp: many small calls of the CPU array executor, for
// counting the fixed cost of one call (argument checks, layout, the loop's set-up) with
// callgrind (see executor_calls.sh).
//
//   executor_call_driver CASE [ITERATIONS] [ELEMENTS]
//   CASE: map            tg::map(x * y + 2, out, x, y)
//         map-partials   tg::map with tg::with_partials(out, dx, dy)
//         sum-gradient   tg::sum(x * y + sin(x), tg::gradient_to(gx, gy), x, y)
//         mean           tg::mean(x * y + sin(x), x, y)
//         hand-map, hand-sum-gradient   the same loops written by hand (the floor)
//
// All the calls are inside hot_loop<Case> (never inlined), so
// `valgrind --tool=callgrind --toggle-collect='*hot_loop*'` counts the calls alone.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <typegrad/typegrad.hpp>

namespace {

namespace tg = typegrad;

struct arrays {
    std::vector<double> x, y, out, dx, dy;
    explicit arrays(std::size_t n) : x(n), y(n), out(n), dx(n), dy(n) {
        for (std::size_t i = 0; i < n; ++i) {
            x[i] = 0.25 + 0.01 * double(i);
            y[i] = 1.5 - 0.02 * double(i);
        }
    }
};

inline auto const expression_xy = [] {
    auto [x, y] = tg::vars<2>();
    return x * y + 2.0;
}();
inline auto const loss_xy = [] {
    auto [x, y] = tg::vars<2>();
    return x * y + sin(x);
}();

struct map_case {
    static double run(arrays& a) {
        tg::map(expression_xy, a.out, a.x, a.y);
        return a.out[0];
    }
};
struct map_partials_case {
    static double run(arrays& a) {
        tg::map(expression_xy, tg::with_partials(a.out, a.dx, a.dy), a.x, a.y);
        return a.dx[0];
    }
};
struct sum_gradient_case {
    static double run(arrays& a) { return tg::sum(loss_xy, tg::gradient_to(a.dx, a.dy), a.x, a.y); }
};
struct mean_case {
    static double run(arrays& a) { return tg::mean(loss_xy, a.x, a.y); }
};
struct hand_map_case {
    static double run(arrays& a) {
        std::size_t const n = a.x.size();
        for (std::size_t i = 0; i < n; ++i) a.out[i] = a.x[i] * a.y[i] + 2.0;
        return a.out[0];
    }
};
struct hand_sum_gradient_case {
    static double run(arrays& a) {
        std::size_t const n = a.x.size();
        double s = 0;
        for (std::size_t i = 0; i < n; ++i) {
            s += a.x[i] * a.y[i] + std::sin(a.x[i]);
            a.dx[i] = a.y[i] + std::cos(a.x[i]);
            a.dy[i] = a.x[i];
        }
        return s;
    }
};

template <class Case>
[[gnu::noinline]] double hot_loop(arrays& a, std::size_t iterations) {
    double s = 0;
    for (std::size_t k = 0; k < iterations; ++k) {
        s += Case::run(a);
        a.x[k % a.x.size()] += 1e-9;  // the next call sees new data
    }
    return s;
}

template <class Case>
int run(std::size_t iterations, std::size_t n) {
    arrays a(n);
    double const s = hot_loop<Case>(a, iterations);
    std::printf("%zu calls on %zu elements, checksum %.17g\n", iterations, n, s);
    return std::isfinite(s) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CASE [ITERATIONS] [ELEMENTS]\n", argv[0]);
        return 2;
    }
    std::string const c = argv[1];
    std::size_t const iterations = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 10000;
    std::size_t const n = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 10;
    if (n == 0) return 2;
    if (c == "map") return run<map_case>(iterations, n);
    if (c == "map-partials") return run<map_partials_case>(iterations, n);
    if (c == "sum-gradient") return run<sum_gradient_case>(iterations, n);
    if (c == "mean") return run<mean_case>(iterations, n);
    if (c == "hand-map") return run<hand_map_case>(iterations, n);
    if (c == "hand-sum-gradient") return run<hand_sum_gradient_case>(iterations, n);
    std::fprintf(stderr, "unknown case %s\n", c.c_str());
    return 2;
}
