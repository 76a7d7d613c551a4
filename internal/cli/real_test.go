package cli

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

// These tests run Main with the real build.toml parser, linter and v3
// writer, for the commands whose result does not depend on rendering.

// runReal runs Main and checks the stdout rule for exit status 2.
func runReal(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr strings.Builder
	code := Main(args, strings.NewReader(stdin), &stdout, &stderr)
	return realResult(t, code, stdout.String(), stderr.String())
}

// runRealTyped is runReal with answer typed at a terminal.
func runRealTyped(t *testing.T, answer string, args ...string) result {
	t.Helper()
	var stdout, stderr strings.Builder
	a := newApp(typed{strings.NewReader(answer)}, &stdout, &stderr)
	a.isTerminal = isTyped
	return realResult(t, a.run(args), stdout.String(), stderr.String())
}

func realResult(t *testing.T, code int, stdout, stderr string) result {
	t.Helper()
	r := result{code: code, stdout: stdout, stderr: stderr}
	if code == ExitBadInput && r.stdout != "" {
		t.Errorf("exit 2 with output on stdout:\n%s", r.stdout)
	}
	return r
}

const v2Build = `[general]
name = "relu"
universal = false
python-depends = ["einops"]

[torch]
src = ["torch-ext/torch_binding.cpp"]

[kernel.relu]
backend = "cpu"
depends = ["torch"]
src = ["relu/relu.cpp"]
`

func TestRealUpdateBuild(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "build.toml")
	writeFile(t, path, v2Build)
	// Edition 5 needs a license: without --license nothing is written.
	r := runReal(t, "", "update-build", path)
	if want := "build2cmake: " + path + " has no license, which edition 5 requires; run with the kernel's license, for example:\n  build2cmake update-build --license Apache-2.0 " + path + "\n"; r.code != 2 || r.stderr != want {
		t.Fatalf("update-build without --license: %+v, want exit 2 and %q", r, want)
	}
	if readFile(t, path) != v2Build {
		t.Fatal("a refused update-build changed the file")
	}
	// KERNEL_DIR form, as today's tool takes it.
	r = runReal(t, "", "update-build", "--license", "MIT", "--version", "3", dir)
	if want := "converted " + path + " from v2 to edition 5\n"; r.code != 0 || r.stdout != want || r.stderr != "" {
		t.Fatalf("update-build: %+v, want %q", r, want)
	}
	converted := readFile(t, path)
	for _, want := range []string{"version = 3\nedition = 5\nlicense = \"MIT\"\n", `backends = ["cpu"]`, `python-depends = ["einops"]`, "[kernel.relu]"} {
		if !strings.Contains(converted, want) {
			t.Errorf("converted file lacks %s:\n%s", want, converted)
		}
	}
	// The converted file checks without any format warning.
	writeSources(t, dir)
	if r := runReal(t, "", "check-config", dir); r.code != 0 || strings.Contains(r.stderr, "format") {
		t.Errorf("check-config after update-build: %+v", r)
	}

	// An edition 5 file, even one formatted differently from what
	// update-build would write, is left byte for byte and not rewritten.
	e5 := "[general]\nname   = \"relu\"   # spaced out\nversion = 1\nedition = 5\nlicense = \"MIT\"\nbackends = [ \"cpu\" ]\n[torch-noarch]\n"
	writeFile(t, path, e5)
	ageTree(t, filepath.Dir(path))
	r = runReal(t, "", "update-build", path)
	if r.code != 0 || r.stdout != path+" is already in edition 5; nothing to do\n" {
		t.Errorf("update-build edition 5: %+v", r)
	}
	if got := readFile(t, path); got != e5 {
		t.Errorf("edition 5 file changed to %q", got)
	}
	if got := rewritten(t, filepath.Dir(path)); len(got) != 0 {
		t.Errorf("edition 5 file rewritten (mtime changed)")
	}
}

// TestRealUpdateBuildSymlink: a symlinked build.toml is converted where it
// points, and stays a link; a link that leads outside the kernel folder is
// refused and nothing is written (SPEC E).
func TestRealUpdateBuildSymlink(t *testing.T) {
	dir := t.TempDir()
	shared := filepath.Join(dir, "configs", "build.toml")
	writeFile(t, shared, v2Build)
	link := filepath.Join(dir, "build.toml")
	if err := os.Symlink(filepath.Join("configs", "build.toml"), link); err != nil {
		t.Fatal(err)
	}
	if r := runReal(t, "", "update-build", "--license", "MIT", dir); r.code != 0 {
		t.Fatalf("update-build: %+v", r)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("build.toml is no longer a symlink (%v)", err)
	}
	if got := readFile(t, shared); !strings.Contains(got, "edition = 5") {
		t.Errorf("link target not converted:\n%s", got)
	}

	outside := filepath.Join(t.TempDir(), "build.toml")
	writeFile(t, outside, v2Build)
	dir = t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "build.toml")); err != nil {
		t.Fatal(err)
	}
	// The message says what update-build did not do (it has read the
	// file), and how to convert it anyway.
	want := "build2cmake: \"" + filepath.Join(dir, "build.toml") + "\" is a symbolic link to \"" + outside + "\", outside \"" + dir +
		"\"; build2cmake writes nothing through it (pass the file it leads to, \"" + outside + "\", instead)\n"
	if r := runReal(t, "", "update-build", "--license", "MIT", dir); r.code != 2 || r.stderr != want {
		t.Errorf("update-build through an outside link: %+v\nwant exit 2 and stderr:\n%s", r, want)
	}
	if readFile(t, outside) != v2Build {
		t.Error("a link leading outside the kernel folder was written through")
	}
	if r := runReal(t, "", "update-build", "--license", "MIT", outside); r.code != 0 || !strings.Contains(readFile(t, outside), "edition = 5") {
		t.Errorf("update-build on the file the link leads to: %+v", r)
	}
}

// TestRealCheckConfig: check-config finds build.toml in KERNEL_DIR (or
// takes the file), reports like validate, and points v4 files to
// update-build.
func TestRealCheckConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "build.toml")
	writeFile(t, path, "[general]\nname = \"relu\"\nversion = 1\nlicense = \"MIT\"\nbackends = [\"cpu\"]\n\n[torch]\nsrc = [\"b.cpp\"]\n")
	note := "build2cmake: warning: " + path + " uses the older v4 format; run `build2cmake update-build " + dir + "` to convert it to edition 5\n"
	// A source that is not there is an error, as it is for generation.
	for _, strict := range []bool{false, true} {
		args := []string{"check-config", path}
		if strict {
			args = []string{"check-config", "--strict", path}
		}
		r := runReal(t, "", args...)
		if want := note + path + ":8:8: source file \"b.cpp\" in [torch] does not exist\n"; r.code != 2 || r.stderr != want {
			t.Errorf("%q: %+v\nwant exit 2 and stderr:\n%s", args, r, want)
		}
	}
	writeFile(t, filepath.Join(dir, "b.cpp"), "// binding\n")
	r := runReal(t, "", "check-config", dir)
	if r.code != 0 || r.stdout != path+": valid\n" || r.stderr != note {
		t.Errorf("check-config v4: %+v\nwant stderr:\n%s", r, note)
	}
	r = runReal(t, "", "check-config", t.TempDir())
	if r.code != 2 || !strings.Contains(r.stderr, "holds no build.toml; pass the kernel directory or the path to its build.toml") {
		t.Errorf("check-config without build.toml: %+v", r)
	}
	writeFile(t, path, "[general]\nname = \"relu\"\nversion = 1\nedition = 5\nlicence = \"MIT\"\nbackends = [\"cpu\"]\n\n[torch]\n")
	r = runReal(t, "", "check-config", dir)
	want := path + ":1:1: [general] is missing required key \"license\"\n" + path + ":5:1: unknown key \"licence\" in [general]; did you mean \"license\"?\n"
	if r.code != 2 || r.stderr != want {
		t.Errorf("check-config licence typo: %+v\nwant:\n%s", r, want)
	}
}

func TestRealValidate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "build.toml")
	// relu/relu.cu does not exist: an error, --strict or not, as it is
	// for generation.
	const text = `[general]
name = "relu"
backends = ["cuda"]

[kernel.relu]
backend = "cuda"
depends = ["torch"]
src = ["relu/relu.cu"]

[torch]
`
	writeFile(t, path, text)
	want := path + ":8:8: source file \"relu/relu.cu\" in [kernel.relu] does not exist\n"
	for _, args := range [][]string{{"validate", path}, {"validate", "--strict", path}} {
		if r := runReal(t, "", args...); r.code != 2 || r.stderr != want {
			t.Errorf("%q: %+v\nwant exit 2 and %q", args, r, want)
		}
	}
	writeFile(t, filepath.Join(dir, "relu/relu.cu"), "// kernel\n")
	if r := runReal(t, "", "validate", "--strict", path); r.code != 0 || r.stdout != path+": valid\n" || r.stderr != "" {
		t.Errorf("validate --strict without warnings: %+v", r)
	}
	// A capability that names no GPU: a warning, and one more because no
	// capability is left to build; errors with --strict.
	writeFile(t, path, strings.Replace(text, "src = [", "cuda-capabilities = [\"11.8\"]\nsrc = [", 1))
	r := runReal(t, "", "validate", path)
	if r.code != 0 || r.stdout != path+": valid, 2 warnings\n" || !strings.HasPrefix(r.stderr, path+":8:") || !strings.Contains(r.stderr, "warning: ") {
		t.Errorf("validate: %+v", r)
	}
	r = runReal(t, "", "validate", "--strict", path)
	if r.code != 2 || !strings.HasPrefix(r.stderr, path+":8:") || strings.Contains(r.stderr, "warning") {
		t.Errorf("validate --strict: %+v", r)
	}

	writeFile(t, path, "[general]\nname = \"relu\"\nbackend = [\"cuda\"]\n")
	r = runReal(t, "", "validate", path)
	// Every problem at once, each with its position, without the program
	// name in front.
	if r.code != 2 || !strings.Contains(r.stderr, path+":3:1: unknown key") || strings.Count(r.stderr, "\n") < 2 || strings.Contains(r.stderr, "build2cmake:") {
		t.Errorf("validate of a bad file: %+v", r)
	}
}

func TestRealBadBuildWritesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "build.toml")
	writeFile(t, path, "[general]\nname = \"relu\"\nbackends = [\"cpu\"]\n\n[kernel.relu]\nbackend = \"cpu\"\nsrc = 3\n")
	for _, args := range [][]string{
		{"generate-torch", path},
		{"generate-torch", "--check", path},
		{"clean", "-f", path},
		{"update-build", path},
	} {
		r := runReal(t, "", args...)
		if r.code != 2 || !strings.HasPrefix(r.stderr, path+":") {
			t.Errorf("%q: %+v, want exit 2 and positioned diagnostics", args, r)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 {
		t.Errorf("directory holds %v (%v), want only build.toml", entries, err)
	}
}

func TestRealParseGenerateWarnings(t *testing.T) {
	// Real parser, fake renderer: the warnings generate-torch prints.
	path := filepath.Join(t.TempDir(), "build.toml")
	writeFile(t, path, `[general]
name = "relu"

[kernel.relu]
depends = ["torch", "metal-cpp"]
src = ["relu/relu.cu"]
`)
	writeSources(t, filepath.Dir(path))
	var stdout, stderr strings.Builder
	a := newApp(strings.NewReader(""), &stdout, &stderr)
	a.render = fakeRender
	if code := a.run([]string{"generate-torch", "--ops-id", "x", path}); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	// Without a [torch] table update-build cannot convert it: the warning
	// says why instead of giving a command that would fail.
	want := "build2cmake: warning: " + path + " uses the deprecated v1 format; update-build cannot convert it to edition 5: build.toml has kernels but no [torch] table, which edition 5 requires; add [torch] with the binding sources\n" +
		path + `:5:21: warning: dependency "metal-cpp" in [kernel.relu] cannot be used by cuda kernels and is ignored` + "\n"
	if stderr.String() != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr.String(), want)
	}
}

// allBackends is a build with a kernel for every backend.
const allBackends = `[general]
name = "multi-kernel"
backends = ["cpu", "cuda", "metal", "rocm", "xpu"]

[torch]
src = ["torch-ext/torch_binding.cpp"]

[kernel.k_cpu]
backend = "cpu"
depends = ["torch"]
src = ["k/k_cpu.cpp"]

[kernel.k_cuda]
backend = "cuda"
depends = ["torch"]
src = ["k/k.cu"]

[kernel.k_metal]
backend = "metal"
depends = ["torch"]
src = ["k/k.metal", "k/k.mm"]

[kernel.k_rocm]
backend = "rocm"
depends = ["torch"]
src = ["k/k.cu"]

[kernel.k_xpu]
backend = "xpu"
depends = ["torch"]
src = ["k/k_xpu.cpp"]
`

// TestRealGenerateThenClean checks, for every backend, that clean
// recognises each file the real renderer writes as generated (so it deletes
// them all without --force) and leaves the project's own files and an
// empty-of-generated-files tree behind.
func TestRealGenerateThenClean(t *testing.T) {
	for _, backend := range []string{"cpu", "cuda", "metal", "rocm", "xpu"} {
		t.Run(backend, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "build.toml")
			writeFile(t, path, allBackends)
			writeSources(t, dir)
			writeFile(t, filepath.Join(dir, "torch-ext/multi_kernel/__init__.py"), "from ._ops import ops\n")
			before := listTree(t, dir)
			r := runReal(t, "", "generate-torch", "--backend", backend, "--ops-id", "t1", path)
			if r.code != 0 {
				t.Fatalf("generate-torch: %+v", r)
			}
			generated := len(listTree(t, dir)) - len(before)
			if r := runReal(t, "", "generate-torch", "--backend", backend, "--ops-id", "t1", "--check", path); r.code != 0 {
				t.Errorf("--check right after generating: %+v", r)
			}

			r = runRealTyped(t, "y\n", "clean", path)
			if r.code != 0 || strings.Contains(r.stderr, "keeping") {
				t.Fatalf("clean: %+v", r)
			}
			if want := "cleaned " + strconv.Itoa(generated) + " generated files\n"; !strings.HasSuffix(r.stdout, want) {
				t.Errorf("clean reported:\n%s\nwant it to end with %q", r.stdout, want)
			}
			if got := listTree(t, dir); !maps.Equal(got, before) {
				t.Errorf("after clean the project holds %q, want %q", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(before)))
			}
			if _, err := os.Stat(filepath.Join(dir, "cmake")); !os.IsNotExist(err) {
				t.Errorf("cmake/ not removed (%v)", err)
			}
		})
	}
}

// TestRealStrictRejectsWhatGenerationRejects (SPEC E): validate --strict
// fails, with positions, for every file generate-torch refuses.
func TestRealStrictRejectsWhatGenerationRejects(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "build.toml")
	for _, tt := range []struct{ text, want string }{
		{"[general]\nname = \"relu\"\nbackends = [\"cpu\"]\n[kernel.k]\nbackend = \"cpu\"\ndepends = []\nsrc = []\n",
			path + ":4:2: the build has kernels but no [torch] table, which generation needs; add [torch] with the binding sources\n"},
		{"[general]\nname = \"relu\"\nbackends = []\n",
			path + ":3:12: no backends: general.backends is empty, so there is nothing to generate; list the backends the kernel supports\n"},
		{"[general]\nname = \"../x\"\nbackends = [\"cpu\"]\n",
			path + ":2:8: invalid kernel name \"../x\" in [general]: with \"-\" as \"_\" it must be a Python identifier (ASCII letters, digits and underscores, not starting with a digit, not a keyword); use lowercase letters, digits and dashes, starting with a letter and ending with a letter or digit, at least 2 characters (such as \"my-kernel\")\n"},
	} {
		writeFile(t, path, tt.text)
		if r := runReal(t, "", "validate", "--strict", path); r.code != 2 || r.stderr != tt.want {
			t.Errorf("validate --strict %q: %+v\nwant stderr %q", tt.text, r, tt.want)
		}
		if r := runReal(t, "", "generate-torch", "--backend", "cpu", "--ops-id", "x", path); r.code != 2 {
			t.Errorf("generate-torch accepted %q: %+v", tt.text, r)
		}
	}
}

// TestRealGenerateTodaysBackends: a backend only today's layout builds is
// refused with a pointer to create-pyproject, named or chosen alone.
func TestRealGenerateTodaysBackends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "build.toml")
	writeFile(t, path, "[general]\nname = \"nki-relu\"\nversion = 1\nlicense = \"MIT\"\nbackends = [\"neuron\"]\n\n[torch-noarch]\n")
	want := "build2cmake: the layout of generate-torch has no neuron backend (it builds cpu, cuda, metal, rocm and xpu); run `build2cmake create-pyproject " + path + "` to build neuron in today's layout\n"
	for _, args := range [][]string{{"generate-torch", path}, {"generate-torch", "--backend", "Neuron", path}} {
		if r := runReal(t, "", args...); r.code != 2 || r.stderr != want {
			t.Errorf("%q: %+v\nwant %q", args, r, want)
		}
	}
}

// TestRealKernelDirDefault: without an argument, today's commands use the
// build.toml of the current folder.
func TestRealKernelDirDefault(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "build.toml"), v2Build)
	writeSources(t, dir)
	t.Chdir(dir)
	if r := runReal(t, "", "update-build", "--license", "MIT"); r.code != 0 || r.stdout != "converted build.toml from v2 to edition 5\n" {
		t.Errorf("update-build: %+v", r)
	}
	if r := runReal(t, "", "check-config"); r.code != 0 || !strings.HasPrefix(r.stdout, "build.toml: valid") {
		t.Errorf("check-config: %+v", r)
	}
}

// TestRealUpdateBuildKeepsComments: the author's comments survive the
// conversion, and --diff shows the change without writing it.
func TestRealUpdateBuildKeepsComments(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "build.toml")
	src := `# ReLU for every backend.
[general]
name = "relu"
universal = false
# Pinned until the CUTLASS 4 port lands.
cuda-maxver = "12.8"

[torch]
src = ["torch-ext/torch_binding.cpp"] # the binding

[kernel.relu]
backend = "cpu"
depends = ["torch"]
src = ["relu/relu.cpp"]
`
	writeFile(t, path, src)
	ageTree(t, dir)
	r := runReal(t, "", "update-build", "--license", "MIT", "--diff", dir)
	want := `--- a/build.toml
+++ b/build.toml
@@ -1,9 +1,14 @@
 # ReLU for every backend.
 [general]
 name = "relu"
-universal = false
+version = 1
+edition = 5
+license = "MIT"
+backends = ["cpu"]
+
+[general.cuda]
 # Pinned until the CUTLASS 4 port lands.
-cuda-maxver = "12.8"
+maxver = "12.8"
 
 [torch]
 src = ["torch-ext/torch_binding.cpp"] # the binding
`
	wantErr := "build2cmake: " + path + " would change as shown; to convert it, run:\n  build2cmake update-build --license MIT " + dir + "\n"
	if r.code != ExitDiffers || r.stdout != want || r.stderr != wantErr {
		t.Fatalf("update-build --diff: exit %d\nstdout:\n%s\nstderr:\n%s\nwant stdout:\n%s", r.code, r.stdout, r.stderr, want)
	}
	if readFile(t, path) != src || len(rewritten(t, dir)) != 0 {
		t.Fatal("update-build --diff wrote the file")
	}
	if r := runReal(t, "", "update-build", "--license", "MIT", dir); r.code != 0 {
		t.Fatalf("update-build: %+v", r)
	}
	got := readFile(t, path)
	for _, c := range []string{"# ReLU for every backend.\n[general]\n", "# Pinned until the CUTLASS 4 port lands.\nmaxver = \"12.8\"\n", `src = ["torch-ext/torch_binding.cpp"] # the binding`} {
		if !strings.Contains(got, c) {
			t.Errorf("converted file lost %q:\n%s", c, got)
		}
	}
}

// writeSources puts a placeholder at every source file and include
// directory that dir/build.toml lists, for tests about what generation
// writes rather than about building it: commands that generate stop on
// sources that are not there.
func writeSources(t *testing.T, dir string) {
	t.Helper()
	l, err := config.Load(filepath.Join(dir, "build.toml"))
	if err != nil {
		t.Fatal(err)
	}
	b := l.Build
	var srcs, includes []string
	if b.Torch != nil {
		srcs, includes = append(srcs, b.Torch.Src...), append(includes, b.Torch.Include...)
	}
	if b.TVMFFI != nil {
		srcs, includes = append(srcs, b.TVMFFI.Src...), append(includes, b.TVMFFI.Include...)
		srcs = append(srcs, config.TVMFFIPackageDir+"/"+b.General.PythonName()+"/__init__.py")
	}
	for _, k := range b.Kernels {
		srcs, includes = append(srcs, k.Src...), append(includes, k.Include...)
	}
	for _, p := range includes {
		if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(p)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range srcs {
		if full := filepath.Join(dir, filepath.FromSlash(p)); !exists(full) {
			writeFile(t, full, "// placeholder\n")
		}
	}
}
