// An expression grown in a loop of run-time length: one sentence saying that the graph's
// size is fixed by its type, pointing to array programs.
// expect: typegrad: an expression's type is its graph
#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

int main(int argc, char**) {
    auto const f = [argc](auto x) {
#ifdef TYPEGRAD_SHOULD_FAIL
        auto e = x;
        for (int i = 1; i < argc + 2; ++i) e = e + x;
        return e;
#else
        return (argc + 2) * x;
#endif
    };
    return tg::gradient(f, 1.0).gradient[0] == argc + 2 ? 0 : 1;
}
