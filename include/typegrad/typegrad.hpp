// typegrad/typegrad.hpp: the one include for users.
//
//   #include <typegrad/typegrad.hpp>
//   namespace tg = typegrad;
//   auto [x1, x2] = tg::vars<2>();
//   auto f = x1 * x2 + sin(x1);            // the type of f is the graph
//   auto [v, g] = tg::gradient(f, 1.5, 0.5);
#pragma once

#include "config.hpp"
#include "check/array_gradient.hpp"
#include "check/finite_difference.hpp"
#include "io/to_dot.hpp"
#include "io/to_string.hpp"
#include "io/trace.hpp"
#include "loops/fori.hpp"
#include "loops/scan.hpp"
#include "core/apply.hpp"
#include "core/constant.hpp"
#include "core/expression.hpp"
#include "core/graph.hpp"
#include "core/matrix.hpp"
#include "core/let.hpp"
#include "core/var.hpp"
#include "exec/cpu.hpp"
#include "exec/program/api.hpp"
#include "modes/forward.hpp"
#include "modes/dual.hpp"
#include "modes/gradient.hpp"
#include "modes/hessian.hpp"
#include "modes/jacobian.hpp"
#include "modes/outputs.hpp"
#include "modes/reverse.hpp"
#include "modes/symbolic.hpp"
#include "modes/values.hpp"
#include "ops/activation.hpp"
#include "ops/arithmetic.hpp"
#include "ops/array_operation.hpp"
#include "ops/conv.hpp"
#include "ops/contraction.hpp"
#include "ops/exp_log.hpp"
#include "ops/hyperbolic.hpp"
#include "ops/piecewise.hpp"
#include "ops/pow.hpp"
#include "ops/gather.hpp"
#include "ops/layout.hpp"
#include "ops/matmul.hpp"
#include "ops/reduce.hpp"
#include "ops/select.hpp"
#include "ops/slice.hpp"
#include "ops/softmax.hpp"
#include "ops/special.hpp"
#include "ops/trig.hpp"

// The typegrad::blas CMake target defines this: matrix products run on CBLAS.
#if defined(TYPEGRAD_USE_CBLAS)
#include "blas.hpp"
#endif
