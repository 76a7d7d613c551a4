# Windows additions for the cuda and rocm backends: install rules in the
# layout the kernels hub expects, <prefix>/<variant>/<package>/, and a
# local_install target that puts the same files in build/<variant>/<package>/
# of the project, where `kernels.get_local_kernel()` finds them.

# Stores in <out> the major and minor components of <version> run together,
# as build variant names write them: 12.8 gives 128, 13 gives 130.
function(_kernel_windows_short_version out version)
  string(REPLACE "." ";" parts "${version}")
  list(LENGTH parts count)
  if(count EQUAL 0 OR "${version}" STREQUAL "")
    message(FATAL_ERROR "Cannot name the build variant: version \"${version}\" is empty.")
  endif()
  list(GET parts 0 major)
  set(minor 0)
  if(count GREATER 1)
    list(GET parts 1 minor)
  endif()
  set(${out} "${major}${minor}" PARENT_SCOPE)
endfunction()

# Stores in <out> the name of this build variant, such as
# torch29-cu128-x86_64-windows (cuda) or torch29-rocm64-x86_64-windows (rocm).
function(_kernel_windows_variant out)
  _kernel_windows_short_version(torch "${TORCH_VERSION}")
  if(KERNEL_BACKEND STREQUAL "cuda")
    _kernel_windows_short_version(compute "${KERNEL_CUDA_VERSION}")
    set(compute "cu${compute}")
  elseif(KERNEL_BACKEND STREQUAL "rocm")
    _kernel_windows_short_version(compute "${KERNEL_TORCH_HIP_VERSION}")
    set(compute "rocm${compute}")
  else()
    message(FATAL_ERROR "Windows build variants exist for cuda and rocm, not ${KERNEL_BACKEND}.")
  endif()
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(AMD64|x86_64)$")
    set(cpu "x86_64")
  elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(ARM64|aarch64)$")
    set(cpu "aarch64")
  else()
    message(FATAL_ERROR "Unsupported Windows processor ${CMAKE_SYSTEM_PROCESSOR}: "
      "expected AMD64 or ARM64.")
  endif()
  set(${out} "torch${torch}-${compute}-${cpu}-windows" PARENT_SCOPE)
endfunction()

# kernel_windows_install(<target> PACKAGE <python_name>)
#
# Installs <target> and the package's Python files into
# <prefix>/<variant>/<python_name>/ as well, and adds the local_install
# target, which copies them and metadata.json to
# build/<variant>/<python_name>/.
function(kernel_windows_install target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "PACKAGE" "")
  _kernel_reject_unparsed(kernel_windows_install arg)
  _kernel_windows_variant(variant)
  message(STATUS "Build variant: ${variant}")

  file(GLOB python_files "${CMAKE_CURRENT_SOURCE_DIR}/torch-ext/${arg_PACKAGE}/*.py")
  # Relative to the install prefix, so `cmake --install --prefix` works.
  set(hub_dir "${variant}/${arg_PACKAGE}")
  install(TARGETS ${target}
    LIBRARY DESTINATION "${hub_dir}"
    RUNTIME DESTINATION "${hub_dir}"
    COMPONENT ${target})
  install(FILES ${python_files} DESTINATION "${hub_dir}" COMPONENT ${target})

  set(local_dir "${CMAKE_CURRENT_SOURCE_DIR}/build/${hub_dir}")
  add_custom_target(local_install
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${local_dir}"
    COMMAND "${CMAKE_COMMAND}" -E copy_if_different
      "$<TARGET_FILE:${target}>" ${python_files}
      "${CMAKE_CURRENT_SOURCE_DIR}/metadata.json"
      "${local_dir}/"
    COMMENT "Copying ${target}, its Python files and metadata.json to build/${hub_dir}"
    VERBATIM)
  add_dependencies(local_install ${target})
endfunction()
