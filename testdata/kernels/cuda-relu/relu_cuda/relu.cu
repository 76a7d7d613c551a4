// The include most real kernels use; it also needs the cuBLAS/cuSPARSE
// headers, so building this file checks that the generated CMake passes
// torch's CUDA include directories through.
#include <ATen/Dispatch.h>
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAGuard.h>

#include <algorithm>

#include "../torch-ext/torch_binding.h"

namespace {

template <typename scalar_t>
__global__ void relu_kernel(scalar_t *__restrict__ out,
                            scalar_t const *__restrict__ input, int64_t n) {
  int64_t const stride = int64_t(blockDim.x) * gridDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += stride) {
    float const x = static_cast<float>(input[i]);
    // `x < 0` keeps NaN as NaN, like torch.relu.
    out[i] = static_cast<scalar_t>(x < 0.0f ? 0.0f : x);
  }
}

} // namespace

void relu(at::Tensor &out, at::Tensor const &input) {
  TORCH_CHECK(input.is_cuda(), "relu: input must be a CUDA tensor");
  TORCH_CHECK(input.device() == out.device(),
              "relu: out and input must be on the same device, got ",
              out.device(), " and ", input.device());
  TORCH_CHECK(input.scalar_type() == out.scalar_type(),
              "relu: out and input must have the same dtype, got ",
              out.scalar_type(), " and ", input.scalar_type());
  TORCH_CHECK(input.sizes() == out.sizes(),
              "relu: out and input must have the same shape, got ",
              out.sizes(), " and ", input.sizes());
  TORCH_CHECK(input.is_contiguous() && out.is_contiguous(),
              "relu: tensors must be contiguous");

  int64_t const n = input.numel();
  if (n == 0) {
    return;
  }
  c10::cuda::CUDAGuard const guard(input.device());
  cudaStream_t const stream = at::cuda::getCurrentCUDAStream();
  int const threads = 256;
  int64_t const blocks = std::min<int64_t>((n + threads - 1) / threads, 65535);

  AT_DISPATCH_FLOATING_TYPES_AND2(
      at::kHalf, at::kBFloat16, input.scalar_type(), "relu", [&] {
        relu_kernel<scalar_t><<<blocks, threads, 0, stream>>>(
            out.data_ptr<scalar_t>(), input.data_ptr<scalar_t>(), n);
      });
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}
