// out = clamp(input * scale, -limit, limit) on CPU tensors.
#include <ATen/Dispatch.h>
#include <ATen/core/Tensor.h>
#include <c10/util/Exception.h>

#include <cstdint>

namespace {

template <typename scalar_t>
void scale_clamp_dense(scalar_t* out, const scalar_t* in, int64_t n, double scale, double limit) {
  for (int64_t i = 0; i < n; ++i) {
    double v = static_cast<double>(in[i]) * scale;
    v = v < -limit ? -limit : (v > limit ? limit : v);
    out[i] = static_cast<scalar_t>(v);
  }
}

}  // namespace

void scale_clamp(at::Tensor& out, const at::Tensor& input, double scale, double limit) {
  TORCH_CHECK(input.device().is_cpu() && out.device().is_cpu(), "scale_clamp: expected CPU tensors");
  TORCH_CHECK(out.scalar_type() == input.scalar_type(), "scale_clamp: dtype mismatch");
  TORCH_CHECK(out.sizes() == input.sizes(), "scale_clamp: shape mismatch");
  TORCH_CHECK(limit >= 0, "scale_clamp: limit must not be negative, got ", limit);
  const at::Tensor src = input.contiguous();
  at::Tensor dst = out.contiguous();
  AT_DISPATCH_FLOATING_TYPES(src.scalar_type(), "scale_clamp_cpu", [&] {
    scale_clamp_dense(dst.data_ptr<scalar_t>(), src.data_ptr<scalar_t>(), src.numel(), scale, limit);
  });
  if (!dst.is_same(out)) {
    out.copy_(dst);
  }
}
