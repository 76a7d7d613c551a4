// Light headers on purpose: every nvcc pass re-reads them, and this file is
// compiled once per capability.
#include <ATen/Dispatch.h>
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include <algorithm>

#include "../torch-ext/torch_binding.h"
#include "caps_scale.h"

namespace {

template <typename scalar_t>
__global__ void scale_kernel(scalar_t *__restrict__ out,
                             scalar_t const *__restrict__ input, int64_t n) {
  int64_t const stride = int64_t(blockDim.x) * gridDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += stride) {
    out[i] = static_cast<scalar_t>(static_cast<float>(input[i]) *
                                   caps::kScaleBy);
  }
}

// Records which compiled code the GPU runs: the SASS (or JIT-compiled PTX)
// target's __CUDA_ARCH__, e.g. 900 for sm_90.
__global__ void arch_kernel(int *out) {
#ifdef __CUDA_ARCH__
  out[0] = __CUDA_ARCH__;
#endif
}

void check_pair(at::Tensor const &out, at::Tensor const &input) {
  TORCH_CHECK(input.is_cuda(), "scale: input must be a CUDA tensor");
  TORCH_CHECK(input.device() == out.device() &&
                  input.scalar_type() == out.scalar_type() &&
                  input.sizes() == out.sizes(),
              "scale: out must match input in device, dtype and shape");
  TORCH_CHECK(input.is_contiguous() && out.is_contiguous(),
              "scale: tensors must be contiguous");
}

} // namespace

void scale(at::Tensor &out, at::Tensor const &input) {
  check_pair(out, input);
  int64_t const n = input.numel();
  if (n == 0) {
    return;
  }
  c10::cuda::CUDAGuard const guard(input.device());
  cudaStream_t const stream = at::cuda::getCurrentCUDAStream();
  int const threads = 256;
  int64_t const blocks = std::min<int64_t>((n + threads - 1) / threads, 65535);
  AT_DISPATCH_FLOATING_TYPES_AND2(
      at::kHalf, at::kBFloat16, input.scalar_type(), "scale", [&] {
        scale_kernel<scalar_t><<<blocks, threads, 0, stream>>>(
            out.data_ptr<scalar_t>(), input.data_ptr<scalar_t>(), n);
      });
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}

void scale_arch(at::Tensor &out) {
  TORCH_CHECK(out.is_cuda() && out.scalar_type() == at::kInt &&
                  out.numel() >= 1,
              "scale_arch: out must be a CUDA int32 tensor with one element");
  c10::cuda::CUDAGuard const guard(out.device());
  cudaStream_t const stream = at::cuda::getCurrentCUDAStream();
  arch_kernel<<<1, 1, 0, stream>>>(out.data_ptr<int>());
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}
