// Registers both kernels in one ops namespace, TORCH_EXTENSION_NAME
// (_cpu_multi_<id>): one build.toml gives one extension module however many
// kernels it lists.
#include <torch/library.h>

#include "cpu_multi_ops.h"  // found through [torch] include
#include "op_schemas.h"    // found in csrc/, always an include directory
#include "registration.h"

TORCH_LIBRARY_EXPAND(TORCH_EXTENSION_NAME, ops) {
  // An in-place style op and a functional one, the two shapes kernels use.
  ops.def(CPU_MULTI_SCALE_SCHEMA);
  ops.def("add_bias(Tensor input, Tensor bias) -> Tensor");
}

// CPU_KERNEL comes from the generated CMake; without it the ops would have no
// CPU implementation and the tests would fail.
#if defined(CPU_KERNEL)
TORCH_LIBRARY_IMPL_EXPAND(TORCH_EXTENSION_NAME, CPU, ops) {
  ops.impl("scale", &scale);
  ops.impl("add_bias", &add_bias);
}
#endif

REGISTER_EXTENSION(TORCH_EXTENSION_NAME)
