// typegrad/core/operation.hpp: what an operation is: the contract every operation,
// built-in or user-defined, meets, and the one customisation point for number types.
//
// An element-wise operation is a struct with
//   static constexpr char const* name;                 // how to_string and to_dot print it
//   static auto value(A const& a, ...);                // its value on numbers
//   static auto partials(A const& a, ..., Y const& y); // d value / d operand_i, given the
//                                                      // operands and the value y, as
//                                                      // typegrad::partials(p0, p1, ...)
// `value` and `partials` are templates on their argument types. `partials` is called
// with numbers (forward and reverse mode), with dual numbers (Hessians) and with
// expressions (symbolic derivatives), so it is written with typegrad's own functions
// and constants (typegrad::exp, typegrad::select, 2_c, ...), never with std:: ones;
// `value` is only ever called with plain numbers, so it may call anything (std::lgamma).
// A partial that is exactly 0 or 1 is best returned as 0_c or 1_c: every mode skips it.
//
// Apply the operation with tg::apply<Op>(x, ...): on numbers it gives the value, on
// expressions it builds the node. A user's function is usually one line:
//   template <class X> constexpr auto lgamma(X const& x) { return tg::apply<lgamma_op>(x); }
// An array operation (whole arrays: a reduction, a product) has another contract,
// described in ops/array_operation.hpp.
//
// Number types that carry derivatives themselves (typegrad's dual numbers) take part
// through tg::number_rule<T>: when it has `template <class Op> static T apply(x...)`,
// every operation on numbers of type T is computed by it. This is how dual numbers
// pick up every operation, user-defined ones included, from the operations' rules.
#pragma once

#include <concepts>
#include <cstddef>
#include <type_traits>
#include <utility>

namespace typegrad {

/// Customisation point: how operations are computed on numbers of type T (none: Op::value).
template <class T>
struct number_rule {};

namespace detail {
template <class Op, class Seq>
struct elementwise_contract;
template <class Op, std::size_t... I>
struct elementwise_contract<Op, std::index_sequence<I...>> {
    template <std::size_t>
    using number = double;
    // `partials` is not called here: its return type is deduced from its body, which may
    // apply further operations (digamma's derivative is trigamma, ...).
    static constexpr bool value = requires(number<I>... x) {
        { Op::name } -> std::convertible_to<char const*>;
        Op::value(x...);
    };
};
}  // namespace detail

/// An element-wise operation of `Arity` operands: a name and a value on numbers (and
/// partials, which the modes call).
template <class Op, std::size_t Arity>
concept elementwise_operation = detail::elementwise_contract<Op, std::make_index_sequence<Arity>>::value;

/// An operation that runs its own steps in every pass (a loop, which evaluates a body many
/// times and writes several positions). The modes call, in place of value and partials,
///   Op::values(vals, k, c), Op::adjoints<Carries, First>(vals, adj, k, c),
///   Op::unit_tangents<Mask...>(vals, tans, k, c), Op::dense_tangents<Carries>(vals, tans, k, c);
/// its `partials` is only declared, for its type (which operands can carry a derivative).
template <class Op>
concept owns_steps = requires { Op::owns_steps; };

}  // namespace typegrad
