#include <ATen/Dispatch.h>
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include <algorithm>

#include "../torch-ext/torch_binding.h"

// Per-kernel settings must stay with their kernel.
#ifdef SCALE_BY
#error "kernel scale's cuda-flags leaked into kernel shift"
#endif
#if __has_include("caps_scale.h")
#error "kernel scale's include directory leaked into kernel shift"
#endif

namespace {

template <typename scalar_t>
__global__ void shift_kernel(scalar_t *__restrict__ out,
                             scalar_t const *__restrict__ input, int64_t n) {
  int64_t const stride = int64_t(blockDim.x) * gridDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += stride) {
    out[i] = static_cast<scalar_t>(static_cast<float>(input[i]) + 1.0f);
  }
}

} // namespace

void shift(at::Tensor &out, at::Tensor const &input) {
  TORCH_CHECK(input.is_cuda(), "shift: input must be a CUDA tensor");
  TORCH_CHECK(input.device() == out.device() &&
                  input.scalar_type() == out.scalar_type() &&
                  input.sizes() == out.sizes(),
              "shift: out must match input in device, dtype and shape");
  TORCH_CHECK(input.is_contiguous() && out.is_contiguous(),
              "shift: tensors must be contiguous");
  int64_t const n = input.numel();
  if (n == 0) {
    return;
  }
  c10::cuda::CUDAGuard const guard(input.device());
  cudaStream_t const stream = at::cuda::getCurrentCUDAStream();
  int const threads = 256;
  int64_t const blocks = std::min<int64_t>((n + threads - 1) / threads, 65535);
  AT_DISPATCH_FLOATING_TYPES_AND2(
      at::kHalf, at::kBFloat16, input.scalar_type(), "shift", [&] {
        shift_kernel<scalar_t><<<blocks, threads, 0, stream>>>(
            out.data_ptr<scalar_t>(), input.data_ptr<scalar_t>(), n);
      });
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}
