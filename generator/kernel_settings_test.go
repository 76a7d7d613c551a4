package generator

import (
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// These tests configure whole generated projects and check, per source
// file, that each kernel's settings (flags, include directories, defines,
// CUDA capabilities, ROCm architectures) reach that kernel's sources and no
// other's. They catch what a golden diff only shows: a generator that drops
// a setting from the kernel_<backend>() call, or a shipped function that
// ignores an argument. For CPU and XPU the compile commands come from
// compile_commands.json (XPU with stand-in Intel compilers); CUDA and ROCm
// need their compilers to have compile commands, so there the tests read
// each source's properties after configuring.

// settingsBuild has two kernels per backend with distinct settings: alpha
// sets everything, beta the least its backend allows.
func settingsBuild() *config.Build {
	torch := []string{"torch"}
	return &config.Build{
		General: config.General{Name: "settings", Backends: []config.Backend{config.CPU, config.CUDA, config.ROCm, config.XPU}},
		Torch:   &config.Torch{Src: []string{"torch-ext/torch_binding.cpp", "torch-ext/torch_binding.h"}},
		Kernels: []config.Kernel{
			{Name: "alpha_cpu", Backend: config.CPU, Depends: torch, Src: []string{"alpha/alpha.cpp", "alpha/alpha.h"},
				Include: []string{"alpha/include"}, CXXFlags: []string{"-DALPHA_CXX=1", "-fno-math-errno"}},
			{Name: "beta_cpu", Backend: config.CPU, Depends: torch, Src: []string{"beta/beta.cpp"},
				Include: []string{"beta/include"}, CXXFlags: []string{"-DBETA_CXX"}},

			{Name: "alpha_cuda", Backend: config.CUDA, Depends: torch, Src: []string{"alpha/alpha.cu", "alpha/alpha_host.cpp"},
				Include: []string{"alpha/include"}, CXXFlags: []string{"-DALPHA_CXX=1"},
				CUDAFlags: []string{"-DALPHA_CUDA", "--use_fast_math"}, CUDACapabilities: []string{"8.0", "9.0a"}},
			{Name: "beta_cuda", Backend: config.CUDA, Depends: torch, Src: []string{"beta/beta.cu"},
				CUDAFlags: []string{"-DBETA_CUDA"}},

			{Name: "alpha_rocm", Backend: config.ROCm, Depends: torch, Src: []string{"alpha/alpha.cu", "alpha/alpha_host.cpp"},
				Include: []string{"alpha/include"}, CXXFlags: []string{"-DALPHA_CXX=1"},
				HIPFlags: []string{"-DALPHA_HIP"}, ROCmArchs: []string{"gfx942"}},
			{Name: "beta_rocm", Backend: config.ROCm, Depends: torch, Src: []string{"beta/beta.hip"},
				HIPFlags: []string{"-DBETA_HIP"}},

			{Name: "alpha_xpu", Backend: config.XPU, Depends: torch, Src: []string{"alpha/alpha.cpp", "alpha/alpha.h"},
				Include: []string{"alpha/include"}, CXXFlags: []string{"-DALPHA_CXX=1"},
				SYCLFlags: []string{"-DALPHA_SYCL", "-fno-fast-math"}},
			{Name: "beta_xpu", Backend: config.XPU, Depends: torch, Src: []string{"beta/beta.cpp"},
				Include: []string{"beta/include"}},
		},
	}
}

// writeSettingsProject renders settingsBuild for backend into a new folder,
// with empty sources (configuring reads none), and returns the folder.
// standIn, when set, is appended to cmake/utils.cmake: CMake functions
// defined later replace earlier ones.
func writeSettingsProject(t *testing.T, backend config.Backend, standIn string) string {
	t.Helper()
	dir := t.TempDir()
	b := settingsBuild()
	for _, f := range mustRender(t, b, Options{Backend: backend, OpsName: "_settings_x", TargetOS: "linux"}) {
		content := string(f.Content)
		if f.Path == "cmake/utils.cmake" {
			content += standIn
		}
		writeTestFile(t, filepath.Join(dir, f.Path), content)
	}
	for _, src := range b.Torch.Src {
		writeTestFile(t, filepath.Join(dir, src), "")
	}
	for _, k := range b.KernelsFor(backend) {
		for _, src := range k.Src {
			writeTestFile(t, filepath.Join(dir, src), "")
		}
	}
	return dir
}

// configure runs cmake on a generated project with Ninja and compile
// commands on, and fails the test with CMake's output if that fails or
// warns (see noCMakeWarnings).
func configure(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	out, err := runConfigure(t, dir, env, args...)
	if err != nil {
		t.Fatalf("configuring the generated project failed: %v\n%s", err, out)
	}
	noCMakeWarnings(t, out)
	return out
}

// runConfigure runs cmake on a generated project with Ninja, compile
// commands on and --warn-uninitialized, and returns its output.
func runConfigure(t *testing.T, dir string, env []string, args ...string) (string, error) {
	t.Helper()
	cmakeProgram := requireCMake(t)
	testenv.LookPath(t, "ninja")
	args = append([]string{"-S", dir, "-B", filepath.Join(dir, "build"), "-G", "Ninja",
		"-DCMAKE_EXPORT_COMPILE_COMMANDS=ON", "--warn-uninitialized"}, args...)
	cmd := exec.Command(cmakeProgram, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("running cmake: %v", err)
	}
	return string(out), err
}

// noCMakeWarnings fails the test when CMake warned while configuring a
// generated project: a user who builds with CMake directly sees every
// warning (huggingface/kernels #799 found one in today's project() line).
func noCMakeWarnings(t *testing.T, out string) {
	t.Helper()
	for _, marker := range []string{"CMake Warning", "CMake Deprecation Warning"} {
		if strings.Contains(out, marker) {
			t.Errorf("configuring printed a %q:\n%s", marker, out)
			return
		}
	}
}

// perSourceFlags reads build/compile_commands.json and returns, for each
// source (project-relative), the arguments its command has beyond those
// of the Torch binding's torch-ext/torch_binding.cpp, which no kernel
// setting reaches, leaving out the ones that name the file itself (-o,
// -c, dependency files). The build folder reads $B, the rest of the
// project folder $P.
func perSourceFlags(t *testing.T, dir string) map[string][]string {
	t.Helper()
	commands := compileArgs(t, dir, "build")
	baseline, ok := commands["torch-ext/torch_binding.cpp"]
	if !ok {
		t.Fatalf("compile_commands.json has no command for the Torch binding, only for %q", slices.Sorted(maps.Keys(commands)))
	}
	out := map[string][]string{}
	for src, args := range commands {
		extra := []string{}
		for i, arg := range args {
			if i == 0 || slices.Contains(baseline, arg) || strings.Contains(arg, src) {
				continue
			}
			extra = append(extra, arg)
		}
		out[src] = extra
	}
	return out
}

// compareSettings reports each source whose per-kernel settings differ
// from want, and any source in got or want but not the other.
func compareSettings(t *testing.T, got, want map[string][]string) {
	t.Helper()
	for src, w := range want {
		g, ok := got[src]
		if !ok {
			t.Errorf("%s: not compiled", src)
			continue
		}
		if !slices.Equal(g, w) {
			t.Errorf("%s: kernel settings\n  %q\nwant\n  %q", src, g, w)
		}
	}
	for src := range got {
		if _, ok := want[src]; !ok {
			t.Errorf("%s: compiled, but not expected", src)
		}
	}
}

// The CPU project configured for real against Debian's Torch.
func TestKernelSettingsReachTheirSourcesCPU(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("skipping under -short: configuring against Torch takes seconds")
	}
	python := testenv.TorchPython(t)
	testenv.LookPath(t, "c++")
	dir := writeSettingsProject(t, config.CPU, "")
	configure(t, dir, nil, "-DPython3_EXECUTABLE="+python)
	compareSettings(t, perSourceFlags(t, dir), map[string][]string{
		"torch-ext/torch_binding.cpp": {},
		"alpha/alpha.cpp":             {"-I$P/alpha/include", "-DALPHA_CXX=1", "-fno-math-errno"},
		"beta/beta.cpp":               {"-I$P/beta/include", "-DBETA_CXX"},
	})
}

// standInSetup replaces kernel_setup, which needs Torch and the backend's
// toolchain, with the state it would leave: the backend, Python (for
// Python3_add_library), a Torch target, and the targets each backend
// builds for. The rest of the generated CMakeLists.txt and every other
// shipped function run as they are. At the end of configuring it reports
// each source's settings (reportSources).
const standInSetup = `
# ---- test stand-in (kernel_settings_test.go)
macro(kernel_setup _backend)
  set(KERNEL_BACKEND "${_backend}")
  set(KERNEL_SKIP FALSE)
  find_package(Python3 REQUIRED COMPONENTS Development Development.SABIModule Interpreter)
  add_library(torch INTERFACE)
  set(TORCH_LIBRARIES torch)
  add_library(CUDA::cudart INTERFACE IMPORTED)
  set(KERNEL_CUDA_VERSION 12.8)
  set(KERNEL_CUDA_SUPPORTED_ARCHS 7.5 8.0 8.6 8.9 9.0 10.0 12.0)
  set(KERNEL_CUDA_ARCHS 8.6 9.0)
  set(KERNEL_ROCM_ARCHS gfx90a gfx942)
  set(KERNEL_GPU_FLAGS -DTORCH_GPU_FLAG)
  set(KERNEL_SYCL_FLAGS -fsycl -DDEFAULT_SYCL)
  set(KERNEL_SYCL_LINK_FLAGS -fsycl)
  cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL _test_report_sources)
endmacro()
` + reportSources

// reportSources defines _test_report_sources, which prints each extension
// source with its compile options and include directories (one "source="
// line each) and the compile options of each module target (one "target="
// line each), for reportedSettings to read, and each module target's C++
// standard (a "standard=" line). Called at the end of configuring
// (cmake_language(DEFER)).
const reportSources = `
function(_test_report_sources)
  get_property(sources GLOBAL PROPERTY KERNEL_SOURCES)
  foreach(source IN LISTS sources)
    get_source_file_property(options "${source}" COMPILE_OPTIONS)
    get_source_file_property(includes "${source}" INCLUDE_DIRECTORIES)
    message(NOTICE "source=${source}|${options}|${includes}")
  endforeach()
  get_directory_property(targets BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "MODULE_LIBRARY")
      get_target_property(options ${target} COMPILE_OPTIONS)
      message(NOTICE "target=${target}|${options}")
      get_target_property(standard ${target} CXX_STANDARD)
      message(NOTICE "standard=${target}|${standard}")
    endif()
  endforeach()
endfunction()
`

// languageFlag matches a flag wrapped for one language.
var languageFlag = regexp.MustCompile(`^\$<\$<COMPILE_LANGUAGE:(\w+)>:(.*)>$`)

// reportedSettings reads the stand-in's report: for each source
// (project-relative, or starting with $B in the build tree; the project
// folder in values reads $P) its compile options,
// written LANGUAGE:flag, and its include directories, written -Idir; and
// the compile options of each target under "target:<name>".
func reportedSettings(t *testing.T, dir, out string) map[string][]string {
	t.Helper()
	build := filepath.Join(dir, "build")
	settings := map[string][]string{}
	for _, line := range strings.Split(out, "\n") {
		kind, rest, ok := strings.Cut(line, "=")
		if !ok || kind != "source" && kind != "target" {
			continue
		}
		rest = strings.ReplaceAll(strings.ReplaceAll(rest, build, "$B"), dir, "$P")
		fields := strings.Split(rest, "|")
		var values []string
		for i, field := range fields[1:] {
			if field == "NOTFOUND" || field == "" {
				continue
			}
			for _, v := range strings.Split(field, ";") {
				if m := languageFlag.FindStringSubmatch(v); m != nil {
					v = m[1] + ":" + m[2]
				}
				if i == 1 {
					v = "-I" + v
				}
				values = append(values, v)
			}
		}
		name := fields[0]
		if kind == "target" {
			name = "target:" + name
		}
		settings[name] = append([]string{}, values...)
	}
	if len(settings) == 0 {
		t.Fatalf("the stand-in reported nothing:\n%s", out)
	}
	return settings
}

func TestKernelSettingsReachTheirSourcesCUDA(t *testing.T) {
	t.Parallel()
	requirePythonDevelopment(t)
	dir := writeSettingsProject(t, config.CUDA, standInSetup)
	out := configure(t, dir, nil)
	compareSettings(t, reportedSettings(t, dir, out), map[string][]string{
		"torch-ext/torch_binding.cpp": {},
		"torch-ext/torch_binding.h":   {},
		// 9.0a replaces 9.0 (see TestCUDACapabilityIntersection).
		"alpha/alpha.cu": {"CUDA:-gencode=arch=compute_80,code=sm_80", "CUDA:-gencode=arch=compute_90a,code=sm_90a",
			"CUDA:-DALPHA_CUDA", "CUDA:--use_fast_math", "CXX:-DALPHA_CXX=1", "-I$P/alpha/include"},
		"alpha/alpha_host.cpp": {"CXX:-DALPHA_CXX=1", "-I$P/alpha/include"},
		// No cuda-capabilities: the build's default capabilities.
		"beta/beta.cu": {"CUDA:-gencode=arch=compute_86,code=sm_86", "CUDA:-gencode=arch=compute_90,code=sm_90", "CUDA:-DBETA_CUDA"},
		// -fno-gnu-unique: the C++ compiler here (g++) has it.
		"target:_settings_x": {"CXX:-fno-gnu-unique", "CUDA:-DTORCH_GPU_FLAG"},
	})
}

func TestKernelSettingsReachTheirSourcesROCm(t *testing.T) {
	t.Parallel()
	requirePythonDevelopment(t)
	dir := writeSettingsProject(t, config.ROCm, standInSetup)
	out := configure(t, dir, nil)
	compareSettings(t, reportedSettings(t, dir, out), map[string][]string{
		"torch-ext/torch_binding.cpp": {},
		"torch-ext/torch_binding.h":   {},
		// .cu sources compile as hipified copies in the build tree, which
		// look for includes next to the copy first.
		"$B/hipify/alpha/alpha.hip": {"HIP:--offload-arch=gfx942", "HIP:-DALPHA_HIP", "CXX:-DALPHA_CXX=1",
			"-I$B/hipify/alpha/include", "-I$P/alpha/include"},
		"alpha/alpha_host.cpp": {"CXX:-DALPHA_CXX=1", "-I$B/hipify/alpha/include", "-I$P/alpha/include"},
		// No rocm-archs: every architecture of the build.
		"beta/beta.hip":      {"HIP:--offload-arch=gfx90a", "HIP:--offload-arch=gfx942", "HIP:-DBETA_HIP"},
		"target:_settings_x": {"CXX:-fno-gnu-unique", "HIP:-DTORCH_GPU_FLAG"},
	})
}

// standInIntelCompiler is an icx/icpx that reports a DPC++ version and
// otherwise runs the GNU compiler named by REAL_COMPILER, so that CMake
// can configure an XPU project and write its compile commands.
const standInIntelCompiler = `#!/bin/sh
if [ "$1" = "--version" ]; then echo "Intel(R) oneAPI DPC++/C++ Compiler 2025.1.0 (2025.1.0.20250317)"; exit 0; fi
exec "$REAL_COMPILER" "$@"
`

// standInIntelPath returns the PATH setting under which icx and icpx are
// standInIntelCompiler, running gcc and g++.
func standInIntelPath(t *testing.T) string {
	t.Helper()
	cc, cxx := testenv.LookPath(t, "gcc"), testenv.LookPath(t, "g++")
	bin := t.TempDir()
	for name, real := range map[string]string{"icx": cc, "icpx": cxx} {
		script := strings.Replace(standInIntelCompiler, `"$REAL_COMPILER"`, real, 1)
		writeTestFile(t, filepath.Join(bin, name), script)
		if err := os.Chmod(filepath.Join(bin, name), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")
}

func TestKernelSettingsReachTheirSourcesXPU(t *testing.T) {
	requirePythonDevelopment(t)
	path := standInIntelPath(t)
	dir := writeSettingsProject(t, config.XPU, standInSetup)
	configure(t, dir, []string{path})
	compareSettings(t, perSourceFlags(t, dir), map[string][]string{
		"torch-ext/torch_binding.cpp": {},
		"alpha/alpha.cpp":             {"-I$P/alpha/include", "-DALPHA_SYCL", "-fno-fast-math", "-DALPHA_CXX=1"},
		// No sycl-flags: the default SYCL flags.
		"beta/beta.cpp": {"-I$P/beta/include", "-fsycl", "-DDEFAULT_SYCL"},
	})
}

// requirePythonDevelopment checks for what Python3_add_library needs: the
// Python headers (python3-dev).
func requirePythonDevelopment(t *testing.T) {
	t.Helper()
	out, err := exec.Command("/usr/bin/python3", "-c", "import sysconfig, os; print(os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h')))").Output()
	if err != nil || strings.TrimSpace(string(out)) != "True" {
		testenv.Missing(t, "no Python.h for /usr/bin/python3 (scripts/install-deps.sh installs python3-dev)")
	}
}
