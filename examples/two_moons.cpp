// P4: logistic regression on the two-moons data, trained with gradients of the loss
// written once.
//
//   500 points, noise 0.1 (scikit-learn's make_moons recipe, examples/support);
//   p = 0.5 (tanh(X w) + 1), w in R^2 starting at (1, 1), no bias;
//   loss = -sum(t log p + (1 - t) log(1 - p)); 100 steps of gradient descent, rate 0.001.
//
// It prints the loss at every step and writes two CSV files for
// examples/plot_two_moons.py (the loss curve, and p over a grid of step 0.01 covering
// the data with a margin of 0.5, with the points). Usage: two_moons [output-directory].
// It checks its gradient against central differences and that the loss falls at every
// step, and exits non-zero otherwise.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <typegrad/typegrad.hpp>

#include "support/two_moons.hpp"

namespace tg = typegrad;

int main(int argc, char** argv) {
    std::string const dir = argc > 1 ? argv[1] : ".";
    auto const data = example_data::make_two_moons(500, 0.1, 4);
    auto const n = static_cast<std::ptrdiff_t>(data.size());
    auto const Xv = tg::view(data.X.data(), n, 2);

    auto [X, w, t] = tg::vars<"X", "w", "t">();
    auto const p = 0.5 * (tanh(tg::matmul(X, w)) + 1.0);
    auto const loss = -tg::sum(t * log(p) + (1.0 - t) * log(1.0 - p));

    std::vector<double> wv{1.0, 1.0}, g(2);
    int failures = 0;
    {  // the gradient against central differences, at the start
        tg::gradient(loss, tg::gradient_to(tg::skip, g, tg::skip), Xv, wv, data.labels);
        for (int i = 0; i < 2; ++i) {
            auto at = [&](double s) {
                auto v = wv;
                v[static_cast<std::size_t>(i)] += s;
                return tg::value(loss, Xv, v, data.labels);
            };
            double const h = 1e-4;
            double const fd = (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
            bool const ok = std::abs(fd - g[static_cast<std::size_t>(i)]) <= 1e-7 * std::max(1.0, std::abs(fd));
            std::printf("dL/dw%d = %.10g, central differences %.10g%s\n", i, g[static_cast<std::size_t>(i)], fd,
                        ok ? "" : "  MISMATCH");
            failures += !ok;
        }
    }
    std::FILE* curve = std::fopen((dir + "/two_moons_loss.csv").c_str(), "w");
    if (!curve) {
        std::printf("cannot write %s/two_moons_loss.csv\n", dir.c_str());
        return 1;
    }
    std::fprintf(curve, "step,loss\n");
    double previous = 0;
    for (int step = 0; step < 100; ++step) {
        double const L = tg::gradient(loss, tg::gradient_to(tg::skip, g, tg::skip), Xv, wv, data.labels);
        std::printf("step %3d  loss %.6f  w = (%.5f, %.5f)\n", step, L, wv[0], wv[1]);
        std::fprintf(curve, "%d,%.17g\n", step, L);
        if (step > 0 && !(L < previous)) {
            std::printf("the loss did not fall at step %d\n", step);
            ++failures;
        }
        previous = L;
        for (int i = 0; i < 2; ++i) wv[static_cast<std::size_t>(i)] -= 0.001 * g[static_cast<std::size_t>(i)];
    }
    std::fclose(curve);

    // p over a grid covering the data with a margin of 0.5, and the points with their labels.
    double lo[2] = {1e300, 1e300}, hi[2] = {-1e300, -1e300};
    for (std::ptrdiff_t i = 0; i < n; ++i)
        for (int c = 0; c < 2; ++c) {
            lo[c] = std::min(lo[c], data.X[static_cast<std::size_t>(2 * i + c)]);
            hi[c] = std::max(hi[c], data.X[static_cast<std::size_t>(2 * i + c)]);
        }
    auto const cells = [&](int c) { return static_cast<std::ptrdiff_t>(std::ceil((hi[c] - lo[c] + 1.0) / 0.01)) + 1; };
    std::ptrdiff_t const nx = cells(0), ny = cells(1);
    std::vector<double> grid(static_cast<std::size_t>(2 * nx * ny)), pg(static_cast<std::size_t>(nx * ny));
    for (std::ptrdiff_t i = 0; i < nx; ++i)
        for (std::ptrdiff_t j = 0; j < ny; ++j) {
            grid[static_cast<std::size_t>(2 * (i * ny + j))] = lo[0] - 0.5 + 0.01 * static_cast<double>(i);
            grid[static_cast<std::size_t>(2 * (i * ny + j) + 1)] = lo[1] - 0.5 + 0.01 * static_cast<double>(j);
        }
    tg::map(p, pg, tg::view(grid.data(), nx * ny, 2), wv);  // the model over the grid, one program
    std::FILE* boundary = std::fopen((dir + "/two_moons_boundary.csv").c_str(), "w");
    if (!boundary) return 1;
    std::fprintf(boundary, "kind,x0,x1,value\n");
    for (std::ptrdiff_t q = 0; q < nx * ny; ++q)
        std::fprintf(boundary, "grid,%.4f,%.4f,%.6g\n", grid[static_cast<std::size_t>(2 * q)],
                     grid[static_cast<std::size_t>(2 * q + 1)], pg[static_cast<std::size_t>(q)]);
    for (std::ptrdiff_t i = 0; i < n; ++i)
        std::fprintf(boundary, "point,%.6f,%.6f,%g\n", data.X[static_cast<std::size_t>(2 * i)],
                     data.X[static_cast<std::size_t>(2 * i + 1)], data.labels[static_cast<std::size_t>(i)]);
    std::fclose(boundary);
    std::printf("wrote %s/two_moons_loss.csv and %s/two_moons_boundary.csv (plot: examples/plot_two_moons.py)\n",
                dir.c_str(), dir.c_str());
    return failures == 0 ? 0 : 1;
}
