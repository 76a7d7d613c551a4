package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

// scripts/gpu-community-prepare.sh configures every kernel it packs for the
// GPU machine here, with scripts/gpu-community/cuda-standin.cmake in place
// of nvcc and a GPU, and points CUTLASS_SRC_DIR at header trees with the
// CMakeLists.txt of scripts/gpu-community/cutlass-headers.cmake. Both lean
// on the shipped CMake functions; these tests keep them working with them.

func TestGPUCommunityStandInConfigures(t *testing.T) {
	t.Parallel()
	requirePythonDevelopment(t)
	standIn, err := filepath.Abs(filepath.Join("..", "scripts", "gpu-community", "cuda-standin.cmake"))
	if err != nil {
		t.Fatal(err)
	}
	headers := filepath.Join("..", "scripts", "gpu-community", "cutlass-headers.cmake")
	cutlassCMake, err := os.ReadFile(headers)
	if err != nil {
		t.Fatal(err)
	}
	cutlass := t.TempDir()
	writeTestFile(t, filepath.Join(cutlass, "CMakeLists.txt"), string(cutlassCMake))
	writeTestFile(t, filepath.Join(cutlass, "VERSION"), "3.8.0\n")
	writeTestFile(t, filepath.Join(cutlass, "include", "cutlass", "cutlass.h"), "")

	b := &config.Build{
		General:   config.General{Name: "standin", Backends: []config.Backend{config.CPU, config.CUDA}, CUDA: &config.CUDAGeneral{MinVer: config.MustParseVersion("12.8")}},
		Framework: config.FrameworkTorch,
		Torch:     &config.Torch{Src: []string{"torch-ext/torch_binding.cpp"}},
		Kernels: []config.Kernel{
			{Name: "gemm", Backend: config.CUDA, Depends: []string{"torch", "cutlass_3_8"}, Src: []string{"gemm/gemm.cu"}, CUDACapabilities: []string{"9.0a", "10.3a"}},
			{Name: "plain", Backend: config.CUDA, Depends: []string{"torch"}, Src: []string{"plain/plain.cu"}},
			{Name: "host", Backend: config.CPU, Depends: []string{"torch"}, Src: []string{"host/host.cpp"}},
		},
	}
	files, err := RenderPyproject(b, PyprojectOptions{UniqueID: "gpu0001"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range files {
		writeTestFile(t, filepath.Join(dir, f.Path), string(f.Content))
	}
	for _, src := range []string{"torch-ext/torch_binding.cpp", "gemm/gemm.cu", "plain/plain.cu", "host/host.cpp"} {
		writeTestFile(t, filepath.Join(dir, src), "")
	}

	out := configure(t, dir, nil, "-DCMAKE_PROJECT_INCLUDE="+standIn, "-DCUTLASS_SRC_DIR="+cutlass)
	for _, want := range []string{
		"cuda-standin: nvcc 13.0, GPU 9.0, supported capabilities 7.5;8.0;8.6;8.7;8.9;9.0;10.0;10.3;11.0;12.0;12.1",
		"CUTLASS 3.8.0 headers in " + filepath.Join(cutlass, "include") + " (CUTLASS_REVISION v3.8.0)",
		"Kernel gemm: CUDA capabilities built: SASS 9.0a;10.3a, PTX none",
		"Kernel plain: CUDA capabilities built: SASS 9.0, PTX none",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// general.cuda.maxver below the stand-in's nvcc stops configuration,
	// as the GPU machine's nvcc 13 would.
	b.General.CUDA.MaxVer = config.MustParseVersion("12.9")
	files, err = RenderPyproject(b, PyprojectOptions{UniqueID: "gpu0001"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Path == "CMakeLists.txt" {
			writeTestFile(t, filepath.Join(dir, f.Path), string(f.Content))
		}
	}
	if err := os.RemoveAll(filepath.Join(dir, "build")); err != nil {
		t.Fatal(err)
	}
	out, err = runConfigure(t, dir, nil, "-DCMAKE_PROJECT_INCLUDE="+standIn, "-DCUTLASS_SRC_DIR="+cutlass)
	if err == nil || !strings.Contains(out, "CUDA version 13.0 is too new: this kernel supports CUDA up to 12.9.") {
		t.Errorf("nvcc 13.0 above maxver 12.9 configured (err %v):\n%s", err, out)
	}
}
