package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/build2cmake-go/build2cmake/internal/testenv"
	"github.com/build2cmake-go/build2cmake/internal/testproc"
)

// tvmFFIPython is the Python that has Apache TVM FFI and the kernels loader
// 0.13.0 (on top of Debian's Torch), as scripts/install-tvm-ffi.sh makes
// it: BUILD2CMAKE_TVM_FFI_PYTHON, else the environment that script
// installs by default. The test is skipped (failed under CI=true) without
// one.
func tvmFFIPython(t *testing.T) string {
	t.Helper()
	python := os.Getenv("BUILD2CMAKE_TVM_FFI_PYTHON")
	if python == "" {
		cache := os.Getenv("XDG_CACHE_HOME")
		if cache == "" {
			home, _ := os.UserHomeDir()
			cache = filepath.Join(home, ".cache")
		}
		python = filepath.Join(cache, "build2cmake", "tvm-ffi-venv", "bin", "python")
	}
	cmd := testproc.Command(python, "-c", "import tvm_ffi, kernels, torch, pytest")
	cmd.Env = append(commandEnv(), "TVM_FFI_DISABLE_TORCH_C_DLPACK=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		testenv.Missing(t, "the tvm-ffi build needs a Python with Apache TVM FFI, the kernels loader and Torch "+
			"(%s: %v; %s): run scripts/stage-sources.sh MIRROR_DIR, then scripts/install-tvm-ffi.sh, "+
			"or set BUILD2CMAKE_TVM_FFI_PYTHON (docs/testing.md)", python, err, lastOutputLine(out))
	}
	return python
}

func lastOutputLine(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1]
}

// TestTVMFFICPUBuild builds huggingface/kernels' relu-tvm-ffi example (a
// [tvm-ffi] kernel with a CPU kernel) for real against tvm-ffi built from
// source: create-pyproject, CMake configure (no Torch imported), the
// local_install target, then the example's own tests, which load the
// kernel through the kernels 0.13.0 loader (get_kernel under
// LOCAL_KERNELS) and call relu(x, out) and layers.ReLU on Torch tensors
// and NumPy arrays; then setup.py's build_kernel, which chooses the
// backend itself.
func TestTVMFFICPUBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the real tvm-ffi build (about a minute) under -short")
	}
	t.Parallel()
	requirePrereqs(t)
	python := tvmFFIPython(t)
	root := repoRoot(t)
	bin := buildBinary(t, root)
	r := &runner{t: t}
	defer r.logTimings()

	caseDir := filepath.Join(root, "testdata", "kernels", "pyproject-tvm-ffi-relu")
	args := readArgs(t, caseDir) // create-pyproject --unique-id golden1
	const opsName = "_relu_tvm_ffi_cpu_golden1"
	proj := filepath.Join(t.TempDir(), "relu-tvm-ffi")
	copyProject(t, caseDir, proj)
	r.run("create-pyproject", proj, nil, bin, append(args, ".")...)

	out, err := testproc.Command(python, "-c",
		"import platform, tvm_ffi; v = tvm_ffi.__version__.split('.'); "+
			"print(f'tvm-ffi{v[0]}{v[1]}-cpu-{platform.machine()}-linux')").Output()
	if err != nil {
		t.Fatal(err)
	}
	variant := strings.TrimSpace(string(out))
	if !strings.HasPrefix(variant, "tvm-ffi01-cpu-") {
		t.Errorf("tvm-ffi 0.1.x gives the variant %s, want tvm-ffi01-cpu-...", variant)
	}

	// Configuring needs tvm_ffi, never Torch (which is installed here).
	counter := filepath.Join(root, "scripts", "torch-import-counter")
	importLog := filepath.Join(t.TempDir(), "imports.log")
	configure := testproc.Command("cmake", "-S", ".", "-B", "cmake-build", "-G", "Ninja", "-DPython3_EXECUTABLE="+python)
	configure.Dir = proj
	configure.Env = append(commandEnv(), "PYTHONPATH="+counter, "TORCH_IMPORT_LOG="+importLog)
	start := time.Now()
	log, err := configure.CombinedOutput()
	r.timings = append(r.timings, fmt.Sprintf("%-24s %6.1fs", "cmake configure", time.Since(start).Seconds()))
	if err != nil {
		t.Fatalf("cmake configure: %v\n%s", err, log)
	}
	for _, line := range []string{"-- Backend: cpu (GPU_LANG CPU)", "-- Build variant: " + variant} {
		if !strings.Contains(string(log), line+"\n") {
			t.Errorf("configure did not print %q:\n%s", line, log)
		}
	}
	if data, err := os.ReadFile(importLog); err == nil {
		t.Errorf("%d Python processes imported torch while configuring a tvm-ffi kernel; want none", strings.Count(string(data), "\n"))
	}

	r.run("local_install", proj, nil, "cmake", "--build", "cmake-build", "--target", "local_install")
	requireVariantFiles(t, proj, variant, "__init__.py", "_ops.py", opsName+".so", "layers", "metadata.json")
	variantDir := filepath.Join(proj, "build", variant)
	var meta struct {
		Name    string `json:"name"`
		ID      string `json:"id"`
		Backend struct {
			Type string `json:"type"`
		} `json:"backend"`
	}
	if data, err := os.ReadFile(filepath.Join(variantDir, "metadata.json")); err != nil || json.Unmarshal(data, &meta) != nil {
		t.Errorf("build/%s/metadata.json: %v", variant, err)
	} else if meta.Name != "relu-tvm-ffi" || meta.ID != opsName || meta.Backend.Type != "cpu" {
		t.Errorf("metadata.json: %+v", meta)
	}

	// The example's tests load the kernel with kernels.get_kernel, which
	// LOCAL_KERNELS points at the project: the loader picks build/<variant>/.
	loaderEnv := []string{"LOCAL_KERNELS=kernels-test/relu-tvm-ffi=" + proj, "TVM_FFI_DISABLE_TORCH_C_DLPACK=1"}
	r.run("pytest (kernels loader)", proj, loaderEnv, python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")
	check := testproc.Command(python, "-c", `
import sys
from pathlib import Path
import kernels, numpy as np
m = kernels.get_kernel("kernels-test/relu-tvm-ffi", version=1)
local = kernels.get_local_kernel(Path(sys.argv[1]), "relu_tvm_ffi")
for k in (m, local):
    x = np.arange(-4, 4, dtype=np.float32)
    out = np.empty_like(x)
    k.relu(x, out)
    assert out.tolist() == [0, 0, 0, 0, 0, 1, 2, 3], out
    ops = sys.modules[k.__name__ + "._ops"]
    print(Path(k.__file__).parent.name, ops._OPS_NAME, ops.torch_add_op_namespace_prefix("relu"))
`, proj)
	check.Dir = t.TempDir()
	check.Env = append(commandEnv(), loaderEnv...)
	out, err = check.CombinedOutput()
	line := variant + " " + opsName + " " + opsName + "::relu\n"
	if err != nil || strings.Count(string(out), line) != 2 {
		t.Errorf("loading through get_kernel and get_local_kernel: %v; want twice %q in:\n%s", err, line, out)
	}

	requireQuietLocalInstall(t, r, proj, variant)

	// setup.py's build_kernel chooses the backend itself and lays out the
	// same variant.
	if err := os.RemoveAll(filepath.Join(proj, "build")); err != nil {
		t.Fatal(err)
	}
	r.run("setup.py build_kernel", proj, nil, python, "setup.py", "build_kernel")
	requireModule(t, variantDir, opsName, false)
}

// TestTVMFFIConfigureErrors: the generated CMake of a [tvm-ffi] kernel
// chooses only backends the kernel lists and says what to do otherwise,
// and a Python without tvm-ffi is a clear error, before anything compiles.
// None of it needs tvm-ffi installed.
func TestTVMFFIConfigureErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping CMake configures under -short")
	}
	t.Parallel()
	requirePrereqs(t)
	root := repoRoot(t)
	bin := buildBinary(t, root)
	r := &runner{t: t}
	project := func(caseName string) string {
		proj := filepath.Join(t.TempDir(), caseName)
		copyProject(t, filepath.Join(root, "testdata", "kernels", caseName), proj)
		r.run("create-pyproject", proj, nil, bin, "create-pyproject", "--unique-id", "e2e", proj)
		return proj
	}
	relu, gemm := project("pyproject-tvm-ffi-relu"), project("pyproject-tvm-ffi-cutlass-gemm")
	for _, tc := range []struct {
		name, proj string
		args       []string
		want       string
	}{
		{"a CUDA and XPU kernel without nvcc", gemm, nil,
			"This kernel supports cuda, xpu, but CMake finds no CUDA compiler: put nvcc on PATH (or set CUDACXX), or choose a backend with -DGPU_LANG=."},
		{"GPU_LANG the kernel does not list", relu, []string{"-DGPU_LANG=METAL"},
			"This kernel supports cpu, cuda, xpu, but GPU_LANG is METAL (backend metal). Set -DGPU_LANG= to one of the kernel's backends."},
		{"unknown GPU_LANG", relu, []string{"-DGPU_LANG=TPU"},
			`GPU_LANG is "TPU"; expected one of CPU, CUDA, METAL, HIP, SYCL.`},
		{"a Python without tvm-ffi", relu, nil,
			"Cannot find tvm_ffi with " + systemPython + " (exit status 1); install apache-tvm-ffi for that Python, or choose another with -DPython3_EXECUTABLE=:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"-S", tc.proj, "-B", filepath.Join(t.TempDir(), "build"), "-G", "Ninja",
				"-DPython3_EXECUTABLE=" + systemPython}, tc.args...)
			cmd := testproc.Command("cmake", args...)
			// No CUDA compiler, whatever this machine has.
			cmd.Env = append(commandEnv(), "CUDACXX=/nonexistent/nvcc")
			out, err := cmd.CombinedOutput()
			// CMake wraps messages at spaces; compare without line breaks.
			flat := strings.Join(strings.Fields(string(out)), " ")
			if err == nil || !strings.Contains(flat, tc.want) {
				t.Errorf("configure: %v; want a failure saying %q:\n%s", err, tc.want, out)
			}
		})
	}
}

// TestTVMFFIInitBuild: the project `init --framework tvm-ffi` creates
// validates, generates, builds on CPU against tvm-ffi and passes its own
// tests, loaded from build/<variant>/ by the kernels loader.
func TestTVMFFIInitBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the real tvm-ffi build under -short")
	}
	t.Parallel()
	requirePrereqs(t)
	python := tvmFFIPython(t)
	bin := buildBinary(t, repoRoot(t))
	r := &runner{t: t}
	defer r.logTimings()
	proj := filepath.Join(t.TempDir(), "scale-ffi")
	r.run("init", filepath.Dir(proj), nil, bin, "init", "--framework", "tvm-ffi", "scale-ffi", proj)
	r.run("check-config", proj, nil, bin, "check-config", "--strict")
	r.run("create-pyproject", proj, nil, bin, "create-pyproject", "--unique-id", "e2e")
	r.run("cmake configure", proj, nil, "cmake", "-S", ".", "-B", "cmake-build", "-G", "Ninja", "-DPython3_EXECUTABLE="+python)
	r.run("local_install", proj, nil, "cmake", "--build", "cmake-build", "--target", "local_install")
	cmd := testproc.Command(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")
	cmd.Dir = proj
	cmd.Env = append(commandEnv(), "TVM_FFI_DISABLE_TORCH_C_DLPACK=1")
	out, err := cmd.CombinedOutput()
	// The CPU tests run; the CUDA ones skip on this CPU build.
	if err != nil || !strings.Contains(string(out), "15 passed, 13 skipped") {
		t.Errorf("pytest: %v; want 15 passed, 13 skipped:\n%s", err, out)
	}
}
