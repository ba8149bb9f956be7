// typegrad/io/trace.hpp: the forward tangent table and the reverse adjoint table.
//
// The textbook tables of forward and reverse accumulation, with one row per
// intermediate w1, w2, ... (variables and operations, in the order the passes
// visit them; constants appear inline). The numbers are read from the arrays of
// the library's own passes: values from the value pass, tangents from the
// forward pass along the seed direction, adjoints from the reverse sweep seeded
// with 1 at the result.
#pragma once

#include <array>
#include <cstddef>
#include <cstdio>
#include <string>
#include <type_traits>
#include <vector>

#include "../core/graph.hpp"
#include "../modes/forward.hpp"
#include "../modes/reverse.hpp"
#include "../modes/values.hpp"
#include "label.hpp"

namespace typegrad {

/// One intermediate of a trace: its name (w1, ...), definition, value and derivative.
struct trace_row {
    std::string name;
    std::string definition;
    double value = 0;
    double derivative = 0;
};

/// A forward (tangent) or reverse (adjoint) accumulation table.
struct trace {
    std::string derivative_heading;  // "tangent" or "adjoint"
    std::vector<trace_row> rows;

    /// Aligned plain text, one row per intermediate.
    std::string to_text() const {
        std::size_t wn = 1, wd = 10;
        for (auto const& r : rows) {
            wn = r.name.size() > wn ? r.name.size() : wn;
            wd = r.definition.size() > wd ? r.definition.size() : wd;
        }
        std::string out;
        char buf[512];
        std::snprintf(buf, sizeof buf, "%-*s  %-*s  %20s  %20s\n", int(wn), "w", int(wd), "definition", "value",
                      derivative_heading.c_str());
        out += buf;
        for (auto const& r : rows) {
            std::snprintf(buf, sizeof buf, "%-*s  %-*s  %20.12g  %20.12g\n", int(wn), r.name.c_str(), int(wd),
                          r.definition.c_str(), r.value, r.derivative);
            out += buf;
        }
        return out;
    }
    /// A Markdown table.
    std::string to_markdown() const {
        std::string out = detail::cat("| w | definition | value | ", derivative_heading, " |\n|---|---|---:|---:|\n");
        char buf[512];
        for (auto const& r : rows) {
            std::snprintf(buf, sizeof buf, "| %s | `%s` | %.12g | %.12g |\n", r.name.c_str(), r.definition.c_str(),
                          r.value, r.derivative);
            out += buf;
        }
        return out;
    }
};

namespace detail {

// Intermediates get names w1, w2, ... in pass order; constants get none (-1).
template <class G, class... Es>
std::array<int, G::size> intermediate_numbers(type_list<Es...>) {
    std::array<int, G::size> w{};
    constexpr bool named[] = {false, (is_var<typename Es::node>::value || is_node<typename Es::node>::value)...};
    int next = 1;
    for (std::size_t k = 0; k < G::size; ++k) w[k] = named[k + 1] ? next++ : -1;
    return w;
}

template <class G, class Entry, class E>
std::string definition_of(E const& root, std::array<int, G::size> const& w) {
    using N = typename Entry::node;
    if constexpr (leaf<N>)
        return leaf_text(at_path(root, typename Entry::path{}));
    else
        return [&]<std::size_t... I>(std::index_sequence<I...>) {
            auto operand = [&](std::size_t pos, auto const& child) {
                return w[pos] > 0 ? cat("w", std::to_string(w[pos])) : leaf_text(child);
            };
            auto const node = at_path(root, typename Entry::path{});
            std::string const args[] = {[&] {
                auto const child = node.template child<I>();
                if constexpr (leaf<std::remove_cvref_t<decltype(child)>>)
                    return operand(G::shapes[Entry::pos].child[I], child);
                else
                    return cat("w", std::to_string(w[G::shapes[Entry::pos].child[I]]));
            }()...};
            return apply_text<typename N::op>(args, sizeof...(I));
        }(std::make_index_sequence<N::arity>{});
}

template <class G, class Entry, class E, class T, class Derivative>
int trace_row_of(trace& t, E const& root, T const* vals, Derivative const& derivative,
                 std::array<int, G::size> const& w) {
    if (w[Entry::pos] > 0)
        t.rows.push_back({cat("w", std::to_string(w[Entry::pos])), definition_of<G, Entry>(root, w),
                          static_cast<double>(vals[Entry::pos]), static_cast<double>(derivative(Entry::pos))});
    return 0;
}

template <class G, class E, class T, class Derivative, class... Es>
trace make_trace(E const& root, T const* vals, Derivative const& derivative, char const* heading, type_list<Es...>) {
    trace t{heading, {}};
    auto const w = intermediate_numbers<G>(type_list<Es...>{});
    [[maybe_unused]] int const order[] = {0, trace_row_of<G, Es>(t, root, vals, derivative, w)...};
    return t;
}

}  // namespace detail

/// The forward accumulation table of f at a point along a seed direction.
template <class F, class A, class S, std::size_t N>
trace trace_forward(F const& f, std::array<A, N> const& point, std::array<S, N> const& seed) {
    auto const x = detail::make_point(point);
    using T = typename decltype(x)::value_type;
    std::array<T, N> d{};
    for (std::size_t i = 0; i < N; ++i) d[i] = static_cast<T>(seed[i]);
    auto const e = detail::to_expression<N>(f);
    using G = graph<std::remove_cvref_t<decltype(e)>>;
    static_assert(detail::check_inputs<G, N>());
    T vals[G::size];
    T tans[G::size][1];
    detail::forward_dense<G, T, 1>(e, x.data(), &d, vals, tans);
    auto const tangent = [&](std::size_t k) { return detail::plan<G, T>.active[k] ? tans[k][0] : T(0); };
    return detail::make_trace<G>(e, vals, tangent, "tangent", typename G::entries{});
}

/// The reverse accumulation table of f at a point (adjoints of the result, seeded with 1).
template <class F, class A, std::size_t N>
trace trace_reverse(F const& f, std::array<A, N> const& point) {
    auto const x = detail::make_point(point);
    using T = typename decltype(x)::value_type;
    auto const e = detail::to_expression<N>(f);
    using G = graph<std::remove_cvref_t<decltype(e)>>;
    using seeds = std::index_sequence<G::root>;
    static_assert(detail::check_inputs<G, N>());
    T vals[G::size];
    T adj[G::size];
    detail::compute_values<G>(e, x.data(), vals);
    if constexpr (detail::plan<G, T>.active[G::root]) adj[G::root] = T(1);
    detail::reverse_sweep<G, T, seeds>(vals, adj);
    auto const adjoint = [&](std::size_t k) {
        return detail::reverse_plan<G, T, seeds>.received[k] ? adj[k] : T(0);
    };
    return detail::make_trace<G>(e, vals, adjoint, "adjoint", typename G::entries{});
}

}  // namespace typegrad
