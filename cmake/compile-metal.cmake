# Metal shader compilation for the metal backend, used by kernel_metal and
# kernel_extension in utils.cmake.
#
# Every .metal file is compiled to an .air file; kernel_extension links all
# of them into <ops_name>.metallib and embeds that in the extension as the
# generated header <ops_name>_metallib.h, so the module needs no files next
# to it at run time. The header defines, in namespace <ops_name>_metal,
# metallib_data, metallib_data_len and createLibrary(device, error); sources
# find it through the definitions EMBEDDED_METALLIB_HEADER and
# EMBEDDED_METALLIB_NAMESPACE.

# Sets the cache variable METAL_TOOLCHAIN, unless it is set already, to the
# toolchain xcodebuild reports.
function(_kernel_metal_find_toolchain)
  if(DEFINED METAL_TOOLCHAIN AND NOT "${METAL_TOOLCHAIN}" STREQUAL "")
    return()
  endif()
  execute_process(
    COMMAND xcodebuild -showComponent MetalToolchain
    OUTPUT_VARIABLE output
    ERROR_VARIABLE errors
    RESULT_VARIABLE status)
  if(NOT status EQUAL 0 OR NOT output MATCHES "Toolchain Search Path: ([^\n]+)")
    message(FATAL_ERROR "Cannot find the Metal toolchain: `xcodebuild -showComponent "
      "MetalToolchain` gave no toolchain search path (${status}):\n${output}${errors}\n"
      "Install it with `xcodebuild -downloadComponent MetalToolchain`, or set METAL_TOOLCHAIN.")
  endif()
  string(STRIP "${CMAKE_MATCH_1}" search_path)
  set(METAL_TOOLCHAIN "${search_path}/Metal.xctoolchain" CACHE PATH "Metal toolchain folder")
  message(STATUS "Metal toolchain: ${METAL_TOOLCHAIN}")
endfunction()

# kernel_metal_compile_shaders(<kernel> SHADERS <file>... [HEADERS <file>...]
#                              [INCLUDES <absolute dir>...])
#
# Compiles each shader of <kernel> to an .air file in the build tree. A
# shader is compiled again when it or one of the kernel's HEADERS changes.
function(kernel_metal_compile_shaders kernel)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SHADERS;HEADERS;INCLUDES")
  _kernel_reject_unparsed(kernel_metal_compile_shaders arg)
  _kernel_metal_find_toolchain()
  set(flags -std=metal4.0 -O2)
  foreach(include IN LISTS arg_INCLUDES)
    list(APPEND flags "-I${include}")
  endforeach()
  _kernel_absolute_paths(headers ${arg_HEADERS})
  foreach(shader IN LISTS arg_SHADERS)
    get_filename_component(source "${shader}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    file(RELATIVE_PATH relative "${CMAKE_CURRENT_SOURCE_DIR}" "${source}")
    # One folder per kernel, mirroring the sources, so equal file names in
    # different places do not collide.
    set(air "${CMAKE_CURRENT_BINARY_DIR}/metal/${kernel}/${relative}.air")
    get_filename_component(air_dir "${air}" DIRECTORY)
    add_custom_command(
      OUTPUT "${air}"
      COMMAND "${CMAKE_COMMAND}" -E make_directory "${air_dir}"
      COMMAND "${METAL_TOOLCHAIN}/usr/bin/metal" ${flags} -c "${source}" -o "${air}"
      DEPENDS "${source}" ${headers}
      COMMENT "Compiling Metal shader ${relative}"
      VERBATIM)
    set_property(GLOBAL APPEND PROPERTY KERNEL_METAL_AIR_FILES "${air}")
  endforeach()
endfunction()

# kernel_metal_embed_library(<target>)
#
# Links the shaders compiled so far into <target>.metallib and embeds it in
# <target> through the generated header <target>_metallib.h. Does nothing
# when no kernel has shaders.
function(kernel_metal_embed_library target)
  get_property(air_files GLOBAL PROPERTY KERNEL_METAL_AIR_FILES)
  if("${air_files}" STREQUAL "")
    return()
  endif()
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/metallib")
  set(library "${dir}/${target}.metallib")
  set(header "${dir}/${target}_metallib.h")
  set(script "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/metallib_to_header.py")
  add_custom_command(
    OUTPUT "${library}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${dir}"
    COMMAND "${METAL_TOOLCHAIN}/usr/bin/metallib" ${air_files} -o "${library}"
    DEPENDS ${air_files}
    COMMENT "Linking Metal library ${target}.metallib"
    VERBATIM)
  add_custom_command(
    OUTPUT "${header}"
    COMMAND "${Python3_EXECUTABLE}" "${script}" "${library}" "${header}" "${target}"
    DEPENDS "${library}" "${script}"
    COMMENT "Embedding ${target}.metallib in ${target}_metallib.h"
    VERBATIM)
  add_custom_target(${target}_metallib DEPENDS "${header}")
  add_dependencies(${target} ${target}_metallib)
  target_include_directories(${target} PRIVATE "${dir}")
  target_compile_definitions(${target} PRIVATE
    "EMBEDDED_METALLIB_HEADER=\"${target}_metallib.h\""
    "EMBEDDED_METALLIB_NAMESPACE=${target}_metal")
endfunction()
