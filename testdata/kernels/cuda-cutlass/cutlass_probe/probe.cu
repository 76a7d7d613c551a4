// Uses only names that both CUTLASS 3.6 and testdata/cutlass-mini provide.
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include <cutlass/cutlass.h>
#include <cutlass/version.h>

#include "../torch-ext/torch_binding.h"

#ifndef CUTLASS_MINI
#define CUTLASS_MINI 0
#endif

namespace {

CUTLASS_HOST_DEVICE int encode_version(int major, int minor, int patch) {
  return major * 10000 + minor * 100 + patch;
}

__global__ void probe_kernel(int *out) {
  cutlass::Status const status = cutlass::Status::kSuccess;
  out[0] = encode_version(CUTLASS_MAJOR, CUTLASS_MINOR, CUTLASS_PATCH);
  out[1] = status == cutlass::Status::kSuccess ? 1 : 0;
  out[2] = CUTLASS_MINI;
}

} // namespace

void cutlass_probe(at::Tensor &out) {
  TORCH_CHECK(out.is_cuda() && out.scalar_type() == at::kInt &&
                  out.is_contiguous() && out.numel() >= 3,
              "cutlass_probe: out must be a contiguous CUDA int32 tensor "
              "with at least 3 elements");
  c10::cuda::CUDAGuard const guard(out.device());
  cudaStream_t const stream = at::cuda::getCurrentCUDAStream();
  probe_kernel<<<1, 1, 0, stream>>>(out.data_ptr<int>());
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}
