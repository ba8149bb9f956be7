// typegrad/core/let.hpp: explicit sharing of subexpressions that hold run-time values.
//
// Subtrees of the same empty type are shared automatically. A subtree holding
// run-time constants is keyed by its position instead, because two such
// subtrees of one type may hold different numbers. `tg::let<"g1">(e)` names e:
// every occurrence of that let node in an expression is computed once and its
// adjoint gathers all contributions. Names must be unique within an expression:
// two lets with the same name and the same type are taken as one computation.
#pragma once

#include "apply.hpp"
#include "fixed_string.hpp"

namespace typegrad {

namespace ops {
template <class Name>
struct let_op {
    static constexpr char const* name = Name::chars;
    static constexpr bool shared_by_type = true;
    template <class A>
    TYPEGRAD_HOST_DEVICE static constexpr A value(A const& a) { return a; }
    template <class A, class Y>
    TYPEGRAD_HOST_DEVICE static constexpr auto partials(A const&, Y const&) {
        return typegrad::partials(static_const<1>{});
    }
};
}  // namespace ops

/// Names e and makes all its uses in one expression a single shared node.
template <fixed_string Name, class E>
    requires expression<E>
constexpr auto let(E const& e) {
    using name = decltype(detail::make_name_tag<Name>());
    return make_node<ops::let_op<name>>(e);
}

}  // namespace typegrad
