#pragma once

// Entry points of the two kernels, registered as torch ops in
// torch_binding.cpp. This header sits in a [torch] include directory rather
// than next to the binding, so the build fails if that setting is lost.
#include <ATen/core/Tensor.h>

// Writes input * SCALE_FACTOR into out (same shape and dtype as input).
void scale(at::Tensor& out, const at::Tensor& input);

// Returns input + bias, with bias (1-D) added along input's last dimension.
at::Tensor add_bias(const at::Tensor& input, const at::Tensor& bias);
