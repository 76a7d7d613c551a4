#pragma once

#include <ATen/core/Tensor.h>

// out = max(input, 0), elementwise; float, double, half and bfloat16.
void relu(at::Tensor &out, at::Tensor const &input);
