package config

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// TVMFFIPackageDir is the folder that holds a [tvm-ffi] kernel's Python
// package, TVMFFIPackageDir/<python_name>/, as torch-ext does for Torch.
const TVMFFIPackageDir = "tvm-ffi-ext"

// TVMFFIErrors returns what keeps a [tvm-ffi] build from generating: a
// [tvm-ffi] source that does not exist, and a missing Python package
// tvm-ffi-ext/<python_name>/ (the build variant is that package plus the
// compiled module, so without it there is nothing for the kernels package
// to import). root is the project directory. Builds of other frameworks
// have none.
func TVMFFIErrors(l *Loaded, root string) Errors {
	if l == nil || l.Build == nil || l.Build.TVMFFI == nil {
		return nil
	}
	doc := l.positions()
	lt := &linter{build: l.Build, root: root, exists: map[string]bool{}}
	lt.tvmFFI(doc.root)
	return toDiagnostics(l.Path, doc.lines, lt.errs, Error)
}

// tvmFFI adds the errors of TVMFFIErrors, and warns about include
// directories that do not exist.
func (lt *linter) tvmFFI(root *node) {
	t := lt.build.TVMFFI
	tnode := root.get("tvm-ffi")
	for i, p := range t.Src {
		if !lt.exist(p) {
			hint := lt.similarFile(p)
			if hint == "" {
				hint = "; fix the path or add the file"
			}
			lt.fail(offsetOf(tnode, "src", i), "source file %s in [tvm-ffi] does not exist%s", TOMLString(p), hint)
		}
	}
	lt.paths(tnode, []string{"tvm-ffi"}, "include", t.Include, "include directory")

	py := lt.build.General.PythonName()
	pkg := TVMFFIPackageDir + "/" + py
	init := pkg + "/__init__.py"
	if lt.exist(init) {
		return
	}
	off := 0
	if tnode != nil {
		off = tnode.off
	}
	var hint string
	switch {
	case lt.exist(pkg):
		hint = "create " + init
	case lt.exist("torch-ext/" + py + "/__init__.py"):
		hint = "torch-ext/" + py + "/ is where a [torch] kernel keeps it: move it to " + pkg + "/"
	default:
		hint = "create " + init
		if other, ok := suggest(py, lt.packagesIn(TVMFFIPackageDir)); ok {
			hint = fmt.Sprintf("found %s/%s/: rename it to %s/ (general.name %s gives the package %s)",
				TVMFFIPackageDir, other, pkg, TOMLString(lt.build.General.Name), py)
		}
	}
	lt.fail(off, "[tvm-ffi] needs the Python package %s/ with an __init__.py, which the build variant is made of; %s", pkg, hint)
}

// fail records an error: something generation cannot go on with.
func (lt *linter) fail(off int, format string, args ...any) {
	lt.errs = append(lt.errs, posError{off: off, msg: fmt.Sprintf(format, args...)})
}

// exist reports whether the project-relative path p exists, cached.
func (lt *linter) exist(p string) bool {
	full := p
	if !filepath.IsAbs(p) {
		full = filepath.Join(lt.root, filepath.FromSlash(p))
	}
	ok, seen := lt.exists[full]
	if !seen {
		_, err := os.Stat(full)
		ok = err == nil
		lt.exists[full] = ok
	}
	return ok
}

// similarFile is a did-you-mean hint naming the file in p's folder whose
// name is closest to p's, or "" when none is close.
func (lt *linter) similarFile(p string) string {
	dir, name := path.Split(filepath.ToSlash(p))
	entries, err := os.ReadDir(filepath.Join(lt.root, filepath.FromSlash(dir)))
	if err != nil {
		return ""
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	if c, ok := suggest(name, names); ok {
		return fmt.Sprintf("; did you mean %s?", TOMLString(dir+c))
	}
	return ""
}

// packagesIn lists the folders in the project-relative folder dir that
// hold an __init__.py.
func (lt *linter) packagesIn(dir string) []string {
	entries, err := os.ReadDir(filepath.Join(lt.root, filepath.FromSlash(dir)))
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") && lt.exist(dir+"/"+e.Name()+"/__init__.py") {
			names = append(names, e.Name())
		}
	}
	return names
}
