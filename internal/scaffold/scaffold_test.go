package scaffold

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator"
	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/generator/outdir"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the templates")

// goldenName is rendered into testdata/<goldenName>.golden. Its dash shows
// where the templates use the name as typed and where the Python name.
const goldenName = "my-kernel"

// TestGolden pins the whole rendered project of each framework, so that
// any change to a template shows up in review as a diff of what users get:
// testdata/<goldenName>.golden for Torch, <goldenName>-tvm-ffi.golden for
// [tvm-ffi].
func TestGolden(t *testing.T) {
	for _, framework := range Frameworks {
		files, err := FilesFor(goldenName, framework)
		if err != nil {
			t.Fatal(err)
		}
		got := archive(files)
		name := goldenName
		if framework != config.FrameworkTorch {
			name += "-" + string(framework)
		}
		path := filepath.Join("testdata", name+".golden")
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/scaffold -run TestGolden -update)", err)
		}
		if got != string(want) {
			t.Errorf("rendered project differs from %s (rerun with -update if intended):\n%s",
				path, outdir.UnifiedDiff(path, "rendered", want, []byte(got)))
		}
	}
}

// archive lays files out as one text, each after a "-- path --" line. One
// file rather than a tree: a tree would hold a real .gitignore, which git
// would apply to this repository.
func archive(files []generator.File) string {
	var b strings.Builder
	for _, f := range files {
		b.WriteString("-- " + f.Path + " --\n")
		b.Write(f.Content)
	}
	return b.String()
}

func TestEveryTemplateIsUsed(t *testing.T) {
	entries, err := fs.ReadDir(templateFS, "templates")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		used := false
		for _, entries := range manifests {
			used = used || slices.ContainsFunc(entries, func(m manifestEntry) bool { return m.template == e.Name() })
		}
		if !used {
			t.Errorf("templates/%s is embedded but not in the manifest, so it is never written", e.Name())
		}
	}
}

func TestFilesUsePythonName(t *testing.T) {
	files, err := Files("fast-add-2")
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	content := map[string]string{}
	for _, f := range files {
		paths = append(paths, f.Path)
		content[f.Path] = string(f.Content)
	}
	want := []string{
		".gitignore",
		"README.md",
		"build.toml",
		"scale_add_cpu/scale_add_cpu.cpp",
		"scale_add_cuda/scale_add_cuda.cu",
		"tests/conftest.py",
		"tests/test_fast_add_2.py",
		"torch-ext/fast_add_2/__init__.py",
		"torch-ext/torch_binding.cpp",
		"torch-ext/torch_binding.h",
	}
	if !slices.Equal(paths, want) {
		t.Errorf("paths:\n%s\nwant:\n%s", strings.Join(paths, "\n"), strings.Join(want, "\n"))
	}
	for path, s := range map[string]string{
		"build.toml":               "\nname = \"fast-add-2\"\n",
		".gitignore":               "\n/torch-ext/fast_add_2/_ops.py\n",
		"tests/test_fast_add_2.py": "\nimport fast_add_2\n",
		"tests/conftest.py":        `spec_from_file_location("fast_add_2", _init)`,
	} {
		if !strings.Contains(content[path], s) {
			t.Errorf("%s lacks %q:\n%s", path, s, content[path])
		}
	}
}

func TestCheckName(t *testing.T) {
	for _, name := range []string{"relu", "my-kernel", "k2-fast-3", "ab", "torch2"} {
		if err := CheckName(name); err != nil {
			t.Errorf("CheckName(%q) = %v, want nil", name, err)
		}
	}
	// Today's name rule (build.toml is edition 5), with the closest name
	// that follows it; and names whose Python package would clash.
	const clash = "its Python package %q would clash with the Python module or keyword of that name"
	for _, tc := range []struct{ name, reason, suggestion string }{
		{"my_kernel", config.NameRule, "my-kernel"},
		{"MyKernel", config.NameRule, "mykernel"},
		{"x", config.NameRule, "x-kernel"},
		{"relu-", config.NameRule, "relu"},
		{"", config.NameRule, "my-kernel"},
		{"2relu", config.NameRule, "relu"},
		{"-relu", config.NameRule, "relu"},
		{"my kernel", config.NameRule, "my-kernel"},
		{"../relu", config.NameRule, "relu"},
		{"relu\n", config.NameRule, "relu"},
		{"naïve", config.NameRule, "na-ve"},
		{"None", config.NameRule, "none"},
		{"Torch", config.NameRule, "torch-kernel"},
		{"torch", fmt.Sprintf(clash, "torch"), "torch-kernel"},
		{"import", fmt.Sprintf(clash, "import"), "import-kernel"},
	} {
		var ne *NameError
		if err := CheckName(tc.name); !errors.As(err, &ne) || *ne != (NameError{tc.name, tc.reason, tc.suggestion}) {
			t.Errorf("CheckName(%q) = %#v, want reason %q and suggestion %q", tc.name, err, tc.reason, tc.suggestion)
			continue
		}
		if err := CheckName(ne.Suggestion); err != nil {
			t.Errorf("CheckName(%q) suggests %q, which it refuses: %v", tc.name, ne.Suggestion, err)
		}
	}
	if _, err := Files("2relu"); err == nil {
		t.Error("Files accepted an invalid name")
	}
}

func TestCreate(t *testing.T) {
	want := map[string]string{}
	files, err := Files("relu")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		want[f.Path] = string(f.Content)
	}

	t.Run("missing directory and parents", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "a", "b", "relu")
		if _, err := Create(dir, "relu"); err != nil {
			t.Fatal(err)
		}
		compareTree(t, dir, want)
	})
	t.Run("existing empty directory", func(t *testing.T) {
		dir := t.TempDir()
		if _, err := Create(dir, "relu"); err != nil {
			t.Fatal(err)
		}
		compareTree(t, dir, want)
	})
	t.Run("non-empty directory", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "notes.txt"), "mine\n")
		_, err := Create(dir, "relu")
		if !errors.Is(err, ErrNotEmpty) || err.Error() != `"`+dir+`" already exists and is not empty; choose a new directory` {
			t.Errorf("err = %v, want ErrNotEmpty with the directory", err)
		}
		compareTree(t, dir, map[string]string{"notes.txt": "mine\n"})
	})
	t.Run("hidden file only", func(t *testing.T) {
		// A .git folder, say: still not empty.
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, ".keep"), "")
		if _, err := Create(dir, "relu"); !errors.Is(err, ErrNotEmpty) {
			t.Errorf("err = %v, want ErrNotEmpty", err)
		}
	})
	t.Run("a file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "relu")
		writeFile(t, path, "x")
		_, err := Create(path, "relu")
		if err == nil || err.Error() != `"`+path+`" exists and is not a directory` {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("bad name writes nothing", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "x")
		if _, err := Create(dir, "1x"); err == nil {
			t.Fatal("no error")
		}
		if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("directory created for a bad name: %v", err)
		}
	})
}

// TestWriterUndo checks the clean-up after a failed write: everything the
// writer made goes, and nothing it did not make.
func TestWriterUndo(t *testing.T) {
	dir := t.TempDir()
	// Stands for a file that appeared after the emptiness check.
	writeFile(t, filepath.Join(dir, "tests", "theirs.py"), "theirs\n")
	w := &writer{dir: dir}
	for _, f := range []generator.File{
		{Path: "a/b/c.txt", Content: []byte("c\n")},
		{Path: "tests/ours.py", Content: []byte("ours\n")},
	} {
		if err := w.write(f); err != nil {
			t.Fatal(err)
		}
	}
	err := w.write(generator.File{Path: "tests/theirs.py", Content: []byte("ours\n")})
	if err == nil || !strings.HasPrefix(err.Error(), "write tests/theirs.py: ") {
		t.Fatalf("overwriting an existing file: err = %v", err)
	}
	w.undo()
	compareTree(t, dir, map[string]string{"tests/theirs.py": "theirs\n"})
	if _, err := os.Stat(filepath.Join(dir, "a")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("folder a/ left behind: %v", err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// compareTree checks that dir holds exactly the files in want (relative
// slash paths to content), each with mode 0644 or stricter.
func compareTree(t *testing.T, dir string, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if info.Mode().Perm()&0o111 != 0 {
			t.Errorf("%s is executable (%v)", rel, info.Mode())
		}
		got[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for path, content := range want {
		if g, ok := got[path]; !ok {
			t.Errorf("missing %s", path)
		} else if g != content {
			t.Errorf("%s differs:\n%s", path, outdir.UnifiedDiff("want", "got", []byte(content), []byte(g)))
		}
	}
	for path := range got {
		if _, ok := want[path]; !ok {
			t.Errorf("unexpected file %s", path)
		}
	}
}

// TestFailedCreateRemovesMadeParents: init into a/b/c where none exists
// creates all three; undoing a failed init must remove all three, not just
// c (MkdirAll recorded only the last).
func TestFailedCreateRemovesMadeParents(t *testing.T) {
	base := t.TempDir()
	created, err := prepareDir(filepath.Join(base, "a", "b", "c"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(base, "a"), filepath.Join(base, "a", "b"), filepath.Join(base, "a", "b", "c")}
	if !slices.Equal(created, want) {
		t.Errorf("created = %q, want %q", created, want)
	}
	(&writer{dir: want[2], made: created}).undo()
	if entries, err := os.ReadDir(base); err != nil || len(entries) != 0 {
		t.Errorf("after undo %s holds %v (%v), want nothing", base, entries, err)
	}
}
