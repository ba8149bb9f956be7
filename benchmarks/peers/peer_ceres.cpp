// benchmarks/peers/peer_ceres.cpp: Ceres Solver's Jet<double, n> (forward vector mode,
// header only: ceres/jet.h).
#include <ceres/jet.h>

#include "peer_common.hpp"

struct ceres_peer {
    static constexpr char const* name = "Ceres Jet";
    static constexpr char const* mode = "Jet forward, n lanes";
    template <class F>
    struct engine {
        using ad = ceres::Jet<double, static_cast<int>(F::n)>;
        explicit engine(double const*) {}
        void operator()(double const* x, double* y, double* jac) {
            std::array<ad, F::n> xs;
            for (std::size_t i = 0; i < F::n; ++i) xs[i] = ad(x[i], static_cast<int>(i));
            std::array<ad, F::m> ys;
            F::template primal<ad>(xs.data(), ys.data());
            for (std::size_t j = 0; j < F::m; ++j) {
                y[j] = ys[j].a;
                for (std::size_t i = 0; i < F::n; ++i) jac[j * F::n + i] = ys[j].v[static_cast<int>(i)];
            }
        }
    };
};

int main(int argc, char** argv) { return peers::main<ceres_peer>(argc, argv); }
