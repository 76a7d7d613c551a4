package generator

import (
	"github.com/build2cmake-go/build2cmake/cmake"
	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/python"
)

// backendSpec is everything about a backend that changes what Render
// writes. Render has one code path; the backends differ only in these
// values.
type backendSpec struct {
	// Languages are the languages project() enables. Torch's CMake enables
	// CUDA itself, and kernel_setup enables HIP.
	Languages []string
	// MacOSDeploymentTarget is the oldest macOS the extension runs on, set
	// before project(); empty leaves CMake's default.
	MacOSDeploymentTarget string
	// BeforeProject are CMake calls that must run before project(), such as
	// choosing the compilers.
	BeforeProject []string
	// Definitions are the marker macros that every source of the build sees.
	Definitions []string
	// CanSkip tells that kernel_setup may find nothing to build and set
	// KERNEL_SKIP (TARGET_DEVICE for cuda and rocm, a Torch without XPU).
	CanSkip bool
	// CUDABounds passes [general.cuda] minver and maxver to kernel_setup.
	CUDABounds bool
	// Modules are the cmake/ files CMakeLists.txt includes besides
	// utils.cmake.
	Modules []string
	// Files are the backend's files besides the ones every native build
	// writes.
	Files []staticFile
	// WindowsDefinitions, when not empty, turn on the Windows rendering for
	// projects generated on Windows: these definitions, cmake/windows.cmake
	// and the kernels hub install targets.
	WindowsDefinitions []string
	// LauncherLanguages are the languages setup.py compiles through sccache
	// or ccache.
	LauncherLanguages []string
	// NVCCThreads makes setup.py pass NVCC_THREADS to CMake and divide the
	// number of parallel jobs by it.
	NVCCThreads bool
}

// staticFile is a generated file whose content does not depend on the
// build.
type staticFile struct {
	Path       string
	Content    string
	Comment    string // line comment marker of the file's language
	Executable bool
}

// gpuFiles are written for cuda and rocm alike: the reference writes one
// set of files for both, and `clean` relies on that.
var gpuFiles = []staticFile{
	{Path: "cmake/hipify.py", Content: python.Hipify, Comment: "#", Executable: true},
	{Path: "cmake/windows.cmake", Content: cmake.Windows, Comment: "#"},
}

// backendSpecs holds one entry per backend in config.Backends.
var backendSpecs = map[config.Backend]*backendSpec{
	config.CPU: {
		Languages:             []string{"CXX"},
		MacOSDeploymentTarget: "15.0",
		Definitions:           []string{"CPU_KERNEL"},
		LauncherLanguages:     []string{"CXX"},
	},
	config.CUDA: {
		Languages:          []string{"CXX"},
		Definitions:        []string{"CUDA_KERNEL"},
		CanSkip:            true,
		CUDABounds:         true,
		Files:              gpuFiles,
		WindowsDefinitions: []string{"USE_CUDA=1"},
		LauncherLanguages:  []string{"CXX", "CUDA"},
		NVCCThreads:        true,
	},
	config.ROCm: {
		Languages:          []string{"CXX"},
		Definitions:        []string{"ROCM_KERNEL"},
		CanSkip:            true,
		Files:              gpuFiles,
		WindowsDefinitions: []string{"USE_ROCM=1"},
		LauncherLanguages:  []string{"CXX", "HIP"},
	},
	config.Metal: {
		Languages:             []string{"CXX", "C", "OBJC", "OBJCXX"},
		MacOSDeploymentTarget: "26.0",
		Definitions:           []string{"METAL_KERNEL"},
		Modules:               []string{"compile-metal.cmake"},
		Files: []staticFile{
			{Path: "cmake/compile-metal.cmake", Content: cmake.CompileMetal, Comment: "#"},
			{Path: "cmake/metallib_to_header.py", Content: python.MetallibToHeader, Comment: "#", Executable: true},
		},
		LauncherLanguages: []string{"C", "CXX", "OBJC", "OBJCXX"},
	},
	config.XPU: {
		Languages:         []string{"C", "CXX"},
		BeforeProject:     []string{"kernel_use_intel_compilers()"},
		Definitions:       []string{"XPU_KERNEL", "USE_XPU"},
		CanSkip:           true,
		LauncherLanguages: []string{"C", "CXX"},
	},
}

// otherDependencyCalls maps the kernel dependencies that need CMake code, other
// than the CUTLASS releases (see dependencyCall), to the call that provides
// them. Dependencies in neither place (torch, metal-cpp) come with the
// toolchain and need nothing.
var otherDependencyCalls = map[string]string{
	"cutlass_sycl": "kernel_dependency_cutlass_sycl()",
	"sycl_tla":     "kernel_dependency_cutlass_sycl()",
}

// dependencyCall returns the CMake call that provides d, or "" when d needs
// none.
func dependencyCall(d config.Dependency) string {
	if d.CutlassVersion != "" {
		return "kernel_dependency_cutlass(VERSION " + d.CutlassVersion + ")"
	}
	return otherDependencyCalls[d.Name]
}
