// typegrad/exec/cpu.hpp: fused CPU loops over arrays (tg::map, tg::sum, tg::mean).
#pragma once

#include "cpu_map.hpp"
#include "cpu_reduce.hpp"
