// typegrad/io/to_string.hpp: an expression printed in infix with variable names.
//
// Unnamed variables print as x0, x1, ...; compile-time constants as integers or
// fractions; run-time constants with %g; a let node prints as its name. The
// printout is a tree: a shared subexpression appears at each use (to_dot draws
// the DAG with each node once).
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>

#include "../core/constant.hpp"
#include "../core/expression.hpp"
#include "../core/let.hpp"
#include "../core/var.hpp"
#include "../ops/pow.hpp"

namespace typegrad {

namespace detail {

template <class Name, std::size_t Slot>
std::string variable_name() {
    if constexpr (Name::empty)
        return "x" + std::to_string(Slot);
    else
        return std::string(Name::view());
}

template <class Op>
struct is_int_pow : std::false_type {};
template <std::intmax_t N>
struct is_int_pow<ops::int_pow_op<N>> : std::true_type {};

template <class Op>
struct is_let : std::false_type {};
template <class Name>
struct is_let<ops::let_op<Name>> : std::true_type {};

constexpr bool is_symbol(char const* name) {
    char const c = name[0];
    return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_');
}

template <class E>
std::string print(E const& e);

template <class E, std::size_t... I>
std::string print_node(E const& e, std::index_sequence<I...>) {
    using Op = typename E::op;
    std::string const args[] = {print(e.template child<I>())...};
    if constexpr (is_let<Op>::value)
        return Op::name;
    else if constexpr (std::is_same_v<Op, ops::negate>)
        return "-" + args[0];
    else if constexpr (is_int_pow<Op>::value)
        return "pow(" + args[0] + ", " + std::to_string(Op::exponent) + ")";
    else if constexpr (sizeof...(I) == 2 && is_symbol(Op::name))
        return "(" + args[0] + " " + Op::name + " " + args[1] + ")";
    else {
        std::string s = std::string(Op::name) + "(";
        for (std::size_t i = 0; i < sizeof...(I); ++i) s += (i ? ", " : "") + args[i];
        return s + ")";
    }
}

template <class E>
std::string print(E const& e) {
    if constexpr (is_var<E>::value)
        return variable_name<typename E::name, E::slot>();
    else if constexpr (static_constant<E>) {
        std::string s = std::to_string(E::num);
        return E::den == 1 ? s : "(" + s + "/" + std::to_string(E::den) + ")";
    } else if constexpr (leaf<E>) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", static_cast<double>(e.value));
        return buf;
    } else
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
