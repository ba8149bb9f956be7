// A loop's step returns a state of another size than it takes.
// expect: a loop's step must return the state it takes
#include <tuple>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main() {
    auto [u, v] = tg::vars<2>();
#ifdef TYPEGRAD_SHOULD_FAIL
    auto const r = tg::fori(10, [](auto p, auto q) { return p * q; }, u, v);
#else
    auto const r = tg::fori(10, [](auto p, auto q) { return std::tuple{q, p * q}; }, u, v);
#endif
    (void)r;
}
