# CMake functions of a [tvm-ffi] kernel (`build2cmake create-pyproject`):
# one project for every backend of the kernel, built against Apache TVM FFI
# instead of Torch, so that one build serves PyTorch, JAX and NumPy through
# DLPack. The backend is chosen at configure time and the build is installed
# as the build variant folder tvm-ffi<MAJOR><MINOR>-<compute>-<cpu>-<os>/
# that the `kernels` Python package loads. The kernels themselves are built
# by the functions of cmake/utils.cmake, and installed by those of
# cmake/variants.cmake, as for Torch.
#
# The generated CMakeLists.txt calls, in this order:
#
#   kernel_variant_compilers()         before project(), when xpu is a backend
#   kernel_tvm_ffi_setup(BACKENDS <backend>... [CUDA_MINVER v] [CUDA_MAXVER v])
#   kernel_<backend>(...)              guarded by KERNEL_BACKEND
#   kernel_tvm_ffi_binding(SOURCES ... [INCLUDES ...] [CXX_FLAGS ...])
#   kernel_tvm_ffi_extension(<ops_name>)
#   kernel_variant_install(<ops_name> PACKAGE <python_name> PACKAGE_DIR tvm-ffi-ext ...)

# kernel_tvm_ffi_setup(BACKENDS <backend>... [CUDA_MINVER <version>]
#                      [CUDA_MAXVER <version>])
#
# Finds Python (Python3_EXECUTABLE, else Python_EXECUTABLE, as CMake
# variables or in the environment), chooses the backend (GPU_LANG, see
# _kernel_tvm_ffi_backend), asks tvm_ffi once where it is and which version
# it is (and, for CUDA, the GPU's capability), defines tvm_ffi's targets,
# sets the backend up with the setup function cmake/utils.cmake has for it,
# and sets KERNEL_VARIANT, the name of the build variant folder. A macro:
# languages can only be enabled, and imported targets only be seen, at file
# scope.
macro(kernel_tvm_ffi_setup)
  cmake_parse_arguments(_kernel_tvm_ffi "" "CUDA_MINVER;CUDA_MAXVER" "BACKENDS" ${ARGN})
  _kernel_reject_unparsed(kernel_tvm_ffi_setup _kernel_tvm_ffi)
  set(KERNEL_LAYOUT "variants")
  set(KERNEL_SKIP FALSE)

  # Today's kernel-builder and the Nix builder pass Python_EXECUTABLE; the
  # Torch layout, setup.py and build2cmake's own probes Python3_EXECUTABLE.
  if(NOT DEFINED Python3_EXECUTABLE)
    if(DEFINED ENV{Python3_EXECUTABLE})
      set(Python3_EXECUTABLE "$ENV{Python3_EXECUTABLE}")
    elseif(DEFINED Python_EXECUTABLE)
      set(Python3_EXECUTABLE "${Python_EXECUTABLE}")
    endif()
  endif()
  if(DEFINED Python3_EXECUTABLE AND NOT EXISTS "${Python3_EXECUTABLE}")
    message(FATAL_ERROR "Python3_EXECUTABLE is ${Python3_EXECUTABLE}, which does not exist.")
  endif()
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  kernel_compile_commands()

  _kernel_tvm_ffi_backend(KERNEL_BACKEND ${_kernel_tvm_ffi_BACKENDS})
  if(KERNEL_BACKEND STREQUAL "cuda")
    option(BUILD_ALL_SUPPORTED_ARCHS
      "Build for every CUDA capability nvcc supports instead of the GPU the driver sees" OFF)
  endif()
  _kernel_tvm_ffi_query()
  _kernel_tvm_ffi_targets()
  message(STATUS "tvm-ffi ${KERNEL_TVM_FFI_VERSION} (${KERNEL_TVM_FFI_CMAKE_DIR})")

  # `cmake --install` installs the extension only, not the install rules of
  # dependencies added with FetchContent (such as CUTLASS).
  install(CODE "set(CMAKE_INSTALL_LOCAL_ONLY TRUE)" ALL_COMPONENTS)

  set(_kernel_tvm_ffi_args "")
  if(KERNEL_BACKEND STREQUAL "cuda")
    enable_language(CUDA)
    find_package(CUDAToolkit REQUIRED)
    # What _kernel_setup_cuda reads from Torch in the Torch layout: CUDA is
    # there, Torch adds no nvcc flags, and the GPU the driver sees.
    set(CUDA_FOUND TRUE)
    set(KERNEL_TORCH_GPU_FLAGS "")
    set(KERNEL_TORCH_CUDA_CAPABILITY "${KERNEL_TVM_FFI_CUDA_CAPABILITY}")
    if(NOT BUILD_ALL_SUPPORTED_ARCHS AND "${KERNEL_TORCH_CUDA_CAPABILITY}" STREQUAL "")
      message(WARNING "The CUDA driver shows no GPU, so the kernels are built for every "
        "supported capability. Set BUILD_ALL_SUPPORTED_ARCHS=ON to ask for this explicitly.")
      set(BUILD_ALL_SUPPORTED_ARCHS ON)
    endif()
    foreach(_kernel_tvm_ffi_option CUDA_MINVER CUDA_MAXVER)
      if(DEFINED _kernel_tvm_ffi_${_kernel_tvm_ffi_option})
        list(APPEND _kernel_tvm_ffi_args ${_kernel_tvm_ffi_option}
          "${_kernel_tvm_ffi_${_kernel_tvm_ffi_option}}")
      endif()
    endforeach()
  elseif(KERNEL_BACKEND STREQUAL "rocm")
    enable_language(HIP)
    find_package(hip REQUIRED)
    set(HIP_FOUND TRUE)
    set(KERNEL_TORCH_GPU_FLAGS "")
    string(REGEX MATCH "^[0-9]+\\.[0-9]+" KERNEL_TORCH_HIP_VERSION "${hip_VERSION}")
  elseif(KERNEL_BACKEND STREQUAL "xpu")
    # The XPU setup skips the build when Torch has no XPU; tvm-ffi needs none.
    set(KERNEL_TORCH_HAS_XPU TRUE)
  endif()
  cmake_language(CALL _kernel_setup_${KERNEL_BACKEND} ${_kernel_tvm_ffi_args})

  if(NOT KERNEL_SKIP)
    _kernel_variant_enable_backend()
    _kernel_major_minor(_kernel_tvm_ffi_mm "${KERNEL_TVM_FFI_VERSION}" "tvm-ffi")
    _kernel_variant_arch(_kernel_tvm_ffi_arch)
    set(KERNEL_VARIANT "tvm-ffi${_kernel_tvm_ffi_mm}-${_kernel_tvm_ffi_arch}")
    message(STATUS "Build variant: ${KERNEL_VARIANT}")
  endif()
endmacro()

# _kernel_tvm_ffi_backend(<out> <backend>...)
#
# Chooses the backend among the kernel's <backend>s and stores it in <out>.
# The cache variable GPU_LANG (CPU, CUDA, HIP, METAL or SYCL) chooses it;
# -DGPU_LANG=... overrides the default, which, as today's kernel-builder
# decides it without Torch, is SYCL when Intel's compilers are in use
# (kernel_variant_compilers), else CUDA when CMake finds a CUDA compiler,
# else CPU. HIP and METAL are only chosen through GPU_LANG.
function(_kernel_tvm_ffi_backend out)
  set(backends ${ARGN})
  if(NOT DEFINED GPU_LANG)
    set(detected "")
    if("xpu" IN_LIST backends AND ICPX_COMPILER)
      set(detected SYCL)
    elseif("cuda" IN_LIST backends)
      include(CheckLanguage)
      check_language(CUDA)
      if(CMAKE_CUDA_COMPILER)
        set(detected CUDA)
      endif()
    endif()
    if("${detected}" STREQUAL "")
      if("cpu" IN_LIST backends OR NOT "cuda" IN_LIST backends)
        set(detected CPU)
      else()
        list(JOIN backends ", " listed)
        message(FATAL_ERROR "This kernel supports ${listed}, but CMake finds no CUDA compiler: "
          "put nvcc on PATH (or set CUDACXX), or choose a backend with -DGPU_LANG=.")
      endif()
    endif()
    set(GPU_LANG "${detected}" CACHE STRING
      "Backend to build for: CPU, CUDA, HIP (rocm), METAL or SYCL (xpu); default: SYCL with Intel's compilers, else CUDA with nvcc, else CPU")
  endif()
  _kernel_gpu_lang_backend(backend)
  if(NOT backend IN_LIST backends)
    list(JOIN backends ", " listed)
    message(FATAL_ERROR "This kernel supports ${listed}, but GPU_LANG is ${GPU_LANG} "
      "(backend ${backend}). Set -DGPU_LANG= to one of the kernel's backends.")
  endif()
  message(STATUS "Backend: ${backend} (GPU_LANG ${GPU_LANG})")
  set(${out} "${backend}" PARENT_SCOPE)
endfunction()

# Asks Python, in a single run, everything configuration needs from tvm_ffi
# and stores each answer in KERNEL_TVM_FFI_<KEY>: VERSION (the installed
# apache-tvm-ffi), CMAKE_DIR, INCLUDE_DIR, DLPACK_INCLUDE_DIR and LIBRARY
# (libtvm_ffi, or its import library on Windows) always; for cuda unless
# BUILD_ALL_SUPPORTED_ARCHS, CUDA_CAPABILITY, the capability of the first
# GPU the CUDA driver shows (empty when there is none), asked from the
# driver library since there may be no Torch. It runs tvm_ffi's libinfo
# module on its own: importing the tvm_ffi package imports Torch first,
# seconds that configuring does not need.
function(_kernel_tvm_ffi_query)
  set(questions "")
  if(KERNEL_BACKEND STREQUAL "cuda" AND NOT BUILD_ALL_SUPPORTED_ARCHS)
    list(APPEND questions cuda-capability)
  endif()

  set(script [=[
import ctypes
import ctypes.util
import importlib.metadata
import importlib.util
import os
import sys

spec = importlib.util.find_spec("tvm_ffi")
if spec is None or not spec.submodule_search_locations:
    sys.exit("No module named 'tvm_ffi'")
path = os.path.join(list(spec.submodule_search_locations)[0], "libinfo.py")
libinfo_spec = importlib.util.spec_from_file_location("_build2cmake_tvm_ffi_libinfo", path)
libinfo = importlib.util.module_from_spec(libinfo_spec)
libinfo_spec.loader.exec_module(libinfo)


def cuda_capability():
    names = ["libcuda.so.1", "libcuda.so", "nvcuda.dll", ctypes.util.find_library("cuda")]
    for name in names:
        if not name:
            continue
        try:
            driver = ctypes.CDLL(name)
        except OSError:
            continue
        device, major, minor = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
        # CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR and _MINOR.
        if (driver.cuInit(0) != 0
                or driver.cuDeviceGet(ctypes.byref(device), 0) != 0
                or driver.cuDeviceGetAttribute(ctypes.byref(major), 75, device) != 0
                or driver.cuDeviceGetAttribute(ctypes.byref(minor), 76, device) != 0):
            return ""
        return "%d.%d" % (major.value, minor.value)
    return ""


answers = {
    "VERSION": importlib.metadata.version("apache-tvm-ffi").split("+")[0],
    "CMAKE_DIR": libinfo.find_cmake_path(),
    "INCLUDE_DIR": libinfo.find_include_path(),
    "DLPACK_INCLUDE_DIR": libinfo.find_dlpack_include_path(),
    "LIBRARY": libinfo.find_windows_implib() if sys.platform == "win32" else libinfo.find_libtvm_ffi(),
}
if "cuda-capability" in sys.argv[1:]:
    answers["CUDA_CAPABILITY"] = cuda_capability()
for key, value in answers.items():
    print(f"{key}={value}")
]=])
  execute_process(
    COMMAND "${Python3_EXECUTABLE}" -c "${script}" ${questions}
    OUTPUT_VARIABLE answers
    ERROR_VARIABLE errors
    RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "Cannot find tvm_ffi with ${Python3_EXECUTABLE} "
      "(exit status ${status}); install apache-tvm-ffi for that Python, or "
      "choose another with -DPython3_EXECUTABLE=:\n${errors}")
  endif()

  # Values end at the line end, \r\n on Windows.
  foreach(key VERSION CMAKE_DIR INCLUDE_DIR DLPACK_INCLUDE_DIR LIBRARY CUDA_CAPABILITY)
    set(value "")
    if(answers MATCHES "(^|\n)${key}=([^\r\n]*)")
      set(value "${CMAKE_MATCH_2}")
    endif()
    if(NOT key MATCHES "^(VERSION|CUDA_CAPABILITY)$")
      file(TO_CMAKE_PATH "${value}" value)
    endif()
    set(KERNEL_TVM_FFI_${key} "${value}" PARENT_SCOPE)
  endforeach()
endfunction()

# Defines what tvm_ffi's CMake package defines, from the answers of
# _kernel_tvm_ffi_query rather than the three Python runs that package
# makes: the imported targets tvm_ffi::header (headers, C++17) and
# tvm_ffi::shared (libtvm_ffi), and tvm_ffi_configure_target with the other
# functions of its Utils/ modules. A macro: imported targets are seen in
# the scope that defines them.
macro(_kernel_tvm_ffi_targets)
  if(NOT TARGET tvm_ffi::shared)
    add_library(tvm_ffi::header INTERFACE IMPORTED)
    target_compile_features(tvm_ffi::header INTERFACE cxx_std_17)
    target_include_directories(tvm_ffi::header INTERFACE
      "${KERNEL_TVM_FFI_INCLUDE_DIR}" "${KERNEL_TVM_FFI_DLPACK_INCLUDE_DIR}")
    add_library(tvm_ffi::shared SHARED IMPORTED)
    target_compile_features(tvm_ffi::shared INTERFACE cxx_std_17)
    if(WIN32)
      set_target_properties(tvm_ffi::shared PROPERTIES IMPORTED_IMPLIB "${KERNEL_TVM_FFI_LIBRARY}")
    else()
      set_target_properties(tvm_ffi::shared PROPERTIES IMPORTED_LOCATION "${KERNEL_TVM_FFI_LIBRARY}")
    endif()
    set_target_properties(tvm_ffi::shared PROPERTIES INTERFACE_INCLUDE_DIRECTORIES
      "${KERNEL_TVM_FFI_INCLUDE_DIR};${KERNEL_TVM_FFI_DLPACK_INCLUDE_DIR}")
    include("${KERNEL_TVM_FFI_CMAKE_DIR}/Utils/Library.cmake")
    include("${KERNEL_TVM_FFI_CMAKE_DIR}/Utils/EmbedCubin.cmake")
  endif()
endmacro()

# kernel_tvm_ffi_binding(SOURCES <file>... [INCLUDES <dir>...]
#                        [CXX_FLAGS <flag>...])
#
# Adds the tvm-ffi binding sources ([tvm-ffi] src, include and cxx-flags in
# build.toml); CXX_FLAGS apply to these C++ sources only.
function(kernel_tvm_ffi_binding)
  _kernel_binding(kernel_tvm_ffi_binding ${ARGV})
endfunction()

# kernel_tvm_ffi_extension(<ops_name>)
#
# Defines the shared library <ops_name> (no lib prefix; _ops.py loads it
# with tvm_ffi.load_module) from every source added so far: C++17,
# TVM_FFI_EXTENSION_NAME=<ops_name>, set up by tvm_ffi_configure_target,
# compiled through sccache or ccache when one is on PATH.
# kernel_variant_install installs it.
function(kernel_tvm_ffi_extension name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "")
  _kernel_reject_unparsed(kernel_tvm_ffi_extension arg)
  get_property(sources GLOBAL PROPERTY KERNEL_SOURCES)
  add_library(${name} SHARED)
  target_sources(${name} PRIVATE ${sources})
  set_target_properties(${name} PROPERTIES PREFIX "" CXX_STANDARD 17)
  target_compile_definitions(${name} PRIVATE TVM_FFI_EXTENSION_NAME=${name})
  tvm_ffi_configure_target(${name})
  _kernel_no_gnu_unique(${name})
  target_include_directories(${name} PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}/csrc")
  cmake_language(CALL _kernel_tvm_ffi_extension_${KERNEL_BACKEND} ${name})
  # Through sccache or ccache, as Torch extensions (cmake/utils.cmake).
  _kernel_compiler_launcher(${name})
endfunction()

function(_kernel_tvm_ffi_extension_cpu target)
endfunction()

function(_kernel_tvm_ffi_extension_cuda target)
  _kernel_gpu_flags(${target} CUDA)
  target_link_libraries(${target} PRIVATE CUDA::cudart)
endfunction()

function(_kernel_tvm_ffi_extension_rocm target)
  _kernel_hipify(${target})
  _kernel_gpu_flags(${target} HIP)
  target_link_libraries(${target} PRIVATE hip::host)
endfunction()

function(_kernel_tvm_ffi_extension_metal target)
  kernel_metal_embed_library(${target})
endfunction()

function(_kernel_tvm_ffi_extension_xpu target)
  target_link_options(${target} PRIVATE ${KERNEL_SYCL_LINK_FLAGS})
  target_link_libraries(${target} PRIVATE dnnl)
endfunction()
