// Functional op: returns input + bias, bias broadcast along the last
// dimension (the usual bias of a linear layer).
#include <ATen/Dispatch.h>
#include <ATen/core/Tensor.h>
#include <ATen/ops/empty.h>
#include <c10/util/Exception.h>

#include "bias_rows.h"  // found through [kernel.add_bias] include

// cxx-flags are set per kernel: [kernel.scale]'s must not reach this file.
#ifdef SCALE_FACTOR
#error "SCALE_FACTOR is defined in add_bias.cpp: [kernel.scale] cxx-flags leaked"
#endif

at::Tensor add_bias(const at::Tensor& input, const at::Tensor& bias) {
  TORCH_CHECK(input.device().is_cpu() && bias.device().is_cpu(),
              "add_bias: expected CPU tensors");
  TORCH_CHECK(input.dim() >= 1, "add_bias: input must have at least one dimension");
  TORCH_CHECK(bias.dim() == 1 && bias.size(0) == input.size(-1),
              "add_bias: bias must be 1-D with ", input.size(-1),
              " elements, got shape ", bias.sizes());
  TORCH_CHECK(bias.scalar_type() == input.scalar_type(),
              "add_bias: bias has dtype ", bias.scalar_type(),
              " but input has ", input.scalar_type());

  // Dense copies give the row-major layout add_bias_rows walks.
  const at::Tensor src = input.contiguous();
  const at::Tensor b = bias.contiguous();
  at::Tensor out = at::empty(src.sizes(), src.options());
  const int64_t cols = src.size(-1);
  const int64_t rows = cols == 0 ? 0 : src.numel() / cols;

  AT_DISPATCH_FLOATING_TYPES(src.scalar_type(), "add_bias", [&] {
    add_bias_rows(out.data_ptr<scalar_t>(), src.data_ptr<scalar_t>(),
                  b.data_ptr<scalar_t>(), rows, cols);
  });
  return out;
}
