// Registers the kernels as ops in the namespace TORCH_EXTENSION_NAME, which
// the generated CMake defines as the ops name (_relu_<id>), so that several
// builds of this kernel can be loaded into one process side by side.
#include <torch/library.h>

#include "registration.h"
#include "torch_binding.h"

// The schema is declared for every backend; Python sees torch.ops.<ns>.relu
// even in a build that has no implementation for the current device.
TORCH_LIBRARY_EXPAND(TORCH_EXTENSION_NAME, ops) {
  ops.def("relu(Tensor! out, Tensor input) -> ()");
}

// The generated CMake defines CPU_KERNEL for CPU builds only. If it went
// missing, the op would exist without a CPU implementation and every call
// would fail, which tests/test_relu.py notices.
#if defined(CPU_KERNEL)
TORCH_LIBRARY_IMPL_EXPAND(TORCH_EXTENSION_NAME, CPU, ops) {
  ops.impl("relu", &relu);
}
#endif

// Lets Python import the compiled module (`from . import <ops name>` in the
// generated _ops.py), which is what loads the registrations above.
REGISTER_EXTENSION(TORCH_EXTENSION_NAME)
