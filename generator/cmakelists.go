package generator

import (
	"slices"
	"strings"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

// cmakeListsData is the data of the CMakeLists.txt template. Calls are
// written by cmakeCall, which knows CMake's quoting; the template only
// arranges them.
type cmakeListsData struct {
	Modules               []string
	BeforeProject         []string
	MacOSDeploymentTarget string
	Project               string
	Languages             string
	Setup                 string
	CanSkip               bool
	Definitions           string
	Dependencies          []string
	Binding               string
	// Kernels holds one call per kernel, each preceded by an empty line.
	Kernels        string
	Extension      string
	WindowsInstall string
}

// renderCMakeLists writes CMakeLists.txt for the kernels of one backend,
// which must already be sorted by name.
func renderCMakeLists(b *config.Build, spec *backendSpec, opts Options, kernels []*config.Kernel) (string, error) {
	windows := opts.TargetOS == "windows" && len(spec.WindowsDefinitions) > 0
	data := cmakeListsData{
		Modules:               spec.Modules,
		BeforeProject:         spec.BeforeProject,
		MacOSDeploymentTarget: spec.MacOSDeploymentTarget,
		Project:               cmakeWord(b.General.Name),
		Languages:             strings.Join(spec.Languages, " "),
		Setup:                 setupCall(b, spec, opts.Backend).String(),
		CanSkip:               spec.CanSkip,
		Dependencies:          dependencyCalls(kernels, opts.Backend),
		Kernels:               kernelCallsMarker,
	}
	definitions := spec.Definitions
	if windows {
		data.Modules = append(data.Modules[:len(data.Modules):len(data.Modules)], "windows.cmake")
		definitions = append(definitions[:len(definitions):len(definitions)], spec.WindowsDefinitions...)
	}
	data.Definitions = strings.Join(definitions, " ")

	binding := &cmakeCall{name: "kernel_torch_binding"}
	binding.quoted("SOURCES", b.Torch.Src)
	if len(b.Torch.Src) > 0 {
		binding.quoted("INCLUDES", b.Torch.Include)
		data.Binding = binding.String()
	}

	data.Extension = (&cmakeCall{name: "kernel_extension"}).word(opts.OpsName).String()
	if windows {
		install := (&cmakeCall{name: "kernel_windows_install"}).word(opts.OpsName)
		install.token("PACKAGE", b.General.PythonName())
		data.WindowsInstall = install.String()
	}
	text, err := execute(cmakeListsTemplate, data)
	if err != nil {
		return "", err
	}
	// The kernel calls go straight into the file instead of through the
	// template, which would copy a big build's calls three times. Only
	// validated names follow them, so the last marker is the template's.
	i := strings.LastIndex(text, kernelCallsMarker)
	var out strings.Builder
	out.Grow(len(text) + kernelCallsSize(kernels))
	out.WriteString(text[:i])
	writeKernelCalls(&out, kernels, opts.Backend)
	out.WriteString(text[i+len(kernelCallsMarker):])
	return out.String(), nil
}

// kernelCallsMarker stands for the kernel calls in the template's output.
const kernelCallsMarker = "\x00kernel calls\x00"

// setupCall is the kernel_setup call: the backend and the version bounds.
func setupCall(b *config.Build, spec *backendSpec, backend config.Backend) *cmakeCall {
	c := (&cmakeCall{name: "kernel_setup"}).word(string(backend))
	c.token("TORCH_MINVER", versionString(b.Torch.MinVer))
	c.token("TORCH_MAXVER", versionString(b.Torch.MaxVer))
	if spec.CUDABounds && b.General.CUDA != nil {
		c.token("CUDA_MINVER", versionString(b.General.CUDA.MinVer))
		c.token("CUDA_MAXVER", versionString(b.General.CUDA.MaxVer))
	}
	return c
}

// versionString formats an optional version; "" when it is unset.
func versionString(v config.Version) string {
	if v == nil {
		return ""
	}
	return v.String()
}

// dependencyCalls returns the calls that provide the kernels' dependencies,
// each once, in the order of config.Dependencies. Dependencies the backend
// cannot use are left out; the command line warns about them.
func dependencyCalls(kernels []*config.Kernel, backend config.Backend) []string {
	used := map[string]bool{}
	for _, k := range kernels {
		for _, d := range k.Depends {
			used[d] = true
		}
	}
	var calls []string
	for _, d := range config.Dependencies {
		if !used[d.Name] || !d.UsableBy(backend) {
			continue
		}
		// Renamed dependencies (sycl_tla, once cutlass_sycl) share a call.
		if call := dependencyCall(d); call != "" && !slices.Contains(calls, call) {
			calls = append(calls, call)
		}
	}
	return calls
}

// kernelCallsSize is about what writeKernelCalls writes: the name and
// keywords of each call, and each value quoted on a line of its own.
func kernelCallsSize(kernels []*config.Kernel) int {
	n := 0
	for _, k := range kernels {
		n += 2*len(k.Name) + 64
		for _, list := range [][]string{k.Src, k.Include, k.CXXFlags, k.CUDACapabilities, k.CUDAFlags, k.ROCmArchs, k.HIPFlags, k.SYCLFlags} {
			n += 24
			for _, v := range list {
				n += len(v) + 8
			}
		}
	}
	return n
}

// kernelCalls returns one kernel_<backend> call per kernel, each preceded
// by an empty line.
func kernelCalls(kernels []*config.Kernel, backend config.Backend) string {
	var b strings.Builder
	b.Grow(kernelCallsSize(kernels))
	writeKernelCalls(&b, kernels, backend)
	return b.String()
}

// writeKernelCalls writes kernelCalls into b. It is the only part of
// Render whose size grows with the build, so it writes straight into the
// file's buffer.
func writeKernelCalls(b *strings.Builder, kernels []*config.Kernel, backend config.Backend) {
	function := "kernel_" + string(backend)
	groups := make([]cmakeGroup, 0, 9)
	for _, k := range kernels {
		c := cmakeCall{name: function, args: []string{k.Name}, groups: groups[:0]}
		c.quoted("SOURCES", k.Src)
		c.quoted("INCLUDES", k.Include)
		c.quoted("CXX_FLAGS", k.CXXFlags)
		c.quoted("CUDA_CAPABILITIES", k.CUDACapabilities)
		c.quoted("CUDA_FLAGS", k.CUDAFlags)
		c.token("CUDA_MINVER", versionString(k.CUDAMinVer))
		c.quoted("ROCM_ARCHS", k.ROCmArchs)
		c.quoted("HIP_FLAGS", k.HIPFlags)
		c.quoted("SYCL_FLAGS", k.SYCLFlags)
		b.WriteByte('\n')
		c.writeTo(b)
		b.WriteByte('\n')
	}
}
