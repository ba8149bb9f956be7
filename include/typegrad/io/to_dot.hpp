// typegrad/io/to_dot.hpp: the expression's graph in Graphviz dot.
//
// One node per distinct subexpression, in the order every pass visits them, so
// a shared subexpression is drawn once with an edge to each user. Leaves carry
// variable names and constant values; edges run from operand to result.
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>

#include "../core/graph.hpp"
#include "label.hpp"

namespace typegrad {

namespace detail {
template <class G, class Entry, class E>
int dot_entry(E const& root, std::string& out) {
    using N = typename Entry::node;
    std::string const id = cat("n", std::to_string(Entry::pos));
    std::string const label = node_label(at_path(root, typename Entry::path{}));
    char const* shape = leaf<N> ? (is_var<N>::value ? "ellipse" : "plaintext") : "box";
    out.append(cat("  ", id, " [label=\"", label, "\", shape=", shape, "];\n"));
    for (std::size_t i = 0; i < G::shapes[Entry::pos].arity; ++i)
        out.append(cat("  n", std::to_string(G::shapes[Entry::pos].child[i]), " -> ", id, ";\n"));
    return 0;
}

template <class G, class E, class... Es>
void dot_entries(E const& root, std::string& out, type_list<Es...>) {
    [[maybe_unused]] int const order[] = {0, dot_entry<G, Es>(root, out)...};
}
}  // namespace detail

/// Graphviz dot text for the graph of f (or of a tg::outputs pack of several outputs).
template <class E>
    requires expression<E>
std::string to_dot(E const& f, std::string const& name = "typegrad") {
    using G = graph<E>;
    std::string out = detail::cat("digraph \"", name, "\" {\n  rankdir=BT;\n");
    detail::dot_entries<G>(f, out, typename G::entries{});
    out.append("}\n");
    return out;
}

}  // namespace typegrad
