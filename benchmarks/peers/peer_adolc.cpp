// benchmarks/peers/peer_adolc.cpp: ADOL-C (operator overloading with a tape). The
// function is taped once per workload, outside the timed region; each timed call
// evaluates that tape the way ADOL-C's jacobian() driver does, choosing forward vector
// mode (fov_forward, n directions) when n/2 < m and otherwise a zero-order forward
// pass plus reverse vector mode (fov_reverse, m weights), but calling those two
// drivers directly so that the values come with the Jacobian (jacobian() does not
// return them).
#include <adolc/adolc.h>

#include "peer_common.hpp"

namespace {
short next_tag = 1;
}

struct adolc_peer {
    static constexpr char const* name = "ADOL-C";
    static constexpr char const* mode = "taped once; fov_forward or zos_forward+fov_reverse";
    template <class F>
    struct engine {
        static constexpr bool forward = F::n / 2 < F::m;  // jacobian()'s rule
        short tag;
        double** rows;  // m x n result
        double** seed;  // n x n identity (forward) or m x m identity (reverse)
        explicit engine(double const* x0)
            : tag(next_tag++), rows(myalloc2(F::m, F::n)), seed(forward ? myalloc2(F::n, F::n) : myalloc2(F::m, F::m)) {
            std::size_t const k = forward ? F::n : F::m;
            for (std::size_t a = 0; a < k; ++a)
                for (std::size_t b = 0; b < k; ++b) seed[a][b] = a == b ? 1.0 : 0.0;
            trace_on(tag);
            std::array<adouble, F::n> xs;
            for (std::size_t i = 0; i < F::n; ++i) xs[i] <<= x0[i];
            std::array<adouble, F::m> ys;
            F::template primal<adouble>(xs.data(), ys.data());
            double dummy = 0.0;
            for (std::size_t j = 0; j < F::m; ++j) ys[j] >>= dummy;
            trace_off();
        }
        engine(engine const&) = delete;
        engine& operator=(engine const&) = delete;
        ~engine() {
            myfree2(rows);
            myfree2(seed);
        }
        void operator()(double const* x, double* y, double* jac) {
            int const m = static_cast<int>(F::m), n = static_cast<int>(F::n);
            if constexpr (forward) {
                fov_forward(tag, m, n, n, x, seed, y, rows);
            } else {
                zos_forward(tag, m, n, 1, x, y);
                fov_reverse(tag, m, n, m, seed, rows);
            }
            for (std::size_t j = 0; j < F::m; ++j)
                for (std::size_t i = 0; i < F::n; ++i) jac[j * F::n + i] = rows[j][i];
        }
    };
};

int main(int argc, char** argv) { return peers::main<adolc_peer>(argc, argv); }
