package generator

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/cmake"
	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// These tests run the shipped CMake functions in CMake's script mode
// (cmake -P), which needs no compiler, GPU or Torch. utils.cmake defines
// only functions at its top level so that this works.

// requireCMake returns the cmake program, or skips the test when there is
// none; under CI=true a missing cmake fails the test instead.
func requireCMake(t *testing.T) string {
	t.Helper()
	return testenv.LookPath(t, "cmake")
}

// runCMakeScript writes the shipped CMake modules and script into a
// temporary folder and runs the script with cmake -P. It returns what the
// script printed and whether cmake succeeded.
func runCMakeScript(t *testing.T, script string, env ...string) (string, bool) {
	t.Helper()
	cmakeProgram := requireCMake(t)
	dir := t.TempDir()
	modules := map[string]string{
		"utils.cmake":         utilsContent(),
		"compile-metal.cmake": withHeader(cmake.CompileMetal, "#"),
		"windows.cmake":       withHeader(cmake.Windows, "#"),
		"variants.cmake":      variantsContent(),
	}
	for name, content := range modules {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The generated CMakeLists.txt starts with the same requirement, which
	// also sets the policies the functions rely on.
	prelude := "cmake_minimum_required(VERSION 3.26)\n" +
		"include(${CMAKE_CURRENT_LIST_DIR}/utils.cmake)\n" +
		"include(${CMAKE_CURRENT_LIST_DIR}/compile-metal.cmake)\n" +
		"include(${CMAKE_CURRENT_LIST_DIR}/windows.cmake)\n" +
		"include(${CMAKE_CURRENT_LIST_DIR}/variants.cmake)\n"
	path := filepath.Join(dir, "test.cmake")
	if err := os.WriteFile(path, []byte(prelude+script), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(cmakeProgram, "-P", path)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("running cmake -P: %v", err)
	}
	return string(out), err == nil
}

// resultLines returns the values the script printed as "NAME=value" lines.
func resultLines(t *testing.T, out string) map[string]string {
	t.Helper()
	results := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if name, value, ok := strings.Cut(line, "="); ok && strings.HasPrefix(name, "case") {
			results[name] = value
		}
	}
	return results
}

func TestCUDACapabilityIntersection(t *testing.T) {
	const allTargets = "7.5;8.0;8.6;8.9;9.0;10.0;12.0"
	cases := []struct {
		requested, targets, want string
	}{
		// Each target takes the highest capability of its own major
		// version; 9.0+PTX also serves 10.0 and 12.0 through its PTX.
		{"8.0;9.0+PTX", allTargets, "8.0;9.0+PTX"},
		// Without +PTX, nothing crosses a major version.
		{"8.0;9.0", allTargets, "8.0;9.0"},
		{"8.0", "9.0;10.0", ""},
		{"8.0+PTX", "9.0", "8.0+PTX"},
		// Nothing is requested at or below 7.5.
		{"8.6", "7.5;8.0;8.6;8.9", "8.6"},
		// 9.0a only when 9.0 is a target; it then replaces 9.0.
		{"9.0a", allTargets, "9.0a"},
		{"9.0a", "8.0;8.6;10.0", ""},
		{"8.0;9.0;9.0a", "8.0;8.9;9.0", "8.0;9.0a"},
		{"7.5;8.0;8.6;9.0;9.0a", "8.0;8.9;9.0", "8.0;8.6;9.0a"},
		{"9.0a+PTX", "9.0;10.0", "9.0a+PTX"},
		// Family-specific capabilities (today's formats) work the same way.
		{"8.0;10.0f", "8.0;9.0;10.0;12.0", "8.0;10.0f"},
		{"10.0f", "8.0;9.0", ""},
		// Versions compare as numbers, not strings.
		{"9.0;10.0", "9.0;10.0;12.0", "9.0;10.0"},
		{"12.0;10.0", "10.0;12.0", "10.0;12.0"},
		// Duplicates collapse.
		{"8.0;8.0+PTX", "8.0;9.0", "8.0+PTX"},
	}
	var script strings.Builder
	for i, c := range cases {
		script.WriteString("_kernel_cuda_intersect(out \"" + c.requested + "\" \"" + c.targets + "\")\n")
		script.WriteString("message(NOTICE \"case" + itoa(i) + "=${out}\")\n")
	}
	out, ok := runCMakeScript(t, script.String())
	if !ok {
		t.Fatalf("cmake failed:\n%s", out)
	}
	results := resultLines(t, out)
	for i, c := range cases {
		if got := results["case"+itoa(i)]; got != c.want {
			t.Errorf("kernel %q with targets %q: got %q, want %q", c.requested, c.targets, got, c.want)
		}
	}
}

// The defaults and the supported capabilities of each nvcc, in the
// one-backend layout: 10.3 and 12.1 from nvcc 12.9, 10.3 a default from
// then on, and 12.1 a default only in today's layout (TestVariantCUDADefaults).
func TestCUDADefaultCapabilitiesByNVCCVersion(t *testing.T) {
	versions := []string{"13.1", "13.0", "12.9", "12.8", "12.6", ""}
	var script strings.Builder
	for i, v := range versions {
		script.WriteString("_kernel_cuda_default_archs(out \"" + v + "\")\n")
		script.WriteString("_kernel_cuda_supported_archs(supported \"" + v + "\")\n")
		script.WriteString("message(NOTICE \"case" + itoa(i) + "=${out}|${supported}\")\n")
	}
	out, ok := runCMakeScript(t, script.String())
	if !ok {
		t.Fatalf("cmake failed:\n%s", out)
	}
	const (
		cuda13  = "7.5;8.0;8.6;8.7;8.9;9.0;10.0;10.3;11.0;12.0+PTX|7.5;8.0;8.6;8.7;8.9;9.0;10.0;10.3;11.0;12.0;12.1"
		cuda129 = "7.0;7.2;7.5;8.0;8.6;8.7;8.9;9.0;10.0;10.1;10.3;12.0+PTX|7.0;7.2;7.5;8.0;8.6;8.7;8.9;9.0;10.0;10.1;10.3;12.0;12.1"
		cuda128 = "7.0;7.2;7.5;8.0;8.6;8.7;8.9;9.0;10.0;10.1;12.0+PTX|7.0;7.2;7.5;8.0;8.6;8.7;8.9;9.0;10.0;10.1;12.0"
		older   = "7.0;7.2;7.5;8.0;8.6;8.7;8.9;9.0+PTX|7.0;7.2;7.5;8.0;8.6;8.7;8.9;9.0"
	)
	want := []string{cuda13, cuda13, cuda129, cuda128, older, older}
	results := resultLines(t, out)
	for i, v := range versions {
		if got := results["case"+itoa(i)]; got != want[i] {
			t.Errorf("nvcc %q: got %q, want %q", v, got, want[i])
		}
	}
}

func TestCUDAGencodeFlags(t *testing.T) {
	out, ok := runCMakeScript(t, `
_kernel_cuda_gencode_flags(flags 8.0 9.0a+PTX 12.0)
message(NOTICE "case0=${flags}")
`)
	if !ok {
		t.Fatalf("cmake failed:\n%s", out)
	}
	want := "-gencode=arch=compute_80,code=sm_80;" +
		"-gencode=arch=compute_90a,code=sm_90a;-gencode=arch=compute_90a,code=compute_90a;" +
		"-gencode=arch=compute_120,code=sm_120"
	if got := resultLines(t, out)["case0"]; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// A kernel whose capabilities match none of the supported ones stops
// configuration, naming the kernel and both lists (docs/design.md, "No
// silently empty kernels"); the reference
// silently built the kernel for nothing.
func TestCUDAKernelWithoutUsableCapabilityFails(t *testing.T) {
	out, ok := runCMakeScript(t, `
set(KERNEL_CUDA_VERSION 12.8)
set(KERNEL_CUDA_SUPPORTED_ARCHS "7.5;8.0;8.6;8.9;9.0;10.0;12.0")
kernel_cuda(thor SOURCES "thor/thor.cu" CUDA_CAPABILITIES "11.0" "10.1a")
message(NOTICE "not reached")
`)
	if ok || strings.Contains(out, "not reached") {
		t.Fatalf("configuration went on:\n%s", out)
	}
	for _, want := range []string{"Kernel thor", "(11.0;10.1a)", "7.5;8.0;8.6;8.9;9.0;10.0;12.0"} {
		if !strings.Contains(out, want) {
			t.Errorf("message lacks %q:\n%s", want, out)
		}
	}
}

func TestCUDAKernelBelowMinimumCUDAIsLeftOut(t *testing.T) {
	out, ok := runCMakeScript(t, `
set(KERNEL_CUDA_VERSION 12.6)
kernel_cuda(future SOURCES "future/future.cu" CUDA_MINVER 12.8)
get_property(sources GLOBAL PROPERTY KERNEL_SOURCES)
message(NOTICE "case0=${sources}")
`)
	if !ok {
		t.Fatalf("cmake failed:\n%s", out)
	}
	if !strings.Contains(out, "Leaving out kernel future: it needs CUDA 12.8, this is CUDA 12.6.") {
		t.Errorf("no message about the left-out kernel:\n%s", out)
	}
	if got := resultLines(t, out)["case0"]; got != "" {
		t.Errorf("the left-out kernel added sources %q", got)
	}
}

func TestVersionBounds(t *testing.T) {
	cases := []struct {
		call string
		want string // "" when configuration goes on
	}{
		{`_kernel_check_version(Torch 2.9.1 2.8 2.9)`, "Torch version 2.9.1 is too new: this kernel supports Torch up to 2.9."},
		{`_kernel_check_version(Torch 2.7.1 2.8 "")`, "Torch version 2.7.1 is too old: this kernel needs Torch 2.8 or newer."},
		{`_kernel_check_version(CUDA 12.8 12.8 13)`, ""},
		{`_kernel_check_version(CUDA 12.4 "" "")`, ""},
	}
	for _, c := range cases {
		out, ok := runCMakeScript(t, c.call+"\nmessage(NOTICE \"went on\")\n")
		out = strings.Join(strings.Fields(out), " ")
		if c.want == "" {
			if !ok || !strings.Contains(out, "went on") {
				t.Errorf("%s stopped configuration:\n%s", c.call, out)
			}
			continue
		}
		if ok || !strings.Contains(out, c.want) {
			t.Errorf("%s: want a fatal error %q, got:\n%s", c.call, c.want, out)
		}
	}
}

func TestROCmTargetArchitectures(t *testing.T) {
	script := `
set(HIP_FOUND TRUE)
set(TARGET_DEVICE rocm)
set(KERNEL_TORCH_GPU_FLAGS "-fPIC")
_kernel_setup_rocm()
message(NOTICE "case0=${KERNEL_ROCM_ARCHS}")
message(NOTICE "case1=${KERNEL_GPU_FLAGS}")
kernel_rocm(mixed SOURCES "a.hip" ROCM_ARCHS "gfx1100" "gfx942" "gfx908")
`
	out, ok := runCMakeScript(t, script, "PYTORCH_ROCM_ARCH=gfx900;gfx942 gfx90a,gfx942")
	if !ok {
		t.Fatalf("cmake failed:\n%s", out)
	}
	results := resultLines(t, out)
	if got := results["case0"]; got != "gfx942;gfx90a" {
		t.Errorf("targets from PYTORCH_ROCM_ARCH: got %q, want the supported ones in order, gfx942;gfx90a", got)
	}
	if got := results["case1"]; got != "-fPIC;-DUSE_ROCM;-DENABLE_FP8;-U__HIP_NO_HALF_CONVERSIONS__;-U__HIP_NO_HALF_OPERATORS__;-fno-gpu-rdc" {
		t.Errorf("HIP flags: got %q", got)
	}
	if !strings.Contains(out, "Kernel mixed: ROCm architectures built: gfx942\n") {
		t.Errorf("kernel archs are not rocm-archs ∩ targets:\n%s", out)
	}

	out, ok = runCMakeScript(t, script, "PYTORCH_ROCM_ARCH=gfx900;gfx1010")
	if ok || !strings.Contains(strings.Join(strings.Fields(out), " "),
		"None of the ROCm architectures in PYTORCH_ROCM_ARCH (gfx900;gfx1010) is supported") {
		t.Errorf("unsupported targets do not stop configuration:\n%s", out)
	}
}

// huggingface/kernels #834: gfx1150 and gfx1151 are targets like any
// other, and a kernel whose rocm-archs miss every target stops
// configuration instead of building a module without GPU code.
func TestROCmRDNA35AndNoTarget(t *testing.T) {
	script := `
set(HIP_FOUND TRUE)
set(TARGET_DEVICE rocm)
_kernel_setup_rocm()
kernel_rocm(strix SOURCES "strix.hip" ROCM_ARCHS "gfx1151")
get_property(archs GLOBAL PROPERTY KERNEL_GPU_ARCHS)
message(NOTICE "case0=${archs}")
`
	out, ok := runCMakeScript(t, script, "PYTORCH_ROCM_ARCH=gfx1150;gfx1151")
	if !ok {
		t.Fatalf("cmake failed:\n%s", out)
	}
	if got := resultLines(t, out)["case0"]; got != "gfx1151" {
		t.Errorf("architectures built: got %q, want gfx1151", got)
	}

	out, ok = runCMakeScript(t, script, "PYTORCH_ROCM_ARCH=gfx942;gfx90a")
	flat := strings.Join(strings.Fields(out), " ")
	if ok || strings.Contains(out, "case0=") {
		t.Fatalf("a kernel without a target configured:\n%s", out)
	}
	for _, want := range []string{
		"Kernel strix: dropped ROCm architecture gfx1151: outside the build's target set gfx942;gfx90a",
		"Kernel strix can be built for none of its ROCm architectures (gfx1151): this build targets gfx942;gfx90a.",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestWindowsBuildVariant(t *testing.T) {
	out, ok := runCMakeScript(t, `
set(TORCH_VERSION 2.9.1)
set(CMAKE_SYSTEM_PROCESSOR AMD64)
set(KERNEL_BACKEND cuda)
set(KERNEL_CUDA_VERSION 12.8)
_kernel_windows_variant(v)
message(NOTICE "case0=${v}")
set(KERNEL_CUDA_VERSION 13)
set(CMAKE_SYSTEM_PROCESSOR ARM64)
_kernel_windows_variant(v)
message(NOTICE "case1=${v}")
set(KERNEL_BACKEND rocm)
set(KERNEL_TORCH_HIP_VERSION 6.4)
_kernel_windows_variant(v)
message(NOTICE "case2=${v}")
`)
	if !ok {
		t.Fatalf("cmake failed:\n%s", out)
	}
	want := []string{"torch29-cu128-x86_64-windows", "torch29-cu130-aarch64-windows", "torch29-rocm64-aarch64-windows"}
	results := resultLines(t, out)
	for i, w := range want {
		if got := results["case"+itoa(i)]; got != w {
			t.Errorf("case %d: got %q, want %q", i, got, w)
		}
	}
}

// A Python3_EXECUTABLE that does not exist is named in the error (the
// reference printed the undefined ${EXECUTABLE}; docs/design.md, "Messages
// that say what they mean").
func TestMissingPythonExecutableIsNamed(t *testing.T) {
	out, ok := runCMakeScript(t, `
set(Python3_EXECUTABLE /nonexistent/bin/python3)
kernel_setup(cpu)
`)
	if ok || !strings.Contains(out, "Python3_EXECUTABLE is /nonexistent/bin/python3, which does not exist.") {
		t.Errorf("want an error naming the interpreter, got:\n%s", out)
	}
	// The environment variable counts too, as the README says.
	out, ok = runCMakeScript(t, "kernel_setup(cpu)\n", "Python3_EXECUTABLE=/nonexistent/env/python3")
	if ok || !strings.Contains(out, "Python3_EXECUTABLE is /nonexistent/env/python3, which does not exist.") {
		t.Errorf("want an error naming the interpreter of the environment, got:\n%s", out)
	}
}

// Without xcodebuild, finding the Metal toolchain fails with a message that
// says what to do (the reference printed the undefined ${ERR_MSG};
// docs/design.md, "Messages that say what they mean").
func TestMetalToolchainNotFound(t *testing.T) {
	if _, err := exec.LookPath("xcodebuild"); err == nil {
		t.Skip("skipping: xcodebuild exists here, so the toolchain may be found")
	}
	out, ok := runCMakeScript(t, "_kernel_metal_find_toolchain()\n")
	flat := strings.Join(strings.Fields(out), " ")
	if ok || !strings.Contains(flat, "Cannot find the Metal toolchain") || !strings.Contains(flat, "set METAL_TOOLCHAIN") {
		t.Errorf("want a fatal error that explains how to get the toolchain, got:\n%s", out)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// The GPU capability from the one Torch query is handed to Torch's CMake,
// which then skips compiling and running its own detection program; a
// TORCH_CUDA_ARCH_LIST of the user's (variable or environment), an earlier
// result and "no GPU" leave Torch to itself.
func TestGPUCapabilityHandedToTorch(t *testing.T) {
	script := func(setup string) string {
		return setup + `
_kernel_share_gpu_capability()
if(DEFINED CUDA_GPU_DETECT_OUTPUT)
  message("case=${CUDA_GPU_DETECT_OUTPUT}")
else()
  message("case=unset")
endif()
`
	}
	for _, c := range []struct {
		name, setup, env, want string
	}{
		{"gpu", `set(KERNEL_TORCH_CUDA_CAPABILITY 9.0)`, "", "9.0"},
		{"no gpu", `set(KERNEL_TORCH_CUDA_CAPABILITY "")`, "", "unset"},
		{"user list", "set(KERNEL_TORCH_CUDA_CAPABILITY 9.0)\nset(TORCH_CUDA_ARCH_LIST 8.0)", "", "unset"},
		{"user env", `set(KERNEL_TORCH_CUDA_CAPABILITY 9.0)`, "TORCH_CUDA_ARCH_LIST=8.0", "unset"},
		{"earlier result", "set(KERNEL_TORCH_CUDA_CAPABILITY 9.0)\nset(CUDA_GPU_DETECT_OUTPUT 8.6)", "", "8.6"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var env []string
			if c.env != "" {
				env = append(env, c.env)
			}
			out, ok := runCMakeScript(t, script(c.setup), env...)
			if got := resultLines(t, out)["case"]; !ok || got != c.want {
				t.Errorf("CUDA_GPU_DETECT_OUTPUT = %q, want %q\n%s", got, c.want, out)
			}
		})
	}
}
