package generator

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/build2cmake-go/build2cmake/cmake"
	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/python"
)

// A [tvm-ffi] kernel is built against Apache TVM FFI instead of Torch:
// one compiled module serves PyTorch, JAX and NumPy through DLPack. Its
// project is today's layout with tvm-ffi in Torch's place.

// TVMFFIPackageDir is the folder of a [tvm-ffi] kernel's Python package
// (TVMFFIPackageDir/<python_name>/), as torch-ext is for Torch.
const TVMFFIPackageDir = "tvm-ffi-ext"

// tvmFFIRequirement is the build and runtime requirement that replaces
// Torch: the pip name of the python-depends value "tvm-ffi".
var tvmFFIRequirement = config.PipNames("", []string{"tvm-ffi"})

var (
	tvmFFICMakeListsTemplate = parseTemplate("CMakeLists.txt (tvm-ffi)", cmake.TVMFFICMakeListsTemplate)
	tvmFFISetupTemplate      = parseTemplate("setup.py (tvm-ffi)", python.TVMFFISetupTemplate, python.SetupHelpersTemplate)
	tvmFFIOpsTemplate        = parseTemplate("_ops.py (tvm-ffi)", python.TVMFFIOpsTemplate)
)

// tvmFFISetupData is the data of a [tvm-ffi] kernel's setup.py.
type tvmFFISetupData struct {
	PythonName  string
	UniqueID    string
	Backends    []string
	PackageData []string
}

// tvmFFIOpsData is the data of tvm-ffi-ext/<python_name>/_ops.py.
type tvmFFIOpsData struct {
	Prefix   string
	UniqueID string
	Backends []string
}

// renderTVMFFI adds to r, which holds the metadata files, what a [tvm-ffi]
// kernel needs: CMakeLists.txt with cmake/utils.cmake, cmake/variants.cmake
// and cmake/tvm-ffi.cmake (plus the ROCm and Metal helpers when the kernel
// lists those backends), setup.py, pyproject.toml and
// tvm-ffi-ext/<python_name>/_ops.py.
func renderTVMFFI(r *renderer, b *config.Build, uniqueID string) ([]File, error) {
	t := b.TVMFFI
	if t == nil {
		return nil, errors.New("build.toml has no [tvm-ffi] table")
	}
	for _, k := range b.Kernels {
		if !b.SupportsBackend(k.Backend) {
			return nil, fmt.Errorf("kernel %q is for backend %q, which general.backends does not list (%s)",
				k.Name, k.Backend, config.JoinBackends(b.General.Backends))
		}
	}
	py := b.General.PythonName()
	compiled := compiledBackends(b)
	if len(compiled) == 0 {
		return nil, fmt.Errorf("general.backends (%s) lists no backend a [tvm-ffi] kernel can be built for; list cpu, cuda, metal, rocm or xpu",
			config.JoinBackends(b.General.Backends))
	}
	pyext := &config.Torch{PyExt: t.PyExt}

	r.file("CMakeLists.txt", "#", func() (string, error) { return renderTVMFFICMakeLists(b, compiled, uniqueID) })
	r.add(File{Path: "cmake/utils.cmake", Content: []byte(variantUtilsContent())})
	r.add(File{Path: "cmake/variants.cmake", Content: []byte(variantsContent())})
	r.add(File{Path: "cmake/tvm-ffi.cmake", Content: []byte(withHeaderFor(cmake.TVMFFI, "#", createCommand))})
	for _, f := range tvmFFIBackendFiles(compiled) {
		r.add(File{Path: f.Path, Content: []byte(withHeaderFor(f.Content, f.Comment, createCommand)), Executable: f.Executable})
	}
	r.file("setup.py", "#", func() (string, error) {
		return execute(tvmFFISetupTemplate, tvmFFISetupData{
			PythonName:  py,
			UniqueID:    uniqueID,
			Backends:    backendNames(compiled),
			PackageData: dataGlobs(pyext),
		})
	})
	r.file("pyproject.toml", "#", func() (string, error) {
		return renderPyprojectRequiring(b, true, tvmFFIBuildRequires(), tvmFFIRequirement)
	})
	r.file(TVMFFIPackageDir+"/"+py+"/_ops.py", "#", func() (string, error) {
		return execute(tvmFFIOpsTemplate, tvmFFIOpsData{
			Prefix:   "_" + py + "_",
			UniqueID: uniqueID,
			Backends: backendNames(compiled),
		})
	})
	return r.result()
}

// tvmFFIBuildRequires are the build requirements of a [tvm-ffi] kernel:
// those of a Torch kernel with tvm-ffi in Torch's place.
func tvmFFIBuildRequires() []string {
	var requires []string
	for _, r := range buildRequires {
		if r == "torch" {
			requires = append(requires, tvmFFIRequirement...)
		} else {
			requires = append(requires, r)
		}
	}
	return requires
}

// tvmFFIBackendFiles are the helper files the compiled backends need in a
// [tvm-ffi] project: hipify.py for rocm, the Metal shader helpers for
// metal. The Torch layout's windows.cmake, and hipify.py for cuda, serve
// only the early-2026 layout.
func tvmFFIBackendFiles(compiled []config.Backend) []staticFile {
	var files []staticFile
	for _, backend := range compiled {
		for _, f := range backendSpecs[backend].Files {
			needed := backend == config.Metal || backend == config.ROCm && f.Path == "cmake/hipify.py"
			if needed && !slices.ContainsFunc(files, func(g staticFile) bool { return g.Path == f.Path }) {
				files = append(files, f)
			}
		}
	}
	return files
}

// renderTVMFFICMakeLists writes the CMakeLists.txt of a [tvm-ffi] kernel:
// the setup, one block per compiled backend with its dependencies and
// kernels, the binding, the extension and its installation.
func renderTVMFFICMakeLists(b *config.Build, compiled []config.Backend, uniqueID string) (string, error) {
	t := b.TVMFFI
	data := variantCMakeListsData{Project: cmakeWord(b.General.Name)}
	setup := &cmakeCall{name: "kernel_tvm_ffi_setup"}
	setup.groups = append(setup.groups, cmakeGroup{keyword: "BACKENDS", values: backendNames(compiled)})
	if b.General.CUDA != nil && b.SupportsBackend(config.CUDA) {
		setup.token("CUDA_MINVER", versionString(b.General.CUDA.MinVer))
		setup.token("CUDA_MAXVER", versionString(b.General.CUDA.MaxVer))
	}
	data.Setup = setup.String()
	data.addBackendBlocks(b, compiled)

	if len(t.Src) > 0 {
		binding := &cmakeCall{name: "kernel_tvm_ffi_binding"}
		binding.quoted("SOURCES", t.Src)
		binding.quoted("INCLUDES", t.Include)
		binding.quoted("CXX_FLAGS", t.CXXFlags)
		data.Binding = binding.String()
	}
	// As for Torch: the backend is only known to CMake, so the ops name is
	// a variable; the python name and the id are identifiers.
	data.OpsName = "_" + b.General.PythonName() + "_${KERNEL_BACKEND}_" + uniqueID
	install := &cmakeCall{name: "kernel_variant_install", args: []string{opsNamePlaceholder}}
	install.token("PACKAGE", b.General.PythonName())
	install.token("PACKAGE_DIR", TVMFFIPackageDir)
	install.quoted("DATA_EXTENSIONS", (&config.Torch{PyExt: t.PyExt}).DataExtensions())
	data.Install = strings.Replace(install.String(), opsNamePlaceholder, "${ops_name}", 1)
	return execute(tvmFFICMakeListsTemplate, data)
}
