package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// TVMFFIPackageDir is the folder that holds a [tvm-ffi] kernel's Python
// package, TVMFFIPackageDir/<python_name>/, as torch-ext does for Torch.
const TVMFFIPackageDir = "tvm-ffi-ext"

// TVMFFIErrors returns what keeps a [tvm-ffi] build from generating besides
// missing sources (MissingPaths): a missing Python package
// tvm-ffi-ext/<python_name>/ with its __init__.py. The build variant is
// that package plus the compiled module, so without it there is nothing
// for the kernels package to import. root is the project directory.
// Builds of other frameworks have none.
func TVMFFIErrors(l *Loaded, root string) Errors {
	if l == nil || l.Build == nil || l.Build.TVMFFI == nil {
		return nil
	}
	exist := func(rel string) bool {
		_, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel)))
		return err == nil
	}
	py := l.Build.General.PythonName()
	pkg := TVMFFIPackageDir + "/" + py
	init := pkg + "/__init__.py"
	if exist(init) {
		return nil
	}
	var hint string
	switch {
	case exist(pkg):
		hint = "create " + init
	case exist("torch-ext/" + py + "/__init__.py"):
		hint = "torch-ext/" + py + "/ is where a [torch] kernel keeps it: move it to " + pkg + "/"
	default:
		hint = "create " + init
		if other, ok := suggest(py, packagesIn(root, TVMFFIPackageDir)); ok {
			hint = fmt.Sprintf("found %s/%s/: rename it to %s/ (general.name %s gives the package %s)",
				TVMFFIPackageDir, other, pkg, TOMLString(l.Build.General.Name), py)
		}
	}
	doc := l.positions()
	off := 0
	if t := doc.root.get("tvm-ffi"); t != nil {
		off = t.off
	}
	err := posError{off: off, msg: fmt.Sprintf(
		"[tvm-ffi] needs the Python package %s/ with an __init__.py, which the build variant is made of; %s", pkg, hint)}
	return Errors(toDiagnostics(l.Path, doc.lines, []posError{err}, Error))
}

// packagesIn lists the folders in root's folder dir that hold an
// __init__.py.
func packagesIn(root, dir string) []string {
	entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(dir)))
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		init := filepath.Join(root, filepath.FromSlash(dir), e.Name(), "__init__.py")
		if _, err := os.Stat(init); err == nil && e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	return names
}
