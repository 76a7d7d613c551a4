// out = input * SCALE_FACTOR on CPU tensors.
//
// SCALE_FACTOR comes only from `cxx-flags` in [kernel.scale]; the tests
// expect exactly 3x, so the flag's value reaching the compiler is observable.
#include <ATen/Dispatch.h>
#include <ATen/core/Tensor.h>
#include <c10/util/Exception.h>

#include <cstdint>

#ifndef SCALE_FACTOR
#error "SCALE_FACTOR is not defined: [kernel.scale] cxx-flags did not reach this file"
#endif

// Include directories are set per kernel: the add_bias kernel's header must
// not be reachable from this one.
#if __has_include("bias_rows.h")
#error "bias_rows.h is visible to the scale kernel: [kernel.add_bias] include leaked"
#endif

void scale(at::Tensor& out, const at::Tensor& input) {
  TORCH_CHECK(input.device().is_cpu() && out.device().is_cpu(),
              "scale: expected CPU tensors");
  TORCH_CHECK(out.scalar_type() == input.scalar_type(),
              "scale: out has dtype ", out.scalar_type(), " but input has ",
              input.scalar_type());
  TORCH_CHECK(out.sizes() == input.sizes(), "scale: out has shape ",
              out.sizes(), " but input has ", input.sizes());

  // The loop needs elements in memory order; see relu_cpu.cpp in cpu-relu.
  const at::Tensor src = input.contiguous();
  at::Tensor dst = out.contiguous();
  AT_DISPATCH_FLOATING_TYPES(src.scalar_type(), "scale", [&] {
    const scalar_t* in = src.data_ptr<scalar_t>();
    scalar_t* o = dst.data_ptr<scalar_t>();
    const scalar_t factor = static_cast<scalar_t>(SCALE_FACTOR);
    for (int64_t i = 0, n = src.numel(); i < n; ++i) {
      o[i] = in[i] * factor;
    }
  });
  if (!dst.is_same(out)) {
    out.copy_(dst);
  }
}
