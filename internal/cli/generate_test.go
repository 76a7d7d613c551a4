package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator"
)

func TestGenerateWritesTree(t *testing.T) {
	path := fakeProject(t, "cpu")
	dir := filepath.Dir(path)
	r := runFake(t, "", "generate-torch", "--ops-id", "abc", "--target-os", "windows", path)
	if r.code != 0 || r.stdout != "" || r.stderr != "" {
		t.Fatalf("generate-torch = %+v, want exit 0 and no output", r)
	}
	want := map[string]string{
		"build.toml":                    "cpu\n",
		"CMakeLists.txt":                fakeHeader + "project(relu-kernel)\nset(BACKEND cpu)\nset(OS windows)\n",
		"metadata.json":                 "{\"python-depends\":[]}\n",
		"setup.py":                      fakeHeader + "name = \"relu_kernel\"\n",
		"torch-ext/relu_kernel/_ops.py": fakeHeader + "ops = torch.ops._relu_kernel_abc\n",
	}
	if got := listTree(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("tree = %q\nwant %q", got, want)
	}
}

func TestGenerateTargetDir(t *testing.T) {
	path := fakeProject(t, "cpu")
	target := t.TempDir()
	if r := runFake(t, "", "generate-torch", path, target); r.code != 0 {
		t.Fatalf("generate-torch into TARGET_DIR = %+v", r)
	}
	if got := listTree(t, target); len(got) != 4 || got["setup.py"] == "" {
		t.Errorf("TARGET_DIR holds %q, want the 4 generated files", got)
	}
	if got := listTree(t, filepath.Dir(path)); len(got) != 1 {
		t.Errorf("BUILD_TOML's directory holds %q, want only build.toml", got)
	}

	file := filepath.Join(target, "setup.py")
	missing := filepath.Join(target, "nope")
	for _, bad := range []string{file, missing} {
		r := runFake(t, "", "generate-torch", path, bad)
		if want := "build2cmake: `" + bad + "` is not a directory\n"; r.code != 2 || r.stderr != want {
			t.Errorf("TARGET_DIR %s: got %+v, want exit 2 and %q", bad, r, want)
		}
	}
}

func TestGenerateBackendSelection(t *testing.T) {
	for _, tc := range []struct {
		name, build string
		flags       []string
		code        int
		backend     string // when code is 0
		stderr      string // when code is not 0
	}{
		{name: "only backend", build: "cpu", code: 0, backend: "cpu"},
		{name: "flag any case", build: "cpu+cuda", flags: []string{"--backend", "CUDA"}, backend: "cuda"},
		{name: "flag not listed", build: "cpu", flags: []string{"--backend", "rocm"}, code: 2,
			stderr: "build2cmake: Kernel does not support backend: rocm (general.backends: cpu)\n"},
		{name: "unknown backend", build: "cpu", flags: []string{"--backend", "tpu"}, code: 2,
			stderr: "build2cmake: unknown backend \"tpu\"; expected one of cpu, cuda, metal, rocm, xpu\n"},
		{name: "several", build: "cpu+cuda", code: 2,
			stderr: "build2cmake: note: cannot choose the backend from Torch: no python3 on PATH; pass --python or set Python3_EXECUTABLE\n" +
				"build2cmake: Multiple supported backends found in build.toml: cpu, cuda. Please specify one with --backend.\n"},
		{name: "none", build: "none", code: 2, stderr: "build2cmake: No backends are specified in build.toml\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := fakeProject(t, tc.build)
			args := append(append([]string{"generate-torch"}, tc.flags...), path)
			r := runFake(t, "", args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, tc.code, r.stderr)
			}
			if tc.code != 0 {
				if r.stderr != tc.stderr {
					t.Errorf("stderr:\n%s\nwant:\n%s", r.stderr, tc.stderr)
				}
				if got := listTree(t, filepath.Dir(path)); len(got) != 1 {
					t.Errorf("failed run wrote files: %q", got)
				}
				return
			}
			if got := readFile(t, filepath.Join(filepath.Dir(path), "CMakeLists.txt")); !strings.Contains(got, "set(BACKEND "+tc.backend+")") {
				t.Errorf("CMakeLists.txt rendered for the wrong backend:\n%s", got)
			}
		})
	}
}

func TestGenerateWarnings(t *testing.T) {
	// v2 format: a deprecation warning, then generation goes ahead.
	path := fakeProject(t, "v2")
	r := runFake(t, "", "generate-torch", path)
	want := "build2cmake: warning: " + path + " uses the deprecated v2 format; run `build2cmake update-build --license Apache-2.0 " + path +
		"` to convert it to edition 5, which requires a license: put your kernel's (an SPDX expression) in place of Apache-2.0\n"
	if r.code != 0 || r.stderr != want {
		t.Errorf("v2 build: %+v, want exit 0 and stderr %q", r, want)
	}

	// Dependencies the selected backend cannot use are reported for its
	// kernels only: relu_cpu's cutlass_3_6 is not mentioned for cuda.
	path = fakeProject(t, "cpu+cuda")
	r = runFake(t, "", "generate-torch", "--backend", "cuda", path)
	want = path + `:1:1: warning: dependency "metal-cpp" in [kernel.relu_cuda] cannot be used by cuda kernels and is ignored` + "\n"
	if r.code != 0 || r.stderr != want {
		t.Errorf("cuda: %+v, want exit 0 and stderr %q", r, want)
	}
	r = runFake(t, "", "generate-torch", "--backend", "cpu", "--force", path)
	want = path + `:1:1: warning: dependency "cutlass_3_6" in [kernel.relu_cpu] cannot be used by cpu kernels and is ignored` + "\n"
	if r.code != 0 || r.stderr != want {
		t.Errorf("cpu: %+v, want exit 0 and stderr %q", r, want)
	}
}

func TestGenerateBadInput(t *testing.T) {
	path := fakeProject(t, "garbage")
	r := runFake(t, "", "generate-torch", path)
	// Diagnostics carry their own position and are printed as they are.
	want := path + ":1:1: unknown build \"garbage\"\n" + path + ":2:3: second problem\n"
	if r.code != 2 || r.stderr != want {
		t.Errorf("bad build.toml: %+v, want exit 2 and stderr %q", r, want)
	}

	r = runFake(t, "", "generate-torch", filepath.Join(t.TempDir(), "missing.toml"))
	if r.code != 2 || !strings.HasPrefix(r.stderr, "build2cmake: read build file: open ") {
		t.Errorf("missing build.toml: %+v", r)
	}

	path = fakeProject(t, "cpu")
	fakeBuilds["fail"] = fakeBuilds["cpu"]
	t.Cleanup(func() { delete(fakeBuilds, "fail") })
	b := fakeBuilds["fail"]
	b.build.General.Name = "fail"
	fakeBuilds["fail"] = b
	writeFile(t, path, "fail\n")
	r = runFake(t, "", "generate-torch", path)
	if want := "build2cmake: generate cpu files: template exploded\n"; r.code != 2 || r.stderr != want {
		t.Errorf("render failure: %+v, want exit 2 and %q", r, want)
	}
}

func TestUsageErrors(t *testing.T) {
	path := fakeProject(t, "cpu")
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		// Not nil: cobra reads os.Args for nil, and under `make golden`
		// those hold the test's -update flag.
		{[]string{}, "build2cmake: missing command\nrun `build2cmake --help` for usage\n"},
		{[]string{"generate-torch"}, "build2cmake: missing BUILD_TOML\nrun `build2cmake generate-torch --help` for usage\n"},
		{[]string{"generate-torch", path, "a", "b"}, "build2cmake: unexpected argument \"b\"\nrun `build2cmake generate-torch --help` for usage\n"},
		{[]string{"generate-torch", "--frobnicate", path}, "build2cmake: unknown flag: --frobnicate\nrun `build2cmake generate-torch --help` for usage\n"},
		{[]string{"generate-torch", "--check", "--dry-run", path}, "build2cmake: --check and --dry-run cannot be used together\nrun `build2cmake generate-torch --help` for usage\n"},
		{[]string{"update-build", path, path}, "build2cmake: unexpected argument \"" + path + "\"\nrun `build2cmake update-build --help` for usage\n"},
		{[]string{"check-config", path, path}, "build2cmake: unexpected argument \"" + path + "\"\nrun `build2cmake check-config --help` for usage\n"},
		{[]string{"update-build", "--version", "x", path}, "build2cmake: invalid argument \"x\" for \"--version\" flag: strconv.ParseUint: parsing \"x\": invalid syntax\nrun `build2cmake update-build --help` for usage\n"},
		{[]string{"validate", path, path}, "build2cmake: unexpected argument \"" + path + "\"\nrun `build2cmake validate --help` for usage\n"},
		{[]string{"clean", "--ops-id"}, "build2cmake: flag needs an argument: --ops-id\nrun `build2cmake clean --help` for usage\n"},
	} {
		r := runFake(t, "", tc.args...)
		if r.code != 2 || r.stderr != tc.stderr {
			t.Errorf("%q: %+v\nwant exit 2 and stderr:\n%s", tc.args, r, tc.stderr)
		}
	}
	if r := runFake(t, "", "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %+v", r)
	}
}

func TestGenerateIdempotent(t *testing.T) {
	path := fakeProject(t, "cpu")
	dir := filepath.Dir(path)
	if r := runFake(t, "", "generate-torch", "--ops-id", "x", path); r.code != 0 {
		t.Fatalf("first run: %+v", r)
	}
	before := listTree(t, dir)
	ageTree(t, dir)
	// Identical files are no conflict: no --force needed, nothing touched.
	if r := runFake(t, "", "generate-torch", "--ops-id", "x", path); r.code != 0 || r.stderr != "" {
		t.Fatalf("second run: %+v", r)
	}
	if got := rewritten(t, dir); len(got) != 0 {
		t.Errorf("regenerating identical content rewrote %q", got)
	}
	if got := listTree(t, dir); !reflect.DeepEqual(got, before) {
		t.Errorf("tree changed: %q, want %q", got, before)
	}

	// A changed ops name changes one file; only that one is rewritten.
	if r := runFake(t, "", "generate-torch", "--ops-id", "y", "--force", path); r.code != 0 {
		t.Fatalf("third run: %+v", r)
	}
	if got, want := rewritten(t, dir), []string{"torch-ext/relu_kernel/_ops.py"}; !reflect.DeepEqual(got, want) {
		t.Errorf("rewritten %q, want %q", got, want)
	}
}

func TestGenerateConflicts(t *testing.T) {
	path := fakeProject(t, "cpu")
	dir := filepath.Dir(path)
	writeFile(t, filepath.Join(dir, "setup.py"), "# my own setup.py\n")
	writeFile(t, filepath.Join(dir, "CMakeLists.txt"), "project(mine)\n")
	r := runFake(t, "", "generate-torch", "--ops-id", "x", path)
	want := `build2cmake: 2 existing files differ from the generated content in "` + dir + `":
  CMakeLists.txt
  setup.py
nothing was written; run ` + "`build2cmake generate-torch --ops-id x --force " + path + "` to overwrite them, or `build2cmake generate-torch --ops-id x --check " + path + "`" + ` to see the differences
`
	if r.code != 2 || r.stderr != want {
		t.Fatalf("conflict: %+v\nwant exit 2 and stderr:\n%s", r, want)
	}
	if got := listTree(t, dir); len(got) != 3 || got["setup.py"] != "# my own setup.py\n" {
		t.Errorf("a conflicting run wrote files: %q", got)
	}

	r = runFake(t, "", "generate-torch", "--ops-id", "x", "-f", path)
	if r.code != 0 {
		t.Fatalf("--force: %+v", r)
	}
	if got := readFile(t, filepath.Join(dir, "setup.py")); got != fakeHeader+"name = \"relu_kernel\"\n" {
		t.Errorf("setup.py after --force = %q", got)
	}
}

func TestGenerateCheck(t *testing.T) {
	path := fakeProject(t, "cpu")
	dir := filepath.Dir(path)
	if r := runFake(t, "", "generate-torch", "--ops-id", "x", path); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	if r := runFake(t, "", "generate-torch", "--ops-id", "x", "--check", path); r.code != 0 || r.stdout != "" || r.stderr != "" {
		t.Errorf("--check on an up-to-date tree: %+v, want exit 0 and no output", r)
	}

	// One stale file, one missing.
	writeFile(t, filepath.Join(dir, "CMakeLists.txt"), fakeHeader+"project(relu-kernel)\nset(BACKEND cuda)\nset(OS linux)\n")
	if err := os.Remove(filepath.Join(dir, "setup.py")); err != nil {
		t.Fatal(err)
	}
	before := listTree(t, dir)
	ageTree(t, dir)
	r := runFake(t, "", "generate-torch", "--ops-id", "x", "--check", "--target-os", "linux", path)
	wantOut := `--- a/CMakeLists.txt
+++ b/CMakeLists.txt
@@ -1,5 +1,5 @@
 # This file is generated by build2cmake and rewritten by
 # ` + "`build2cmake generate-torch`" + `: edit build.toml instead.
 project(relu-kernel)
-set(BACKEND cuda)
+set(BACKEND cpu)
 set(OS linux)
--- /dev/null
+++ b/setup.py
@@ -0,0 +1,3 @@
+# This file is generated by build2cmake and rewritten by
+# ` + "`build2cmake generate-torch`" + `: edit build.toml instead.
+name = "relu_kernel"
`
	wantErr := `build2cmake: generated files in "` + dir + `" are out of date:
  CMakeLists.txt: differs
  setup.py: missing
run ` + "`build2cmake generate-torch --ops-id x --target-os linux --force " + path + "`" + ` to update them
`
	if r.code != 1 || r.stdout != wantOut || r.stderr != wantErr {
		t.Errorf("--check: exit %d\nstdout:\n%s\nstderr:\n%s\nwant exit 1, stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr, wantOut, wantErr)
	}
	if got := listTree(t, dir); !reflect.DeepEqual(got, before) {
		t.Errorf("--check wrote files: %q", got)
	}
	if got := rewritten(t, dir); len(got) != 0 {
		t.Errorf("--check touched %q", got)
	}
}

func TestGenerateDryRun(t *testing.T) {
	path := fakeProject(t, "cpu")
	dir := filepath.Dir(path)
	writeFile(t, filepath.Join(dir, "setup.py"), fakeHeader+"name = \"relu_kernel\"\n")
	writeFile(t, filepath.Join(dir, "CMakeLists.txt"), "project(mine)\n")
	before := listTree(t, dir)
	r := runFake(t, "", "generate-torch", "--dry-run", path)
	wantOut := `changed   CMakeLists.txt
new       metadata.json
unchanged setup.py
new       torch-ext/relu_kernel/_ops.py
`
	wantErr := "build2cmake: note: 1 changed file would need --force: `build2cmake generate-torch --force " + path + "`\n"
	if r.code != 0 || r.stdout != wantOut || r.stderr != wantErr {
		t.Errorf("--dry-run: %+v\nwant stdout:\n%s\nstderr:\n%s", r, wantOut, wantErr)
	}
	if got := listTree(t, dir); !reflect.DeepEqual(got, before) {
		t.Errorf("--dry-run wrote files: %q", got)
	}
	if r := runFake(t, "", "generate-torch", "--dry-run", "--force", path); r.stderr != "" {
		t.Errorf("--dry-run --force: stderr %q, want none", r.stderr)
	}
}

// TestGenerateOpsNameWithoutGit: outside git the ops name is derived
// from the project, so that a second run changes nothing.
func TestGenerateOpsNameWithoutGit(t *testing.T) {
	path := fakeProject(t, "cpu")
	dir := filepath.Dir(path)
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
	if r := runFake(t, "", "generate-torch", path); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	got := readFile(t, filepath.Join(dir, "torch-ext/relu_kernel/_ops.py"))
	if want := "ops = torch.ops._relu_kernel_" + generator.DerivedID("relu_kernel", []byte("cpu\n")) + "\n"; !strings.HasSuffix(got, want) {
		t.Errorf("_ops.py:\n%s\nwant it to end with %q", got, want)
	}
	ageTree(t, dir)
	before := listTree(t, dir)
	if r := runFake(t, "", "generate-torch", path); r.code != 0 || r.stderr != "" {
		t.Errorf("second run: %+v, want exit 0 and nothing to say", r)
	}
	if !reflect.DeepEqual(listTree(t, dir), before) || len(rewritten(t, dir)) > 0 {
		t.Errorf("the second run changed files: %q", rewritten(t, dir))
	}
}

// TestGenerateRejectsBadOpsID: an id that is not [A-Za-z0-9_] would end up
// unquoted in _ops.py; it is a usage error and nothing is written.
func TestGenerateRejectsBadOpsID(t *testing.T) {
	path := fakeProject(t, "cpu")
	before := listTree(t, filepath.Dir(path))
	for _, cmd := range []string{"generate-torch", "clean"} {
		r := runFake(t, "", cmd, "--ops-id", "v1.2-3-gabc", path)
		want := "build2cmake: invalid --ops-id \"v1.2-3-gabc\": it may hold only letters, digits and underscores ([A-Za-z0-9_]), as it becomes part of a Python module name; a `git describe` value has - and . in it: use `git rev-parse --short HEAD`, or replace them with _\nrun `build2cmake " + cmd + " --help` for usage\n"
		if r.code != 2 || r.stderr != want {
			t.Errorf("%s --ops-id v1.2-3-gabc: %+v\nwant exit 2 and stderr:\n%s", cmd, r, want)
		}
	}
	if got := listTree(t, filepath.Dir(path)); !reflect.DeepEqual(got, before) {
		t.Errorf("a rejected --ops-id wrote files: %q", got)
	}
}

// TestGenerateRefusesLinkOutside: a generated folder that is a link to a
// place outside TARGET_DIR stops the run, even with --force, and the
// user's file there stays.
func TestGenerateRefusesLinkOutside(t *testing.T) {
	path := fakeProject(t, "cpu+cuda")
	dir := filepath.Dir(path)
	outside := t.TempDir()
	writeFile(t, filepath.Join(outside, "hipify.py"), "user's\n")
	if err := os.Symlink(outside, filepath.Join(dir, "cmake")); err != nil {
		t.Fatal(err)
	}
	r := runFake(t, "", "generate-torch", "--backend", "cuda", "--force", path)
	want := "build2cmake: \"" + filepath.Join(dir, "cmake") + "\" is a symbolic link to \"" + outside + "\", outside \"" + dir +
		"\"; build2cmake reads and writes nothing through it (replace the link by a directory, or generate into another TARGET_DIR)\n"
	if r.code != 2 || !strings.HasSuffix(r.stderr, want) {
		t.Errorf("generate through an outside link: %+v\nwant exit 2 and stderr:\n%s", r, want)
	}
	if got := readFile(t, filepath.Join(outside, "hipify.py")); got != "user's\n" {
		t.Errorf("the user's file outside became %q", got)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 2 {
		t.Errorf("the failed run wrote files: %v (%v), want build.toml and the link only", entries, err)
	}
}

// clean says it keeps what lies behind a link that leads outside, and that
// deleting it is the user's call, whatever --force says.
func TestCleanKeepsWhatIsBehindALinkOutside(t *testing.T) {
	path, dir := generated(t)
	outside := t.TempDir()
	if err := os.Rename(filepath.Join(dir, "cmake"), filepath.Join(outside, "cmake")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "cmake"), filepath.Join(dir, "cmake")); err != nil {
		t.Fatal(err)
	}
	r := runFake(t, "", "clean", "--force", path)
	want := "build2cmake: keeping " + filepath.Join(dir, "cmake", "hipify.py") + ": \"" + filepath.Join(dir, "cmake") + "\" is a symbolic link to \"" +
		filepath.Join(outside, "cmake") + "\", outside \"" + dir + "\"; build2cmake deletes nothing through it (delete what it leads to yourself if it should go)\n"
	if r.code != 0 || r.stderr != want {
		t.Errorf("clean --force: %+v\nwant exit 0 and stderr:\n%s", r, want)
	}
	if _, err := os.Stat(filepath.Join(outside, "cmake", "hipify.py")); err != nil {
		t.Errorf("the file behind the link went: %v", err)
	}
}
