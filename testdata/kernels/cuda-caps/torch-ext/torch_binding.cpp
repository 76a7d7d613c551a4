#include <torch/library.h>

#include "registration.h"
#include "torch_binding.h"

#ifndef CUDA_KERNEL
#error "CUDA_KERNEL is not defined: the build did not select the cuda backend"
#endif

// Kernel flags are per kernel: they must not reach the binding either.
#ifdef SCALE_BY
#error "kernel scale's cuda-flags leaked into the torch binding"
#endif

TORCH_LIBRARY_EXPAND(TORCH_EXTENSION_NAME, ops) {
  ops.def("scale(Tensor! out, Tensor input) -> ()");
  ops.def("scale_arch(Tensor! out) -> ()");
  ops.def("shift(Tensor! out, Tensor input) -> ()");
}

TORCH_LIBRARY_IMPL_EXPAND(TORCH_EXTENSION_NAME, CUDA, ops) {
  ops.impl("scale", &scale);
  ops.impl("scale_arch", &scale_arch);
  ops.impl("shift", &shift);
}

REGISTER_EXTENSION(TORCH_EXTENSION_NAME)
