package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// generated sets up a cpu+cuda project generated for cuda and returns the
// build.toml path and its directory.
func generated(t *testing.T) (string, string) {
	t.Helper()
	path := fakeProject(t, "cpu+cuda")
	if r := runFake(t, "", "generate-torch", "--backend", "cuda", "--ops-id", "x", path); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	return path, filepath.Dir(path)
}

func TestCleanDryRun(t *testing.T) {
	path, dir := generated(t)
	writeFile(t, filepath.Join(dir, "torch-ext/relu_kernel/__init__.py"), "# mine\n")
	before := listTree(t, dir)
	r := runFake(t, "", "clean", "--dry-run", path)
	var want strings.Builder
	for _, rel := range []string{"CMakeLists.txt", "cmake/hipify.py", "metadata.json", "setup.py", "torch-ext/relu_kernel/_ops.py"} {
		want.WriteString(filepath.Join(dir, rel) + "\n")
	}
	if r.code != 0 || r.stdout != want.String() || r.stderr != "" {
		t.Errorf("clean --dry-run: %+v\nwant stdout:\n%s", r, want.String())
	}
	if got := listTree(t, dir); !reflect.DeepEqual(got, before) {
		t.Errorf("--dry-run deleted files")
	}
}

func TestCleanPrompt(t *testing.T) {
	for _, tc := range []struct {
		name, stdin string
		deleted     bool
	}{
		{"yes", "y\n", true},
		{"YES without newline", "YES", true},
		{"no", "n\n", false},
		{"empty answer", "\n", false},
		{"end of input", "", false},
		{"other", "sure\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, dir := generated(t)
			r := runFakeTyped(t, tc.stdin, "clean", path)
			if wantCode := map[bool]int{true: 0, false: ExitDeclined}[tc.deleted]; r.code != wantCode {
				t.Fatalf("clean: %+v, want exit %d", r, wantCode)
			}
			prompt := "5 files will be deleted:\n  " + filepath.Join(dir, "CMakeLists.txt") + "\n"
			if !strings.HasPrefix(r.stderr, prompt) || !strings.Contains(r.stderr, "Continue? [y/N] ") {
				t.Errorf("stderr does not list the files and ask:\n%s", r.stderr)
			}
			left := listTree(t, dir)
			if !tc.deleted {
				if len(left) != 6 || !strings.HasSuffix(r.stderr, "build2cmake: aborted; nothing deleted\n") || r.stdout != "" {
					t.Errorf("answer %q deleted files or did not say so: %+v, left %q", tc.stdin, r, left)
				}
				return
			}
			if !reflect.DeepEqual(left, map[string]string{"build.toml": "cpu+cuda\n"}) {
				t.Errorf("after clean the directory holds %q, want only build.toml", left)
			}
			for _, d := range []string{"cmake", "torch-ext"} {
				if _, err := os.Stat(filepath.Join(dir, d)); !os.IsNotExist(err) {
					t.Errorf("empty %s/ not removed (%v)", d, err)
				}
			}
			if !strings.HasSuffix(r.stdout, "removed empty directory "+filepath.Join(dir, "torch-ext")+"\ncleaned 5 generated files\n") {
				t.Errorf("stdout does not report the count:\n%s", r.stdout)
			}
		})
	}
}

// TestCleanWithoutTerminal: with nobody to answer, clean refuses and
// names the commands that work; it never reads stdin as an answer.
func TestCleanWithoutTerminal(t *testing.T) {
	path, dir := generated(t)
	before := listTree(t, dir)
	r := runFake(t, "y\n", "clean", "--ops-id", "x", path)
	want := "build2cmake: 5 generated files would be deleted, but standard input is not a terminal to ask on; nothing deleted: " +
		"run `build2cmake clean --ops-id x --force " + path + "` to delete them without asking, or `build2cmake clean --ops-id x --dry-run " + path + "` to list them\n"
	if r.code != ExitBadInput || r.stderr != want || r.stdout != "" {
		t.Errorf("clean without a terminal: %+v\nwant exit 2 and stderr %q", r, want)
	}
	if !reflect.DeepEqual(listTree(t, dir), before) {
		t.Error("clean without a terminal deleted files")
	}
}

func TestCleanForeignFiles(t *testing.T) {
	path, dir := generated(t)
	writeFile(t, filepath.Join(dir, "setup.py"), "# the user's own\n")
	writeFile(t, filepath.Join(dir, "metadata.json"), `{"python-depends":[],"license":"mit"}`)
	r := runFakeTyped(t, "y\n", "clean", path)
	wantKept := "build2cmake: keeping " + filepath.Join(dir, "metadata.json") + ": not written by build2cmake (--force deletes it)\n" +
		"build2cmake: keeping " + filepath.Join(dir, "setup.py") + ": not written by build2cmake (--force deletes it)\n"
	if r.code != 0 || !strings.HasPrefix(r.stderr, wantKept) {
		t.Fatalf("clean: %+v\nwant stderr to start with:\n%s", r, wantKept)
	}
	left := listTree(t, dir)
	if len(left) != 3 || left["setup.py"] != "# the user's own\n" || left["metadata.json"] == "" {
		t.Errorf("left %q, want build.toml and the two foreign files", left)
	}

	// --force deletes them too, without asking.
	r = runFake(t, "", "clean", "--force", path)
	if r.code != 0 || strings.Contains(r.stderr, "Continue?") || r.stdout != "deleted "+filepath.Join(dir, "metadata.json")+"\ndeleted "+filepath.Join(dir, "setup.py")+"\ncleaned 2 generated files\n" {
		t.Errorf("clean --force: %+v", r)
	}

	r = runFake(t, "", "clean", "-f", path)
	if want := "build2cmake: no generated files to clean in " + dir + "\n"; r.code != 0 || r.stderr != want || r.stdout != "" {
		t.Errorf("clean of a clean directory: %+v, want stderr %q", r, want)
	}
}

func TestCleanFromAnotherDirectory(t *testing.T) {
	path, dir := generated(t)
	// The user's own project in the current directory has files with the
	// same names; the reference deleted those instead of TARGET_DIR's.
	cwd := t.TempDir()
	writeFile(t, filepath.Join(cwd, "CMakeLists.txt"), "# generated by build2cmake\n")
	writeFile(t, filepath.Join(cwd, "setup.py"), "# generated by build2cmake\n")
	t.Chdir(cwd)
	rel, err := filepath.Rel(cwd, path)
	if err != nil {
		t.Fatal(err)
	}
	if r := runFake(t, "", "clean", "-f", rel); r.code != 0 {
		t.Fatalf("clean: %+v", r)
	}
	if got := listTree(t, cwd); len(got) != 2 {
		t.Errorf("clean touched the current directory: %q", got)
	}
	if got := listTree(t, dir); len(got) != 1 {
		t.Errorf("TARGET_DIR still holds %q", got)
	}
}

func TestCleanTargetDir(t *testing.T) {
	path := fakeProject(t, "cpu")
	target := t.TempDir()
	if r := runFake(t, "", "generate-torch", path, target); r.code != 0 {
		t.Fatalf("generate: %+v", r)
	}
	if r := runFake(t, "", "clean", "-f", "-d", path); r.code != 0 || r.stdout != "" {
		t.Errorf("clean of BUILD_TOML's directory found files: %+v", r)
	}
	if r := runFake(t, "", "clean", "-f", path, target); r.code != 0 || !strings.HasSuffix(r.stdout, "cleaned 4 generated files\n") {
		t.Errorf("clean TARGET_DIR: %+v", r)
	}
	if r := runFake(t, "", "clean", path, filepath.Join(target, "nope")); r.code != 2 || !strings.Contains(r.stderr, "is not a directory") {
		t.Errorf("clean into a missing TARGET_DIR: %+v", r)
	}
}
