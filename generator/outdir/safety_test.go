package outdir

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator"
	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// TestNoWriteThroughOutsideLink: cmake -> ../outside must not let a run,
// even with --force, overwrite the user's file in the outside folder.
func TestNoWriteThroughOutsideLink(t *testing.T) {
	base := t.TempDir()
	dir, outside := filepath.Join(base, "kernel"), filepath.Join(base, "outside")
	put(t, outside, "hipify.py", "user's file\n", 0o644)
	put(t, dir, "CMakeLists.txt", "old\n", 0o644)
	symlink(t, "../outside", filepath.Join(dir, "cmake"))
	_, err := Inspect(dir, files())
	if err == nil || !strings.Contains(err.Error(), `is a symbolic link to "`+outside+`", outside`) {
		t.Fatalf("Inspect = %v, want the link named as leading outside", err)
	}
	if got := tree(t, outside); !reflect.DeepEqual(got, map[string]string{"hipify.py": "user's file\n"}) {
		t.Errorf("outside folder = %q", got)
	}
}

// TestWriteThroughInsideLink: a link to a folder inside the target
// directory is fine; the files land in the folder it leads to.
func TestWriteThroughInsideLink(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "real-cmake"), 0o755); err != nil {
		t.Fatal(err)
	}
	symlink(t, "real-cmake", filepath.Join(dir, "cmake"))
	p, err := Inspect(dir, files())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Apply(false); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, filepath.Join(dir, "real-cmake")); got["hipify.py"] != "#!/usr/bin/env python3\n" {
		t.Errorf("real-cmake = %q", got)
	}
}

// TestLinkAtGeneratedPathIsExisting: a link at a generated path, dangling
// or leading outside, is an existing file: a conflict without --force, and
// with it the link itself is replaced while its target stays untouched.
func TestLinkAtGeneratedPathIsExisting(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "kernel")
	put(t, base, "outside.txt", "user's\n", 0o644)
	put(t, dir, "keep", "", 0o644)
	symlink(t, "does-not-exist", filepath.Join(dir, "CMakeLists.txt"))
	if err := os.MkdirAll(filepath.Join(dir, "torch-ext/x"), 0o755); err != nil {
		t.Fatal(err)
	}
	symlink(t, "../../../outside.txt", filepath.Join(dir, "torch-ext/x/_ops.py"))
	p, err := Inspect(dir, files())
	if err != nil {
		t.Fatal(err)
	}
	var ce *ConflictError
	if _, err := p.Apply(false); !errors.As(err, &ce) || !reflect.DeepEqual(ce.Paths, []string{"CMakeLists.txt", "torch-ext/x/_ops.py"}) {
		t.Fatalf("Apply without force = %v, want a conflict on both links", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "does-not-exist")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the dangling link's target was created (%v)", err)
	}
	if _, err := p.Apply(true); err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{"CMakeLists.txt", "torch-ext/x/_ops.py"} {
		if info, err := os.Lstat(filepath.Join(dir, rel)); err != nil || !info.Mode().IsRegular() {
			t.Errorf("%s is not a regular file after --force (%v)", rel, err)
		}
	}
	if got := tree(t, base)["outside.txt"]; got != "user's\n" {
		t.Errorf("outside.txt = %q, want it untouched", got)
	}
	if _, err := os.Lstat(filepath.Join(dir, "does-not-exist")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the dangling link's target was created (%v)", err)
	}
}

// TestApplyRollsBackFailedRename: when one file cannot be replaced after
// others were, every file gets its old content back, new files and folders
// go, and no temporary file stays.
func TestApplyRollsBackFailedRename(t *testing.T) {
	dir := t.TempDir()
	put(t, dir, "CMakeLists.txt", "old cmake\n", 0o644)
	put(t, dir, "torch-ext/x/_ops.py", "old ops\n", 0o644)
	before := tree(t, dir)
	p, err := Inspect(dir, files())
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("cannot replace")
	testHookBeforeRename = func(path string) error {
		if path == "torch-ext/x/_ops.py" { // the last of three
			return boom
		}
		return nil
	}
	t.Cleanup(func() { testHookBeforeRename = nil })
	if _, err := p.Apply(true); !errors.Is(err, boom) || !strings.Contains(err.Error(), "no file was changed") {
		t.Fatalf("Apply = %v, want the injected failure and that nothing changed", err)
	}
	if got := tree(t, dir); !reflect.DeepEqual(got, before) {
		t.Errorf("after a failed Apply the tree is %q, want %q", got, before)
	}
	if _, err := os.Stat(filepath.Join(dir, "cmake")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("cmake/ created by the failed Apply is still there (%v)", err)
	}
	if mt := stat(t, dir, "CMakeLists.txt").ModTime(); !mt.Equal(old) {
		t.Errorf("CMakeLists.txt is not the original file back: mtime %v", mt)
	}
}

// TestApplyRemovesStaleTemporaryFiles: leftovers of an interrupted run go;
// other dot files stay.
func TestApplyRemovesStaleTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	put(t, dir, ".CMakeLists.txt.build2cmake-tmp-99", "half a file", 0o600)
	put(t, dir, ".CMakeLists.txt.tmp12345", "half a file", 0o600)
	put(t, dir, ".CMakeLists.txt.swp", "editor", 0o600)
	apply := func() {
		p, err := Inspect(dir, files())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Apply(true); err != nil {
			t.Fatal(err)
		}
	}
	// Without the lock they might be a concurrent run's: they stay.
	apply()
	if got := tree(t, dir); got[".CMakeLists.txt.build2cmake-tmp-99"] == "" {
		t.Error("a temporary file was removed without the lock")
	}
	l, err := Lock(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	put(t, dir, "CMakeLists.txt", "changed\n", 0o644) // something to write
	apply()
	l.Unlock()
	got := tree(t, dir)
	for _, name := range []string{".CMakeLists.txt.build2cmake-tmp-99", ".CMakeLists.txt.tmp12345"} {
		if _, ok := got[name]; ok {
			t.Errorf("stale %s is still there", name)
		}
	}
	if _, ok := got[".CMakeLists.txt.swp"]; !ok {
		t.Error("the editor's .CMakeLists.txt.swp was removed")
	}
}

func TestLockExcludes(t *testing.T) {
	dir := t.TempDir()
	l, err := Lock(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, LockName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); !errors.Is(err, syscall.EWOULDBLOCK) {
		t.Errorf("second lock while held = %v, want EWOULDBLOCK", err)
	}
	l.Unlock()
	if _, err := os.Lstat(filepath.Join(dir, LockName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("lock file left after Unlock (%v)", err)
	}
}

func TestLockRefusesLink(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "kernel")
	put(t, dir, "x", "", 0o644)
	symlink(t, "../victim", filepath.Join(dir, LockName))
	if _, err := Lock(dir, nil); err == nil {
		t.Fatal("Lock followed a link at the lock file's name")
	}
	if _, err := os.Lstat(filepath.Join(base, "victim")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Lock created the link's target (%v)", err)
	}
}

// TestConcurrentRunsSerialise runs two writers of different content into
// one folder, as two generate-torch runs without --force would: one wins,
// the other sees its files as a conflict, and the tree is never a mix.
func TestConcurrentRunsSerialise(t *testing.T) {
	set := func(tag string) []generator.File {
		return []generator.File{
			{Path: "CMakeLists.txt", Content: []byte(tag)},
			{Path: "setup.py", Content: []byte(tag)},
			{Path: "torch-ext/x/_ops.py", Content: []byte(tag)},
		}
	}
	for round := range 30 {
		dir := t.TempDir()
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, tag := range []string{"A", "B"} {
			wg.Go(func() {
				l, err := Lock(dir, nil)
				if err != nil {
					errs[i] = err
					return
				}
				defer l.Unlock()
				p, err := Inspect(dir, set(tag))
				if err == nil {
					_, err = p.Apply(false)
				}
				errs[i] = err
			})
		}
		wg.Wait()
		var ce *ConflictError
		if (errs[0] == nil) == (errs[1] == nil) || !(errors.As(errs[0], &ce) || errors.As(errs[1], &ce)) {
			t.Fatalf("round %d: errors %v; want exactly one run to win and the other to see a conflict", round, errs)
		}
		got := tree(t, dir)
		if got["CMakeLists.txt"] != got["setup.py"] || got["setup.py"] != got["torch-ext/x/_ops.py"] {
			t.Fatalf("round %d: mixed tree %q", round, got)
		}
	}
}

// TestWriteFileFollow: a symlinked build.toml stays a link and its target
// gets the content; a link leading outside is refused.
func TestWriteFileFollow(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "kernel")
	put(t, dir, "configs/build.toml", "old\n", 0o600)
	symlink(t, "configs/build.toml", filepath.Join(dir, "build.toml"))
	if err := WriteFileFollow(dir, "build.toml", []byte("new\n"), nil); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(filepath.Join(dir, "build.toml")); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("build.toml is no longer a link (%v)", err)
	}
	if got := tree(t, dir)["configs/build.toml"]; got != "new\n" {
		t.Errorf("link target = %q, want the new content", got)
	}
	if got := stat(t, dir, "configs/build.toml").Mode().Perm(); got != 0o600 {
		t.Errorf("link target mode = %v, want 0600 kept", got)
	}

	put(t, base, "shared.toml", "shared\n", 0o644)
	symlink(t, "../shared.toml", filepath.Join(dir, "other.toml"))
	if err := WriteFileFollow(dir, "other.toml", []byte("new\n"), nil); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("WriteFileFollow through an outside link = %v, want a refusal", err)
	}
	if got := tree(t, base)["shared.toml"]; got != "shared\n" {
		t.Errorf("shared.toml = %q, want it untouched", got)
	}
}

// TestLockReadOnlyFolder: an up-to-date tree in a read-only folder is no
// error; only a write would be.
func TestLockReadOnlyFolder(t *testing.T) {
	// Root ignores directory permissions, and CI runs as root.
	if testenv.RunUnprivileged(t) {
		return
	}
	dir := t.TempDir()
	for _, f := range files()[:1] {
		put(t, dir, f.Path, string(f.Content), 0o644)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	l, err := Lock(dir, nil)
	if err != nil {
		t.Fatalf("Lock in a read-only folder = %v", err)
	}
	defer l.Unlock()
	p, err := Inspect(dir, files()[:1])
	if err != nil {
		t.Fatal(err)
	}
	if n, err := p.Apply(false); n != 0 || err != nil {
		t.Errorf("Apply of an up-to-date tree = %d, %v", n, err)
	}
}
