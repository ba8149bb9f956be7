// band_of on a stencil whose slice bounds are run-time integers: one sentence saying to write _c bounds.
// expect: band_of reads the band from the type: write the slices' bounds as 1_c
#include <typegrad/solvers/stencil.hpp>
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;
using namespace tg::literals;

int main() {
    auto const u = tg::named<0, "u">();
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const F = u - tg::concat(tg::slice(u, 1, tg::end), tg::slice(u, tg::end - 1, tg::end));
#else
    auto const F = u - tg::concat(tg::slice(u, 1_c, tg::end), tg::slice(u, tg::end - 1_c, tg::end));
#endif
    auto const k = tg::solvers::band_of(F);
    return k.upper == 1 ? 0 : 1;
}
