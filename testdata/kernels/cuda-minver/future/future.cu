// Kernel future has cuda-minver 14.0. With an older CUDA the generated CMake
// must leave this file out of the build entirely; if it is compiled anyway,
// the check below stops the build.
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAStream.h>
#include <torch/library.h>

#include "../torch-ext/registration.h"

#if CUDART_VERSION < 14000
#error "kernel future has cuda-minver 14.0 and must not be built before it"
#endif

namespace {

__global__ void future_kernel(float *out, float const *input, int64_t n) {
  int64_t const i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < n) {
    out[i] = -input[i];
  }
}

void future_negate(at::Tensor &out, at::Tensor const &input) {
  TORCH_CHECK(input.is_cuda() && input.scalar_type() == at::kFloat &&
                  out.sizes() == input.sizes() &&
                  out.scalar_type() == at::kFloat,
              "future_negate: float32 CUDA tensors of the same shape");
  int64_t const n = input.numel();
  if (n == 0) {
    return;
  }
  cudaStream_t const stream = at::cuda::getCurrentCUDAStream();
  future_kernel<<<(n + 255) / 256, 256, 0, stream>>>(
      out.data_ptr<float>(), input.data_ptr<float>(), n);
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}

} // namespace

// The op's schema and kernel live here, not in torch_binding.cpp, so that the
// extension links and loads when this file is not built.
#define MINVER_FRAGMENT_EXPAND(NAME, MODULE) TORCH_LIBRARY_FRAGMENT(NAME, MODULE)

MINVER_FRAGMENT_EXPAND(TORCH_EXTENSION_NAME, ops) {
  ops.def("future_negate(Tensor! out, Tensor input) -> ()");
}

TORCH_LIBRARY_IMPL_EXPAND(TORCH_EXTENSION_NAME, CUDA, ops) {
  ops.impl("future_negate", &future_negate);
}
