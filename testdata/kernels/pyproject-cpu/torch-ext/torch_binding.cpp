// Registers the kernel as an op in the namespace TORCH_EXTENSION_NAME, the
// ops name of the backend this build is for (_scale_clamp_cpu_<id>).
#include <torch/library.h>

#include "registration.h"
#include "torch_binding.h"

// [torch] cxx-flags in build.toml define it for the binding sources.
#if SCALE_CLAMP_BINDING != 1
#error "[torch] cxx-flags did not reach the binding"
#endif

TORCH_LIBRARY_EXPAND(TORCH_EXTENSION_NAME, ops) {
  ops.def("scale_clamp(Tensor! out, Tensor input, float scale, float limit) -> ()");
}

// The generated CMake defines CPU_KERNEL when CPU is the chosen backend.
#if defined(CPU_KERNEL)
TORCH_LIBRARY_IMPL_EXPAND(TORCH_EXTENSION_NAME, CPU, ops) {
  ops.impl("scale_clamp", &scale_clamp);
}
#endif

REGISTER_EXTENSION(TORCH_EXTENSION_NAME)
