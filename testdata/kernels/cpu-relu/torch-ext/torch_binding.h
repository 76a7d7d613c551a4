#pragma once

// Entry points of the kernels, registered as torch ops in torch_binding.cpp.
// <ATen/core/Tensor.h> is enough to declare them and far cheaper to compile
// than <torch/torch.h>.
#include <ATen/core/Tensor.h>

// Writes max(input, 0) into out, which must match input in shape and dtype.
void relu(at::Tensor& out, const at::Tensor& input);
