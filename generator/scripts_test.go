package generator

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/build2cmake-go/build2cmake/internal/testenv"
	"github.com/build2cmake-go/build2cmake/python"
)

// These tests run the helper scripts the generated CMake calls at build
// time, as Render writes them.

// requirePython returns a python3 that can import module, or skips the test
// (fails it under CI=true, where scripts/install-deps.sh provides one).
func requirePython(t *testing.T, module string) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if path, err := exec.LookPath(p); err == nil && exec.Command(path, "-c", "import "+module).Run() == nil {
			return path
		}
	}
	testenv.Missing(t, "no python3 that can import %s", module)
	return ""
}

func writeScript(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(withHeader(content, "#")), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestMetallibToHeader(t *testing.T) {
	py := requirePython(t, "os")
	dir := t.TempDir()
	script := writeScript(t, dir, "metallib_to_header.py", python.MetallibToHeader)
	library := filepath.Join(dir, "_relu_x.metallib")
	data := make([]byte, 20)
	for i := range data {
		data[i] = byte(0xf0 + i)
	}
	if err := os.WriteFile(library, data, 0o644); err != nil {
		t.Fatal(err)
	}
	header := filepath.Join(dir, "out", "_relu_x_metallib.h")
	if out, err := exec.Command(py, script, library, header, "_relu_x").CombinedOutput(); err != nil {
		t.Fatalf("metallib_to_header.py: %v\n%s", err, out)
	}
	got, err := os.ReadFile(header)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"#pragma once\n",
		"#include <Metal/Metal.h>\n",
		"namespace _relu_x_metal {\n",
		"static const unsigned char metallib_data[] = {\n" +
			"    0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,\n" +
			"    0x00, 0x01, 0x02, 0x03,\n};\n",
		"static const size_t metallib_data_len = 20;\n",
		"inline id<MTLLibrary> createLibrary(id<MTLDevice> device, NSError** error = nullptr) {\n",
		"}  // namespace _relu_x_metal\n",
	} {
		if !strings.Contains(string(got), want) {
			t.Errorf("header lacks %q:\n%s", want, got)
		}
	}
}

// hipify.py puts each hipified source where CMake expects it (.cu to .hip,
// cuda to hip), skips build trees when it mirrors the project, and leaves
// unchanged outputs untouched so Ninja does not recompile them.
func TestHipifyScript(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("skipping under -short: each run imports Torch, which takes seconds")
	}
	py := requirePython(t, "torch.utils.hipify")
	project := t.TempDir()
	writeTestFile(t, filepath.Join(project, "relu_cuda", "relu.cu"),
		"#include \"relu_cuda.cuh\"\n__global__ void k(float* x) { x[threadIdx.x] = 0.0f; }\n"+
			"void run(float* x, cudaStream_t s) { k<<<1, 32, 0, s>>>(x); }\n")
	writeTestFile(t, filepath.Join(project, "relu_cuda", "relu_cuda.cuh"), "#include <cuda_runtime.h>\n")
	buildDir := filepath.Join(project, "build", "0123456789ab")
	writeTestFile(t, filepath.Join(buildDir, "CMakeCache.txt"), "")
	script := writeScript(t, t.TempDir(), "hipify.py", python.Hipify)
	output := filepath.Join(buildDir, "hipify")

	run := func() {
		t.Helper()
		cmd := exec.Command(py, script, "--project-dir", project, "--output-dir", output, "relu_cuda/relu.cu")
		cmd.Dir = project
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("hipify.py: %v\n%s", err, out)
		}
	}
	run()
	hipified := filepath.Join(output, "relu_hip", "relu.hip")
	got, err := os.ReadFile(hipified)
	if err != nil {
		t.Fatalf("no hipified source where CMake expects it: %v", err)
	}
	if !strings.Contains(string(got), "hipStream_t") || strings.Contains(string(got), "cudaStream_t") {
		t.Errorf("the source was not hipified:\n%s", got)
	}
	if _, err := os.Stat(filepath.Join(output, "build")); !os.IsNotExist(err) {
		t.Errorf("the build tree was mirrored into itself (%v)", err)
	}

	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(hipified, old, old); err != nil {
		t.Fatal(err)
	}
	run()
	if info, err := os.Stat(hipified); err != nil || !info.ModTime().Equal(old) {
		t.Errorf("hipifying unchanged sources rewrote %s", hipified)
	}

	writeTestFile(t, filepath.Join(project, "relu_cuda", "relu.cu"), "__global__ void k2() {}\n")
	run()
	if got, err := os.ReadFile(hipified); err != nil || !strings.Contains(string(got), "k2") {
		t.Errorf("a changed source was not hipified again: %q, %v", got, err)
	}
}
