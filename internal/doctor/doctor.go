// Package doctor checks, before a long build, what the build of a kernel
// project will use: CMake, Ninja, the C++ compiler, Python and Torch, the
// GPU toolkit of the chosen backend, the GPU, the build variant and which
// kernels will be left out. Every check is a function over an Env, so tests
// run them against stand-in programs.
package doctor

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/build2cmake-go/build2cmake/generator"
	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/internal/child"
	"github.com/build2cmake-go/build2cmake/internal/probe"
)

// Env is the machine doctor looks at.
type Env struct {
	// Probe finds and asks the build's Python about its Torch.
	Probe probe.Env
	// LookPath finds a program on PATH (or checks an absolute path).
	LookPath func(string) (string, error)
	// Output runs a program and returns what it printed (stdout and
	// stderr); used for --version questions only.
	Output func(path string, args ...string) (string, error)
	Getenv func(string) string
	// GOOS and GOARCH describe the machine, for the variant name.
	GOOS, GOARCH string
}

// Options say what to check.
type Options struct {
	// Dir is the kernel folder: where build.toml is and build/ goes.
	Dir   string
	Build *config.Build
	// Backend is the --backend flag, "" when not given.
	Backend string
	// Python is the --python flag, "" when not given.
	Python string
}

// Finding is a problem or a warning: what is wrong and how to fix it.
type Finding struct {
	What, Fix string
}

func (f Finding) String() string {
	if f.Fix == "" {
		return f.What
	}
	return f.What + "; " + f.Fix
}

// Fact is one line of the report: what was found.
type Fact struct {
	Name, Value string
}

// Report is the outcome of Check.
type Report struct {
	Facts []Fact
	// Problems stop the build; Warnings do not.
	Problems, Warnings []Finding
	// Backend is the backend the build will use, "" when none can be
	// chosen.
	Backend config.Backend
}

// OK reports whether a build can proceed.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

func (r *Report) fact(name, format string, args ...any) {
	r.Facts = append(r.Facts, Fact{name, fmt.Sprintf(format, args...)})
}

func (r *Report) problem(fix, format string, args ...any) {
	r.Problems = append(r.Problems, Finding{fmt.Sprintf(format, args...), fix})
}

func (r *Report) warn(fix, format string, args ...any) {
	r.Warnings = append(r.Warnings, Finding{fmt.Sprintf(format, args...), fix})
}

// minCMake is the cmake_minimum_required of every generated CMakeLists.txt.
const minCMake = "3.26"

// Check runs every check. It never fails: what it cannot find is a problem
// in the report.
func Check(env Env, opts Options) *Report {
	if opts.Build.Framework == config.FrameworkTVMFFI {
		return checkTVMFFI(env, opts)
	}
	r := &Report{}
	b := opts.Build
	checkCMake(env, r)
	checkNinja(env, r)
	checkCompiler(env, r)
	torch := checkPythonAndTorch(env, opts, r)
	backend := chooseBackend(opts, torch, r)
	r.Backend = backend
	toolkit := ""
	if backend != "" && b.IsNoarch() {
		r.fact("toolkit", "none needed: the build has no compiled kernels")
	} else if backend != "" {
		toolkit = checkToolkit(env, b, backend, torch, r)
	}
	checkGPU(torch, backend, r)
	if backend != "" && torch != nil {
		checkVariant(env, opts, torch, backend, toolkit, r)
	}
	if backend != "" {
		checkKernels(b, backend, toolkit, r)
	}
	return r
}

const (
	cmakeFix    = "install CMake " + minCMake + " or newer (`pip install cmake` or your package manager) and put it on PATH"
	ninjaFix    = "install Ninja (`pip install ninja` or your package manager); without it CMake falls back to Make, which is slower and is not what CI uses"
	compilerFix = "install a C++17 compiler (g++ or clang++; Visual Studio on Windows) or point CXX at one"
	cudaFix     = "install a CUDA toolkit and put its nvcc on PATH, or set CUDACXX to it"
	rocmFix     = "install ROCm and put hipcc on PATH"
	xpuFix      = "install Intel oneAPI (icx/icpx) and source its setvars.sh"
)

func checkCMake(env Env, r *Report) {
	version, path, ok := toolVersion(env, "cmake", `cmake version (\d+\.\d+(\.\d+)?)`, "--version")
	if !ok {
		r.problem(cmakeFix, "cmake not found")
		return
	}
	r.fact("cmake", "%s (%s)", version, path)
	if compareVersions(version, minCMake) < 0 {
		r.problem(cmakeFix, "cmake %s is too old: the generated CMakeLists.txt needs %s", version, minCMake)
	}
}

func checkNinja(env Env, r *Report) {
	version, path, ok := toolVersion(env, "ninja", `(\d+\.\d+(\.\d+)?)`, "--version")
	if !ok {
		r.warn(ninjaFix, "ninja not found")
		return
	}
	r.fact("ninja", "%s (%s)", version, path)
}

func checkCompiler(env Env, r *Report) {
	candidates := []string{"c++", "g++", "clang++"}
	if env.GOOS == "windows" {
		candidates = []string{"cl", "clang-cl", "g++"}
	}
	if cxx := env.Getenv("CXX"); cxx != "" {
		candidates = []string{strings.Fields(cxx)[0]}
	}
	for _, name := range candidates {
		path, err := env.LookPath(name)
		if err != nil {
			continue
		}
		out, _ := env.Output(path, "--version")
		first, _, _ := strings.Cut(strings.TrimSpace(out), "\n")
		r.fact("c++ compiler", "%s (%s)", strings.TrimSpace(first), path)
		return
	}
	if cxx := env.Getenv("CXX"); cxx != "" {
		r.problem(compilerFix, "CXX is %q, which is not found", cxx)
		return
	}
	r.problem(compilerFix, "no C++ compiler found (looked for %s)", strings.Join(candidates, ", "))
}

// checkPythonAndTorch probes the build's Python; it returns nil when there
// is no usable Torch.
func checkPythonAndTorch(env Env, opts Options, r *Report) *probe.Torch {
	py, err := env.Probe.Resolve(opts.Python)
	if err != nil {
		r.problem("install Python 3 with Torch, or pass --python or set Python3_EXECUTABLE", "%v", err)
		return nil
	}
	t, err := env.Probe.Run(py)
	if err != nil {
		r.problem("pass --python or set Python3_EXECUTABLE to a working interpreter", "%v", err)
		return nil
	}
	r.fact("python", "%s (%s, from %s)", t.PythonVersion, py.Path, py.Origin)
	if !t.Found() {
		r.problem("install torch into this Python (`"+py.Path+" -m pip install torch`), or pass --python for one that has it",
			"%s cannot import torch: %s", py.Path, t.ImportError)
		return nil
	}
	abi := "C++ ABI unknown"
	if t.CXX11ABI != nil {
		abi = "C++11 ABI"
		if !*t.CXX11ABI {
			abi = "pre-C++11 ABI"
		}
	}
	r.fact("torch", "%s, %s, %s", t.Version, t.Build(), abi)
	if tb := opts.Build.Torch; tb != nil {
		if tb.MinVer != nil && looseVersion(t.Version).Compare(tb.MinVer) < 0 {
			r.problem("install Torch "+tb.MinVer.String()+" or newer into "+py.Path,
				"Torch %s is older than torch.minver %s", t.Version, tb.MinVer)
		}
		if tb.MaxVer != nil && looseVersion(t.Version).Compare(tb.MaxVer) > 0 {
			r.problem("install a Torch no newer than "+tb.MaxVer.String()+" into "+py.Path+", or raise torch.maxver once the kernel is tested with it",
				"Torch %s is newer than torch.maxver %s", t.Version, tb.MaxVer)
		}
	}
	if t.CXX11ABI != nil && !*t.CXX11ABI && env.GOOS == "linux" {
		r.warn("use a Torch built with the C++11 ABI (every Torch 2 wheel from pypi.org is)",
			"Torch uses the pre-C++11 ABI, but Linux build variants are named -cxx11, so the kernels loader will not match this build")
	}
	return t
}

// chooseBackend applies generate-torch's rule: --backend, else the only
// listed backend, else the backend of the build's Torch.
func chooseBackend(opts Options, torch *probe.Torch, r *Report) config.Backend {
	b := opts.Build
	listed := config.JoinBackends(b.General.Backends)
	if opts.Backend != "" {
		backend, err := config.ParseBackend(opts.Backend)
		if err != nil {
			r.problem("pass one of cpu, cuda, metal, rocm, xpu", "%v", err)
			return ""
		}
		if !b.SupportsBackend(backend) {
			r.problem("pass a backend listed in general.backends ("+listed+")", "build.toml does not list backend %s", backend)
			return ""
		}
		r.fact("backend", "%s (from --backend)", backend)
		return backend
	}
	switch {
	case len(b.General.Backends) == 0:
		r.problem("list the backends in general.backends", "build.toml lists no backend")
		return ""
	case len(b.General.Backends) == 1:
		r.fact("backend", "%s (the only one in build.toml)", b.General.Backends[0])
		return b.General.Backends[0]
	case torch == nil:
		r.problem("fix Python/Torch above, or pass --backend", "cannot choose among %s without Torch", listed)
		return ""
	}
	backend := torch.Backend()
	if !b.SupportsBackend(backend) {
		r.problem("install a Torch built for one of "+listed+", or pass --backend",
			"Torch is %s, but build.toml does not list %s", torch.Build(), backend)
		return ""
	}
	r.fact("backend", "%s (Torch is %s; build.toml lists %s)", backend, torch.Build(), listed)
	return backend
}

// checkToolkit reports the compiler toolkit of backend and returns its
// version ("" when there is none to report or it is missing). torch may be
// nil.
func checkToolkit(env Env, b *config.Build, backend config.Backend, torch *probe.Torch, r *Report) string {
	switch backend {
	case config.CUDA:
		return checkNVCC(env, b, torch, r)
	case config.ROCm:
		return checkTool(env, r, "hipcc", rocmFix, `HIP version: (\d+\.\d+)`, "--version")
	case config.XPU:
		return checkTool(env, r, "icpx", xpuFix, `Compiler (\d+\.\d+)`, "--version")
	case config.Metal:
		r.fact("toolkit", "the Metal toolchain is found by CMake at configure (xcodebuild or METAL_TOOLCHAIN); not checked here")
	case config.CPU:
		r.fact("toolkit", "none needed for cpu")
	}
	return ""
}

// checkNVCC finds nvcc as CMake does (CUDACXX, PATH, then the usual
// install folders) and returns its version, "" when not found.
func checkNVCC(env Env, b *config.Build, torch *probe.Torch, r *Report) string {
	var version, path string
	for _, c := range nvccCandidates(env) {
		var ok bool
		if version, path, ok = toolVersion(env, c, `release (\d+\.\d+)`, "--version"); ok {
			break
		}
	}
	if path == "" {
		r.problem(cudaFix, "nvcc not found")
		return ""
	}
	r.fact("nvcc", "%s (%s)", version, path)
	if g := b.General.CUDA; g != nil {
		if g.MinVer != nil && looseVersion(version).Compare(g.MinVer) < 0 {
			r.problem("install CUDA "+g.MinVer.String()+" or newer and put its nvcc first on PATH (or set CUDACXX)",
				"nvcc %s is older than general.cuda.minver %s", version, g.MinVer)
		}
		if g.MaxVer != nil && looseVersion(version).Compare(g.MaxVer) > 0 {
			r.problem("install a CUDA no newer than "+g.MaxVer.String()+" and put its nvcc first on PATH (or set CUDACXX)",
				"nvcc %s is newer than general.cuda.maxver %s", version, g.MaxVer)
		}
	}
	if torch != nil && torch.CUDA != "" && major(torch.CUDA) != major(version) {
		r.problem("use the CUDA toolkit Torch was built with ("+torch.CUDA+"), or a Torch built for CUDA "+major(version),
			"nvcc %s and Torch's CUDA %s differ in major version", version, torch.CUDA)
	}
	return version
}

// nvccCandidates are where CMake looks for nvcc, in its order: CUDACXX
// alone when set, else PATH, CUDA_HOME, CUDA_PATH and /usr/local/cuda.
func nvccCandidates(env Env) []string {
	if cxx := env.Getenv("CUDACXX"); cxx != "" {
		return []string{cxx}
	}
	candidates := []string{"nvcc"}
	for _, v := range []string{"CUDA_HOME", "CUDA_PATH"} {
		if home := env.Getenv(v); home != "" {
			candidates = append(candidates, filepath.Join(home, "bin", "nvcc"))
		}
	}
	return append(candidates, "/usr/local/cuda/bin/nvcc")
}

// findNVCC returns the nvcc CMake would find, "" when none.
func findNVCC(env Env) string {
	for _, c := range nvccCandidates(env) {
		if path, err := env.LookPath(c); err == nil {
			return path
		}
	}
	return ""
}

// checkTool reports a backend toolkit program and returns its version.
func checkTool(env Env, r *Report, name, fix, pattern string, args ...string) string {
	version, path, ok := toolVersion(env, name, pattern, args...)
	if !ok {
		r.problem(fix, "%s not found", name)
		return ""
	}
	r.fact(name, "%s (%s)", version, path)
	return version
}

func checkGPU(torch *probe.Torch, backend config.Backend, r *Report) {
	switch {
	case torch == nil:
	case torch.GPU == "":
		note := "none visible to Torch"
		if backend == config.CUDA {
			note += "; kernels without cuda-capabilities are built for every default capability (slower; BUILD_ALL_SUPPORTED_ARCHS=ON says so explicitly)"
		}
		r.fact("gpu", "%s", note)
	default:
		r.fact("gpu", "%s (capability %s)", torch.GPU, torch.Capability)
	}
}

func checkVariant(env Env, opts Options, torch *probe.Torch, backend config.Backend, toolkit string, r *Report) {
	v := generator.Variant{TorchVersion: torch.Version, Backend: backend, ComputeVersion: toolkit, Arch: env.GOARCH, OS: env.GOOS}
	if tb := opts.Build.Torch; tb != nil && tb.StableABI != nil {
		if s := tb.StableABI.For(backend); s != nil {
			v.StableABI = s.String()
		}
	}
	if opts.Build.IsNoarch() {
		// Kernels without compiled code install per backend, whatever
		// the Torch (SPEC D4).
		name := "torch-" + string(backend)
		r.fact("variant", "%s (no compiled kernels)", name)
		r.fact("local_install", "%s", filepath.Join(opts.Dir, "build", name)+string(filepath.Separator))
		return
	}
	if toolkit == "" && (backend == config.CUDA || backend == config.ROCm || backend == config.XPU) {
		return // the missing toolkit is already a problem
	}
	name, err := generator.VariantName(v)
	if err != nil {
		r.warn("the kernels loader only finds builds for x86_64 and aarch64 on linux, darwin and windows", "no build variant name: %v", err)
		return
	}
	r.fact("variant", "%s", name)
	r.fact("local_install", "%s", filepath.Join(opts.Dir, "build", name)+string(filepath.Separator))
}

// checkKernels lists the kernels the build leaves out: those of other
// backends, and CUDA kernels whose cuda-minver this nvcc does not reach.
func checkKernels(b *config.Build, backend config.Backend, toolkit string, r *Report) {
	var built, skipped []string
	for _, k := range b.KernelsFor(backend) {
		if backend == config.CUDA && k.CUDAMinVer != nil && toolkit != "" && looseVersion(toolkit).Compare(k.CUDAMinVer) < 0 {
			skipped = append(skipped, k.Name)
			r.warn("install CUDA "+k.CUDAMinVer.String()+" or newer to build it",
				"kernel %s will be skipped: its cuda-minver is %s, nvcc is %s", k.Name, k.CUDAMinVer, toolkit)
			continue
		}
		built = append(built, k.Name)
	}
	var other []string
	for _, k := range b.Kernels {
		if k.Backend != backend {
			other = append(other, k.Name+" ("+string(k.Backend)+")")
		}
	}
	line := "built: " + listOrNone(built)
	if len(skipped) > 0 {
		line += "; skipped for this toolkit: " + strings.Join(skipped, ", ")
	}
	if len(other) > 0 {
		line += "; other backends: " + strings.Join(other, ", ")
	}
	r.fact("kernels", "%s", line)
	if len(built) == 0 && len(skipped) > 0 {
		r.problem("install a newer CUDA toolkit", "every %s kernel would be skipped, so the extension would hold no kernel", backend)
	}
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// toolVersion finds name and reads its version from the output of
// name args... with pattern's first group.
func toolVersion(env Env, name, pattern string, args ...string) (version, path string, ok bool) {
	path, err := env.LookPath(name)
	if err != nil {
		return "", "", false
	}
	out, err := env.Output(path, args...)
	m := regexp.MustCompile(pattern).FindStringSubmatch(out)
	if err != nil || m == nil {
		return "unknown version", path, true
	}
	return m[1], path, true
}

// compareVersions compares the leading numbers of each dot-separated part
// ("1.13.0a0" is 1.13.0), as CMake's VERSION_LESS does.
func compareVersions(a, b string) int {
	return looseVersion(a).Compare(looseVersion(b))
}

var leadingDigits = regexp.MustCompile(`^\d+`)

// looseVersion reads a tool's version string as a config.Version from the
// leading digits of each dot-separated part, so that "1.13.0a0" and
// "12.8" compare with build.toml's bounds by the one rule of Compare.
func looseVersion(v string) config.Version {
	var out config.Version
	for _, part := range strings.Split(v, ".") {
		n, _ := strconv.ParseUint(leadingDigits.FindString(part), 10, 64)
		out = append(out, n)
	}
	return out
}

func major(v string) string {
	m, _, _ := strings.Cut(v, ".")
	return m
}

// System is the Env of this machine.
func System() Env {
	return Env{
		Probe:    probe.System(),
		LookPath: exec.LookPath,
		Output: func(path string, args ...string) (string, error) {
			// A version question answers at once; a hung program (a
			// compiler wrapper waiting for a licence server) must not hang
			// doctor, and what it prints is echoed.
			res, err := child.Output(path, args, child.Limits{Timeout: 30 * time.Second, MaxOutput: 64 << 10})
			return child.PrintableLines(string(res.Stdout) + string(res.Stderr)), err
		},
		Getenv: os.Getenv,
		GOOS:   runtime.GOOS,
		GOARCH: runtime.GOARCH,
	}
}
