// benchmarks/peers/peer_eigen.cpp: Eigen's AutoDiffScalar (unsupported module) with a
// fixed-size derivative vector: forward vector mode.
#include <Eigen/Core>
#include <unsupported/Eigen/AutoDiff>

#include "peer_common.hpp"

struct eigen_peer {
    static constexpr char const* name = "Eigen AutoDiffScalar";
    static constexpr char const* mode = "forward, fixed-size n lanes";
    template <class F>
    struct engine {
        using vec = Eigen::Matrix<double, static_cast<int>(F::n), 1>;
        using ad = Eigen::AutoDiffScalar<vec>;
        explicit engine(double const*) {}
        void operator()(double const* x, double* y, double* jac) {
            std::array<ad, F::n> xs;
            for (std::size_t i = 0; i < F::n; ++i)
                xs[i] = ad(x[i], static_cast<Eigen::Index>(F::n), static_cast<Eigen::Index>(i));
            std::array<ad, F::m> ys;
            F::template primal<ad>(xs.data(), ys.data());
            for (std::size_t j = 0; j < F::m; ++j) {
                y[j] = ys[j].value();
                for (std::size_t i = 0; i < F::n; ++i)
                    jac[j * F::n + i] = ys[j].derivatives()(static_cast<Eigen::Index>(i));
            }
        }
    };
};

int main(int argc, char** argv) { return peers::main<eigen_peer>(argc, argv); }
