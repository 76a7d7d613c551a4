package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/internal/scaffold"
	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// These tests run `init` with the real scaffold, and validate and
// generate-torch with the real parser, linter and renderer on its result.
// internal/e2e/init_test.go builds the result for real.

// runInit runs a command line through Main, with the real parser, linter
// and renderer.
func runInit(t *testing.T, args ...string) result {
	t.Helper()
	var stdout, stderr strings.Builder
	code := Main(args, strings.NewReader(""), &stdout, &stderr)
	r := result{code: code, stdout: stdout.String(), stderr: stderr.String()}
	if r.code == ExitBadInput && r.stdout != "" {
		t.Errorf("exit 2 with output on stdout:\n%s", r.stdout)
	}
	return r
}

// scaffoldTree is what init must write for name: scaffold.Files as a map.
func scaffoldTree(t *testing.T, name string) map[string]string {
	t.Helper()
	files, err := scaffold.Files(name)
	if err != nil {
		t.Fatal(err)
	}
	tree := map[string]string{}
	for _, f := range files {
		tree[f.Path] = string(f.Content)
	}
	return tree
}

func requireTree(t *testing.T, dir string, want map[string]string) {
	t.Helper()
	got := listTree(t, dir)
	for path, content := range want {
		if g, ok := got[path]; !ok {
			t.Errorf("%s: missing %s", dir, path)
		} else if g != content {
			t.Errorf("%s: %s differs from the scaffold's", dir, path)
		}
	}
	for path := range got {
		if _, ok := want[path]; !ok {
			t.Errorf("%s: unexpected file %s", dir, path)
		}
	}
}

func TestInitCreatesProject(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kernels", "my-kernel")
	r := runInit(t, "init", "my-kernel", dir)
	want := `created kernel project "my-kernel" in ` + dir + `:
  .gitignore
  README.md
  build.toml
  scale_add_cpu/scale_add_cpu.cpp
  scale_add_cuda/scale_add_cuda.cu
  tests/conftest.py
  tests/test_my_kernel.py
  torch-ext/my_kernel/__init__.py
  torch-ext/torch_binding.cpp
  torch-ext/torch_binding.h

next steps:
  cd ` + dir + `
  python3 -m venv --system-site-packages .venv
  build2cmake create-pyproject
  .venv/bin/python -m pip install --no-build-isolation --no-deps -e .
  .venv/bin/python -m pytest tests
README.md tells more: the kernels package's layout, the CMake build, adding ops.
`
	if r.code != 0 || r.stdout != want || r.stderr != "" {
		t.Fatalf("init: exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", r.code, r.stdout, want, r.stderr)
	}
	requireTree(t, dir, scaffoldTree(t, "my-kernel"))

	// Valid as written, without even a warning (missing sources, unusable
	// dependencies, odd kernel names...).
	buildToml := filepath.Join(dir, "build.toml")
	r = runReal(t, "", "validate", "--strict", buildToml)
	if r.code != 0 || r.stdout != buildToml+": valid\n" || r.stderr != "" {
		t.Errorf("validate --strict: %+v", r)
	}

	// Both backends generate; the dashed name gives the underscored package.
	scaffolded := listTree(t, dir)
	r = runReal(t, "", "generate-torch", "--backend", "cpu", "--ops-id", "t1", buildToml)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("generate-torch --backend cpu: %+v", r)
	}
	ops := readFile(t, filepath.Join(dir, "torch-ext", "my_kernel", "_ops.py"))
	if !strings.Contains(ops, "ops = torch.ops._my_kernel_t1\n") {
		t.Errorf("_ops.py does not use the ops name _my_kernel_t1:\n%s", ops)
	}
	r = runReal(t, "", "generate-torch", "--backend", "cuda", "--ops-id", "t1", "--force", buildToml)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("generate-torch --backend cuda: %+v", r)
	}
	if cmakeLists := readFile(t, filepath.Join(dir, "CMakeLists.txt")); !strings.Contains(cmakeLists, "scale_add_cuda/scale_add_cuda.cu") {
		t.Errorf("the cuda CMakeLists.txt does not build the CUDA kernel:\n%s", cmakeLists)
	}

	// Generation leaves the scaffold's own files alone.
	all := listTree(t, dir)
	for path, content := range scaffolded {
		if all[path] != content {
			t.Errorf("generate-torch changed %s", path)
		}
	}
	var generated []string
	for path := range all {
		if _, ok := scaffolded[path]; !ok {
			generated = append(generated, path)
		}
	}
	requireGitIgnores(t, dir, generated, scaffolded)
}

// requireGitIgnores checks the project's .gitignore with git itself: every
// generated file and build output is ignored, no source file is.
func requireGitIgnores(t *testing.T, dir string, generated []string, sources map[string]string) {
	t.Helper()
	testenv.LookPath(t, "git")
	// What pip and CMake leave in the project.
	outputs := []string{
		"build/0123abcd/build.ninja",
		"build-ext/CMakeCache.txt",
		"my_kernel.egg-info/PKG-INFO",
		"torch-ext/my_kernel.egg-info/PKG-INFO",
		"torch-ext/my_kernel/__pycache__/__init__.cpython-311.pyc",
		"tests/__pycache__/test_my_kernel.cpython-311-pytest-7.2.1.pyc",
		// The extension pip install -e copies next to the package.
		"torch-ext/my_kernel/_my_kernel_cpu_0123abcd.abi3.so",
		"torch-ext/my_kernel/_my_kernel_cpu_0123abcd.pyd",
		"torch-ext/my_kernel/_my_kernel_cuda_0123abcd.cpython-311-x86_64-linux-gnu.so",
		"torch-ext/my_kernel/_my_kernel_metal_0123abcd.dylib",
		"compile_commands.json",
		"cmake-build/build.ninja",
		".venv/bin/python",
	}
	for _, path := range outputs {
		writeFile(t, filepath.Join(dir, path), "")
	}
	git := func(args ...string) (string, error) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		// The user's and the system's git settings (a global excludes
		// file, say) must not decide the result.
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		var out bytes.Buffer
		cmd.Stdout = &out
		err := cmd.Run()
		return out.String(), err
	}
	if out, err := git("init", "-q"); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	wantIgnored := slices.Concat(generated, outputs)
	var all []string
	all = append(all, wantIgnored...)
	for path := range sources {
		all = append(all, path)
	}
	// check-ignore prints the ignored ones among its arguments and exits
	// 1 when there are none.
	out, _ := git(append([]string{"check-ignore", "--no-index", "--"}, all...)...)
	ignored := strings.Fields(out)
	for _, path := range wantIgnored {
		if !slices.Contains(ignored, path) {
			t.Errorf(".gitignore does not ignore %s", path)
		}
	}
	for path := range sources {
		if slices.Contains(ignored, path) {
			t.Errorf(".gitignore ignores the source file %s", path)
		}
	}
}

// TestInitStepsAreInREADME: the next steps init prints are commands of
// the project's README, which internal/e2e runs for real.
func TestInitStepsAreInREADME(t *testing.T) {
	readme := scaffoldTree(t, "my-kernel")["README.md"]
	for _, step := range initSteps {
		if !strings.Contains(readme, "\n"+step+"\n") {
			t.Errorf("README.md lacks the step %q", step)
		}
	}
	files, err := scaffold.FilesFor("my-kernel", config.FrameworkTVMFFI)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Path != "README.md" {
			continue
		}
		for _, step := range tvmFFIInitSteps {
			if !strings.Contains(string(f.Content), "\n"+step) {
				t.Errorf("the tvm-ffi README.md lacks the step %q", step)
			}
		}
	}
}

func TestInitDefaultDir(t *testing.T) {
	work := t.TempDir()
	t.Chdir(work)
	r := runInit(t, "init", "fast-relu")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("init: %+v", r)
	}
	if !strings.HasPrefix(r.stdout, `created kernel project "fast-relu" in fast-relu:`+"\n") ||
		!strings.Contains(r.stdout, "\n  cd fast-relu\n") {
		t.Errorf("stdout does not name ./fast-relu:\n%s", r.stdout)
	}
	requireTree(t, filepath.Join(work, "fast-relu"), scaffoldTree(t, "fast-relu"))
	for _, path := range []string{"torch-ext/fast_relu/__init__.py", "tests/test_fast_relu.py"} {
		if _, err := os.Stat(filepath.Join(work, "fast-relu", path)); err != nil {
			t.Errorf("dashed name: %v", err)
		}
	}
	if got := listTree(t, work); len(got) != len(scaffoldTree(t, "fast-relu")) {
		t.Errorf("init wrote outside ./fast-relu: %d files under the working directory", len(got))
	}
}

func TestInitIntoCurrentDir(t *testing.T) {
	work := t.TempDir()
	t.Chdir(work)
	r := runInit(t, "init", "relu", ".")
	if r.code != 0 || strings.Contains(r.stdout, "  cd ") {
		t.Errorf("init relu .: %+v, want no cd step", r)
	}
	requireTree(t, work, scaffoldTree(t, "relu"))
}

func TestInitRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "notes.md"), "mine\n")
	r := runInit(t, "init", "relu", dir)
	want := `build2cmake: init: "` + dir + `" already exists and is not empty; choose a new directory` + "\n"
	if r.code != ExitBadInput || r.stderr != want {
		t.Errorf("init into a non-empty dir: exit %d, stderr %q\nwant exit 2, %q", r.code, r.stderr, want)
	}
	requireTree(t, dir, map[string]string{"notes.md": "mine\n"})

	// Without DIR, ./NAME must be new or empty too.
	t.Chdir(dir)
	writeFile(t, filepath.Join(dir, "relu", "relu.cu"), "x\n")
	r = runInit(t, "init", "relu")
	if r.code != ExitBadInput || !strings.Contains(r.stderr, `"relu" already exists and is not empty`) {
		t.Errorf("init into a non-empty ./NAME: %+v", r)
	}
	requireTree(t, dir, map[string]string{"notes.md": "mine\n", "relu/relu.cu": "x\n"})
}

func TestInitDirIsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "relu")
	writeFile(t, path, "x\n")
	r := runInit(t, "init", "relu", path)
	if want := `build2cmake: init: "` + path + `" exists and is not a directory` + "\n"; r.code != ExitBadInput || r.stderr != want {
		t.Errorf("exit %d, stderr %q, want 2 and %q", r.code, r.stderr, want)
	}
}

// TestInitBadName: init refuses, before writing anything, a name that
// build.toml (edition 5) or the Python package would not take, explains
// the rule and gives the command with the closest name that works.
func TestInitBadName(t *testing.T) {
	rule := "use lowercase letters, digits and dashes, starting with a letter and ending with a letter or digit, at least 2 characters (such as \"my-kernel\")"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"my_kernel"}, `invalid kernel name "my_kernel": ` + rule + "; run `build2cmake init my-kernel` instead (its Python package is my_kernel)"},
		{[]string{"MyKernel"}, `invalid kernel name "MyKernel": ` + rule + "; run `build2cmake init mykernel` instead (its Python package is mykernel)"},
		{[]string{"x"}, `invalid kernel name "x": ` + rule + "; run `build2cmake init x-kernel` instead (its Python package is x_kernel)"},
		{[]string{"relu-"}, `invalid kernel name "relu-": ` + rule + "; run `build2cmake init relu` instead (its Python package is relu)"},
		{[]string{"2relu"}, `invalid kernel name "2relu": ` + rule + "; run `build2cmake init relu` instead (its Python package is relu)"},
		{[]string{"my.kernel"}, `invalid kernel name "my.kernel": ` + rule + "; run `build2cmake init my-kernel` instead (its Python package is my_kernel)"},
		{[]string{"my kernel"}, `invalid kernel name "my kernel": ` + rule + "; run `build2cmake init my-kernel` instead (its Python package is my_kernel)"},
		{[]string{"a/b"}, `invalid kernel name "a/b": ` + rule + "; run `build2cmake init a-b` instead (its Python package is a_b)"},
		{[]string{""}, `invalid kernel name "": ` + rule + "; run `build2cmake init my-kernel` instead (its Python package is my_kernel)"},
		{[]string{"torch"}, `invalid kernel name "torch": its Python package "torch" would clash with the Python module or keyword of that name; run ` + "`build2cmake init torch-kernel` instead (its Python package is torch_kernel)"},
		// DIR stays in the command, quoted for the shell.
		{[]string{"My_Kernel", "my dir"}, `invalid kernel name "My_Kernel": ` + rule + "; run `build2cmake init my-kernel 'my dir'` instead (its Python package is my_kernel)"},
		{[]string{"-relu"}, "unknown shorthand flag: 'r' in -relu\nrun `build2cmake init --help` for usage"},
	} {
		work := t.TempDir()
		t.Chdir(work)
		r := runInit(t, append([]string{"init"}, tc.args...)...)
		if want := "build2cmake: " + tc.want + "\n"; r.code != ExitBadInput || r.stderr != want {
			t.Errorf("init %q: exit %d, stderr %q\nwant exit 2, %q", tc.args, r.code, r.stderr, want)
		}
		if entries, _ := os.ReadDir(work); len(entries) != 0 {
			t.Errorf("init %q created %s", tc.args, entries[0].Name())
		}
	}
}

func TestInitUsage(t *testing.T) {
	const usage = "run `build2cmake init --help` for usage\n"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"init"}, "build2cmake: missing NAME\n" + usage},
		{[]string{"init", "a", "b", "c"}, "build2cmake: unexpected argument \"c\"\n" + usage},
	} {
		t.Chdir(t.TempDir())
		if r := runInit(t, tc.args...); r.code != ExitBadInput || r.stderr != tc.want {
			t.Errorf("%q: exit %d, stderr %q, want 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
	r := runInit(t, "init", "--help")
	if r.code != 0 || !strings.Contains(r.stdout, "init NAME [DIR]") {
		t.Errorf("init --help: %+v", r)
	}
}
