package doctor

import (
	"fmt"
	"path/filepath"

	"github.com/build2cmake-go/build2cmake/generator"
	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/internal/probe"
)

// A [tvm-ffi] kernel is built against Apache TVM FFI, not Torch: doctor
// asks the build's Python for tvm-ffi, chooses the backend as the
// generated CMake does without Torch, and names the tvm-ffi build variant.

const tvmFFIFix = "install apache-tvm-ffi into this Python (`%s -m pip install apache-tvm-ffi`), or pass --python for one that has it"

// checkTVMFFI is Check for a [tvm-ffi] build.
func checkTVMFFI(env Env, opts Options) *Report {
	r := &Report{}
	b := opts.Build
	checkCMake(env, r)
	checkNinja(env, r)
	checkCompiler(env, r)
	ffi := checkPythonAndTVMFFI(env, opts, r)
	backend := chooseTVMFFIBackend(env, opts, r)
	r.Backend = backend
	if backend == "" {
		return r
	}
	toolkit := checkToolkit(env, b, backend, nil, r)
	if backend == config.CUDA && ffi != nil {
		if ffi.Capability != "" {
			r.fact("gpu", "capability %s (from the CUDA driver)", ffi.Capability)
		} else {
			r.fact("gpu", "none visible to the CUDA driver; kernels without cuda-capabilities are built for every default capability (slower; BUILD_ALL_SUPPORTED_ARCHS=ON says so explicitly)")
		}
	}
	if ffi != nil && (toolkit != "" || backend == config.CPU || backend == config.Metal) {
		v := generator.Variant{TVMFFIVersion: ffi.Version, Backend: backend, ComputeVersion: toolkit, Arch: env.GOARCH, OS: env.GOOS}
		if name, err := generator.VariantName(v); err != nil {
			r.warn("the kernels loader only finds builds for x86_64 and aarch64 on linux, darwin and windows", "no build variant name: %v", err)
		} else {
			r.fact("variant", "%s", name)
			r.fact("local_install", "%s", filepath.Join(opts.Dir, "build", name)+string(filepath.Separator))
		}
	}
	checkKernels(b, backend, toolkit, r)
	return r
}

// checkPythonAndTVMFFI probes the build's Python; it returns nil when it
// has no tvm-ffi.
func checkPythonAndTVMFFI(env Env, opts Options, r *Report) *probe.TVMFFI {
	py, err := env.Probe.Resolve(opts.Python)
	if err != nil {
		r.problem("install Python 3 with apache-tvm-ffi, or pass --python or set Python3_EXECUTABLE", "%v", err)
		return nil
	}
	t, err := env.Probe.RunTVMFFI(py)
	if err != nil {
		r.problem("pass --python or set Python3_EXECUTABLE to a working interpreter", "%v", err)
		return nil
	}
	r.fact("python", "%s (%s, from %s)", t.PythonVersion, py.Path, py.Origin)
	if !t.Found() {
		r.problem(fmt.Sprintf(tvmFFIFix, py.Path), "%s cannot find tvm_ffi: %s", py.Path, t.ImportError)
		return nil
	}
	r.fact("tvm-ffi", "%s", t.Version)
	return t
}

// chooseTVMFFIBackend applies the generated CMake's rule: --backend (as
// -DGPU_LANG=), else the only listed backend, else xpu when icpx is on
// PATH, cuda when nvcc is found, else cpu, each only when listed.
func chooseTVMFFIBackend(env Env, opts Options, r *Report) config.Backend {
	b := opts.Build
	listed := config.JoinBackends(b.General.Backends)
	if opts.Backend != "" || len(b.General.Backends) <= 1 {
		return chooseBackend(opts, nil, r)
	}
	if b.SupportsBackend(config.XPU) {
		if _, err := env.LookPath("icpx"); err == nil {
			r.fact("backend", "xpu (icpx is on PATH; build.toml lists %s)", listed)
			return config.XPU
		}
	}
	if b.SupportsBackend(config.CUDA) && findNVCC(env) != "" {
		r.fact("backend", "cuda (nvcc is found; build.toml lists %s)", listed)
		return config.CUDA
	}
	if b.SupportsBackend(config.CPU) {
		r.fact("backend", "cpu (no nvcc or icpx for the GPU backends; build.toml lists %s)", listed)
		return config.CPU
	}
	r.problem(cudaFix+", or pass --backend", "build.toml lists %s, and no nvcc is found", listed)
	return ""
}
