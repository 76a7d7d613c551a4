#include <torch/library.h>

#include "registration.h"
#include "torch_binding.h"

#ifndef CUDA_KERNEL
#error "CUDA_KERNEL is not defined: the build did not select the cuda backend"
#endif

TORCH_LIBRARY_EXPAND(TORCH_EXTENSION_NAME, ops) {
  ops.def("cutlass_probe(Tensor! out) -> ()");
}

TORCH_LIBRARY_IMPL_EXPAND(TORCH_EXTENSION_NAME, CUDA, ops) {
  ops.impl("cutlass_probe", &cutlass_probe);
}

REGISTER_EXTENSION(TORCH_EXTENSION_NAME)
