// benchmarks/peers/peer_boost.cpp: Boost.Math autodiff, first-order fvar: forward
// scalar mode, n passes (one per input; Boost's multivariate fvar nests one level per
// variable and carries all mixed partials, which grows exponentially with n).
#include <boost/math/differentiation/autodiff.hpp>

#include "peer_common.hpp"

struct boost_peer {
    static constexpr char const* name = "Boost.Math autodiff";
    static constexpr char const* mode = "fvar<double,1>, n passes";
    template <class F>
    struct engine {
        using ad = boost::math::differentiation::autodiff_fvar<double, 1>;
        explicit engine(double const*) {}
        void operator()(double const* x, double* y, double* jac) {
            std::array<ad, F::m> ys;
            for (std::size_t l = 0; l < F::n; ++l) {
                std::array<ad, F::n> xs;
                for (std::size_t i = 0; i < F::n; ++i)
                    xs[i] = i == l ? boost::math::differentiation::make_fvar<double, 1>(x[i]) : ad(x[i]);
                F::template primal<ad>(xs.data(), ys.data());
                for (std::size_t j = 0; j < F::m; ++j) jac[j * F::n + l] = ys[j].derivative(1);
            }
            for (std::size_t j = 0; j < F::m; ++j) y[j] = static_cast<double>(ys[j]);
        }
    };
};

int main(int argc, char** argv) { return peers::main<boost_peer>(argc, argv); }
