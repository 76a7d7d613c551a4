package generator

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fakeTorch is a Torch installation as the build of today's layout sees
// it, for tests that cannot have the real one: a CUDA, ROCm or XPU build
// of Torch, a visible GPU, a Torch newer than Debian's 1.13. install
// writes a `torch` Python package that answers what CMake's Torch query,
// the generated setup.py and _ops.py ask (torch.__version__,
// torch.version.cuda/hip/xpu, torch.backends.mps, the GPU capability,
// torch.utils.cmake_prefix_path, Torch's nvcc and hipcc flags, torch.ops)
// and imports in milliseconds, its distribution metadata (setup.py keys
// its build folder on the installed Torch's version), and a Torch CMake
// package (share/cmake/Torch) for the GPU backends, whose toolchains are
// not here either.
type fakeTorch struct {
	// Version is torch.__version__, such as "2.10.0+cu130".
	Version string
	// CUDA is torch.version.cuda ("" for None); the CMake package then
	// reports the CUDA toolkit NVCC (CMAKE_CUDA_COMPILER_VERSION) and
	// CUDA_VERSION = CUDA.
	CUDA, NVCC string
	// HIP is torch.version.hip ("" for None); the CMake package then
	// reports HIP found.
	HIP string
	// XPU gives torch.xpu and torch.version.xpu.
	XPU bool
	// MPS makes torch.backends.mps.is_available() true.
	MPS bool
	// Neuron and TPU give torch.neuron and torch.backends.tpu, which only
	// _ops.py asks about.
	Neuron, TPU bool
	// Capability is the "MAJOR.MINOR" of the GPU Torch sees; "" for none.
	Capability string
	// CMakePrefix is torch.utils.cmake_prefix_path; "" points it at the
	// fake CMake package. A real Torch's prefix builds against real Torch
	// headers and libraries (the CPU backend).
	CMakePrefix string
}

// fakeTorchModules are the modules whose content does not depend on the
// fake Torch's facts; version.py (self-contained, as setup.py reads it
// without importing Torch) and _facts.py hold those.
var fakeTorchModules = map[string]string{
	"torch/__init__.py": `"""A stand-in for Torch (build2cmake's tests): see generator/faketorch_test.go."""
from types import SimpleNamespace

from . import _facts, backends, cuda, utils, version

__version__ = version.__version__

if _facts.XPU:
    xpu = SimpleNamespace()
if _facts.NEURON:
    neuron = SimpleNamespace()


class _Namespace:
    def __init__(self, name):
        self.name = name

    def __getattr__(self, op):
        return self.name + "::" + op


class _Ops:
    def __getattr__(self, name):
        return _Namespace(name)


ops = _Ops()
`,
	"torch/cuda.py": `from torch import _facts


def get_device_capability():
    if not _facts.CAPABILITY:
        raise RuntimeError("Found no NVIDIA driver on your system.")
    major, minor = _facts.CAPABILITY.split(".")
    return int(major), int(minor)
`,
	"torch/backends/__init__.py": `from types import SimpleNamespace

from torch import _facts

mps = SimpleNamespace(is_available=lambda: _facts.MPS)
if _facts.TPU:
    tpu = SimpleNamespace()
`,
	"torch/utils/__init__.py": `from torch import _facts

cmake_prefix_path = _facts.CMAKE_PREFIX_PATH
`,
	"torch/utils/cpp_extension.py": `COMMON_NVCC_FLAGS = ["-D__CUDA_NO_HALF_OPERATORS__", "--expt-relaxed-constexpr"]
COMMON_HIP_FLAGS = ["-fPIC", "-D__HIP_PLATFORM_AMD__=1"]
COMMON_HIPCC_FLAGS = ["-DCUDA_HAS_FP16=1"]
`,
	// Torch's CMake package for a GPU build of Torch: the torch target and
	// what Torch's own package finds of the toolkit. CMake's HIP language
	// needs ROCm's clang, so enabling it does nothing here; HIP sources
	// then compile nowhere, and the tests read their settings from
	// fakeTorchReport.
	"share/cmake/Torch/TorchConfig.cmake": `include("${CMAKE_CURRENT_LIST_DIR}/facts.cmake")
if(NOT TARGET torch)
  add_library(torch INTERFACE)
endif()
set(TORCH_LIBRARIES torch)
if(NOT "${FAKE_TORCH_CUDA}" STREQUAL "")
  set(CUDA_FOUND TRUE)
  set(CUDA_VERSION "${FAKE_TORCH_CUDA}")
  set(CMAKE_CUDA_COMPILER_VERSION "${FAKE_TORCH_NVCC}")
  if(NOT TARGET CUDA::cudart)
    add_library(CUDA::cudart INTERFACE IMPORTED)
  endif()
endif()
if(NOT "${FAKE_TORCH_HIP}" STREQUAL "")
  set(HIP_FOUND TRUE)
  macro(enable_language)
    if(NOT "${ARGV0}" STREQUAL "HIP")
      _enable_language(${ARGV})
    endif()
  endmacro()
endif()
if(NOT COMMAND _test_report_sources)
  include("${CMAKE_CURRENT_LIST_DIR}/report.cmake")
  cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL _test_report_sources)
endif()
`,
	"share/cmake/Torch/report.cmake": reportSources,
}

// install writes the fake Torch into dir (replacing an earlier one, so
// that a test can change Torch between two configures of one build) and
// returns the environment that makes Python find it first.
func (f fakeTorch) install(t *testing.T, dir string) []string {
	t.Helper()
	if err := os.RemoveAll(filepath.Join(dir, "torch")); err != nil {
		t.Fatal(err)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "torch-*.dist-info"))
	for _, m := range matches {
		if err := os.RemoveAll(m); err != nil {
			t.Fatal(err)
		}
	}
	for path, content := range fakeTorchModules {
		writeTestFile(t, filepath.Join(dir, path), content)
	}
	prefix := f.CMakePrefix
	if prefix == "" {
		prefix = filepath.Join(dir, "share", "cmake")
	}
	xpu := "None"
	if f.XPU {
		xpu = `"20250100"`
	}
	writeTestFile(t, filepath.Join(dir, "torch", "version.py"), fmt.Sprintf(
		"__version__ = %s\ncuda = %s\nhip = %s\nxpu = %s\n", pyString(f.Version), pyOptional(f.CUDA), pyOptional(f.HIP), xpu))
	writeTestFile(t, filepath.Join(dir, "torch", "_facts.py"), fmt.Sprintf(
		"XPU = %s\nMPS = %s\nNEURON = %s\nTPU = %s\nCAPABILITY = %s\nCMAKE_PREFIX_PATH = %s\n",
		pyBool(f.XPU), pyBool(f.MPS),
		pyBool(f.Neuron), pyBool(f.TPU), pyString(f.Capability), pyString(prefix)))
	writeTestFile(t, filepath.Join(dir, "share", "cmake", "Torch", "facts.cmake"), fmt.Sprintf(
		"set(FAKE_TORCH_CUDA %q)\nset(FAKE_TORCH_NVCC %q)\nset(FAKE_TORCH_HIP %q)\n", f.CUDA, f.NVCC, f.HIP))
	version, _, _ := strings.Cut(f.Version, "+")
	writeTestFile(t, filepath.Join(dir, "torch-"+version+".dist-info", "METADATA"),
		"Metadata-Version: 2.1\nName: torch\nVersion: "+f.Version+"\n")
	return []string{"PYTHONPATH=" + dir, "PYTHONDONTWRITEBYTECODE=1"}
}

// pyString writes s as a Python string literal.
func pyString(s string) string { return strconv.Quote(s) }

// pyOptional writes s as a Python string literal, "" as None.
func pyOptional(s string) string {
	if s == "" {
		return "None"
	}
	return pyString(s)
}

// pyBool writes b as a Python bool.
func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}
