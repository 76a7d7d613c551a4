package generator

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/cmake"
	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// These tests configure small CMake projects that include the shipped
// modules: the parts of the generated CMake that need more than script
// mode, short of a compiler for the GPU backends.

// configureProject configures a CMake project without languages (so no
// compiler is needed) whose CMakeLists.txt includes the shipped modules and
// then runs body. It returns CMake's output and whether configuring worked.
func configureProject(t *testing.T, body string, args ...string) (string, bool) {
	t.Helper()
	cmakeProgram := requireCMake(t)
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "cmake", "utils.cmake"), utilsContent())
	writeTestFile(t, filepath.Join(dir, "CMakeLists.txt"), "cmake_minimum_required(VERSION 3.26)\n"+
		"include(${CMAKE_CURRENT_LIST_DIR}/cmake/utils.cmake)\n"+
		"project(deps LANGUAGES NONE)\ninclude(FetchContent)\n"+body)
	cmd := exec.Command(cmakeProgram, append([]string{"-S", dir, "-B", filepath.Join(dir, "build")}, args...)...)
	cmd.Env = os.Environ()
	out, err := cmd.CombinedOutput()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("running cmake: %v", err)
	}
	return string(out), err == nil
}

// fakeCutlass writes a stand-in for a CUTLASS source tree that reports what
// it was configured with.
func fakeCutlass(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "CMakeLists.txt"), `cmake_minimum_required(VERSION 3.26)
project(FakeCutlass LANGUAGES NONE)
set(CUTLASS_INCLUDE_DIR "${CMAKE_CURRENT_SOURCE_DIR}/include" CACHE PATH "")
set(CUTLASS_TOOLS_UTIL_INCLUDE_DIR "${CMAKE_CURRENT_SOURCE_DIR}/tools/util/include" CACHE PATH "")
message(NOTICE "fake-cutlass: revision=${CUTLASS_REVISION} headers-only=${CUTLASS_ENABLE_HEADERS_ONLY} sycl=${CUTLASS_ENABLE_SYCL}")
`)
	return dir
}

func TestCutlassDependency(t *testing.T) {
	cutlass := fakeCutlass(t)
	body := `kernel_dependency_cutlass(VERSION 3.6.0)
kernel_dependency_cutlass(VERSION 3.8.0)
get_directory_property(includes INCLUDE_DIRECTORIES)
message(NOTICE "case0=${includes}")
`
	for _, how := range []string{"cmake", "env"} {
		var args []string
		if how == "cmake" {
			args = append(args, "-DCUTLASS_SRC_DIR="+cutlass)
		} else {
			t.Setenv("CUTLASS_SRC_DIR", cutlass)
		}
		out, ok := configureProject(t, body, args...)
		if !ok {
			t.Fatalf("%s: configure failed:\n%s", how, out)
		}
		flat := strings.Join(strings.Fields(out), " ")
		for _, want := range []string{
			"CUTLASS_SRC_DIR is set: using the sources in " + cutlass,
			"fake-cutlass: revision=v3.6.0 headers-only=ON",
			"Kernels depend on CUTLASS 3.6.0 and 3.8.0; only CUTLASS 3.6.0 is used.",
		} {
			if !strings.Contains(flat, want) {
				t.Errorf("%s: output lacks %q:\n%s", how, want, out)
			}
		}
		if got := resultLines(t, out)["case0"]; got != cutlass+"/include" {
			t.Errorf("%s: include directories %q, want CUTLASS's", how, got)
		}
	}
}

// cutlass_sycl picks its revision from DPCPP_VERSION and retargets the SYCL
// flags to the GPUs CUTLASS supports.
func TestCutlassSYCLDependency(t *testing.T) {
	t.Parallel()
	cutlass := fakeCutlass(t)
	body := `set(KERNEL_TORCH_HAS_XPU 1)
_kernel_setup_xpu()
kernel_dependency_cutlass_sycl()
get_directory_property(includes INCLUDE_DIRECTORIES)
get_directory_property(definitions COMPILE_DEFINITIONS)
message(NOTICE "case0=${includes}")
message(NOTICE "case1=${definitions}")
message(NOTICE "case2=${KERNEL_SYCL_FLAGS}")
message(NOTICE "case3=${KERNEL_SYCL_LINK_FLAGS}")
message(NOTICE "case4=${CUTLASS_SYCL_REVISION}")
`
	out, ok := configureProject(t, body, "-DDPCPP_VERSION=2025.1", "-DCUTLASS_SYCL_SRC_DIR="+cutlass)
	if !ok {
		t.Fatalf("configure failed:\n%s", out)
	}
	r := resultLines(t, out)
	want := map[string]string{
		"case0": cutlass + "/include;" + cutlass + "/tools/util/include",
		"case1": "CUTLASS_ENABLE_SYCL=1;DPCPP_SYCL_TARGET=intel_gpu_bmg_g21,intel_gpu_pvc;SYCL_INTEL_TARGET=1;OLD_API=1",
		"case2": "-fsycl;-fhonor-nans;-fhonor-infinities;-fno-associative-math;-fno-approx-func;" +
			"-fno-sycl-instrument-device-code;--offload-compress;-fsycl-targets=spir64",
		"case3": "-fsycl;--offload-compress;-fsycl-targets=spir64;-Xs;-device bmg_g21,pvc -options ' " +
			"-cl-intel-enable-auto-large-GRF-mode -cl-poison-unsupported-fp64-kernels " +
			"-cl-intel-greater-than-4GB-buffer-required';-Xspirv-translator;-spirv-ext=+SPV_INTEL_split_barrier",
		"case4": "v3.9-0.3",
	}
	for k, w := range want {
		if r[k] != w {
			t.Errorf("%s: got %q\nwant %q", k, r[k], w)
		}
	}
	if !strings.Contains(out, "fake-cutlass: revision= headers-only=ON sycl=ON") {
		t.Errorf("CUTLASS was not configured for SYCL:\n%s", out)
	}

	out, ok = configureProject(t, body, "-DDPCPP_VERSION=2024.2", "-DCUTLASS_SYCL_SRC_DIR="+cutlass)
	if ok || !strings.Contains(strings.Join(strings.Fields(out), " "), "cutlass_sycl has no revision for DPC++ 2024.2") {
		t.Errorf("an unknown DPC++ version does not stop configuration:\n%s", out)
	}
}

func TestTorchQuery(t *testing.T) {
	t.Parallel()
	python := testenv.TorchPython(t)
	out, ok := runCMakeScript(t, `
set(Python3_EXECUTABLE "`+python+`")
set(KERNEL_BACKEND cuda)
_kernel_query_torch()
foreach(key CMAKE_PREFIX_PATH VERSION GPU_FLAGS CUDA_CAPABILITY)
  message(NOTICE "case_${key}=${KERNEL_TORCH_${key}}")
endforeach()
`)
	if !ok {
		t.Fatalf("cmake failed:\n%s", out)
	}
	want, err := exec.Command(python, "-c", `import torch, torch.utils
from torch.utils.cpp_extension import COMMON_NVCC_FLAGS
print(torch.utils.cmake_prefix_path)
print(torch.__version__.split("+")[0])
print(";".join(COMMON_NVCC_FLAGS))
print("%d.%d" % torch.cuda.get_device_capability() if torch.cuda.is_available() else "")`).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
	r := resultLines(t, out)
	for i, key := range []string{"CMAKE_PREFIX_PATH", "VERSION", "GPU_FLAGS", "CUDA_CAPABILITY"} {
		if got := r["case_"+key]; got != lines[i] {
			t.Errorf("%s: got %q, want %q", key, got, lines[i])
		}
	}
}

// Configuring asks Python for everything about Torch in one run
// (docs/design.md, "Python is asked once").
// An audit hook counts the Python processes that import torch.
func TestConfigureImportsTorchOnce(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("skipping under -short: configuring against Torch takes seconds")
	}
	python := testenv.TorchPython(t)
	cmakeProgram := requireCMake(t)
	testenv.LookPath(t, "c++")
	dir := t.TempDir()
	b := testBuild()
	b.Torch.MinVer = config.MustParseVersion("1.0")
	for _, f := range mustRender(t, b, Options{Backend: config.CPU, OpsName: "_relu_test_x", TargetOS: "linux"}) {
		writeTestFile(t, filepath.Join(dir, f.Path), string(f.Content))
	}
	for _, src := range []string{"torch-ext/torch_binding.cpp", "torch-ext/torch_binding.h", "relu_cpu/relu.cpp"} {
		writeTestFile(t, filepath.Join(dir, src), "")
	}
	// The audit hook shared with scripts/bench-devloop.py.
	probe, err := filepath.Abs(filepath.Join("..", "scripts", "torch-import-counter"))
	if err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(t.TempDir(), "imports.log")
	cmd := exec.Command(cmakeProgram, "-S", dir, "-B", filepath.Join(dir, "build"), "-DPython3_EXECUTABLE="+python)
	cmd.Env = append(os.Environ(), "PYTHONPATH="+probe, "TORCH_IMPORT_LOG="+log)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("configure failed: %v\n%s", err, out)
	}
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatalf("no Python process imported torch: %v", err)
	}
	if n := strings.Count(string(data), "\n"); n != 1 {
		t.Errorf("%d Python processes imported torch while configuring; want 1", n)
	}
}

// configureWithPython is configureProject with the C++ language and
// FindPython, which kernel_extension needs, and stand-ins for Torch's
// targets.
func configureWithPython(t *testing.T, files map[string]string, body string) (string, bool) {
	t.Helper()
	requireCMake(t)
	testenv.LookPath(t, "c++")
	dir := t.TempDir()
	for name, content := range files {
		writeTestFile(t, filepath.Join(dir, name), content)
	}
	writeTestFile(t, filepath.Join(dir, "cmake", "utils.cmake"), utilsContent())
	writeTestFile(t, filepath.Join(dir, "cmake", "compile-metal.cmake"), cmake.CompileMetal)
	writeTestFile(t, filepath.Join(dir, "CMakeLists.txt"), "cmake_minimum_required(VERSION 3.26)\n"+
		"include(${CMAKE_CURRENT_LIST_DIR}/cmake/utils.cmake)\n"+
		"include(${CMAKE_CURRENT_LIST_DIR}/cmake/compile-metal.cmake)\n"+
		"project(stub LANGUAGES CXX)\n"+
		"find_package(Python3 REQUIRED COMPONENTS Development Development.SABIModule Interpreter)\n"+
		"add_library(torch INTERFACE)\n"+body)
	cmd := exec.Command("cmake", "-S", dir, "-B", filepath.Join(dir, "build"))
	out, err := cmd.CombinedOutput()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("running cmake: %v", err)
	}
	return strings.ReplaceAll(string(out), dir, "$DIR"), err == nil
}

// The ROCm flow up to compiling: .cu sources are replaced by hipified
// copies in the build tree, which carry the kernel's flags, architectures
// and include directories, and a hipify step runs before the extension.
func TestROCmKernelSources(t *testing.T) {
	t.Parallel()
	out, ok := configureWithPython(t, map[string]string{
		"torch-ext/binding.cpp": "", "relu_cuda/relu.cu": "", "relu_cuda/host.cpp": "",
	}, `set(KERNEL_BACKEND rocm)
set(KERNEL_ROCM_ARCHS gfx90a gfx942)
set(KERNEL_GPU_FLAGS -DUSE_ROCM)
kernel_torch_binding(SOURCES "torch-ext/binding.cpp")
kernel_rocm(relu SOURCES "relu_cuda/relu.cu" "relu_cuda/host.cpp" INCLUDES "inc"
  ROCM_ARCHS gfx942 gfx1100 HIP_FLAGS "-DX=1" CXX_FLAGS "-DHOST=1")
kernel_extension(_ops)
set(hip "${CMAKE_CURRENT_BINARY_DIR}/hipify/relu_hip/relu.hip")
get_target_property(sources _ops SOURCES)
get_source_file_property(options "${hip}" COMPILE_OPTIONS)
get_source_file_property(includes "${hip}" INCLUDE_DIRECTORIES)
get_source_file_property(host_options relu_cuda/host.cpp COMPILE_OPTIONS)
get_target_property(hip_archs _ops HIP_ARCHITECTURES)
message(NOTICE "case0=${sources}")
message(NOTICE "case1=${options}")
message(NOTICE "case2=${includes}")
message(NOTICE "case3=${host_options}")
message(NOTICE "case4=${hip_archs}")
if(TARGET _ops_hipify)
  message(NOTICE "case5=hipify target")
endif()
`)
	if !ok {
		t.Fatalf("configure failed:\n%s", out)
	}
	r := resultLines(t, strings.ReplaceAll(out, "$DIR", "D"))
	want := map[string]string{
		"case0": "torch-ext/binding.cpp;D/build/hipify/relu_hip/relu.hip;relu_cuda/host.cpp",
		"case1": "$<$<COMPILE_LANGUAGE:HIP>:--offload-arch=gfx942>;$<$<COMPILE_LANGUAGE:HIP>:-DX=1>;$<$<COMPILE_LANGUAGE:CXX>:-DHOST=1>",
		"case2": "D/build/hipify/inc;D/inc",
		"case3": "$<$<COMPILE_LANGUAGE:CXX>:-DHOST=1>",
		"case4": "OFF",
		"case5": "hipify target",
	}
	for k, w := range want {
		if r[k] != w {
			t.Errorf("%s: got %q\nwant %q", k, r[k], w)
		}
	}
}

// The Metal flow up to compiling: each kernel's shaders become .air files
// that the extension links into an embedded metallib.
func TestMetalKernelShaders(t *testing.T) {
	t.Parallel()
	out, ok := configureWithPython(t, map[string]string{
		"relu/relu.mm": "", "relu/relu.metal": "", "relu/common.h": "",
	}, `set(KERNEL_BACKEND metal)
set(METAL_TOOLCHAIN /toolchain)
_kernel_setup_metal()
kernel_metal(relu SOURCES "relu/relu.mm" "relu/relu.metal" "relu/common.h" INCLUDES "relu/include")
kernel_extension(_ops)
get_target_property(sources _ops SOURCES)
get_property(air GLOBAL PROPERTY KERNEL_METAL_AIR_FILES)
get_target_property(definitions _ops COMPILE_DEFINITIONS)
get_target_property(includes _ops INCLUDE_DIRECTORIES)
message(NOTICE "case0=${sources}")
message(NOTICE "case1=${air}")
message(NOTICE "case2=${definitions}")
message(NOTICE "case3=${includes}")
if(TARGET _ops_metallib)
  message(NOTICE "case4=metallib target")
endif()
`)
	if !ok {
		t.Fatalf("configure failed:\n%s", out)
	}
	r := resultLines(t, strings.ReplaceAll(out, "$DIR", "D"))
	want := map[string]string{
		"case0": "relu/relu.mm",
		"case1": "D/build/metal/relu/relu/relu.metal.air",
		// Py_LIMITED_API comes from Python3_add_library(USE_SABI 3).
		"case2": `Py_LIMITED_API=3;TORCH_EXTENSION_NAME=_ops;EMBEDDED_METALLIB_HEADER="_ops_metallib.h";EMBEDDED_METALLIB_NAMESPACE=_ops_metal`,
		"case3": "D/csrc;D/build/metallib", // csrc/ for every backend, as in the reference
		"case4": "metallib target",
	}
	for k, w := range want {
		if r[k] != w {
			t.Errorf("%s: got %q\nwant %q", k, r[k], w)
		}
	}
}
