#pragma once

#include <ATen/core/Tensor.h>

// out = input * SCALE_BY (a cuda-flags define of kernel scale).
void scale(at::Tensor &out, at::Tensor const &input);

// out[0] = __CUDA_ARCH__ of the code kernel scale runs on this GPU.
void scale_arch(at::Tensor &out);

// out = input + 1 (kernel shift).
void shift(at::Tensor &out, at::Tensor const &input);
