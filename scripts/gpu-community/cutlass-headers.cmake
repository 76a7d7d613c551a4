# The CMakeLists.txt of a CUTLASS header tree (include/ and tools/util/include
# of a CUTLASS release, nothing else), which scripts/gpu-community-prepare.sh
# writes, with a VERSION file, into each tree it packs for the GPU machine, where nothing can be
# downloaded. Point a kernel project at the tree with CUTLASS_SRC_DIR (CMake
# or environment variable): FetchContent_MakeAvailable(cutlass) then adds
# this directory instead of CUTLASS's own, which needs its whole source tree.
# It offers what CUTLASS's own offers a consumer in header-only mode:
#   CUTLASS_INCLUDE_DIR, CUTLASS_TOOLS_UTIL_INCLUDE_DIR   cache variables
#   CUTLASS, nvidia::cutlass::cutlass                    interface target
#   nvidia::cutlass::tools::util                         interface target
cmake_minimum_required(VERSION 3.19)
# VERSION holds the release the headers come from (2.x has no version.h).
file(READ "${CMAKE_CURRENT_SOURCE_DIR}/VERSION" _cutlass_version)
string(STRIP "${_cutlass_version}" _cutlass_version)
project(CUTLASS VERSION ${_cutlass_version} LANGUAGES NONE)

set(CUTLASS_INCLUDE_DIR "${CMAKE_CURRENT_SOURCE_DIR}/include" CACHE PATH "CUTLASS header directory")
set(CUTLASS_TOOLS_UTIL_INCLUDE_DIR "${CMAKE_CURRENT_SOURCE_DIR}/tools/util/include"
  CACHE PATH "CUTLASS utility header directory")
add_library(CUTLASS INTERFACE)
target_include_directories(CUTLASS INTERFACE "${CUTLASS_INCLUDE_DIR}")
add_library(nvidia::cutlass::cutlass ALIAS CUTLASS)
add_library(cutlass_tools_util_includes INTERFACE)
target_include_directories(cutlass_tools_util_includes INTERFACE "${CUTLASS_TOOLS_UTIL_INCLUDE_DIR}")
add_library(nvidia::cutlass::tools::util ALIAS cutlass_tools_util_includes)

message(STATUS "CUTLASS ${PROJECT_VERSION} headers in ${CUTLASS_INCLUDE_DIR} "
  "(CUTLASS_REVISION ${CUTLASS_REVISION})")
