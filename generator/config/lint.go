package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Lint returns the warnings of SPEC C for a loaded build (validate prints
// them; --strict turns them into errors). root is the project directory,
// against which source and include paths are checked. Warnings are sorted
// by position.
func Lint(l *Loaded, root string) []Diagnostic {
	if l == nil || l.Build == nil {
		return nil
	}
	doc := l.doc
	if doc == nil {
		// A Loaded made in code has no positions: everything is 1:1.
		doc = &document{lines: newLineIndex(nil), root: newTable(0, 0, originHeader)}
	}
	lt := &linter{build: l.Build, root: root, exists: map[string]bool{}}
	kernels := doc.root.get("kernel")
	for i := range l.Build.Kernels {
		k := &l.Build.Kernels[i]
		origin := k.Name
		if o, ok := doc.origins[k.Name]; ok {
			origin = o
		}
		lt.kernel(k, kernels.get(origin), []string{"kernel", origin})
	}
	if t := l.Build.Torch; t != nil {
		tnode, path := doc.root.get("torch"), []string{"torch"}
		lt.paths(tnode, path, "src", t.Src, "source file")
		lt.paths(tnode, path, "include", t.Include, "include directory")
	}
	return toDiagnostics(l.Path, doc.lines, lt.warns, Warning)
}

// linter collects warnings as offsets into the document.
type linter struct {
	build  *Build
	root   string
	exists map[string]bool // path existence, cached: hipify twins share paths
	warns  []posError
}

func (lt *linter) warn(off int, format string, args ...any) {
	lt.warns = append(lt.warns, posError{off: off, msg: fmt.Sprintf(format, args...)})
}

// offsetOf finds where item i of key is written in table t, falling back
// to the key, then the table, then the start of the file.
func offsetOf(t *node, key string, i int) int {
	v := t.get(key)
	switch {
	case v != nil && v.kind == nodeArray && i >= 0 && i < len(v.items):
		return v.items[i].off
	case v != nil:
		return v.off
	case t != nil:
		return t.off
	}
	return 0
}

func (lt *linter) kernel(k *Kernel, t *node, path []string) {
	in := where(path)
	if !isIdentifier(k.Name) {
		off := 0
		if t != nil {
			off = t.keyOff
		}
		lt.warn(off, "kernel name %s is not a valid CMake/C identifier; use letters, digits and underscores, not starting with a digit", quoteString(k.Name))
	}
	if !lt.build.SupportsBackend(k.Backend) {
		listed := "none"
		if len(lt.build.General.Backends) > 0 {
			names := make([]string, len(lt.build.General.Backends))
			for i, b := range lt.build.General.Backends {
				names[i] = string(b)
			}
			listed = strings.Join(names, ", ")
		}
		lt.warn(offsetOf(t, "backend", -1), "backend %s of %s is not listed in general.backends (%s), so the kernel is never built",
			quoteString(string(k.Backend)), tableName(path), listed)
	}
	lt.paths(t, path, "src", k.Src, "source file")
	lt.paths(t, path, "include", k.Include, "include directory")
	for i, d := range k.Depends {
		if dep, ok := LookupDependency(d); ok && !dep.UsableBy(k.Backend) {
			lt.warn(offsetOf(t, "depends", i), "dependency %s %s cannot be used by %s kernels and is ignored", quoteString(d), in, k.Backend)
		}
	}
	if k.Backend == CUDA {
		for i, c := range k.CUDACapabilities {
			lt.capability(offsetOf(t, "cuda-capabilities", i), c, in)
		}
	}
	if k.Backend == ROCm {
		for i, a := range k.ROCmArchs {
			if !slices.Contains(ROCmArchs, a) {
				lt.warn(offsetOf(t, "rocm-archs", i), "unsupported ROCm arch %s %s is skipped; supported archs: %s", quoteString(a), in, strings.Join(ROCmArchs, ", "))
			}
		}
	}
}

// capability checks one cuda-capabilities entry.
func (lt *linter) capability(off int, s, in string) {
	c, err := ParseCUDACapability(s)
	known := strings.Join(CUDACapabilities, ", ")
	switch {
	case err != nil:
		lt.warn(off, "malformed CUDA capability %s %s; %s", quoteString(s), in, capabilitySyntax)
	case c.Known():
	case c.Suffix == "" && !c.PTX && isCUDAToolkitVersion(s):
		lt.warn(off, "cuda-capabilities entry %s %s is a CUDA version, not a GPU capability; known capabilities: %s", quoteString(s), in, known)
	default:
		lt.warn(off, "CUDA capability %s %s names no known GPU; known capabilities: %s", quoteString(s), in, known)
	}
}

// paths warns about entries of a src or include list that do not exist
// under the project root.
func (lt *linter) paths(t *node, path []string, key string, list []string, what string) {
	for i, p := range list {
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
		if !ok {
			lt.warn(offsetOf(t, key, i), "%s %s %s does not exist", what, quoteString(p), where(path))
		}
	}
}

// isIdentifier reports whether s is a valid C and CMake identifier:
// [A-Za-z_][A-Za-z0-9_]*. The generated CMake and C++ use kernel names
// as identifiers.
func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}
