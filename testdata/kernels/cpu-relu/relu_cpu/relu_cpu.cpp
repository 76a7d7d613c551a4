// Elementwise ReLU on CPU tensors: out = max(input, 0).
//
// The includes are deliberately narrow: <torch/all.h> costs about ten more
// seconds per compile than <ATen/core/Tensor.h>, and the end-to-end tests
// compile this file several times on a 2-core machine.
#include <ATen/Dispatch.h>
#include <ATen/core/Tensor.h>
#include <c10/util/Exception.h>

#include <cstdint>

namespace {

// Works on dense buffers only; relu() below makes sure both are dense.
// Testing `x < 0` rather than `x > 0` keeps NaN as NaN, like torch.relu.
template <typename scalar_t>
void relu_dense(scalar_t* out, const scalar_t* in, int64_t n) {
  const scalar_t zero(0);
  for (int64_t i = 0; i < n; ++i) {
    out[i] = in[i] < zero ? zero : in[i];
  }
}

}  // namespace

void relu(at::Tensor& out, const at::Tensor& input) {
  TORCH_CHECK(input.device().is_cpu() && out.device().is_cpu(),
              "relu: expected CPU tensors, got input on ", input.device(),
              " and out on ", out.device());
  TORCH_CHECK(out.scalar_type() == input.scalar_type(),
              "relu: out has dtype ", out.scalar_type(), " but input has ",
              input.scalar_type());
  TORCH_CHECK(out.sizes() == input.sizes(), "relu: out has shape ",
              out.sizes(), " but input has ", input.sizes());

  // Transposed, sliced or expanded tensors do not store their elements in
  // order, so walk contiguous copies. contiguous() returns the tensor itself
  // when it already is, so the common case copies nothing.
  const at::Tensor src = input.contiguous();
  at::Tensor dst = out.contiguous();

  AT_DISPATCH_FLOATING_TYPES_AND2(
      at::kHalf, at::kBFloat16, src.scalar_type(), "relu_cpu", [&] {
        relu_dense(dst.data_ptr<scalar_t>(), src.data_ptr<scalar_t>(),
                   src.numel());
      });

  // When out was not contiguous the result sits in a temporary.
  if (!dst.is_same(out)) {
    out.copy_(dst);
  }
}
