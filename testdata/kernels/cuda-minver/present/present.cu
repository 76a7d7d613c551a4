#include <ATen/Dispatch.h>
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <torch/library.h>

#include <algorithm>

#include "../torch-ext/registration.h"
#include "../torch-ext/torch_binding.h"

#if CUDART_VERSION < 12000
#error "kernel present has cuda-minver 12.0 and must not be built before it"
#endif

namespace {

// No __restrict__: negate_inplace passes the same buffer as out and input.
template <typename scalar_t>
__global__ void negate_kernel(scalar_t *out, scalar_t const *input, int64_t n) {
  int64_t const stride = int64_t(blockDim.x) * gridDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += stride) {
    out[i] = static_cast<scalar_t>(-static_cast<float>(input[i]));
  }
}

void launch_negate(at::Tensor &out, at::Tensor const &input) {
  int64_t const n = input.numel();
  if (n == 0) {
    return;
  }
  c10::cuda::CUDAGuard const guard(input.device());
  cudaStream_t const stream = at::cuda::getCurrentCUDAStream();
  int const threads = 256;
  int64_t const blocks = std::min<int64_t>((n + threads - 1) / threads, 65535);
  AT_DISPATCH_FLOATING_TYPES_AND2(
      at::kHalf, at::kBFloat16, input.scalar_type(), "negate", [&] {
        negate_kernel<scalar_t><<<blocks, threads, 0, stream>>>(
            out.data_ptr<scalar_t>(), input.data_ptr<scalar_t>(), n);
      });
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}

void negate_inplace(at::Tensor &x) {
  TORCH_CHECK(x.is_cuda() && x.is_contiguous(),
              "negate_inplace: x must be a contiguous CUDA tensor");
  launch_negate(x, x);
}

} // namespace

void negate(at::Tensor &out, at::Tensor const &input) {
  TORCH_CHECK(input.is_cuda(), "negate: input must be a CUDA tensor");
  TORCH_CHECK(input.device() == out.device() &&
                  input.scalar_type() == out.scalar_type() &&
                  input.sizes() == out.sizes(),
              "negate: out must match input in device, dtype and shape");
  TORCH_CHECK(input.is_contiguous() && out.is_contiguous(),
              "negate: tensors must be contiguous");
  launch_negate(out, input);
}

// negate_inplace registers itself, the way kernel future does: the op exists
// exactly when this file is compiled. registration.h has no expanding form of
// TORCH_LIBRARY_FRAGMENT, hence the local one.
#define MINVER_FRAGMENT_EXPAND(NAME, MODULE) TORCH_LIBRARY_FRAGMENT(NAME, MODULE)

MINVER_FRAGMENT_EXPAND(TORCH_EXTENSION_NAME, ops) {
  ops.def("negate_inplace(Tensor! x) -> ()");
}

TORCH_LIBRARY_IMPL_EXPAND(TORCH_EXTENSION_NAME, CUDA, ops) {
  ops.impl("negate_inplace", &negate_inplace);
}
