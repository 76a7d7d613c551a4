package generator

import (
	"encoding/json"
	"strings"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

// buildRequires are the packages a native build needs before setup.py
// runs; the kernel's Python dependencies follow them.
var buildRequires = []string{"cmake>=3.26", "ninja", "packaging", "setuptools>=61", "torch", "wheel"}

// noarchTorchRequirement is the Torch a pure-Python kernel depends on.
const noarchTorchRequirement = "torch>=2.8"

// nativeRequires are what the installed package of a kernel with compiled
// code depends on: setup.py states it in the early-2026 layout, whose
// pyproject.toml has no [project] table, and pyproject.toml in today's.
var nativeRequires = []string{"torch"}

// setupData is the data of the setup.py template.
type setupData struct {
	PythonName        string
	OpsName           string
	Backend           string
	LauncherLanguages []string
	NVCCThreads       bool
	PackageData       []string
	InstallRequires   []string
}

func renderSetup(b *config.Build, spec *backendSpec, opts Options) (string, error) {
	return execute(setupTemplate, setupData{
		PythonName:        b.General.PythonName(),
		OpsName:           opts.OpsName,
		Backend:           string(opts.Backend),
		LauncherLanguages: spec.LauncherLanguages,
		NVCCThreads:       spec.NVCCThreads,
		PackageData:       dataGlobs(b.Torch),
		InstallRequires:   nativeRequires,
	})
}

// dataGlobs returns the package data patterns: one per pyext extension
// that is not Python source.
func dataGlobs(t *config.Torch) []string {
	exts := t.DataExtensions()
	globs := make([]string, len(exts))
	for i, e := range exts {
		globs[i] = "**/*." + e
	}
	return globs
}

func renderPyproject(b *config.Build, backend config.Backend) (string, error) {
	requires := append(buildRequires[:len(buildRequires):len(buildRequires)], b.PythonPackages(backend)...)
	quoted := make([]string, len(requires))
	for i, r := range requires {
		quoted[i] = config.TOMLString(r)
	}
	return execute(pyprojectTemplate, struct{ BuildRequires []string }{quoted})
}

// noarchPyprojectData is the data of the noarch pyproject.toml template;
// every field is already written as TOML.
type noarchPyprojectData struct {
	Name         string
	Dependencies []string
	Include      string
	PackageKey   string
	PackageData  string
}

// renderNoarchPyproject writes the pyproject.toml of a build without
// kernels. The package is the Python name, so that dashed kernel names
// find their package (docs/design.md, "Dashed names work without
// kernels").
func renderNoarchPyproject(b *config.Build, backend config.Backend) (string, error) {
	name := b.General.PythonName()
	deps := []string{config.TOMLString(noarchTorchRequirement)}
	for _, p := range b.PythonPackages(backend) {
		deps = append(deps, config.TOMLString(p))
	}
	globs := dataGlobs(b.Torch)
	for i, g := range globs {
		globs[i] = config.TOMLString(g)
	}
	return execute(pyprojectNoarchTemplate, noarchPyprojectData{
		Name:         config.TOMLString(name),
		Dependencies: deps,
		Include:      config.TOMLString(name + "*"),
		PackageKey:   config.TOMLKey(name),
		PackageData:  strings.Join(globs, ", "),
	})
}

func renderOps(opsName string, native bool) (string, error) {
	return execute(opsTemplate, struct {
		OpsName string
		Native  bool
	}{opsName, native})
}

// renderMetadata writes metadata.json: the kernel's Python dependencies,
// general ones first. JSON has no comments, so it carries no header.
func renderMetadata(b *config.Build, backend config.Backend) (string, error) {
	deps := b.PythonPackages(backend)
	if deps == nil {
		deps = []string{} // [] rather than null
	}
	data, err := json.Marshal(struct {
		PythonDepends []string `json:"python-depends"`
	}{deps})
	if err != nil {
		return "", err
	}
	return string(data) + "\n", nil
}
