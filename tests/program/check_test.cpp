// tg::check_gradient over array programs: it passes for correct programs and, for an
// operation whose derivative rule is wrong, reports the input and element.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "support/program_check.hpp"

namespace tg = typegrad;
using typegrad_test::arr;
using typegrad_test::fill_uniform;

namespace {
// x^3 with the derivative 3x^2 written wrongly as 2x^2.
struct wrong_cube {
    static constexpr char const* name = "wrong_cube";
    template <class A>
    static auto value(A const& a) {
        return a * a * a;
    }
    template <class A, class Y>
    static constexpr auto partials(A const& a, Y const&) {
        return tg::partials(2.0 * a * a);
    }
};
}  // namespace

TEST_CASE("check_gradient over arrays: a network passes, a wrong rule is caught") {
    auto [X, W, b, y, labels] = tg::vars<"X", "W", "b", "y", "labels">();
    arr<2> x(20, 6), w(6, 3);
    arr<1> bv(3);
    fill_uniform(x, 61);
    fill_uniform(w, 62);
    fill_uniform(bv, 63);
    std::vector<int> lab(20);
    for (std::size_t i = 0; i < lab.size(); ++i) lab[i] = static_cast<int>(i % 3);
    auto const loss = tg::mean(tg::softmax_cross_entropy(tanh(tg::matmul(X, W) + b), labels));
    auto const x_before = x.v;
    auto const ok = tg::check_gradient(loss, x.cref(), w.cref(), bv.cref(), 0.0, lab);
    CHECK(static_cast<bool>(ok));
    CHECK(ok.max_rel_error < 1e-8);
    CHECK(x.v == x_before);  // the caller's arrays are not written

    auto const bad = tg::sum(tg::apply<wrong_cube>(W) * 0.5) + tg::sum(X * X);
    auto const r = tg::check_gradient(tg::check_options{.samples = 100}, bad, x.cref(), w.cref());
    CHECK_FALSE(static_cast<bool>(r));
    CHECK(r.worst_input == 1);
    CHECK(r.worst_element < 18);
    CHECK(r.to_string().find("MISMATCH") == 0);
    CHECK(r.to_string().find("input 1, element") != std::string::npos);
}
