// Package scaffold creates new kernel projects, for `build2cmake init`: an
// edition-5 build.toml for the cpu and cuda backends, a small op (scale_add) with a
// CPU and a CUDA kernel, its Torch registration and Python wrapper, a pytest
// suite, a README and a .gitignore. The result validates without warnings
// and builds as is once `generate-torch` has run.
//
// Rendering (Files) is pure; Create writes the files.
package scaffold

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/template"

	"github.com/build2cmake-go/build2cmake/generator"
	"github.com/build2cmake-go/build2cmake/generator/config"
)

// The templates are stored under names that go:embed and git treat as
// plain files (no leading "." or "_"); manifest gives each its real path.
//
//go:embed templates/*.tmpl
var templateFS embed.FS

// manifests map each template to the path of the file it becomes in the
// project, per framework. Paths are templates too, so that they can hold
// the Python name.
var manifests = map[config.Framework][]manifestEntry{
	config.FrameworkTorch:  manifest,
	config.FrameworkTVMFFI: tvmFFIManifest,
}

type manifestEntry struct{ template, path string }

// manifest is the Torch project.
var manifest = []manifestEntry{
	{"build.toml.tmpl", "build.toml"},
	{"gitignore.tmpl", ".gitignore"},
	{"README.md.tmpl", "README.md"},
	{"torch_binding.h.tmpl", "torch-ext/torch_binding.h"},
	{"torch_binding.cpp.tmpl", "torch-ext/torch_binding.cpp"},
	{"init.py.tmpl", "torch-ext/{{.PythonName}}/__init__.py"},
	{"scale_add_cpu.cpp.tmpl", "scale_add_cpu/scale_add_cpu.cpp"},
	{"scale_add_cuda.cu.tmpl", "scale_add_cuda/scale_add_cuda.cu"},
	{"test.py.tmpl", "tests/test_{{.PythonName}}.py"},
	{"conftest.py.tmpl", "tests/conftest.py"},
}

// tvmFFIManifest is the [tvm-ffi] project: the same op, built against
// Apache TVM FFI.
var tvmFFIManifest = []manifestEntry{
	{"tvm-ffi-build.toml.tmpl", "build.toml"},
	{"tvm-ffi-gitignore.tmpl", ".gitignore"},
	{"tvm-ffi-README.md.tmpl", "README.md"},
	{"tvm_ffi_binding.cpp.tmpl", "tvm-ffi-ext/tvm_ffi_binding.cpp"},
	{"tvm-ffi-check.h.tmpl", "tvm-ffi-ext/check.h"},
	{"tvm-ffi-init.py.tmpl", "tvm-ffi-ext/{{.PythonName}}/__init__.py"},
	{"tvm-ffi-scale_add_cpu.cpp.tmpl", "scale_add_cpu/scale_add_cpu.cpp"},
	{"tvm-ffi-scale_add_cuda.cu.tmpl", "scale_add_cuda/scale_add_cuda.cu"},
	{"tvm-ffi-test.py.tmpl", "tests/test_{{.PythonName}}.py"},
}

// Frameworks are the frameworks init can scaffold a project for.
var Frameworks = []config.Framework{config.FrameworkTorch, config.FrameworkTVMFFI}

// Project is what the templates are rendered with.
type Project struct {
	// Name is general.name in build.toml, as the user typed it.
	Name string
	// PythonName is Name with dashes turned into underscores: the Python
	// package, and the base of the ops name.
	PythonName string
}

// reservedNames would give a Python package that shadows a module the
// project itself imports, or one that cannot be imported by name.
var reservedNames = []string{
	// Imported by the package and its tests; a project package with the
	// same name would hide the real one.
	"torch", "pytest",
	// Python keywords that today's name rule lets through (import and is
	// are syntax errors as module names).
	"and", "as", "assert", "async", "await", "break", "class", "continue",
	"def", "del", "elif", "else", "except", "finally", "for", "from",
	"global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
	"pass", "raise", "return", "try", "while", "with", "yield",
}

// NameError is CheckName's error: the name, why it cannot name a project,
// and a name that can.
type NameError struct {
	Name string
	// Reason says what is wrong, in words.
	Reason string
	// Suggestion is a valid name close to Name.
	Suggestion string
}

func (e *NameError) Error() string {
	return fmt.Sprintf("invalid kernel name %q: %s; %q would do (Python package %s)",
		e.Name, e.Reason, e.Suggestion, config.PythonName(e.Suggestion))
}

// CheckName reports whether name can name a kernel project: it must follow
// the name rule of today's formats (the build.toml init writes is edition
// 5, which every command checks), and its Python package must not clash
// with a module the project imports or a Python keyword. The error is a
// *NameError with a name that can.
func CheckName(name string) error {
	reason := ""
	switch {
	case config.ValidName(name) != nil:
		reason = config.NameRule
	case reserved(name):
		reason = fmt.Sprintf("its Python package %q would clash with the Python module or keyword of that name", config.PythonName(name))
	default:
		return nil
	}
	suggestion := config.SuggestName(name)
	if reserved(suggestion) {
		suggestion += "-kernel"
	}
	return &NameError{Name: name, Reason: reason, Suggestion: suggestion}
}

func reserved(name string) bool {
	return slices.Contains(reservedNames, config.PythonName(name))
}

// Files renders the Torch project for the kernel called name, sorted by
// path.
func Files(name string) ([]generator.File, error) {
	return FilesFor(name, config.FrameworkTorch)
}

// FilesFor renders the project of framework (one of Frameworks) for the
// kernel called name, sorted by path.
func FilesFor(name string, framework config.Framework) ([]generator.File, error) {
	if err := CheckName(name); err != nil {
		return nil, err
	}
	entries, ok := manifests[framework]
	if !ok {
		return nil, fmt.Errorf("no project template for the framework %q", framework)
	}
	p := Project{Name: name, PythonName: config.PythonName(name)}
	files := make([]generator.File, 0, len(entries))
	for _, m := range entries {
		path, err := render("path of "+m.template, m.path, p)
		if err != nil {
			return nil, err
		}
		text, err := templateFS.ReadFile("templates/" + m.template)
		if err != nil {
			return nil, fmt.Errorf("read template: %w", err)
		}
		content, err := render(m.template, string(text), p)
		if err != nil {
			return nil, err
		}
		files = append(files, generator.File{Path: string(path), Content: content})
	}
	slices.SortFunc(files, func(a, b generator.File) int { return strings.Compare(a.Path, b.Path) })
	return files, nil
}

// render executes one template. missingkey=error turns a misspelt field
// into an error instead of an empty string in a user's project.
func render(name, text string, p Project) ([]byte, error) {
	t, err := template.New(name).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, fmt.Errorf("parse template %s: %w", name, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, p); err != nil {
		return nil, fmt.Errorf("render template %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// ErrNotEmpty is returned (wrapped) by Create for a directory that already
// holds something.
var ErrNotEmpty = errors.New("already exists and is not empty")

// Create writes the project for the kernel called name into dir, which
// must be missing or empty; it is created with any missing parents. It
// returns the files written. On failure it removes what it wrote: a half
// project would only confuse the next attempt.
func Create(dir, name string) ([]generator.File, error) {
	return CreateFor(dir, name, config.FrameworkTorch)
}

// CreateFor is Create for the project of framework.
func CreateFor(dir, name string, framework config.Framework) ([]generator.File, error) {
	files, err := FilesFor(name, framework)
	if err != nil {
		return nil, err
	}
	created, err := prepareDir(dir)
	if err != nil {
		return nil, err
	}
	w := &writer{dir: dir, made: created}
	for _, f := range files {
		if err := w.write(f); err != nil {
			w.undo()
			return nil, err
		}
	}
	return files, nil
}

// prepareDir makes sure dir exists and is empty, and returns the folders
// it had to create, parents first (dir's missing parents too), so that a
// failed init can remove every one of them.
func prepareDir(dir string) (created []string, err error) {
	entries, err := os.ReadDir(dir)
	switch {
	case err == nil:
		if len(entries) > 0 {
			return nil, fmt.Errorf("%q %w; choose a new directory", dir, ErrNotEmpty)
		}
		return nil, nil
	case errors.Is(err, fs.ErrNotExist):
		var missing []string
		for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
			if _, err := os.Lstat(d); err == nil {
				break
			}
			missing = append(missing, d)
			if filepath.Dir(d) == d {
				break
			}
		}
		for _, d := range slices.Backward(missing) {
			if err := os.Mkdir(d, 0o755); err != nil {
				for _, made := range slices.Backward(created) {
					_ = os.Remove(made)
				}
				return nil, fmt.Errorf("create project directory: %w", err)
			}
			created = append(created, d)
		}
		return created, nil
	default:
		if info, statErr := os.Stat(dir); statErr == nil && !info.IsDir() {
			return nil, fmt.Errorf("%q exists and is not a directory", dir)
		}
		return nil, fmt.Errorf("read project directory: %w", err)
	}
}

// writer writes project files under dir and remembers every file and
// folder it made, so that a failure can take exactly those away again.
type writer struct {
	dir  string
	made []string
}

func (w *writer) write(f generator.File) error {
	path := filepath.Join(w.dir, filepath.FromSlash(f.Path))
	if err := w.mkdirs(filepath.Dir(path)); err != nil {
		return fmt.Errorf("create directory for %s: %w", f.Path, err)
	}
	// O_EXCL: the directory was empty a moment ago; never overwrite
	// something that appeared since.
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("write %s: %w", f.Path, err)
	}
	w.made = append(w.made, path)
	_, err = out.Write(f.Content)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", f.Path, err)
	}
	return nil
}

// mkdirs creates dir and its missing parents below w.dir, recording each.
func (w *writer) mkdirs(dir string) error {
	if dir == w.dir {
		return nil
	}
	if info, err := os.Stat(dir); err == nil && info.IsDir() {
		return nil
	}
	if err := w.mkdirs(filepath.Dir(dir)); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	w.made = append(w.made, dir)
	return nil
}

// undo removes what the writer made, newest first, so that folders are
// empty by the time their turn comes. Errors are ignored: the write error
// that led here is the one to report.
func (w *writer) undo() {
	for _, path := range slices.Backward(w.made) {
		_ = os.Remove(path)
	}
}
