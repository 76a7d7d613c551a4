// Package cmake holds the CMake files build2cmake writes into a kernel
// project: the template of CMakeLists.txt, the template of cmake/utils.cmake
// (the functions CMakeLists.txt calls, shared by every backend) and the
// backend-specific modules that are copied as they are. Package generator
// renders them; this package only embeds them, because go:embed cannot
// reach files outside the embedding package's folder.
package cmake

import _ "embed" // for go:embed

// CMakeListsTemplate is the text/template of the generated CMakeLists.txt.
//
//go:embed CMakeLists.txt.tmpl
var CMakeListsTemplate string

// UtilsTemplate is the text/template of cmake/utils.cmake. Its data are the
// GPU tables (default CUDA capabilities, supported ROCm architectures), so
// that those facts live in Go only.
//
//go:embed utils.cmake.tmpl
var UtilsTemplate string

// CompileMetal is cmake/compile-metal.cmake, the Metal shader functions
// (metal backend only).
//
//go:embed compile-metal.cmake
var CompileMetal string

// Windows is cmake/windows.cmake, the Windows install targets (cuda and
// rocm backends only).
//
//go:embed windows.cmake
var Windows string

// VariantsCMakeListsTemplate is the text/template of the CMakeLists.txt
// that create-pyproject writes: every backend of the kernel, chosen at
// configure time.
//
//go:embed variants-CMakeLists.txt.tmpl
var VariantsCMakeListsTemplate string

// VariantsTemplate is the text/template of cmake/variants.cmake, the
// functions of today's layout (backend choice, variant name, install
// targets). Its data are rows of the backend table.
//
//go:embed variants.cmake.tmpl
var VariantsTemplate string

// TVMFFICMakeListsTemplate is the text/template of the CMakeLists.txt that
// create-pyproject writes for a [tvm-ffi] kernel.
//
//go:embed tvm-ffi-CMakeLists.txt.tmpl
var TVMFFICMakeListsTemplate string

// TVMFFI is cmake/tvm-ffi.cmake, the functions of a [tvm-ffi] kernel
// (tvm-ffi setup, backend choice, extension), copied as it is; it uses
// those of cmake/utils.cmake and cmake/variants.cmake.
//
//go:embed tvm-ffi.cmake
var TVMFFI string
