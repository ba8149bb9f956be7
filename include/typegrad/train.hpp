// typegrad/train.hpp: what a training loop uses beside the library itself: optimizers
// (tg::train::sgd, tg::train::adam) and seeded initialisation (tg::train::he_normal, ...).
// Not part of typegrad.hpp: include it where a model is trained.
#pragma once

#include "train/adam.hpp"
#include "train/init.hpp"
#include "train/parameter.hpp"
#include "train/sgd.hpp"
