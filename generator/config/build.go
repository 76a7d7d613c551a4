// Package config reads build.toml in every format build2cmake knows (v1, v2,
// v3, v4 and edition 5) into one internal description, Build, and writes
// Build back out in the newest format.
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
	V4 Format = 4
	// Edition5 is chosen by `general.edition = 5`; later formats are
	// editions too.
	Edition5 Format = 5
)

// Framework is the framework table of a build: exactly one of [torch],
// [torch-noarch] or [tvm-ffi]. Every v1–v3 file is Torch (with Build.Torch
// nil when it has no [torch] table), also when it has no kernels: the
// early-2026 layout decides "noarch" by the absence of kernels, and
// keeping that one rule keeps v1–v3 behaviour exactly as it was.
// update-build turns a v1–v3 build without kernels into [torch-noarch].
type Framework string

// The frameworks a build can target.
const (
	FrameworkTorch       Framework = "torch"
	FrameworkTorchNoarch Framework = "torch-noarch"
	FrameworkTVMFFI      Framework = "tvm-ffi"
)

// Build is the format-independent description of a kernel project.
type Build struct {
	General General
	// Framework says which framework table the file has. Loading always
	// sets it; a zero value (from a Build made in code) means Torch.
	Framework Framework
	// Torch is nil when build.toml has no [torch] table.
	Torch *Torch
	// TorchNoarch is set for a [torch-noarch] table (v4, edition 5).
	TorchNoarch *TorchNoarch
	// TVMFFI is set for a [tvm-ffi] table (v4, edition 5).
	TVMFFI *TVMFFI
	// Kernels are sorted by name so that everything derived from them is
	// deterministic.
	Kernels []Kernel
}

// General is the [general] table.
type General struct {
	Name string
	// Version is the kernel's own API version (general.version, v4 and
	// edition 5); nil when the file has none (v1–v3).
	Version *uint64
	// License is general.license; empty when unset.
	License string
	// Upstream and Source are git URLs; empty when unset.
	Upstream string
	Source   string
	Backends []Backend // canonical order, no duplicates
	Hub      *Hub
	// PythonDepends are the general python-depends values, as written.
	PythonDepends []string
	// KernelDepends are [general] kernel-depends (edition 5).
	KernelDepends []KernelDependency
	CUDA          *CUDAGeneral
	XPU           *XPUGeneral
	Neuron        *NeuronGeneral
	TPU           *TPUGeneral
}

// PythonName is the name of the kernel's Python package.
func (g General) PythonName() string { return PythonName(g.Name) }

// CUDAGeneral is [general.cuda].
type CUDAGeneral struct {
	MinVer        Version // nil when unset
	MaxVer        Version // nil when unset
	PythonDepends []string
	KernelDepends []KernelDependency
}

// XPUGeneral is [general.xpu].
type XPUGeneral struct {
	PythonDepends []string
	KernelDepends []KernelDependency
}

// NeuronGeneral is [general.neuron] (v4, edition 5).
type NeuronGeneral struct {
	PythonDepends []string
	KernelDepends []KernelDependency
}

// TPUGeneral is [general.tpu] (edition 5).
type TPUGeneral struct {
	PythonDepends []string
}

// KernelDependency is one kernel-depends entry: another Hub kernel this one
// needs, pinned by exactly one of Version or Revision.
type KernelDependency struct {
	RepoID   string
	Version  *uint64
	Revision string
}

// Hub is [general.hub]. A key that is absent is nil; a key written as ""
// is kept as an empty string, so that update-build never drops it.
type Hub struct {
	RepoID *string
	Branch *string
}

// Torch is the [torch] table: the Torch binding sources.
type Torch struct {
	Src      []string
	Include  []string
	PyExt    []string
	MinVer   Version // nil when unset
	MaxVer   Version // nil when unset
	CXXFlags []string
	// StableABI is torch.stable-abi; nil when unset.
	StableABI *StableABI
}

// StableABI is the Torch stable-ABI version to build against: one version
// for every backend, or (edition 5) one per backend; backends missing from
// PerBackend build without the stable ABI.
type StableABI struct {
	All        Version
	PerBackend map[Backend]Version
}

// For returns the stable-ABI version for backend, or nil when that backend
// builds without the stable ABI.
func (s *StableABI) For(backend Backend) Version {
	if s == nil {
		return nil
	}
	if s.PerBackend != nil {
		return s.PerBackend[backend]
	}
	return s.All
}

// TorchNoarch is the [torch-noarch] table: a pure-Python Torch kernel.
type TorchNoarch struct {
	PyExt []string
	// CUDACapabilities and ROCmArchs only go into metadata.
	CUDACapabilities []string
	ROCmArchs        []string
}

// TVMFFI is the [tvm-ffi] table.
type TVMFFI struct {
	Src      []string
	Include  []string
	PyExt    []string
	CXXFlags []string
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
// order kernels were added in (docs/design.md, "Same input, same output").
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
	g := b.General
	return append(PipNames("", g.PythonDepends), PipNames(backend, g.BackendPythonDepends(backend))...)
}

// PipNames resolves python-depends values of one scope (empty for
// [general]) into pip package names, skipping unknown values.
func PipNames(scope Backend, names []string) []string {
	var pkgs []string
	for _, n := range names {
		if d, ok := LookupPythonDependency(scope, n); ok {
			pkgs = append(pkgs, d.Packages...)
		}
	}
	return pkgs
}

// BackendPythonDepends returns the python-depends of [general.<backend>],
// as written; nil for a backend without such a table.
func (g General) BackendPythonDepends(backend Backend) []string {
	switch {
	case backend == CUDA && g.CUDA != nil:
		return g.CUDA.PythonDepends
	case backend == XPU && g.XPU != nil:
		return g.XPU.PythonDepends
	case backend == Neuron && g.Neuron != nil:
		return g.Neuron.PythonDepends
	case backend == TPU && g.TPU != nil:
		return g.TPU.PythonDepends
	}
	return nil
}

// BackendKernelDepends returns the kernel-depends of [general.<backend>];
// nil for a backend without them.
func (g General) BackendKernelDepends(backend Backend) []KernelDependency {
	switch {
	case backend == CUDA && g.CUDA != nil:
		return g.CUDA.KernelDepends
	case backend == XPU && g.XPU != nil:
		return g.XPU.KernelDepends
	case backend == Neuron && g.Neuron != nil:
		return g.Neuron.KernelDepends
	}
	return nil
}
