package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/internal/testproc"
)

// fiveBackends is kernel-builder's examples/relu build.toml in shape: every
// backend listed, one kernel each. Only the CPU kernel's sources exist in
// the copied cpu-relu project; the others get stand-ins (otherSources),
// since generation refuses a build.toml naming files that are not there,
// and a CPU build never compiles them.
const fiveBackends = `[general]
name = "relu"
backends = ["cpu", "cuda", "metal", "rocm", "xpu"]

[torch]
src = ["torch-ext/torch_binding.cpp", "torch-ext/torch_binding.h"]

[kernel.relu]
backend = "cuda"
depends = ["torch"]
src = ["relu_cuda/relu.cu"]

[kernel.relu_cpu]
backend = "cpu"
depends = ["torch"]
src = ["relu_cpu/relu_cpu.cpp"]

[kernel.relu_metal]
backend = "metal"
depends = ["torch"]
src = ["relu_metal/relu.mm", "relu_metal/relu.metal"]

[kernel.relu_rocm]
backend = "rocm"
depends = ["torch"]
rocm-archs = ["gfx942"]
src = ["relu_cuda/relu.cu"]

[kernel.relu_xpu]
backend = "xpu"
depends = ["torch"]
src = ["relu_xpu/relu.cpp"]
`

// otherSources are fiveBackends' sources of the backends other than cpu.
var otherSources = []string{"relu_cuda/relu.cu", "relu_metal/relu.mm", "relu_metal/relu.metal", "relu_xpu/relu.cpp"}

// TestDevShellRecipe follows kernel-builder's documented dev-shell recipe
// as written, on a build.toml listing five backends: `build2cmake
// generate-torch build.toml` with no --backend, then `cmake -B build-ext`.
// The reference stopped at "Multiple supported backends found"; here the
// Python the build will use (Python3_EXECUTABLE, honoured by both
// build2cmake and the generated CMake) has a CPU-only Torch, so cpu is
// chosen, and the configure that follows finds what it was generated for.
// Configure only: TestCPUBuild already compiles this kernel.
func TestDevShellRecipe(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping a real CMake configure under -short")
	}
	t.Parallel()
	requirePrereqs(t)
	root := repoRoot(t)
	bin := buildBinary(t, root)
	proj := filepath.Join(t.TempDir(), "relu")
	copyProject(t, filepath.Join(root, "testdata", "kernels", "cpu-relu"), proj)
	if err := os.WriteFile(filepath.Join(proj, "build.toml"), []byte(fiveBackends), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, src := range otherSources {
		path := filepath.Join(proj, filepath.FromSlash(src))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("// not compiled for cpu\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"Python3_EXECUTABLE=" + systemPython}

	cmd := testproc.Command(bin, "generate-torch", "build.toml")
	cmd.Dir = proj
	cmd.Env = append(commandEnv(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("generate-torch build.toml: %v\n%s", err, stderr.String())
	}
	want := "build2cmake: using backend cpu: Torch 1.13.0a0 of " + systemPython + " (from Python3_EXECUTABLE) is a CPU-only build; --backend chooses another\n"
	if !strings.Contains(stderr.String(), want) {
		t.Errorf("generate-torch stderr lacks %q:\n%s", want, stderr.String())
	}

	r := &runner{t: t}
	defer r.logTimings()
	r.run("cmake configure", proj, env, "cmake", "-B", "build-ext", "-G", "Ninja")
	requireCompileCommands(t, proj, "build-ext", "relu_cpu/relu_cpu.cpp")
}
