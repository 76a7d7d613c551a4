// out = a * x + y on CPU tensors of float32, through AVX2 and FMA when the
// processor has them.
//
// The includes are deliberately narrow, as in cpu-relu: the end-to-end
// tests compile this file several times on a 2-core machine.
#include <ATen/core/Tensor.h>
#include <c10/util/Exception.h>

#include <cmath>
#include <cstdint>

#include "axpy_avx2.h"

void axpy(at::Tensor& out, const at::Tensor& x, const at::Tensor& y, double a) {
  TORCH_CHECK(out.device().is_cpu() && x.device().is_cpu() && y.device().is_cpu(),
              "axpy: expected CPU tensors");
  TORCH_CHECK(out.scalar_type() == at::kFloat && x.scalar_type() == at::kFloat &&
                  y.scalar_type() == at::kFloat,
              "axpy: expected float32 tensors, got ", x.scalar_type(), " and ", y.scalar_type());
  TORCH_CHECK(x.sizes() == y.sizes() && out.sizes() == x.sizes(), "axpy: x has shape ",
              x.sizes(), ", y ", y.sizes(), " and out ", out.sizes());
  TORCH_CHECK(out.is_contiguous(), "axpy: out must be contiguous");
  const at::Tensor xc = x.contiguous();
  const at::Tensor yc = y.contiguous();
  const float* px = xc.data_ptr<float>();
  const float* py = yc.data_ptr<float>();
  float* po = out.data_ptr<float>();
  const int64_t n = xc.numel();
  const float fa = static_cast<float>(a);
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    axpy_avx2::axpy(fa, px, py, po, n);
  } else {
    for (int64_t i = 0; i < n; ++i) {
      po[i] = std::fma(fa, px[i], py[i]);
    }
  }
}
