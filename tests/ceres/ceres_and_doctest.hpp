// tests/ceres/ceres_and_doctest.hpp: Ceres and doctest in one test file. Ceres includes glog,
// whose CHECK macros have doctest's names: Ceres first, glog's undefined, then doctest.
#pragma once

#include <ceres/ceres.h>
#undef CHECK
#undef CHECK_EQ
#undef CHECK_NE
#undef CHECK_LT
#undef CHECK_LE
#undef CHECK_GT
#undef CHECK_GE

#include <doctest/doctest.h>
