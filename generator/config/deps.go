package config

import (
	"slices"
	"strings"
)

// Dependency describes a value allowed in a kernel's `depends` list.
type Dependency struct {
	// Name is the value written in build.toml.
	Name string
	// Backends lists the backends whose kernels can use the dependency; on
	// any other backend it is ignored with a warning.
	Backends []Backend
	// CutlassVersion is the NVIDIA CUTLASS release fetched for cutlass_*
	// dependencies (tag "v" + CutlassVersion); empty for the others.
	CutlassVersion string
	// Since and Until bound the formats that accept the name (zero: no
	// bound). sycl_tla is the new name of cutlass_sycl, which v4 and
	// edition 5 reject.
	Since, Until Format
	// SameAs names the dependency this one is another name of; generated
	// CMake treats both alike.
	SameAs string
}

// Dependencies is the single table of kernel dependencies, in the fixed
// order in which generated CMake handles them.
var Dependencies = []Dependency{
	{Name: "torch", Backends: Backends},
	{Name: "cutlass_2_10", Backends: []Backend{CUDA, ROCm}, CutlassVersion: "2.10.0"},
	{Name: "cutlass_3_5", Backends: []Backend{CUDA, ROCm}, CutlassVersion: "3.5.1"},
	{Name: "cutlass_3_6", Backends: []Backend{CUDA, ROCm}, CutlassVersion: "3.6.0"},
	{Name: "cutlass_3_8", Backends: []Backend{CUDA, ROCm}, CutlassVersion: "3.8.0"},
	{Name: "cutlass_3_9", Backends: []Backend{CUDA, ROCm}, CutlassVersion: "3.9.2"},
	{Name: "cutlass_4_0", Backends: []Backend{CUDA, ROCm}, CutlassVersion: "4.0.0"},
	// Today's tool reads its newer names in v3 files too, so every
	// format takes them; only the old name is limited to v1–v3.
	{Name: "cutlass_4_4", Backends: []Backend{CUDA, ROCm}, CutlassVersion: "4.4.2"},
	{Name: "cutlass_4_5", Backends: []Backend{CUDA, ROCm}, CutlassVersion: "4.5.2"},
	{Name: "cutlass_sycl", Backends: []Backend{XPU}, Until: V3},
	{Name: "sycl_tla", Backends: []Backend{XPU}, SameAs: "cutlass_sycl"},
	{Name: "metal-cpp", Backends: []Backend{Metal}},
}

// inFormat reports whether format f accepts a name bounded by since and
// until.
func inFormat(f, since, until Format) bool {
	return (since == 0 || f >= since) && (until == 0 || f <= until)
}

// LookupDependency finds a kernel dependency by its build.toml name.
func LookupDependency(name string) (Dependency, bool) {
	i := slices.IndexFunc(Dependencies, func(d Dependency) bool { return d.Name == name })
	if i < 0 {
		return Dependency{}, false
	}
	return Dependencies[i], true
}

// DependencyNames lists the `depends` values format f allows, for
// messages and schemas.
func DependencyNames(f Format) []string {
	var names []string
	for _, d := range Dependencies {
		if inFormat(f, d.Since, d.Until) {
			names = append(names, d.Name)
		}
	}
	return names
}

// UsableBy reports whether kernels of backend b can use the dependency.
func (d Dependency) UsableBy(b Backend) bool { return slices.Contains(d.Backends, b) }

// PythonDependency maps a build.toml python-depends value to the Python
// packages it stands for.
type PythonDependency struct {
	// Name is the value written in build.toml.
	Name string
	// Backend is empty for general dependencies ([general] python-depends)
	// and names the backend for backend-specific ones
	// ([general.cuda] / [general.xpu] python-depends).
	Backend Backend
	// Packages are the Python requirement names written to pyproject.toml
	// and metadata.json.
	Packages []string
	// Since is the first format that accepts the value (zero: all).
	Since Format
}

// PythonDependencies is the single table of allowed python-depends values.
var PythonDependencies = []PythonDependency{
	{Name: "einops", Packages: []string{"einops"}},
	{Name: "nvidia-cutlass-dsl", Backend: CUDA, Packages: []string{"nvidia-cutlass-dsl"}},
	{Name: "onednn", Backend: XPU, Packages: []string{"onednn-devel"}},
	{Name: "helion", Packages: []string{"helion"}},
	{Name: "tvm-ffi", Packages: []string{"apache-tvm-ffi"}},
	{Name: "nki", Backend: Neuron, Packages: []string{"nki"}},
}

// LookupPythonDependency finds a python-depends value allowed for the given
// scope (empty backend for [general]).
func LookupPythonDependency(backend Backend, name string) (PythonDependency, bool) {
	i := slices.IndexFunc(PythonDependencies, func(d PythonDependency) bool {
		return d.Backend == backend && d.Name == name
	})
	if i < 0 {
		return PythonDependency{}, false
	}
	return PythonDependencies[i], true
}

// PythonDependencyNames lists the values format f allows in one scope, for
// messages and schemas.
func PythonDependencyNames(f Format, backend Backend) []string {
	var names []string
	for _, d := range PythonDependencies {
		if d.Backend == backend && inFormat(f, d.Since, 0) {
			names = append(names, d.Name)
		}
	}
	return names
}

// PythonName turns a kernel name into its Python package name.
func PythonName(name string) string { return strings.ReplaceAll(name, "-", "_") }
