// Macros that register a kernel's ops with Torch and make the compiled
// extension importable from Python. The binding sources use them with
// TORCH_EXTENSION_NAME, which the build defines as the ops name.
#pragma once

#include <Python.h>

// Token pasting and stringizing that expand their arguments first, so that
// they can be given macros such as TORCH_EXTENSION_NAME.
#define CONCAT_NOEXPAND(A, B) A##B
#define CONCAT(A, B) CONCAT_NOEXPAND(A, B)

#define STRINGIFY_NOEXPAND(A) #A
#define STRINGIFY(A) STRINGIFY_NOEXPAND(A)

// TORCH_LIBRARY and TORCH_LIBRARY_IMPL take the namespace literally; these
// expand NAME first.
#define TORCH_LIBRARY_EXPAND(NAME, MODULE) TORCH_LIBRARY(NAME, MODULE)
#define TORCH_LIBRARY_IMPL_EXPAND(NAME, DEVICE, MODULE) \
  TORCH_LIBRARY_IMPL(NAME, DEVICE, MODULE)

// The same for the stable-ABI registration macros of
// torch/csrc/stable/library.h (kernels with torch.stable-abi).
#define STABLE_TORCH_LIBRARY_EXPAND(NAME, MODULE) STABLE_TORCH_LIBRARY(NAME, MODULE)
#define STABLE_TORCH_LIBRARY_IMPL_EXPAND(NAME, DEVICE, MODULE) \
  STABLE_TORCH_LIBRARY_IMPL(NAME, DEVICE, MODULE)

// Defines PyInit_<NAME>, so that `import NAME` loads the shared library
// (running the registrations above) and gets an empty module named NAME.
#define REGISTER_EXTENSION(NAME)                                      \
  PyMODINIT_FUNC CONCAT(PyInit_, NAME)() {                            \
    static struct PyModuleDef module_def = {                          \
        PyModuleDef_HEAD_INIT, STRINGIFY(NAME), nullptr, 0, nullptr}; \
    return PyModule_Create(&module_def);                              \
  }
