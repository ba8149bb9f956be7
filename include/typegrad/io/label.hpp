// typegrad/io/label.hpp: how leaves and operations are written, shared by the printers.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>

#include "../core/constant.hpp"
#include "../core/expression.hpp"
#include "../core/let.hpp"
#include "../core/var.hpp"
#include "../ops/arithmetic.hpp"
#include "../ops/pow.hpp"

namespace typegrad::detail {

/// Concatenates by appending (g++ 12 warns falsely on "literal" + std::string&&).
template <class... Parts>
std::string cat(Parts const&... parts) {
    std::string s;
    (s.append(std::string_view(parts)), ...);
    return s;
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

/// A variable's name, or x0, x1, ... when unnamed.
template <class V>
std::string variable_name() {
    if constexpr (V::name::empty)
        return cat("x", std::to_string(V::slot));
    else
        return std::string(V::name::view());
}

/// The text of a leaf: a variable's name or a constant's value.
template <class E>
std::string leaf_text(E const& e) {
    if constexpr (is_var<E>::value)
        return variable_name<E>();
    else if constexpr (static_constant<E>) {
        std::string const s = std::to_string(E::num);
        return E::den == 1 ? s : cat(s, "/", std::to_string(E::den));
    } else {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", static_cast<double>(e.value));
        return buf;
    }
}

/// Op applied to operand texts: infix for symbols, -a, pow(a, n), name(a, b, ...).
template <class Op>
std::string apply_text(std::string const* args, std::size_t n) {
    if constexpr (is_let<Op>::value)
        return cat(Op::name, " = ", args[0]);
    else if constexpr (std::is_same_v<Op, ops::negate>)
        return cat("-", args[0]);
    else if constexpr (is_int_pow<Op>::value)
        return cat("pow(", args[0], ", ", std::to_string(Op::exponent), ")");
    else if (n == 2 && is_symbol(Op::name))
        return cat(args[0], " ", Op::name, " ", args[1]);
    else {
        std::string s = cat(Op::name, "(");
        for (std::size_t i = 0; i < n; ++i) {
            if (i) s.append(", ");
            s.append(args[i]);
        }
        s.append(")");
        return s;
    }
}

/// A short label for a graph node: a leaf's text, or the operation's name.
template <class E>
std::string node_label(E const& e) {
    if constexpr (leaf<E>)
        return leaf_text(e);
    else if constexpr (requires { E::op::label(e); })
        return E::op::label(e);
    else if constexpr (is_let<typename E::op>::value)
        return cat("let ", E::op::name);
    else if constexpr (is_int_pow<typename E::op>::value)
        return cat("pow ", std::to_string(E::op::exponent));
    else
        return E::op::name;
}

}  // namespace typegrad::detail
