// cutlass-mini: the handful of names from <cutlass/cutlass.h> that the GPU
// end-to-end kernels use. Not NVIDIA's code; written for this repository's
// tests only.
#pragma once

#if defined(__CUDACC__)
#define CUTLASS_HOST_DEVICE __forceinline__ __device__ __host__
#define CUTLASS_DEVICE __forceinline__ __device__
#else
#define CUTLASS_HOST_DEVICE inline
#define CUTLASS_DEVICE inline
#endif

namespace cutlass {

// Outcome of an operation; the enumerators mirror CUTLASS's, fewer of them.
enum class Status {
  kSuccess,
  kErrorInvalidProblem,
  kErrorInternal,
};

}  // namespace cutlass
