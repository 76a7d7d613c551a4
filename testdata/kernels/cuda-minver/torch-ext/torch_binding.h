#pragma once

#include <ATen/core/Tensor.h>

// out = -input (kernel present, cuda-minver 12.0).
void negate(at::Tensor &out, at::Tensor const &input);

// Kernel future (cuda-minver 14.0) registers its op itself and so has no
// declaration here.
