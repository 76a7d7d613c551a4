// Package config reads build.toml in every format build2cmake knows (v1, v2
// and v3) into one internal description, Build, and writes Build back out in
// the v3 format.
package config

import (
	"slices"
	"strings"
)

// Format is a build.toml format version.
type Format int

// The build.toml formats, oldest first.
const (
	V1 Format = 1
	V2 Format = 2
	V3 Format = 3
)

// Build is the format-independent description of a kernel project.
type Build struct {
	General General
	// Torch is nil when build.toml has no [torch] table.
	Torch *Torch
	// Kernels are sorted by name so that everything derived from them is
	// deterministic.
	Kernels []Kernel
}

// General is the [general] table.
type General struct {
	Name     string
	Backends []Backend // canonical order, no duplicates
	Hub      *Hub
	// PythonDepends are the general python-depends values, as written.
	PythonDepends []string
	CUDA          *CUDAGeneral
	XPU           *XPUGeneral
}

// PythonName is the name of the kernel's Python package.
func (g General) PythonName() string { return PythonName(g.Name) }

// CUDAGeneral is [general.cuda].
type CUDAGeneral struct {
	MinVer        Version // nil when unset
	MaxVer        Version // nil when unset
	PythonDepends []string
}

// XPUGeneral is [general.xpu].
type XPUGeneral struct {
	PythonDepends []string
}

// Hub is [general.hub].
type Hub struct {
	RepoID string
	Branch string
}

// Torch is the [torch] table: the Torch binding sources.
type Torch struct {
	Src     []string
	Include []string
	PyExt   []string
	MinVer  Version // nil when unset
	MaxVer  Version // nil when unset
}

// DataExtensions returns the pyext entries that are package data (all but
// py and pyi), in the order written.
func (t *Torch) DataExtensions() []string {
	if t == nil {
		return nil
	}
	var exts []string
	for _, e := range t.PyExt {
		if e != "py" && e != "pyi" {
			exts = append(exts, e)
		}
	}
	return exts
}

// Kernel is one [kernel.NAME] table. Fields that do not apply to the
// kernel's backend are always empty.
type Kernel struct {
	Name     string
	Backend  Backend
	Depends  []string
	Src      []string
	Include  []string
	CXXFlags []string

	// CUDA only.
	CUDACapabilities []string // nil when unset: use the build's default archs
	CUDAFlags        []string
	CUDAMinVer       Version

	// ROCm only.
	ROCmArchs []string
	HIPFlags  []string

	// XPU only.
	SYCLFlags []string
}

// IsNoarch reports whether the build has no compiled kernels.
func (b *Build) IsNoarch() bool { return len(b.Kernels) == 0 }

// SupportsBackend reports whether backend is listed in general.backends.
func (b *Build) SupportsBackend(backend Backend) bool {
	return slices.Contains(b.General.Backends, backend)
}

// KernelsFor returns the kernels of one backend in name order. It sorts
// them itself rather than trusting Kernels to be sorted, because a Build
// made in code need not be, and generated output must not depend on the
// order kernels were added in (SPEC B1).
func (b *Build) KernelsFor(backend Backend) []*Kernel {
	var ks []*Kernel
	for i := range b.Kernels {
		if b.Kernels[i].Backend == backend {
			ks = append(ks, &b.Kernels[i])
		}
	}
	slices.SortStableFunc(ks, func(x, y *Kernel) int { return strings.Compare(x.Name, y.Name) })
	return ks
}

// SortKernels puts kernels in name order; converters call it once.
func (b *Build) SortKernels() {
	slices.SortFunc(b.Kernels, func(x, y Kernel) int { return strings.Compare(x.Name, y.Name) })
}

// PythonPackages resolves the general and the backend's python-depends into
// Python package names, general first. Unknown values are skipped here:
// loading already rejected them.
func (b *Build) PythonPackages(backend Backend) []string {
	var pkgs []string
	add := func(scope Backend, names []string) {
		for _, n := range names {
			if d, ok := LookupPythonDependency(scope, n); ok {
				pkgs = append(pkgs, d.Packages...)
			}
		}
	}
	add("", b.General.PythonDepends)
	switch {
	case backend == CUDA && b.General.CUDA != nil:
		add(CUDA, b.General.CUDA.PythonDepends)
	case backend == XPU && b.General.XPU != nil:
		add(XPU, b.General.XPU.PythonDepends)
	}
	return pkgs
}
