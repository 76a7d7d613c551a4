package generator

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

// These tests configure whole generated projects of both layouts, CUDA and
// ROCm, with the stand-in of kernel_settings_test.go: a kernel whose
// requested capabilities or architectures meet none of the build's targets
// stops configuration (huggingface/kernels #834), and a project whose
// kernels all have targets configures without a single CMake warning
// (huggingface/kernels #799).

// standInVariantSetup replaces kernel_variant_setup of today's layout the
// way standInSetup replaces kernel_setup: the backend comes from the cache
// variable TEST_BACKEND instead of Torch, and no GPU language is enabled.
// The rest of the generated CMakeLists.txt runs as shipped.
const standInVariantSetup = `
# ---- test stand-in (cmake_targets_test.go)
macro(kernel_variant_setup)
  set(KERNEL_LAYOUT "variants")
  kernel_setup(${TEST_BACKEND})
  _kernel_variant_enable_backend()
  set(KERNEL_VARIANT "torch-test-${TEST_BACKEND}")
endmacro()
`

// targetsBuild is a CUDA and ROCm kernel project whose kernels ask for the
// given capabilities and architectures.
func targetsBuild(capabilities, archs []string) *config.Build {
	return &config.Build{
		General:   config.General{Name: "targets", Backends: []config.Backend{config.CUDA, config.ROCm}},
		Framework: config.FrameworkTorch,
		Torch:     &config.Torch{Src: []string{"torch-ext/torch_binding.cpp"}},
		Kernels: []config.Kernel{
			{Name: "gemm_cuda", Backend: config.CUDA, Depends: []string{"torch"}, Src: []string{"gemm/gemm.cu"}, CUDACapabilities: capabilities},
			{Name: "gemm_rocm", Backend: config.ROCm, Depends: []string{"torch"}, Src: []string{"gemm/gemm.cu"}, ROCmArchs: archs},
		},
	}
}

// writeLayoutProject renders b in one layout ("generate-torch" for
// backend, or "create-pyproject") into a new folder with the stand-ins
// and empty sources, and returns the folder and the cmake arguments that
// choose backend.
func writeLayoutProject(t *testing.T, layout string, b *config.Build, backend config.Backend) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	var files []File
	var args []string
	if layout == "generate-torch" {
		files = mustRender(t, b, Options{Backend: backend, OpsName: "_targets_x", TargetOS: "linux"})
	} else {
		var err error
		files, err = RenderPyproject(b, PyprojectOptions{UniqueID: "x"})
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, "-DTEST_BACKEND="+string(backend))
	}
	for _, f := range files {
		content := string(f.Content)
		switch f.Path {
		case "cmake/utils.cmake":
			content += standInSetup
		case "cmake/variants.cmake":
			content += standInVariantSetup
		}
		writeTestFile(t, filepath.Join(dir, f.Path), content)
	}
	for _, src := range append(b.Torch.Src, "gemm/gemm.cu") {
		writeTestFile(t, filepath.Join(dir, src), "")
	}
	return dir, args
}

func TestGPUKernelWithoutTargetStopsBothLayouts(t *testing.T) {
	t.Parallel()
	requirePythonDevelopment(t)
	// The stand-in's targets: CUDA 7.5 ... 12.0 (nvcc 12.8), ROCm gfx90a
	// and gfx942.
	b := targetsBuild([]string{"12.1", "10.3a"}, []string{"gfx1151"})
	want := map[config.Backend]string{
		config.CUDA: "Kernel gemm_cuda can be built for none of its CUDA capabilities (12.1;10.3a): this nvcc supports 7.5;8.0;8.6;8.9;9.0;10.0;12.0.",
		config.ROCm: "Kernel gemm_rocm can be built for none of its ROCm architectures (gfx1151): this build targets gfx90a;gfx942.",
	}
	for _, layout := range []string{"generate-torch", "create-pyproject"} {
		for _, backend := range []config.Backend{config.CUDA, config.ROCm} {
			t.Run(layout+"/"+string(backend), func(t *testing.T) {
				dir, args := writeLayoutProject(t, layout, b, backend)
				out, err := runConfigure(t, dir, nil, args...)
				if err == nil {
					t.Fatalf("configuring went on without GPU code for the kernel:\n%s", out)
				}
				if flat := strings.Join(strings.Fields(out), " "); !strings.Contains(flat, want[backend]) {
					t.Errorf("output lacks %q:\n%s", want[backend], out)
				}
			})
		}
	}
}

// projectLine matches the project() call and captures its first argument.
var projectLine = regexp.MustCompile(`(?m)^project\(([^ )]*)`)

func TestGeneratedGPUProjectsConfigureWithoutWarnings(t *testing.T) {
	t.Parallel()
	requirePythonDevelopment(t)
	b := targetsBuild([]string{"8.0", "9.0a+PTX"}, []string{"gfx942"})
	for _, layout := range []string{"generate-torch", "create-pyproject"} {
		for _, backend := range []config.Backend{config.CUDA, config.ROCm} {
			t.Run(layout+"/"+string(backend), func(t *testing.T) {
				dir, args := writeLayoutProject(t, layout, b, backend)
				// CMake 4 warns about a project() without a name, which
				// today's tool writes; CMake 3 silently names the project
				// LANGUAGES, so the line itself is checked too.
				cmakeLists, err := os.ReadFile(filepath.Join(dir, "CMakeLists.txt"))
				if err != nil {
					t.Fatal(err)
				}
				if m := projectLine.FindSubmatch(cmakeLists); m == nil || string(m[1]) != "targets" {
					t.Errorf("the project() line does not start with the kernel's name:\n%s", cmakeLists)
				}
				out := configure(t, dir, nil, args...)
				// The kernel of the backend was configured, not skipped.
				if !strings.Contains(out, "Kernel gemm_"+string(backend)+": ") {
					t.Errorf("no report of kernel gemm_%s:\n%s", backend, out)
				}
			})
		}
	}
}
