package cli

import (
	"bytes"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tvmFFIProject copies the relu-tvm-ffi example (a [tvm-ffi] kernel for
// cpu, cuda and xpu) into a new folder and returns it.
func tvmFFIProject(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "relu tvm-ffi") // a space: advice must quote it
	copyInputs(t, filepath.Join(kernelsDir, "pyproject-tvm-ffi-relu"), dir)
	return dir
}

// TestTVMFFIEveryCommand: a [tvm-ffi] kernel gets one consistent answer
// from every command. The early-2026 layout's generate-torch and clean
// refuse it and give the create-pyproject command for the same file,
// ready to paste; validate and check-config accept it, update-build leaves
// it as it is (edition 5); create-pyproject
// generates it (and --check then finds it up to date); doctor checks its
// tvm-ffi, not Torch; clean-pyproject deletes exactly what
// create-pyproject wrote and keeps the kernel's own package.
func TestTVMFFIEveryCommand(t *testing.T) {
	dir := tvmFFIProject(t)
	buildToml := filepath.Join(dir, "build.toml")
	refusal := "build2cmake: " + buildToml + " uses [tvm-ffi], which the layout of generate-torch and clean cannot build; " +
		"run `build2cmake create-pyproject '" + buildToml + "'` to generate today's layout\n"
	for _, args := range [][]string{
		{"generate-torch", "--backend", "cpu", buildToml},
		{"generate-torch", "--check", buildToml},
		{"clean", "--force", buildToml},
		{"clean", "--dry-run", buildToml},
	} {
		code, stdout, stderr := runMain(args)
		if code != ExitBadInput || stdout != "" || stderr != refusal {
			t.Errorf("%q: exit %d, stdout %q, stderr\n%s\nwant exit 2 and\n%s", args, code, stdout, stderr, refusal)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "CMakeLists.txt")); err == nil {
		t.Fatalf("a refusing command wrote files")
	}

	for _, args := range [][]string{{"validate", buildToml}, {"check-config", dir}} {
		if code, stdout, stderr := runMain(args); code != 0 || stderr != "" || !strings.HasSuffix(stdout, ": valid\n") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	original := readFile(t, buildToml)
	if code, _, stderr := runMain([]string{"update-build", dir}); code != 0 || readFile(t, buildToml) != original {
		t.Errorf("update-build changed an edition 5 [tvm-ffi] file (exit %d)\n%s", code, stderr)
	}

	before := listTree(t, dir)
	if code, _, stderr := runMain([]string{"create-pyproject", "--unique-id", "cmds", dir}); code != 0 || stderr != "" {
		t.Fatalf("create-pyproject: exit %d\n%s", code, stderr)
	}
	var written []string
	for rel := range listTree(t, dir) {
		if _, ok := before[rel]; !ok {
			written = append(written, rel)
		}
	}
	slices.Sort(written)
	want := []string{"CMakeLists.txt", "cmake/tvm-ffi.cmake", "cmake/utils.cmake", "cmake/variants.cmake",
		"metadata-cann.json", "metadata-cpu.json", "metadata-cuda.json", "metadata-metal.json",
		"metadata-neuron.json", "metadata-rocm.json", "metadata-tpu.json", "metadata-xpu.json",
		"pyproject.toml", "setup.py", "tvm-ffi-ext/relu_tvm_ffi/_ops.py"}
	if !slices.Equal(written, want) {
		t.Errorf("create-pyproject wrote %q, want %q", written, want)
	}
	if code, _, stderr := runMain([]string{"create-pyproject", "--unique-id", "cmds", "--check", dir}); code != 0 {
		t.Errorf("create-pyproject --check after create-pyproject: exit %d\n%s", code, stderr)
	}

	// doctor asks the Python for tvm-ffi; with no nvcc or icpx, cpu.
	withProbe(t, map[string]string{}, `{"python_version":"3.12.3","tvm_ffi_version":"0.1.9","capability":""}`)
	var stdout, stderr bytes.Buffer
	a := newApp(strings.NewReader(""), &stdout, &stderr)
	a.probe = testProbe
	realLookPath := a.tools.LookPath
	a.tools.LookPath = func(name string) (string, error) {
		if name == "cmake" || name == "ninja" || name == "c++" || name == "g++" {
			return realLookPath(name)
		}
		return "", exec.ErrNotFound
	}
	if code := a.run([]string{"doctor", dir}); code != 0 || stderr.Len() > 0 {
		t.Errorf("doctor: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	for _, line := range []string{
		"tvm-ffi        0.1.9\n",
		"backend        cpu (no nvcc or icpx for the GPU backends; build.toml lists cpu, cuda, xpu)\n",
		"variant        tvm-ffi01-cpu-x86_64-linux\n",
		"a cpu build can proceed\n",
	} {
		if !strings.Contains(stdout.String(), line) {
			t.Errorf("doctor's report lacks %q:\n%s", line, stdout.String())
		}
	}

	if code, _, stderr := runMain([]string{"clean-pyproject", "--force", dir}); code != 0 {
		t.Fatalf("clean-pyproject: exit %d\n%s", code, stderr)
	}
	after := listTree(t, dir)
	if !maps.Equal(before, after) {
		t.Errorf("clean-pyproject left %q, want the files before create-pyproject, %q",
			slices.Sorted(maps.Keys(after)), slices.Sorted(maps.Keys(before)))
	}
	if _, err := os.Stat(filepath.Join(dir, "tvm-ffi-ext", "relu_tvm_ffi", "__init__.py")); err != nil {
		t.Errorf("clean-pyproject touched the kernel's package: %v", err)
	}
}

// TestTVMFFIErrorsStopEveryCommand: a [tvm-ffi] source that does not exist,
// and a missing package, are errors of create-pyproject, check-config and
// validate alike, at their lines, and create-pyproject writes nothing.
func TestTVMFFIErrorsStopEveryCommand(t *testing.T) {
	dir := tvmFFIProject(t)
	if err := os.Rename(filepath.Join(dir, "tvm-ffi-ext", "tvm_ffi_binding.cpp"), filepath.Join(dir, "tvm-ffi-ext", "binding.cpp")); err != nil {
		t.Fatal(err)
	}
	buildToml := filepath.Join(dir, "build.toml")
	want := buildToml + `:16:8: source file "tvm-ffi-ext/tvm_ffi_binding.cpp" in [tvm-ffi] does not exist` + "\n"
	before := listTree(t, dir)
	for _, args := range [][]string{{"create-pyproject", dir}, {"check-config", dir}, {"validate", buildToml}} {
		code, stdout, stderr := runMain(args)
		if code != ExitBadInput || stdout != "" || stderr != want {
			t.Errorf("%q: exit %d, stdout %q, stderr\n%s\nwant exit 2 and\n%s", args, code, stdout, stderr, want)
		}
	}
	if after := listTree(t, dir); !maps.Equal(before, after) {
		t.Errorf("a failing create-pyproject wrote files")
	}

	// Without the package as well: both errors, in file order.
	if err := os.Rename(filepath.Join(dir, "tvm-ffi-ext", "relu_tvm_ffi"), filepath.Join(dir, "tvm-ffi-ext", "relu-tvm-ffi")); err != nil {
		t.Fatal(err)
	}
	want = buildToml + ":15:1: [tvm-ffi] needs the Python package tvm-ffi-ext/relu_tvm_ffi/ with an __init__.py, which the build variant is made of; " +
		`found tvm-ffi-ext/relu-tvm-ffi/: rename it to tvm-ffi-ext/relu_tvm_ffi/ (general.name "relu-tvm-ffi" gives the package relu_tvm_ffi)` + "\n" + want
	for _, args := range [][]string{{"create-pyproject", dir}, {"check-config", dir}} {
		code, stdout, stderr := runMain(args)
		if code != ExitBadInput || stdout != "" || stderr != want {
			t.Errorf("%q: exit %d, stdout %q, stderr\n%s\nwant exit 2 and\n%s", args, code, stdout, stderr, want)
		}
	}
}

// TestInitTVMFFI: init --framework tvm-ffi creates a [tvm-ffi] project that
// every command accepts as it is, and names the steps of today's layout;
// an unknown framework is a usage error.
func TestInitTVMFFI(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "scale-ffi")
	code, stdout, stderr := runMain([]string{"init", "--framework", "tvm-ffi", "scale-ffi", dir})
	if code != 0 || stderr != "" {
		t.Fatalf("init: exit %d\n%s", code, stderr)
	}
	for _, line := range []string{"  tvm-ffi-ext/scale_ffi/__init__.py\n", "  build2cmake create-pyproject\n",
		"  cmake --build cmake-build --target local_install\n"} {
		if !strings.Contains(stdout, line) {
			t.Errorf("init's output lacks %q:\n%s", line, stdout)
		}
	}
	if code, stdout, stderr := runMain([]string{"check-config", "--strict", dir}); code != 0 || stderr != "" {
		t.Errorf("check-config --strict: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := runMain([]string{"create-pyproject", dir}); code != 0 {
		t.Errorf("create-pyproject: exit %d\n%s", code, stderr)
	}

	code, stdout, stderr = runMain([]string{"init", "--framework", "jax", "my-kernel", filepath.Join(t.TempDir(), "k")})
	want := "build2cmake: unknown --framework \"jax\": use torch or tvm-ffi\nrun `build2cmake init --help` for usage\n"
	if code != ExitBadInput || stdout != "" || stderr != want {
		t.Errorf("--framework jax: exit %d, stderr %q; want 2 and %q", code, stderr, want)
	}
}
