// typegrad/io/to_string.hpp: an expression printed in infix with variable names.
//
// Unnamed variables print as x0, x1, ...; compile-time constants as integers or
// fractions; run-time constants with %g; a let node prints as its name. The
// printout is a tree: a shared subexpression appears at each use (to_dot draws
// the DAG with each node once).
#pragma once

#include <string>
#include <utility>

#include "label.hpp"

namespace typegrad {

namespace detail {

template <class E>
std::string print(E const& e);

template <class E, std::size_t... I>
std::string print_node(E const& e, std::index_sequence<I...>) {
    using Op = typename E::op;
    if constexpr (requires { Op::text(e); })
        return Op::text(e);  // an operation that prints itself (a loop, with its body)
    else if constexpr (is_let<Op>::value)
        return Op::name;
    else {
        if constexpr (requires { e.operation().parameters(); }) {
            // An operation with parameters (a slice's bounds): name(operands, parameters).
            std::string s = cat(Op::name, "(");
            ((s.append(I == 0 ? "" : ", "), s.append(print(e.template child<I>()))), ...);
            std::string const p = e.operation().parameters();
            if (!p.empty()) s.append(", ").append(p);
            return s + ")";
        }
        std::string const args[] = {print(e.template child<I>())...};
        std::string const s = apply_text<Op>(args, sizeof...(I));
        return sizeof...(I) == 2 && is_symbol(Op::name) ? cat("(", s, ")") : s;
    }
}

template <class E>
std::string print(E const& e) {
    if constexpr (static_constant<E>)
        return E::den == 1 ? leaf_text(e) : cat("(", leaf_text(e), ")");
    else if constexpr (leaf<E>)
        return leaf_text(e);
    else
        return print_node(e, std::make_index_sequence<E::arity>{});
}

}  // namespace detail

/// The expression in infix notation, e.g. "((x1 * x2) + sin(x1))".
template <class E>
    requires expression<E>
std::string to_string(E const& e) {
    return detail::print(e);
}

}  // namespace typegrad
