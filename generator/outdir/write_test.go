package outdir

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/build2cmake-go/build2cmake/generator"
	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// old is a modification time no write made by a test can produce, so an
// unchanged mtime proves a file was not rewritten without timing anything.
var old = time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)

func put(t *testing.T, dir, rel, content string, mode fs.FileMode) {
	t.Helper()
	full := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(full, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(full, old, old); err != nil {
		t.Fatal(err)
	}
}

// tree returns every file under dir as relative path -> content.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func stat(t *testing.T, dir, rel string) fs.FileInfo {
	t.Helper()
	info, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func files() []generator.File {
	return []generator.File{
		{Path: "CMakeLists.txt", Content: []byte("project(x)\n")},
		{Path: "cmake/hipify.py", Content: []byte("#!/usr/bin/env python3\n"), Executable: true},
		{Path: "torch-ext/x/_ops.py", Content: []byte("import torch\n")},
	}
}

func TestInspectStatus(t *testing.T) {
	dir := t.TempDir()
	put(t, dir, "CMakeLists.txt", "project(x)\n", 0o644)
	put(t, dir, "cmake/hipify.py", "old\n", 0o755)
	p, err := Inspect(dir, files())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range p.Changes {
		got = append(got, c.Status.String()+" "+c.Path)
	}
	want := []string{"unchanged CMakeLists.txt", "changed cmake/hipify.py", "new torch-ext/x/_ops.py"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("statuses = %q, want %q", got, want)
	}
	if got := p.Conflicts(); !reflect.DeepEqual(got, []string{"cmake/hipify.py"}) {
		t.Errorf("Conflicts = %q, want only the changed file", got)
	}
}

func TestApplyNewTree(t *testing.T) {
	dir := t.TempDir()
	p, err := Inspect(dir, files())
	if err != nil {
		t.Fatal(err)
	}
	n, err := p.Apply(false)
	if err != nil || n != 3 {
		t.Fatalf("Apply = %d, %v; want 3 files written", n, err)
	}
	want := map[string]string{
		"CMakeLists.txt":      "project(x)\n",
		"cmake/hipify.py":     "#!/usr/bin/env python3\n",
		"torch-ext/x/_ops.py": "import torch\n",
	}
	if got := tree(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("tree = %q, want %q (no temporary files left)", got, want)
	}
	for rel, mode := range map[string]fs.FileMode{"CMakeLists.txt": 0o644, "cmake/hipify.py": 0o755} {
		if got := stat(t, dir, rel).Mode().Perm(); got != mode {
			t.Errorf("%s mode = %v, want %v", rel, got, mode)
		}
	}
}

func TestApplySkipsUnchanged(t *testing.T) {
	dir := t.TempDir()
	for _, f := range files() {
		put(t, dir, f.Path, string(f.Content), 0o644)
	}
	p, err := Inspect(dir, files())
	if err != nil {
		t.Fatal(err)
	}
	if n, err := p.Apply(false); err != nil || n != 0 {
		t.Fatalf("Apply = %d, %v; want 0 files written and no conflict", n, err)
	}
	for _, f := range files() {
		if mt := stat(t, dir, f.Path).ModTime(); !mt.Equal(old) {
			t.Errorf("%s was rewritten: mtime %v, want %v", f.Path, mt, old)
		}
	}
}

func TestApplyConflicts(t *testing.T) {
	dir := t.TempDir()
	put(t, dir, "CMakeLists.txt", "project(x)\n", 0o644) // identical: no conflict
	put(t, dir, "cmake/hipify.py", "mine\n", 0o600)
	put(t, dir, "torch-ext/x/_ops.py", "mine too\n", 0o644)
	p, err := Inspect(dir, append(files(), generator.File{Path: "setup.py", Content: []byte("new\n")}))
	if err != nil {
		t.Fatal(err)
	}
	before := tree(t, dir)
	_, err = p.Apply(false)
	var ce *ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("Apply without force = %v, want a ConflictError", err)
	}
	wantMsg := `2 existing files differ from the generated content in "` + dir + `":
  cmake/hipify.py
  torch-ext/x/_ops.py
nothing was written; use --force to overwrite, or --check to see the differences`
	if err.Error() != wantMsg {
		t.Errorf("error:\n%s\nwant:\n%s", err, wantMsg)
	}
	if got := tree(t, dir); !reflect.DeepEqual(got, before) {
		t.Errorf("conflict wrote files: %q, want %q", got, before)
	}

	// --force overwrites, keeps the user's permissions (adding execute
	// bits to an executable file where it is readable), and still leaves
	// the identical file alone.
	if n, err := p.Apply(true); err != nil || n != 3 {
		t.Fatalf("Apply(force) = %d, %v; want 3 files written", n, err)
	}
	if got := tree(t, dir)["cmake/hipify.py"]; got != "#!/usr/bin/env python3\n" {
		t.Errorf("hipify.py = %q after --force", got)
	}
	if got := stat(t, dir, "cmake/hipify.py").Mode().Perm(); got != 0o700 {
		t.Errorf("hipify.py mode = %v, want 0700 (0600 kept, plus owner execute)", got)
	}
	if mt := stat(t, dir, "CMakeLists.txt").ModTime(); !mt.Equal(old) {
		t.Errorf("identical CMakeLists.txt rewritten by --force: mtime %v", mt)
	}
}

func TestApplyFailureLeavesTreeIntact(t *testing.T) {
	dir := t.TempDir()
	put(t, dir, "CMakeLists.txt", "old cmake\n", 0o644)
	before := tree(t, dir)
	p, err := Inspect(dir, files())
	if err != nil {
		t.Fatal(err)
	}
	// Fail while staging the last file: the first two are already staged
	// as temporary files (one in a directory Apply created).
	boom := errors.New("disk full")
	testHookBeforeWrite = func(path string) error {
		if path == "torch-ext/x/_ops.py" {
			return boom
		}
		return nil
	}
	t.Cleanup(func() { testHookBeforeWrite = nil })
	if _, err := p.Apply(true); !errors.Is(err, boom) {
		t.Fatalf("Apply = %v, want the injected failure", err)
	}
	if got := tree(t, dir); !reflect.DeepEqual(got, before) {
		t.Errorf("after a failed Apply the tree is %q, want it untouched: %q", got, before)
	}
	for _, d := range []string{"cmake", "torch-ext"} {
		if _, err := os.Stat(filepath.Join(dir, d)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("directory %s created by the failed Apply is still there (%v)", d, err)
		}
	}
}

func TestApplyReadOnlyDirectory(t *testing.T) {
	// Root ignores directory permissions, and CI runs as root.
	if testenv.RunUnprivileged(t) {
		return
	}
	dir := t.TempDir()
	put(t, dir, "CMakeLists.txt", "old\n", 0o644)
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	p, err := Inspect(dir, files()[:1])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Apply(true); err == nil || !strings.Contains(err.Error(), "CMakeLists.txt") {
		t.Fatalf("Apply in a read-only directory = %v, want an error naming the file", err)
	}
	if got := tree(t, dir)["CMakeLists.txt"]; got != "old\n" {
		t.Errorf("CMakeLists.txt = %q, want the old content", got)
	}
}

func TestInspectRejects(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "setup.py"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{"setup.py", "a directory is in the way"},
		{"../escape.txt", "not inside the target directory"},
		{"/etc/passwd", "not inside the target directory"},
	} {
		_, err := Inspect(dir, []generator.File{{Path: tc.path, Content: []byte("x")}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Inspect(%q) = %v, want an error containing %q", tc.path, err, tc.want)
		}
	}
}
