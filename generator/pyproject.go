package generator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

// PyprojectOptions select what RenderPyproject produces.
type PyprojectOptions struct {
	// UniqueID ends every ops name: "_<python_name>_<backend>_<UniqueID>".
	// It must match [A-Za-z0-9_]+; see UniqueID.
	UniqueID string
	// Provenance goes into every metadata-<backend>.json; nil leaves it out.
	Provenance *Provenance
}

// Provenance says what produced a build, in today's metadata schema.
type Provenance struct {
	// BuilderVersion identifies this program ("build2cmake <version>").
	BuilderVersion string
	// Builder is this program's own git state, when the binary knows it.
	Builder *GitState
	// Kernel is the git state of the kernel sources, when known.
	Kernel *GitState
}

// GitState is a commit and whether tracked files differed from it.
type GitState struct {
	Commit string
	Dirty  bool
}

// VariantOpsName is the ops name of one backend in today's layout.
func VariantOpsName(pythonName string, backend config.Backend, uniqueID string) string {
	return "_" + pythonName + "_" + string(backend) + "_" + uniqueID
}

// createCommand names the command in the header of the files
// RenderPyproject writes.
const createCommand = "create-pyproject"

// RenderPyproject produces today's project layout for every backend of
// the build, sorted by path: with kernels, CMakeLists.txt and its cmake/
// modules, setup.py, pyproject.toml, torch-ext/registration.h,
// torch-ext/<python_name>/_ops.py and one metadata-<backend>.json per
// backend build2cmake knows; without kernels ([torch-noarch]), the same
// minus CMake and registration.h; for [tvm-ffi], see renderTVMFFI.
func RenderPyproject(b *config.Build, opts PyprojectOptions) ([]File, error) {
	// The id becomes part of a Python module name, a Torch op namespace
	// and a CMake target name (ValidateID checked a user's already).
	if !isID(opts.UniqueID) {
		return nil, fmt.Errorf("invalid unique id %q: use letters, digits and _ only", opts.UniqueID)
	}
	if len(b.General.Backends) == 0 {
		return nil, errors.New("general.backends lists no backend")
	}
	py := b.General.PythonName()
	// The Python name is written unquoted into CMake (part of the ops
	// name) and Python; config accepts only identifiers, and so does this,
	// whoever calls it.
	if !isID(py) {
		return nil, fmt.Errorf("invalid kernel name %q: with - as _ it must hold only %s", b.General.Name, IDCharsHelp)
	}
	r := renderer{command: createCommand}
	for _, backend := range config.AllBackends {
		r.file("metadata-"+string(backend)+".json", "", func() (string, error) {
			return renderVariantMetadata(b, backend, opts)
		})
	}
	if b.Framework == config.FrameworkTVMFFI {
		return renderTVMFFI(&r, b, opts.UniqueID)
	}
	native := b.Framework != config.FrameworkTorchNoarch && !b.IsNoarch()
	r.file(OpsPath(py), "#", func() (string, error) {
		return execute(variantOpsTemplate, variantOpsData{
			Prefix:   "_" + py + "_",
			UniqueID: opts.UniqueID,
			Backends: backendNames(b.General.Backends),
			Native:   native,
		})
	})
	if !native {
		r.file("pyproject.toml", "#", func() (string, error) { return renderVariantPyproject(b, false) })
		r.file("setup.py", "#", func() (string, error) {
			return execute(variantNoarchSetupTemplate, variantNoarchSetupData{
				PythonName: py,
				Backends:   backendNames(b.General.Backends),
			})
		})
		return r.result()
	}
	if b.Torch == nil {
		return nil, errors.New("build.toml has no [torch] table, which a build with kernels needs")
	}
	for _, k := range b.Kernels {
		if !b.SupportsBackend(k.Backend) {
			return nil, fmt.Errorf("kernel %q is for backend %q, which general.backends does not list (%s)",
				k.Name, k.Backend, config.JoinBackends(b.General.Backends))
		}
	}

	r.file("CMakeLists.txt", "#", func() (string, error) { return renderVariantCMakeLists(b, opts.UniqueID) })
	r.add(File{Path: "cmake/utils.cmake", Content: []byte(variantUtilsContent())})
	r.add(File{Path: "cmake/variants.cmake", Content: []byte(variantsContent())})
	seen := map[string]bool{}
	for _, backend := range b.General.Backends {
		spec, ok := backendSpecs[backend]
		if !ok {
			continue // cann, neuron, tpu: nothing to compile, no files
		}
		for _, f := range spec.Files {
			if !seen[f.Path] {
				seen[f.Path] = true
				r.add(File{Path: f.Path, Content: []byte(withHeaderFor(f.Content, f.Comment, createCommand)), Executable: f.Executable})
			}
		}
	}
	r.file("setup.py", "#", func() (string, error) {
		return execute(variantSetupTemplate, variantSetupData{
			PythonName:  py,
			UniqueID:    opts.UniqueID,
			Backends:    backendNames(b.General.Backends),
			PackageData: dataGlobs(b.Torch),
		})
	})
	r.file("pyproject.toml", "#", func() (string, error) { return renderVariantPyproject(b, true) })
	r.add(File{Path: "torch-ext/registration.h", Content: []byte(variantRegistrationContent())})
	return r.result()
}

func backendNames(bs []config.Backend) []string {
	names := make([]string, len(bs))
	for i, b := range bs {
		names[i] = string(b)
	}
	return names
}

// variantCMakeListsData is the data of the today's-layout CMakeLists.txt.
type variantCMakeListsData struct {
	Modules        []string
	IntelCompilers bool
	Project        string
	Setup          string
	Backends       []variantBackendBlock
	Binding        string
	OpsName        string
	Install        string
}

// opsNamePlaceholder stands for ${ops_name} while cmakeCall writes a call:
// cmakeCall would quote the $.
const opsNamePlaceholder = "OPS_NAME_PH" // as wide as ${ops_name}

// variantBackendBlock is what one backend adds when it is the chosen one.
type variantBackendBlock struct {
	Name         string
	Dependencies []string
	Kernels      string
}

func renderVariantCMakeLists(b *config.Build, uniqueID string) (string, error) {
	data := variantCMakeListsData{Project: cmakeWord(b.General.Name)}
	setup := &cmakeCall{name: "kernel_variant_setup"}
	compiled := compiledBackends(b)
	setup.groups = append(setup.groups, cmakeGroup{keyword: "BACKENDS", values: backendNames(compiled)})
	setup.token("TORCH_MINVER", versionString(b.Torch.MinVer))
	setup.token("TORCH_MAXVER", versionString(b.Torch.MaxVer))
	if b.General.CUDA != nil && b.SupportsBackend(config.CUDA) {
		setup.token("CUDA_MINVER", versionString(b.General.CUDA.MinVer))
		setup.token("CUDA_MAXVER", versionString(b.General.CUDA.MaxVer))
	}
	var abi []string
	for _, backend := range compiled {
		if v := b.Torch.StableABI.For(backend); v != nil {
			abi = append(abi, string(backend), v.String())
		}
	}
	if len(abi) > 0 {
		setup.groups = append(setup.groups, cmakeGroup{keyword: "STABLE_ABI", values: abi})
	}
	data.Setup = setup.String()
	data.addBackendBlocks(b, compiled)

	if len(b.Torch.Src) > 0 {
		binding := &cmakeCall{name: "kernel_torch_binding"}
		binding.quoted("SOURCES", b.Torch.Src)
		binding.quoted("INCLUDES", b.Torch.Include)
		binding.quoted("CXX_FLAGS", b.Torch.CXXFlags)
		data.Binding = binding.String()
	}
	// The ops name has the backend in it, which only CMake knows: it is
	// set once, as a variable. The python name and the id are plain
	// identifiers, safe unquoted.
	data.OpsName = "_" + b.General.PythonName() + "_${KERNEL_BACKEND}_" + uniqueID
	install := &cmakeCall{name: "kernel_variant_install", args: []string{opsNamePlaceholder}}
	install.token("PACKAGE", b.General.PythonName())
	install.quoted("DATA_EXTENSIONS", b.Torch.DataExtensions())
	data.Install = strings.Replace(install.String(), opsNamePlaceholder, "${ops_name}", 1)
	return execute(variantCMakeListsTemplate, data)
}

// compiledBackends are the backends of b that CMake can build (not cann,
// neuron or tpu), in the order of general.backends.
func compiledBackends(b *config.Build) []config.Backend {
	var compiled []config.Backend
	for _, backend := range b.General.Backends {
		if _, ok := backendSpecs[backend]; ok {
			compiled = append(compiled, backend)
		}
	}
	return compiled
}

// addBackendBlocks adds what each of the compiled backends of b needs: its
// CMake modules, Intel's compilers for xpu, and a block with its
// dependencies and kernels when it has any.
func (data *variantCMakeListsData) addBackendBlocks(b *config.Build, compiled []config.Backend) {
	seenModule := map[string]bool{}
	for _, backend := range compiled {
		spec := backendSpecs[backend]
		for _, m := range spec.Modules {
			if !seenModule[m] {
				seenModule[m] = true
				data.Modules = append(data.Modules, m)
			}
		}
		if backend == config.XPU {
			data.IntelCompilers = true
		}
		kernels := b.KernelsFor(backend)
		block := variantBackendBlock{
			Name:         string(backend),
			Dependencies: dependencyCalls(kernels, backend),
			Kernels:      indent(kernelCalls(kernels, backend)),
		}
		if len(kernels) > 0 || len(block.Dependencies) > 0 {
			data.Backends = append(data.Backends, block)
		}
	}
}

// indent puts two spaces before every non-empty line of s.
func indent(s string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			b.WriteString("  ")
		}
		b.WriteString(l)
	}
	return strings.TrimRight(b.String(), "\n")
}

// variantsData is the data of cmake/variants.cmake: one row per backend
// that can be compiled.
type variantsData struct {
	Backends []variantsRow
}

type variantsRow struct {
	Name             string
	GPULang          string
	Definitions      string
	Languages        string
	DeploymentTarget string
	VariantCompute   string
	VariantVersion   string
}

func renderVariants() string {
	s, err := execute(variantsTemplate, variantsRows())
	if err != nil {
		panic(err) // the template and its data are both part of the program
	}
	return withHeaderFor(s, "#", createCommand)
}

// variantsRows are the backend table's rows that cmake/variants.cmake is
// rendered from.
func variantsRows() variantsData {
	var d variantsData
	for _, backend := range config.Backends {
		spec := backendSpecs[backend]
		var languages []string
		for _, l := range spec.Languages {
			if l != "CXX" {
				languages = append(languages, l)
			}
		}
		// Today's kernel-builder defines USE_CUDA=1 and USE_ROCM=1 on every
		// platform, which kernels test; the one-backend layout only on
		// Windows.
		definitions := append(slices.Clone(spec.Definitions), spec.WindowsDefinitions...)
		d.Backends = append(d.Backends, variantsRow{
			Name:             string(backend),
			GPULang:          spec.GPULang,
			Definitions:      strings.Join(definitions, " "),
			Languages:        strings.Join(languages, " "),
			DeploymentTarget: spec.MacOSDeploymentTarget,
			VariantCompute:   spec.VariantCompute,
			VariantVersion:   spec.VariantVersion,
		})
	}
	return d
}

// variantSetupData is the data of the today's-layout setup.py.
type variantSetupData struct {
	PythonName  string
	UniqueID    string
	Backends    []string
	PackageData []string
}

// variantNoarchSetupData is the data of the [torch-noarch] setup.py.
type variantNoarchSetupData struct {
	PythonName string
	Backends   []string
}

// variantOpsData is the data of torch-ext/<python_name>/_ops.py.
type variantOpsData struct {
	Prefix   string
	UniqueID string
	Backends []string
	Native   bool
}

// variantPyprojectData is the data of today's pyproject.toml; every value
// is already TOML.
type variantPyprojectData struct {
	Name          string
	Native        bool
	BuildRequires []string
	Dependencies  []string
	Extras        []variantExtra
	Include       string
	PackageKey    string
	PackageData   string
}

type variantExtra struct {
	Key      string
	Packages []string
}

// renderVariantPyproject writes pyproject.toml: the runtime dependencies
// (the only place that states them), for a native build the build
// requirements with the general Python dependencies; in both one extra
// per backend with backend-specific dependencies, and the kernels_ci
// pytest marker.
func renderVariantPyproject(b *config.Build, native bool) (string, error) {
	return renderPyprojectRequiring(b, native, buildRequires, nativeRequires)
}

// renderPyprojectRequiring is renderVariantPyproject with the build
// requirements of a native build before the general Python dependencies
// (a requirement named twice is written once) and its runtime
// dependencies.
func renderPyprojectRequiring(b *config.Build, native bool, requires, runtime []string) (string, error) {
	py := b.General.PythonName()
	general := config.PipNames("", b.General.PythonDepends)
	d := variantPyprojectData{Name: config.TOMLString(py), Native: native}
	if native {
		seen := map[string]bool{}
		for _, r := range append(slices.Clone(requires), general...) {
			if !seen[r] {
				seen[r] = true
				d.BuildRequires = append(d.BuildRequires, config.TOMLString(r))
			}
		}
		for _, r := range runtime {
			d.Dependencies = append(d.Dependencies, config.TOMLString(r))
		}
	} else {
		for _, r := range append([]string{noarchTorchRequirement}, general...) {
			d.Dependencies = append(d.Dependencies, config.TOMLString(r))
		}
		d.Include = config.TOMLString(py + "*")
		d.PackageKey = config.TOMLKey(py)
		var pyext []string
		if b.TorchNoarch != nil {
			pyext = b.TorchNoarch.PyExt
		} else if b.Torch != nil {
			pyext = b.Torch.PyExt
		}
		globs := dataGlobs(&config.Torch{PyExt: pyext})
		for i, g := range globs {
			globs[i] = config.TOMLString(g)
		}
		d.PackageData = strings.Join(globs, ", ")
	}
	for _, backend := range config.AllBackends {
		pkgs := config.PipNames(backend, b.General.BackendPythonDepends(backend))
		if len(pkgs) == 0 {
			continue
		}
		extra := variantExtra{Key: config.TOMLKey(string(backend))}
		for _, p := range pkgs {
			extra.Packages = append(extra.Packages, config.TOMLString(p))
		}
		d.Extras = append(d.Extras, extra)
	}
	return execute(variantPyprojectTemplate, d)
}

// Defaults for metadata fields that v1–v3 files cannot say but today's
// metadata schema requires: version 1 as update-build assumes, and the
// SPDX word for an unknown license.
const (
	defaultKernelVersion = 1
	unknownLicense       = "NOASSERTION"
)

// The metadata JSON, in the field order of today's schema.
type variantMetadata struct {
	Name          string              `json:"name"`
	ID            string              `json:"id"`
	Version       uint64              `json:"version"`
	License       string              `json:"license"`
	Upstream      string              `json:"upstream,omitempty"`
	Source        string              `json:"source,omitempty"`
	PythonDepends []string            `json:"python-depends"`
	KernelDepends []metadataKernelDep `json:"kernel-depends"`
	Backend       metadataBackend     `json:"backend"`
	Provenance    *metadataProvenance `json:"provenance,omitempty"`
}

type metadataKernelDep struct {
	RepoID   string  `json:"repo-id"`
	Version  *uint64 `json:"version,omitempty"`
	Revision string  `json:"revision,omitempty"`
}

type metadataBackend struct {
	Type  string   `json:"type"`
	Archs []string `json:"archs,omitempty"`
}

type metadataProvenance struct {
	KernelBuilder metadataBuilder `json:"kernel-builder"`
	Kernel        *metadataGit    `json:"kernel,omitempty"`
}

type metadataBuilder struct {
	Version string `json:"version"`
	Commit  string `json:"commit,omitempty"`
	Dirty   *bool  `json:"dirty,omitempty"`
}

type metadataGit struct {
	Commit string `json:"commit"`
	Dirty  bool   `json:"dirty"`
}

// renderVariantMetadata writes metadata-<backend>.json. CMake adds
// backend.archs of a native build at install, when the compiled
// architectures are known; a noarch build states them up front.
func renderVariantMetadata(b *config.Build, backend config.Backend, opts PyprojectOptions) (string, error) {
	g := b.General
	m := variantMetadata{
		Name:          g.Name,
		ID:            VariantOpsName(g.PythonName(), backend, opts.UniqueID),
		Version:       defaultKernelVersion,
		License:       g.License,
		Upstream:      g.Upstream,
		Source:        g.Source,
		PythonDepends: append(slices.Clone(g.PythonDepends), g.BackendPythonDepends(backend)...),
		Backend:       metadataBackend{Type: string(backend)},
	}
	if g.Version != nil {
		m.Version = *g.Version
	}
	if m.License == "" {
		m.License = unknownLicense
	}
	if m.PythonDepends == nil {
		m.PythonDepends = []string{}
	}
	m.KernelDepends = []metadataKernelDep{}
	for _, d := range b.KernelDependsFor(backend) {
		m.KernelDepends = append(m.KernelDepends, metadataKernelDep{RepoID: d.RepoID, Version: d.Version, Revision: d.Revision})
	}
	if n := b.TorchNoarch; n != nil {
		switch backend {
		case config.CUDA:
			m.Backend.Archs = n.CUDACapabilities
		case config.ROCm:
			m.Backend.Archs = n.ROCmArchs
		}
	}
	if p := opts.Provenance; p != nil {
		m.Provenance = &metadataProvenance{KernelBuilder: metadataBuilder{Version: p.BuilderVersion}}
		if p.Builder != nil {
			dirty := p.Builder.Dirty
			m.Provenance.KernelBuilder.Commit = p.Builder.Commit
			m.Provenance.KernelBuilder.Dirty = &dirty
		}
		if p.Kernel != nil {
			m.Provenance.Kernel = &metadataGit{Commit: p.Kernel.Commit, Dirty: p.Kernel.Dirty}
		}
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	// Like today's tool: "<" stays "<" rather than "\u003c".
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return "", err
	}
	return out.String(), nil
}
