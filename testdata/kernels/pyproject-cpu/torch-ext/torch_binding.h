#pragma once

#include <ATen/core/Tensor.h>

// Writes clamp(input * scale, -limit, limit) into out (same shape and dtype).
void scale_clamp(at::Tensor& out, const at::Tensor& input, double scale, double limit);
