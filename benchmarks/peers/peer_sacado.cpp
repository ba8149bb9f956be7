// benchmarks/peers/peer_sacado.cpp: Sacado (Trilinos) forward vector mode,
// Sacado::Fad::SFad<double, n> (derivative array of static size n, expression templates).
#include <Sacado_No_Kokkos.hpp>

#include "peer_common.hpp"

struct sacado_peer {
    static constexpr char const* name = "Sacado";
    static constexpr char const* mode = "SFad forward, n lanes";
    template <class F>
    struct engine {
        using ad = Sacado::Fad::SFad<double, static_cast<int>(F::n)>;
        explicit engine(double const*) {}
        void operator()(double const* x, double* y, double* jac) {
            std::array<ad, F::n> xs;
            for (std::size_t i = 0; i < F::n; ++i) xs[i] = ad(static_cast<int>(F::n), static_cast<int>(i), x[i]);
            std::array<ad, F::m> ys;
            F::template primal<ad>(xs.data(), ys.data());
            for (std::size_t j = 0; j < F::m; ++j) {
                y[j] = ys[j].val();
                for (std::size_t i = 0; i < F::n; ++i) jac[j * F::n + i] = ys[j].dx(static_cast<int>(i));
            }
        }
    };
};

int main(int argc, char** argv) { return peers::main<sacado_peer>(argc, argv); }
