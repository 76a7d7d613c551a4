package config

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Lint returns what validate reports about a build.toml that parses:
// errors for source files and include folders that do not exist under
// root, the project directory (MissingPaths), and for a [tvm-ffi] build
// without its Python package (TVMFFIErrors), which generation refuses too,
// and warnings about likely mistakes (validate prints them; --strict turns
// them into errors). The diagnostics are sorted by position.
func Lint(l *Loaded, root string) []Diagnostic {
	if l == nil || l.Build == nil {
		return nil
	}
	doc := l.positions()
	lt := &linter{build: l.Build}
	l.eachKernel(doc, func(k *Kernel, t *node, path []string) { lt.kernel(k, t, path) })
	if t := l.Build.TorchNoarch; t != nil {
		tnode := doc.root.get("torch-noarch")
		key := "cuda_capabilities"
		if tnode.get(key) == nil {
			key = "cuda-capabilities"
		}
		for i, c := range t.CUDACapabilities {
			lt.capability(offsetOf(tnode, key, i), c, "in [torch-noarch]")
		}
	}
	lt.general(l.Format, doc.root)
	diags := append(toDiagnostics(l.Path, doc.lines, lt.warns, Warning), MissingPaths(l, root)...)
	diags = append(diags, TVMFFIErrors(l, root)...)
	slices.SortStableFunc(diags, func(a, b Diagnostic) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col), strings.Compare(a.Message, b.Message))
	})
	return diags
}

// general warns about what makes generation fail although the file is
// well-formed, so that validate --strict rejects everything generate-torch
// rejects, and about v1–v3 names that today's formats no longer accept.
func (lt *linter) general(format Format, root *node) {
	b := lt.build
	g := root.get("general")
	if format > 0 && format < V4 && ValidName(b.General.Name) != nil {
		if n, err := edition5Name(b.General.Name); err == nil {
			lt.warn(offsetOf(g, "name", -1), "kernel name %s does not follow today's rule (%s); it works with this format, and update-build renames it to %s, which keeps the Python package %s",
				TOMLString(b.General.Name), nameRule, TOMLString(n), PythonName(n))
		} else {
			lt.warn(offsetOf(g, "name", -1), "kernel name %s does not follow today's rule (%s); it works with this format, but update-build and today's tool need such a name",
				TOMLString(b.General.Name), nameRule)
		}
	}
	if len(b.General.Backends) == 0 {
		off := offsetOf(g, "backends", -1)
		lt.warn(off, "no backends: general.backends is empty, so there is nothing to generate; list the backends the kernel supports")
	}
	if len(b.Kernels) > 0 && b.Framework == FrameworkTorchNoarch {
		lt.warn(offsetOf(root, "kernel", -1), "[torch-noarch] builds no compiled code, so the [kernel.*] tables are ignored; use [torch] to build them")
	} else if len(b.Kernels) > 0 && b.Torch == nil && b.Framework != FrameworkTVMFFI {
		lt.warn(offsetOf(root, "kernel", -1), "the build has kernels but no [torch] table, which generation needs; add [torch] with the binding sources")
	}
}

// DependencyWarnings returns Lint's warnings about dependencies that kernels
// of backend list but cannot use. generate-torch prints them, since
// generation silently ignores those dependencies.
func DependencyWarnings(l *Loaded, backend Backend) []Diagnostic {
	if l == nil || l.Build == nil {
		return nil
	}
	doc := l.positions()
	lt := &linter{build: l.Build}
	l.eachKernel(doc, func(k *Kernel, t *node, path []string) {
		if k.Backend == backend {
			lt.dependencies(k, t, where(path))
		}
	})
	return toDiagnostics(l.Path, doc.lines, lt.warns, Warning)
}

// positions is the positioned document behind l. A Loaded made in code has
// none: everything is then at 1:1.
func (l *Loaded) positions() *document {
	if l.doc != nil {
		return l.doc
	}
	return &document{lines: newLineIndex(nil), root: newTable(0, 0, originHeader)}
}

// eachKernel calls fn for every kernel with the table it was read from (for
// the ROCm twin of a v1 cuda-hipify kernel, the original kernel's table).
func (l *Loaded) eachKernel(doc *document, fn func(k *Kernel, t *node, path []string)) {
	kernels := doc.root.get("kernel")
	for i := range l.Build.Kernels {
		k := &l.Build.Kernels[i]
		origin := k.Name
		if o, ok := doc.origins[k.Name]; ok {
			origin = o
		}
		fn(k, kernels.get(origin), []string{"kernel", origin})
	}
}

// linter collects warnings as offsets into the document.
type linter struct {
	build *Build
	warns []posError
}

func (lt *linter) warn(off int, format string, args ...any) {
	lt.warns = append(lt.warns, posError{off: off, msg: fmt.Sprintf(format, args...)})
}

// offsetOf finds where item i of key is written in table t, falling back
// to the key, then the table, then the start of the file.
func offsetOf(t *node, key string, i int) int {
	v := t.get(key)
	switch {
	case v != nil && v.kind == nodeArray && i >= 0 && i < len(v.elems()):
		return v.elems()[i].off
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
		lt.warn(off, "kernel name %s is not a valid CMake/C identifier; use letters, digits and underscores, not starting with a digit", TOMLString(k.Name))
	}
	if !lt.build.SupportsBackend(k.Backend) {
		listed := cmp.Or(JoinBackends(lt.build.General.Backends), "none")
		lt.warn(offsetOf(t, "backend", -1), "backend %s of %s is not listed in general.backends (%s), so the kernel is never built",
			TOMLString(string(k.Backend)), tableName(path), listed)
	}
	lt.dependencies(k, t, in)
	if k.Backend == CUDA {
		usable := false
		for i, c := range k.CUDACapabilities {
			usable = lt.capability(offsetOf(t, "cuda-capabilities", i), c, in) || usable
		}
		if len(k.CUDACapabilities) > 0 && !usable {
			lt.warn(offsetOf(t, "cuda-capabilities", -1), "none of the cuda-capabilities %s names a known GPU, so configuring stops with an error instead of building the kernel without GPU code; known capabilities: %s",
				in, strings.Join(CUDACapabilities, ", "))
		}
	}
	if k.Backend == ROCm {
		usable := false
		for i, a := range k.ROCmArchs {
			if slices.Contains(ROCmArchs, a) {
				usable = true
				continue
			}
			lt.warn(offsetOf(t, "rocm-archs", i), "unsupported ROCm arch %s %s is skipped; supported archs: %s", TOMLString(a), in, strings.Join(ROCmArchs, ", "))
		}
		if len(k.ROCmArchs) > 0 && !usable {
			lt.warn(offsetOf(t, "rocm-archs", -1), "none of the rocm-archs %s is supported, so configuring stops with an error instead of building the kernel without GPU code; add a supported arch: %s",
				in, strings.Join(ROCmArchs, ", "))
		}
	}
}

// capability checks one cuda-capabilities entry and reports whether it
// names a known GPU.
func (lt *linter) capability(off int, s, in string) bool {
	c, err := ParseCUDACapability(s)
	known := func() string { return strings.Join(CUDACapabilities, ", ") }
	switch {
	case err != nil:
		lt.warn(off, "malformed CUDA capability %s %s; %s", TOMLString(s), in, capabilitySyntax)
	case c.Known():
		return true
	case c.Suffix == "" && !c.PTX && isCUDAToolkitVersion(s):
		lt.warn(off, "cuda-capabilities entry %s %s is a CUDA version, not a GPU capability; known capabilities: %s", TOMLString(s), in, known())
	default:
		lt.warn(off, "CUDA capability %s %s names no known GPU; known capabilities: %s", TOMLString(s), in, known())
	}
	return false
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

// dependencies warns about each dependency that k's backend cannot use.
func (lt *linter) dependencies(k *Kernel, t *node, in string) {
	for i, d := range k.Depends {
		if dep, ok := LookupDependency(d); ok && !dep.UsableBy(k.Backend) {
			lt.warn(offsetOf(t, "depends", i), "dependency %s %s cannot be used by %s kernels and is ignored", TOMLString(d), in, k.Backend)
		}
	}
}
