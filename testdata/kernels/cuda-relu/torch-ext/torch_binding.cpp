#include <torch/library.h>

#include "registration.h"
#include "torch_binding.h"

// The generated CMake defines the backend's marker macro for every source.
#ifndef CUDA_KERNEL
#error "CUDA_KERNEL is not defined: the build did not select the cuda backend"
#endif

TORCH_LIBRARY_EXPAND(TORCH_EXTENSION_NAME, ops) {
  ops.def("relu(Tensor! out, Tensor input) -> ()");
}

TORCH_LIBRARY_IMPL_EXPAND(TORCH_EXTENSION_NAME, CUDA, ops) {
  ops.impl("relu", &relu);
}

REGISTER_EXTENSION(TORCH_EXTENSION_NAME)
