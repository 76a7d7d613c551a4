# A stand-in for a CUDA machine, for configuring a create-pyproject project
# where there is no nvcc, no CUDA Torch and no GPU (scripts/gpu-community-prepare.sh):
#
#   cmake -S KERNEL -B BUILD -DCMAKE_PROJECT_INCLUDE=<this file> \
#     [-DSTANDIN_NVCC=13.0] [-DSTANDIN_GPU=9.0] [-DCUTLASS_SRC_DIR=...]
#
# CMake runs it right after project(), so it replaces kernel_variant_setup
# before the generated CMakeLists.txt calls it: the backend is cuda, nvcc is
# STANDIN_NVCC and Torch sees one GPU of capability STANDIN_GPU. Everything
# after that runs as shipped: the CUDA version bounds, every kernel_cuda()
# call with its capability matching and report, the dependencies (CUTLASS
# through CUTLASS_SRC_DIR), the extension and the install rules. Nothing is
# compiled, so generator and CMake errors show up here, not on the GPU
# machine.
macro(kernel_variant_setup)
  cmake_parse_arguments(_standin "" "TORCH_MINVER;TORCH_MAXVER;CUDA_MINVER;CUDA_MAXVER" "BACKENDS;STABLE_ABI" ${ARGN})
  if(NOT "cuda" IN_LIST _standin_BACKENDS)
    message(FATAL_ERROR "cuda-standin: the kernel has no cuda backend (${_standin_BACKENDS})")
  endif()
  if(NOT DEFINED STANDIN_NVCC)
    set(STANDIN_NVCC 13.0)
  endif()
  if(NOT DEFINED STANDIN_GPU)
    set(STANDIN_GPU 9.0)
  endif()
  set(KERNEL_LAYOUT "variants")
  set(KERNEL_BACKEND cuda)
  set(KERNEL_SKIP FALSE)
  set(TORCH_VERSION 2.11.0)
  find_package(Python3 REQUIRED COMPONENTS Development Development.SABIModule Interpreter)
  install(CODE "set(CMAKE_INSTALL_LOCAL_ONLY TRUE)" ALL_COMPONENTS)
  add_library(torch INTERFACE)
  set(TORCH_LIBRARIES torch)
  add_library(CUDA::cudart INTERFACE IMPORTED)
  _kernel_check_version(Torch "${TORCH_VERSION}" "${_standin_TORCH_MINVER}" "${_standin_TORCH_MAXVER}")
  _kernel_check_version(CUDA "${STANDIN_NVCC}" "${_standin_CUDA_MINVER}" "${_standin_CUDA_MAXVER}")
  set(KERNEL_CUDA_VERSION "${STANDIN_NVCC}")
  _kernel_cuda_supported_archs(KERNEL_CUDA_SUPPORTED_ARCHS "${STANDIN_NVCC}")
  set(KERNEL_CUDA_ARCHS "${STANDIN_GPU}")
  set(KERNEL_GPU_FLAGS "")
  message(STATUS "cuda-standin: nvcc ${STANDIN_NVCC}, GPU ${STANDIN_GPU}, "
    "supported capabilities ${KERNEL_CUDA_SUPPORTED_ARCHS}")
  _kernel_variant_enable_backend()
  _kernel_variant_stable_abi(${_standin_STABLE_ABI})
  string(REPLACE "." "" _standin_cu "${STANDIN_NVCC}")
  set(KERNEL_VARIANT "torch211-cxx11-cu${_standin_cu}-x86_64-linux")
endmacro()
