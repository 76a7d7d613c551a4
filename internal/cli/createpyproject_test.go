package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator"
	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// kernelFolder writes a small cpu+cuda v3 kernel into a new folder.
func kernelFolder(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "kernel")
	writeFile(t, filepath.Join(dir, "build.toml"), `[general]
name = "my-relu"
backends = ["cpu", "cuda"]

[torch]
src = ["torch-ext/torch_binding.cpp"]

[kernel.relu_cpu]
backend = "cpu"
depends = ["torch"]
src = ["relu_cpu/relu.cpp"]
`)
	writeSources(t, dir)
	return dir
}

func TestCreatePyprojectFlagErrors(t *testing.T) {
	dir := kernelFolder(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--kernel-dirty"}, "build2cmake: --kernel-dirty needs --kernel-sha\n"},
		{[]string{"--kernel-sha", "abc123"}, `build2cmake: --kernel-sha "abc123" is not a full git commit id (40 or 64 hex digits)` + "\n"},
		{[]string{"--check", "--dry-run"}, "build2cmake: --check and --dry-run cannot be used together\n"},
		{[]string{"--unique-id", "a.b"}, `build2cmake: invalid --unique-id "a.b": it may hold only letters, digits and underscores ([A-Za-z0-9_]), ` +
			"as it becomes part of a Python module name; a `git describe` value has - and . in it: use `git rev-parse --short HEAD`, or replace them with _\n"},
	} {
		before := listTree(t, dir)
		code, stdout, stderr := runMain(append(append([]string{"create-pyproject"}, tc.args...), dir))
		want := tc.want + "run `build2cmake create-pyproject --help` for usage\n"
		if code != ExitBadInput || stdout != "" || stderr != want {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and %q", tc.args, code, stdout, stderr, want)
		}
		if !reflect.DeepEqual(listTree(t, dir), before) {
			t.Errorf("%q wrote files", tc.args)
		}
	}
}

// A path to build.toml and its folder give the same files, and the kernel
// folder is found from any working directory.
func TestCreatePyprojectBuildTomlPath(t *testing.T) {
	a, b := kernelFolder(t), kernelFolder(t)
	for _, arg := range []string{a, filepath.Join(b, "build.toml")} {
		if code, _, stderr := runMain([]string{"create-pyproject", "--unique-id", "x", arg}); code != 0 {
			t.Fatalf("create-pyproject %s: exit %d\n%s", arg, code, stderr)
		}
	}
	if ta, tb := listTree(t, a), listTree(t, b); !reflect.DeepEqual(ta, tb) {
		t.Errorf("the folder and its build.toml gave different trees")
	}
	if _, err := os.Stat(filepath.Join(a, "metadata-tpu.json")); err != nil {
		t.Errorf("no metadata-tpu.json: %v", err)
	}
}

func TestCleanPyproject(t *testing.T) {
	dir := kernelFolder(t)
	if code, _, stderr := runMain([]string{"create-pyproject", "--unique-id", "x", dir}); code != 0 {
		t.Fatalf("create-pyproject: exit %d\n%s", code, stderr)
	}
	// Not ours: another kernel's metadata, and a hand-written setup.py.
	writeFile(t, filepath.Join(dir, "metadata-rocm.json"), `{"name": "other", "id": "_other_rocm_x", "backend": {"type": "rocm"}}`)
	writeFile(t, filepath.Join(dir, "setup.py"), "print('mine')\n")

	code, stdout, stderr := runMain([]string{"clean-pyproject", "--dry-run", dir})
	if code != 0 {
		t.Fatalf("clean-pyproject --dry-run: exit %d\n%s", code, stderr)
	}
	for _, rel := range []string{"metadata-rocm.json", "setup.py"} {
		line := filepath.Join(dir, rel) + "\n"
		if strings.Contains(stdout, line) {
			t.Errorf("--dry-run would delete %s, which build2cmake did not write", rel)
		}
		if want := "build2cmake: keeping " + filepath.Join(dir, rel) + ": not written by build2cmake (--force deletes it)\n"; !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	for _, rel := range []string{"CMakeLists.txt", "metadata-cpu.json", "metadata-tpu.json", "cmake/variants.cmake", "torch-ext/my_relu/_ops.py"} {
		if !strings.Contains(stdout, filepath.Join(dir, rel)+"\n") {
			t.Errorf("--dry-run does not list %s:\n%s", rel, stdout)
		}
	}

	// Answering the prompt with y deletes ours and keeps the others.
	if r := runRealTyped(t, "y\n", "clean-pyproject", dir); r.code != 0 {
		t.Fatalf("clean-pyproject: %+v", r)
	}
	var left []string
	for rel := range listTree(t, dir) {
		left = append(left, rel)
	}
	want := map[string]bool{"build.toml": true, "metadata-rocm.json": true, "setup.py": true,
		"relu_cpu/relu.cpp": true, "torch-ext/torch_binding.cpp": true}
	if len(left) != len(want) {
		t.Errorf("left %q, want %v", left, want)
	}
	for _, rel := range left {
		if !want[rel] {
			t.Errorf("left %s behind", rel)
		}
	}
}

// TestCreatePyprojectReadsToday runs create-pyproject on every build.toml
// of kernels-community and huggingface/kernels' examples in
// testdata/config/today (v4 and edition 5): each gives the eight metadata
// files with its own ops names, [tvm-ffi] builds included.
func TestCreatePyprojectReadsToday(t *testing.T) {
	paths, err := filepath.Glob("../../testdata/config/today/*/build.toml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no files in testdata/config/today: %v", err)
	}
	for _, path := range paths {
		name := filepath.Base(filepath.Dir(path))
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "build.toml"), string(data))
			// Only the build.toml files are copied in; the kernels'
			// sources are not, so stand-ins take their place.
			writeSources(t, dir)
			code, _, stderr := runMain([]string{"create-pyproject", "--unique-id", "today", dir})
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			for _, backend := range []string{"cann", "cpu", "cuda", "metal", "neuron", "rocm", "tpu", "xpu"} {
				var m struct {
					ID      string `json:"id"`
					Backend struct {
						Type string `json:"type"`
					} `json:"backend"`
				}
				raw, err := os.ReadFile(filepath.Join(dir, "metadata-"+backend+".json"))
				if err != nil || json.Unmarshal(raw, &m) != nil {
					t.Fatalf("metadata-%s.json: %v\n%s", backend, err, raw)
				}
				if !strings.HasPrefix(m.ID, "_") || !strings.HasSuffix(m.ID, "_"+backend+"_today") || m.Backend.Type != backend {
					t.Errorf("metadata-%s.json: id %q, backend %q", backend, m.ID, m.Backend.Type)
				}
			}
		})
	}
}

// TestCleanRunsNoGit: clean and clean-pyproject promise to touch only
// generated files, so they must not run git in the user's repository at
// all (a repository's configuration can make git run commands). A git on
// PATH that leaves a mark proves it.
func TestCleanRunsNoGit(t *testing.T) {
	bin := t.TempDir()
	mark := filepath.Join(t.TempDir(), "git-ran")
	writeFile(t, filepath.Join(bin, "git"), "#!/bin/sh\ntouch '"+mark+"'\nexit 1\n")
	if err := os.Chmod(filepath.Join(bin, "git"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	for _, args := range [][]string{
		{"clean-pyproject", "--dry-run"},
		{"clean-pyproject", "--force"},
		{"clean", "--dry-run"},
		{"clean", "--force"},
	} {
		dir := kernelFolder(t)
		arg := dir
		if args[0] == "clean" {
			arg = filepath.Join(dir, "build.toml")
		}
		if code, _, stderr := runMain(append(args, arg)); code != 0 {
			t.Fatalf("%q: exit %d\n%s", args, code, stderr)
		}
		if _, err := os.Stat(mark); err == nil {
			t.Fatalf("%q ran git", args)
		}
	}
}

// The provenance in the metadata names this program, its version and, when
// the binary knows it, its commit; and the kernel's commit from
// --kernel-sha/--kernel-dirty, else from its repository.
func TestProvenance(t *testing.T) {
	sha := strings.Repeat("a", 40)
	stamped := &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: sha}, {Key: "vcs.modified", Value: "true"},
	}}
	repo := &generator.RepoState{Commit: strings.Repeat("c", 40), Dirty: true}
	for _, tc := range []struct {
		name string
		info *debug.BuildInfo
		f    createPyprojectFlags
		repo *generator.RepoState
		want generator.Provenance
	}{
		{"stamped, --kernel-sha", stamped, createPyprojectFlags{kernelSHA: strings.Repeat("B", 40), kernelDirty: true}, repo,
			generator.Provenance{BuilderVersion: "build2cmake v1.2.3", Builder: &generator.GitState{Commit: sha, Dirty: true},
				Kernel: &generator.GitState{Commit: strings.Repeat("b", 40), Dirty: true}}},
		{"no build info, repository", nil, createPyprojectFlags{}, repo,
			generator.Provenance{BuilderVersion: "build2cmake (devel)", Kernel: &generator.GitState{Commit: strings.Repeat("c", 40), Dirty: true}}},
		{"unstamped, nothing known", &debug.BuildInfo{}, createPyprojectFlags{}, nil,
			generator.Provenance{BuilderVersion: "build2cmake (devel)"}},
	} {
		if got := provenanceFrom(tc.info, tc.f, tc.repo); !reflect.DeepEqual(*got, tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, *got, tc.want)
		}
	}
}

// --kernel-sha and --kernel-dirty reach every metadata file.
func TestCreatePyprojectKernelSHA(t *testing.T) {
	dir := kernelFolder(t)
	sha := strings.Repeat("0123456789", 4)
	if code, _, stderr := runMain([]string{"create-pyproject", "--unique-id", "x", "--kernel-sha", strings.ToUpper(sha), "--kernel-dirty", dir}); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, backend := range []string{"cpu", "cuda", "neuron"} {
		var m struct {
			Provenance struct {
				KernelBuilder struct{ Version string } `json:"kernel-builder"`
				Kernel        struct {
					Commit string
					Dirty  bool
				}
			}
		}
		data, err := os.ReadFile(filepath.Join(dir, "metadata-"+backend+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		if m.Provenance.Kernel.Commit != sha || !m.Provenance.Kernel.Dirty || !strings.HasPrefix(m.Provenance.KernelBuilder.Version, "build2cmake ") {
			t.Errorf("metadata-%s.json has provenance %+v, want the kernel at %s, dirty, built by build2cmake", backend, m.Provenance, sha)
		}
	}
}

// Without --kernel-sha the kernel's commit comes from its repository, also
// when --unique-id is given; a changed tracked file makes it dirty.
func TestCreatePyprojectProvenanceFromGit(t *testing.T) {
	testenv.LookPath(t, "git")
	dir := kernelFolder(t)
	for _, args := range [][]string{{"init", "-q"}, {"add", "build.toml"}, {"commit", "-q", "-m", "kernel"}} {
		runGit(t, dir, args...)
	}
	head := runGit(t, dir, "rev-parse", "HEAD")
	for _, dirty := range []bool{false, true} {
		if dirty {
			writeFile(t, filepath.Join(dir, "build.toml"), readFile(t, filepath.Join(dir, "build.toml"))+"# changed\n")
		}
		if code, _, stderr := runMain([]string{"create-pyproject", "--force", "--unique-id", "x", dir}); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var m struct {
			Provenance struct {
				Kernel *struct {
					Commit string
					Dirty  bool
				}
			}
		}
		if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, "metadata-cpu.json"))), &m); err != nil {
			t.Fatal(err)
		}
		if k := m.Provenance.Kernel; k == nil || k.Commit != head || k.Dirty != dirty {
			t.Errorf("dirty %v: provenance.kernel is %+v, want commit %s", dirty, k, head)
		}
	}
}
