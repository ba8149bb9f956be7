// typegrad/exec/cpu_map.hpp: tg::map, a function's values (and element-wise partials)
// over arrays, written into arrays.
//
//   tg::map(f, y, x, 2.0);                                   // y = f(x, 2) element by element
//   tg::map(f, tg::with_partials(y, dy_dx, tg::skip), x, a); // and dy/dx in the same loop
//   tg::map(g, std::tie(y1, y2), x, a);                      // several outputs
//   tg::map(tg::matmul(X, W) + b, out, Xv, Wv, bv);          // an array program's result
//
// A function of element-wise operations runs as one loop over its inputs broadcast
// together (NumPy's rules). A function with array operations (tg::matmul, reductions,
// slices, ...) runs as an array program (exec/program/); its outputs have the shapes
// of its results, and element-wise partials are not defined for it. Every shape is
// checked before anything is written.
#pragma once

#include "cpu_common.hpp"
#include "program/api.hpp"
#include "program/pointwise.hpp"

namespace typegrad {

/// Evaluates f over the inputs into `out`: an array, a std::tuple of arrays for several
/// outputs, or tg::with_partials(...). The workspace holds intermediate arrays.
template <class F, class Out, class... In>
void map(workspace& ws, F const& f, Out&& out, In const&... in) {
    auto const inputs = std::tuple{detail::to_input(in)...};
    auto const pack = detail::output_pack<sizeof...(In)>(f);
    auto const sinks = detail::to_map_sinks(std::forward<Out>(out));
    using Pack = std::remove_cvref_t<decltype(pack)>;
    using Inputs = std::remove_cvref_t<decltype(inputs)>;
    if constexpr (!detail::program::has_array_operations<Pack>) {
        detail::program::run_pointwise(ws.options, pack, sinks, inputs);
    } else {
        static_assert(std::tuple_size_v<decltype(sinks.rows)> == 0,
                      "typegrad: tg::map gives element-wise partials of element-wise functions only; this one has "
                      "array operations (their derivatives are not element-wise): differentiate a loss with "
                      "tg::gradient, or use tg::jvp");
        using P = typename detail::program::program_for<Pack, Inputs>::type;
        detail::program::run_map<P>(ws.options, ws, pack, sinks.values, inputs);
    }
}

template <class F, class Out, class... In>
void map(cpu_options const& options, F const& f, Out&& out, In const&... in) {
    workspace ws(options);
    map(ws, f, std::forward<Out>(out), in...);
}

template <class F, class Out, class... In>
    requires(!std::is_same_v<std::remove_cvref_t<F>, cpu_options> && !std::is_same_v<std::remove_cvref_t<F>, workspace>)
void map(F const& f, Out&& out, In const&... in) {
    map(cpu_options{}, f, std::forward<Out>(out), in...);
}

}  // namespace typegrad
