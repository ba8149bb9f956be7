// typegrad/core/apply.hpp: applying an operation to operands that may be numbers,
// compile-time constants or expressions.
//
// One entry point serves both worlds, which is what lets a rule's partials be
// written once: on numbers an operation computes a number, on expressions it
// builds a node. Compile-time constants next to numbers act as numbers.
#pragma once

#include <type_traits>

#include "../config.hpp"
#include "constant.hpp"
#include "tuple.hpp"
#include "expression.hpp"
#include "operation.hpp"

namespace typegrad {

/// Anything an operation accepts: an expression or a plain number.
template <class T>
concept operand = expression<T> || scalar<T>;

/// What the operations are constrained on, so that `requires { tg::sin(s); }` is false for
/// a std::string; its name is what a compiler prints when it refuses such a call.
template <class T>
concept typegrad_expression_or_number = operand<T>;

/// An expression whose value is known only at evaluation (not a compile-time constant).
template <class T>
concept symbolic = expression<T> && !static_constant<T>;

namespace detail {

/// Integers are converted to double when evaluated, as the C library does.
template <class T>
using promoted = std::conditional_t<std::is_integral_v<T>, double, T>;

// Joins the number types of the operands; constants and expressions add nothing.
template <class Acc, class X>
struct join_number {
    using type = Acc;
};
template <class X>
    requires scalar<X>
struct join_number<void, X> {
    using type = promoted<std::remove_cvref_t<X>>;
};
template <class Acc, class X>
    requires(scalar<X> && !std::is_void_v<Acc>)
struct join_number<Acc, X> {
    using type = std::common_type_t<Acc, promoted<std::remove_cvref_t<X>>>;
};

template <class Acc, class... Xs>
struct common_number {
    using type = std::conditional_t<std::is_void_v<Acc>, double, Acc>;
};
template <class Acc, class X, class... Xs>
struct common_number<Acc, X, Xs...> : common_number<typename join_number<Acc, X>::type, Xs...> {};

/// The number type an operation on these (non-symbolic) operands computes in.
template <class... Xs>
using number_type = typename common_number<void, Xs...>::type;

/// Lifts a plain number into an expression leaf; expressions pass through.
template <class X>
TYPEGRAD_HOST_DEVICE constexpr auto as_expression(X const& x) {
    if constexpr (expression<X>)
        return x;
    else
        return runtime_const<X>{x};
}

/// Applies Op: a node if any operand is symbolic (or all are compile-time
/// constants), otherwise the rule's value on numbers.
template <class Op, class... Xs>
TYPEGRAD_HOST_DEVICE constexpr auto apply(Xs const&... xs) {
    static_assert((operand<Xs> && ...),
                  "typegrad: an operation was applied to something that is neither a typegrad expression nor a "
                  "number (an arithmetic type, or a type registered with typegrad::is_scalar)");
    if constexpr (!(operand<Xs> && ...))
        return static_const<0>{};  // after the static_assert: no cascade of further errors
    else if constexpr ((symbolic<Xs> || ...) || (static_constant<Xs> && ...))
        return make_node<Op>(as_expression(xs)...);
    else {
        using T = number_type<Xs...>;
        if constexpr (requires { number_rule<T>::template apply<Op>(as<T>(xs)...); })
            return number_rule<T>::template apply<Op>(as<T>(xs)...);  // e.g. dual numbers
        else
            return Op::value(as<T>(xs)...);
    }
}

}  // namespace detail
}  // namespace typegrad
