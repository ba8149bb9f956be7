// The forward and reverse accumulation tables (tg::trace_forward, tg::trace_reverse) of the reference
// problems P1 and P2, row by row against the textbook tables computed by hand here; the Graphviz
// graph of P1 (the shared subexpression drawn once); and the gradients of P1 and P2 in every mode
// against their closed forms.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <typegrad/typegrad.hpp>

#include "support/finite_difference.hpp"

namespace tg = typegrad;
using namespace tg::literals;
using typegrad_test::close;

namespace {

struct expected_row {
    char const* name;
    char const* definition;
    double value;
    double derivative;
};

// The trace against the hand-computed rows, in order: names and definitions exactly, numbers to rounding.
void check_rows(tg::trace const& t, std::vector<expected_row> const& want) {
    REQUIRE(t.rows.size() == want.size());
    for (std::size_t k = 0; k < want.size(); ++k) {
        CAPTURE(k);
        CHECK(t.rows[k].name == want[k].name);
        CHECK(t.rows[k].definition == want[k].definition);
        INFO("value ", t.rows[k].value, " expected ", want[k].value);
        CHECK(close(t.rows[k].value, want[k].value, 1e-15));
        INFO("derivative ", t.rows[k].derivative, " expected ", want[k].derivative);
        CHECK(close(t.rows[k].derivative, want[k].derivative, 1e-15));
    }
}

std::vector<std::string> lines_of(std::string const& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

bool starts_with(std::string const& s, std::string const& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

// ---- P2: z = x1 x2 + sin(x1) at (1.5, 0.5).

constexpr double x1v = 1.5;
constexpr double x2v = 0.5;

// The forward table along the seed (s1, s2): w_k' by the chain rule, one line per intermediate.
std::vector<expected_row> p2_forward_table(double s1, double s2) {
    double const w1 = x1v, w2 = x2v, w3 = w1 * w2, w4 = std::sin(w1), w5 = w3 + w4;
    double const d1 = s1, d2 = s2;
    double const d3 = w2 * d1 + w1 * d2;
    double const d4 = std::cos(w1) * d1;
    double const d5 = d3 + d4;
    return {{"w1", "x1", w1, d1},
            {"w2", "x2", w2, d2},
            {"w3", "w1 * w2", w3, d3},
            {"w4", "sin(w1)", w4, d4},
            {"w5", "w3 + w4", w5, d5}};
}

// The reverse table: adjoints from the result back, w_bar = sum over users of user_bar * d user / d w.
std::vector<expected_row> p2_reverse_table() {
    double const w1 = x1v, w2 = x2v, w3 = w1 * w2, w4 = std::sin(w1), w5 = w3 + w4;
    double const b5 = 1;
    double const b4 = b5;
    double const b3 = b5;
    double const b2 = b3 * w1;
    double const b1 = b3 * w2 + b4 * std::cos(w1);
    return {{"w1", "x1", w1, b1},
            {"w2", "x2", w2, b2},
            {"w3", "w1 * w2", w3, b3},
            {"w4", "sin(w1)", w4, b4},
            {"w5", "w3 + w4", w5, b5}};
}

auto p2() {
    auto [x1, x2] = tg::vars<"x1", "x2">();
    return x1 * x2 + sin(x1);
}

// ---- P1: loss = (h1 - h2)^2, g1 = 3x, g2 = x^2 + x, h1 = 2 g1 + 1, h2 = 2 g1 + g2.

auto p1() {
    auto const x = tg::named<0, "x">();
    auto const g1 = 3_c * x;
    auto const g2 = pow(x, 2_c) + x;
    auto const h1 = 2_c * g1 + 1_c;
    auto const h2 = 2_c * g1 + g2;
    return pow(h1 - h2, 2_c);
}
double p1_value(double x) { return (1 - x - x * x) * (1 - x - x * x); }
double p1_derivative(double x) { return -2 * (1 - x - x * x) * (1 + 2 * x); }
// loss = u^2 with u = 1 - x - x^2: loss'' = 2 (u'^2 + u u'') = 2 ((1 + 2x)^2 - 2 (1 - x - x^2)).
double p1_second_derivative(double x) { return 2 * ((1 + 2 * x) * (1 + 2 * x) - 2 * (1 - x - x * x)); }

}  // namespace

TEST_CASE("trace: P2 forward tables along (1, 0) and (0, 1), row by row") {
    auto const z = p2();
    auto const t1 = tg::trace_forward(z, std::array{x1v, x2v}, std::array{1.0, 0.0});
    auto const t2 = tg::trace_forward(z, std::array{x1v, x2v}, std::array{0.0, 1.0});
    CHECK(t1.derivative_heading == "tangent");
    check_rows(t1, p2_forward_table(1, 0));
    check_rows(t2, p2_forward_table(0, 1));
    // Any seed: the same table along (0.3, -2).
    check_rows(tg::trace_forward(z, std::array{x1v, x2v}, std::array{0.3, -2.0}), p2_forward_table(0.3, -2));
    // The last tangents are the gradient: x2 + cos(x1) and x1.
    CHECK(close(t1.rows.back().derivative, x2v + std::cos(x1v), 1e-15));
    CHECK(t2.rows.back().derivative == x1v);
}

TEST_CASE("trace: P2 reverse table, row by row") {
    auto const t = tg::trace_reverse(p2(), std::array{x1v, x2v});
    CHECK(t.derivative_heading == "adjoint");
    check_rows(t, p2_reverse_table());
    // The adjoints of the inputs are the gradient.
    CHECK(close(t.rows[0].derivative, x2v + std::cos(x1v), 1e-15));
    CHECK(t.rows[1].derivative == x1v);
}

TEST_CASE("trace: the same table from a callable and from an expression") {
    auto const f = [](auto a, auto b) { return a * b + sin(a); };
    auto const from_callable = tg::trace_reverse(f, std::array{x1v, x2v});
    auto const from_expression = tg::trace_reverse(p2(), std::array{x1v, x2v});
    REQUIRE(from_callable.rows.size() == from_expression.rows.size());
    for (std::size_t k = 0; k < from_callable.rows.size(); ++k) {
        CHECK(from_callable.rows[k].value == from_expression.rows[k].value);
        CHECK(from_callable.rows[k].derivative == from_expression.rows[k].derivative);
    }
    // Unnamed variables print as x0, x1.
    CHECK(from_callable.rows[0].definition == "x0");
    CHECK(from_callable.rows[2].definition == "w1 * w2");
}

TEST_CASE("trace: markdown has a header, a separator and one row per intermediate, text has every definition") {
    auto const fwd = tg::trace_forward(p2(), std::array{x1v, x2v}, std::array{1.0, 0.0});
    auto const rev = tg::trace_reverse(p2(), std::array{x1v, x2v});
    for (auto const* t : {&fwd, &rev}) {
        auto const md = lines_of(t->to_markdown());
        REQUIRE(md.size() == 7);
        CHECK(md[0] == "| w | definition | value | " + t->derivative_heading + " |");
        CHECK(starts_with(md[1], "|---|"));
        for (std::size_t k = 0; k < 5; ++k) {
            CAPTURE(k);
            CHECK(starts_with(md[k + 2], "| w" + std::to_string(k + 1) + " | `" + t->rows[k].definition + "` |"));
        }
        auto const text = t->to_text();
        auto const text_lines = lines_of(text);
        CHECK(text_lines.size() == 6);  // a heading and five rows
        CHECK(text_lines[0].find(t->derivative_heading) != std::string::npos);
        for (char const* def : {"x1", "x2", "w1 * w2", "sin(w1)", "w3 + w4"}) {
            CAPTURE(def);
            CHECK(text.find(def) != std::string::npos);
        }
    }
}

TEST_CASE("trace: P1 reverse table, the shared g1 gathering both adjoints") {
    for (double x : {-1.5, 0.0, 0.7, 2.0}) {
        CAPTURE(x);
        auto const t = tg::trace_reverse(p1(), std::array{x});
        // By hand, with u = h1 - h2: the result's adjoint is 1, u_bar = 2u, h1_bar = u_bar, h2_bar = -u_bar,
        // (2 g1)_bar = h1_bar + h2_bar = 0, g2_bar = h2_bar, (x^2)_bar = g2_bar,
        // x_bar = 3 g1_bar + g2_bar + 2x (x^2)_bar.
        double const g1 = 3 * x, two_g1 = 2 * g1, h1 = two_g1 + 1, sq = x * x, g2 = sq + x, h2 = two_g1 + g2;
        double const u = h1 - h2;
        double const u_bar = 2 * u, h1_bar = u_bar, h2_bar = -u_bar, two_g1_bar = h1_bar + h2_bar;
        double const g1_bar = 2 * two_g1_bar, g2_bar = h2_bar, sq_bar = g2_bar;
        double const x_bar = 3 * g1_bar + g2_bar + 2 * x * sq_bar;
        check_rows(t, {{"w1", "x", x, x_bar},
                       {"w2", "3 * w1", g1, g1_bar},
                       {"w3", "2 * w2", two_g1, two_g1_bar},
                       {"w4", "w3 + 1", h1, h1_bar},
                       {"w5", "pow(w1, 2)", sq, sq_bar},
                       {"w6", "w5 + w1", g2, g2_bar},
                       {"w7", "w3 + w6", h2, h2_bar},
                       {"w8", "w4 - w7", u, u_bar},
                       {"w9", "pow(w8, 2)", u * u, 1.0}});
        CHECK(t.rows.back().derivative == 1.0);
        CHECK(close(t.rows.front().derivative, p1_derivative(x), 1e-14));
        CHECK(close(t.rows.back().value, p1_value(x), 1e-14));
    }
}

TEST_CASE("trace: P1 forward table: the tangent of the result is the derivative") {
    for (double x : {-1.5, 0.0, 0.7, 2.0}) {
        CAPTURE(x);
        auto const t = tg::trace_forward(p1(), std::array{x}, std::array{1.0});
        REQUIRE(t.rows.size() == 9);
        CHECK(t.rows[0].derivative == 1.0);
        CHECK(t.rows[1].derivative == 3.0);  // g1' = 3
        CHECK(t.rows[2].derivative == 6.0);  // (2 g1)' = 6
        CHECK(close(t.rows[5].derivative, 2 * x + 1, 1e-15));  // g2' = 2x + 1
        CHECK(close(t.rows.back().derivative, p1_derivative(x), 1e-14));
    }
}

TEST_CASE("to_dot: P1's shared subexpressions are drawn once") {
    auto const loss = p1();
    std::string const dot = tg::to_dot(loss);
    // Nodes: lines `nK [label="...", shape=...];`; edges: `nA -> nB;`.
    std::map<std::string, std::string> label;  // node id -> label
    std::vector<std::pair<std::string, std::string>> edges;
    int node_lines = 0;
    for (auto const& line : lines_of(dot)) {
        auto const at = line.find(" [label=\"");
        if (at != std::string::npos) {
            ++node_lines;
            auto const id = line.substr(line.find_first_not_of(' '), at - line.find_first_not_of(' '));
            auto const start = at + 9;
            label[id] = line.substr(start, line.find('"', start) - start);
        }
        auto const arrow = line.find(" -> ");
        if (arrow != std::string::npos) {
            auto const from = line.substr(line.find_first_not_of(' '), arrow - line.find_first_not_of(' '));
            auto const to = line.substr(arrow + 4, line.find(';') - arrow - 4);
            edges.emplace_back(from, to);
        }
    }
    // One line per distinct node: x, 3, 3x, 2, 2 g1, 1, h1, x^2, g2, h2, h1 - h2, its square.
    CHECK(node_lines == static_cast<int>(tg::node_count<decltype(loss)>));
    CHECK(node_lines == 12);
    CHECK(label.size() == 12);

    auto const ids_labelled = [&](std::string const& l) {
        std::vector<std::string> ids;
        for (auto const& [id, lab] : label)
            if (lab == l) ids.push_back(id);
        return ids;
    };
    auto const inputs_of = [&](std::string const& id) {
        std::vector<std::string> in;
        for (auto const& [from, to] : edges)
            if (to == id) in.push_back(label[from]);
        std::sort(in.begin(), in.end());
        return in;
    };
    auto const users_of = [&](std::string const& id) {
        std::vector<std::string> out;
        for (auto const& [from, to] : edges)
            if (from == id) out.push_back(to);
        return out;
    };
    REQUIRE(ids_labelled("x").size() == 1);
    REQUIRE(ids_labelled("3").size() == 1);
    // Exactly one "*" node computes 3 * x (g1), ...
    std::vector<std::string> g1_nodes;
    for (auto const& id : ids_labelled("*"))
        if (inputs_of(id) == std::vector<std::string>{"3", "x"}) g1_nodes.push_back(id);
    REQUIRE(g1_nodes.size() == 1);
    // ... it feeds exactly one node, 2 * g1, itself shared: it feeds both h1 and h2.
    auto const g1_users = users_of(g1_nodes[0]);
    REQUIRE(g1_users.size() == 1);
    CHECK(label[g1_users[0]] == "*");
    CHECK(inputs_of(g1_users[0]) == std::vector<std::string>{"*", "2"});
    auto const two_g1_users = users_of(g1_users[0]);
    REQUIRE(two_g1_users.size() == 2);
    CHECK(label[two_g1_users[0]] == "+");
    CHECK(label[two_g1_users[1]] == "+");
    CHECK(two_g1_users[0] != two_g1_users[1]);
    // x feeds 3x, x^2 and x^2 + x.
    CHECK(users_of(ids_labelled("x")[0]).size() == 3);
    // Each node has at most as many edges in as its arity (no duplicate drawing): 11 operations' operands.
    CHECK(edges.size() == 2 + 2 + 2 + 1 + 2 + 2 + 2 + 1);
    // to_string prints a tree: there g1 appears at each use.
    std::string const text = tg::to_string(loss);
    std::size_t uses = 0;
    for (auto at = text.find("(3 * x)"); at != std::string::npos; at = text.find("(3 * x)", at + 1)) ++uses;
    CHECK(uses == 2);
}

TEST_CASE("P1 and P2 gradients agree with the closed forms in every mode") {
    SUBCASE("P1") {
        auto const loss = p1();
        auto const x = tg::named<0, "x">();
        auto const d1 = tg::d(loss, x);
        auto const d2 = tg::d(d1, x);
        for (double v : {-3.0, -1.0, -0.5, 0.0, 0.3, 0.7, 1.0, 2.5}) {
            CAPTURE(v);
            double const want = p1_derivative(v);
            CHECK(close(tg::value(loss, v), p1_value(v), 1e-14));
            CHECK(close(tg::gradient(loss, v).gradient[0], want, 1e-14));
            CHECK(close(tg::gradient<tg::forward>(loss, v).gradient[0], want, 1e-14));
            CHECK(close(tg::value(d1, v), want, 1e-14));
            CHECK(close(tg::jvp(loss, std::array{v}, std::array{1.0}).tangent, want, 1e-14));
            CHECK(close(tg::jvp(loss, std::array{v}, std::array{-2.0}).tangent, -2 * want, 1e-14));
            CHECK(close(tg::jacobian<tg::forward>(tg::outputs(loss), v).jacobian(0, 0), want, 1e-14));
            CHECK(close(tg::jacobian<tg::reverse>(tg::outputs(loss), v).jacobian(0, 0), want, 1e-14));
            CHECK(close(tg::vjp(tg::outputs(loss), std::array{v}, std::array{1.0}).gradient[0], want, 1e-14));
            auto const h = tg::hessian(loss, v);
            CHECK(close(h.value, p1_value(v), 1e-14));
            CHECK(close(h.gradient[0], want, 1e-14));
            CHECK(close(h.hessian(0, 0), p1_second_derivative(v), 1e-14));
            CHECK(close(tg::value(d2, v), p1_second_derivative(v), 1e-14));
            CHECK(close(tg::hvp(loss, std::array{v}, std::array{1.0}).gradient[0], want, 1e-14));
            CHECK(static_cast<bool>(tg::check_gradient(loss, std::array{v})));
        }
    }
    SUBCASE("P2") {
        auto const z = p2();
        auto [x1, x2] = tg::vars<"x1", "x2">();
        for (auto const& p : {std::array{1.5, 0.5}, std::array{-0.4, 2.0}, std::array{3.0, -1.0}}) {
            CAPTURE(p[0]);
            CAPTURE(p[1]);
            // z = x1 x2 + sin x1: gradient (x2 + cos x1, x1), Hessian [[-sin x1, 1], [1, 0]].
            std::array const want{p[1] + std::cos(p[0]), p[0]};
            double const value = p[0] * p[1] + std::sin(p[0]);
            auto const r = tg::gradient(z, p);
            auto const f = tg::gradient<tg::forward>(z, p);
            auto const jf = tg::jacobian<tg::forward>(tg::outputs(z), p);
            auto const jr = tg::jacobian<tg::reverse>(tg::outputs(z), p);
            auto const h = tg::hessian(z, p);
            CHECK(close(r.value, value, 1e-15));
            CHECK(close(h.value, value, 1e-15));
            for (std::size_t i = 0; i < 2; ++i) {
                CAPTURE(i);
                std::array<double, 2> e{};
                e[i] = 1;
                CHECK(close(r.gradient[i], want[i], 1e-15));
                CHECK(close(f.gradient[i], want[i], 1e-15));
                CHECK(close(tg::jvp(z, p, e).tangent, want[i], 1e-15));
                CHECK(close(jf.jacobian(0, i), want[i], 1e-15));
                CHECK(close(jr.jacobian(0, i), want[i], 1e-15));
                CHECK(close(h.gradient[i], want[i], 1e-15));
            }
            CHECK(close(tg::value(tg::d(z, x1), p), want[0], 1e-15));
            CHECK(close(tg::value(tg::d(z, x2), p), want[1], 1e-15));
            CHECK(close(h.hessian(0, 0), -std::sin(p[0]), 1e-15));
            CHECK(h.hessian(0, 1) == 1.0);
            CHECK(h.hessian(1, 0) == 1.0);
            CHECK(h.hessian(1, 1) == 0.0);
            auto const hv = tg::hvp(z, p, std::array{0.5, -2.0});
            CHECK(close(hv.hvp[0], -std::sin(p[0]) * 0.5 - 2.0, 1e-15));
            CHECK(close(hv.hvp[1], 0.5, 1e-15));
            CHECK(static_cast<bool>(tg::check_gradient(z, p)));
        }
    }
}
