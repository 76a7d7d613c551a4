package generator

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// These tests configure (and for CPU build and install) a project in
// today's layout, written by RenderPyproject from todayBuildTOML, and check
// what docs/build-toml.md promises of it with the values written out: the
// backend Torch chooses and GPU_LANG overrides, the variant name, the
// stable-ABI define, the marker macros, [torch] cxx-flags, the C++
// standard, the CUDA capabilities and ROCm architectures built and listed
// in metadata.json, and what install and local_install lay out. Torch is
// a fakeTorch (faketorch_test.go): for CPU with Debian's real Torch
// headers and libraries behind it, for CUDA and ROCm with a stand-in CMake
// package, for XPU with stand-in Intel compilers running GCC. Every shipped
// CMake function runs as shipped.

// todayBuildTOML has kernels for four backends, a per-backend stable ABI
// (cpu and cuda; rocm and xpu build without), binding-only flags, data
// files and Torch and CUDA bounds.
const todayBuildTOML = `[general]
name = "today-check"
version = 3
edition = 5
license = "Apache-2.0"
backends = ["cpu", "cuda", "rocm", "xpu"]
python-depends = ["einops"]

[general.cuda]
minver = "12.0"
python-depends = ["nvidia-cutlass-dsl"]

[torch]
src = ["torch-ext/torch_binding.cpp", "torch-ext/torch_binding.h"]
pyext = ["py", "json"]
minver = "2.9"
cxx-flags = ["-DBINDING_ONLY=1"]

[torch.stable-abi]
cpu = "2.11"
cuda = "2.10"

[kernel.kcpu]
backend = "cpu"
depends = ["torch"]
src = ["kcpu/k.cpp"]
cxx-flags = ["-DKCPU=1"]

[kernel.kcuda_a]
backend = "cuda"
depends = ["torch", "cutlass_3_8"]
src = ["kcuda/a.cu"]
cuda-capabilities = ["8.0", "9.0a", "12.0+PTX"]

[kernel.kcuda_b]
backend = "cuda"
depends = ["torch"]
src = ["kcuda/b.cu"]

[kernel.krocm_a]
backend = "rocm"
depends = ["torch"]
src = ["kcuda/a.cu"]
rocm-archs = ["gfx942", "gfx1100"]

[kernel.krocm_b]
backend = "rocm"
depends = ["torch"]
src = ["krocm/b.hip"]

[kernel.kxpu]
backend = "xpu"
depends = ["torch"]
src = ["kxpu/k.cpp"]
`

// todayPackageFiles are the files of torch-ext/today_check/ besides the
// generated _ops.py: what install copies (.py and the pyext json, in a
// subpackage too) and what it leaves out.
var todayPackageFiles = map[string]string{
	"__init__.py":                      "from ._ops import ops\n",
	"data.json":                        "{}\n",
	"notes.txt":                        "not package data: pyext lists py and json only\n",
	"sub/__init__.py":                  "",
	"sub/table.json":                   "[]\n",
	"__pycache__/__init__.cpython.pyc": "",
}

// writeTodayProject runs create-pyproject's renderer on todayBuildTOML with
// the unique id t1 into a new folder, with empty sources (configuring and
// compiling them needs no code), and returns the folder.
func writeTodayProject(t *testing.T, buildTOML string) string {
	t.Helper()
	dir := t.TempDir()
	loaded, err := config.Parse(filepath.Join(dir, "build.toml"), []byte(buildTOML))
	if err != nil {
		t.Fatal(err)
	}
	files, err := RenderPyproject(loaded.Build, PyprojectOptions{UniqueID: "t1"})
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(dir, "build.toml"), buildTOML)
	for _, f := range files {
		writeTestFile(t, filepath.Join(dir, f.Path), string(f.Content))
	}
	b := loaded.Build
	for _, src := range b.Torch.Src {
		writeTestFile(t, filepath.Join(dir, src), "")
	}
	for _, k := range b.Kernels {
		for _, src := range k.Src {
			writeTestFile(t, filepath.Join(dir, src), "")
		}
	}
	for name, content := range todayPackageFiles {
		writeTestFile(t, filepath.Join(dir, "torch-ext", b.General.PythonName(), name), content)
	}
	return dir
}

// cmakeEnv is the test process's environment without the variables that
// would change what the tests configure, plus env.
func cmakeEnv(env ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		switch key, _, _ := strings.Cut(kv, "="); key {
		case "PYTHONPATH", "Python3_EXECUTABLE", "PYTORCH_ROCM_ARCH", "TORCH_CUDA_ARCH_LIST",
			"CUTLASS_SRC_DIR", "CMAKE_ARGS", "CMAKE_GENERATOR", "CMAKE_BUILD_TYPE", "CXX", "CC":
		default:
			out = append(out, kv)
		}
	}
	return append(out, env...)
}

// todayBuildDir is the CMake build folder of the tests, as in the README:
// build/ of the project is where local_install puts the variant.
const todayBuildDir = "cmake-build"

// configureToday configures dir into dir/cmake-build with Ninja and returns
// CMake's output, with dir written $P and the build folder $B, and whether
// configuring worked. Configuring the same folder again reconfigures it,
// as a user changing a cache variable does.
func configureToday(t *testing.T, dir string, env []string, args ...string) (string, bool) {
	t.Helper()
	cmakeProgram := requireCMake(t)
	testenv.LookPath(t, "ninja")
	requirePythonDevelopment(t)
	args = append([]string{"-S", dir, "-B", filepath.Join(dir, todayBuildDir), "-G", "Ninja",
		"-DCMAKE_EXPORT_COMPILE_COMMANDS=ON", "-DPython3_EXECUTABLE=/usr/bin/python3"}, args...)
	cmd := exec.Command(cmakeProgram, args...)
	cmd.Env = cmakeEnv(env...)
	out, err := cmd.CombinedOutput()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("running cmake: %v", err)
	}
	text := strings.ReplaceAll(string(out), filepath.Join(dir, todayBuildDir), "$B")
	return strings.ReplaceAll(text, dir, "$P"), err == nil
}

// mustConfigureToday is configureToday for a configure that must work.
func mustConfigureToday(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	out, ok := configureToday(t, dir, env, args...)
	if !ok {
		t.Fatalf("configuring failed:\n%s", out)
	}
	return out
}

// mustFailToday is configureToday for a configure that must stop with
// want in its output (CMake's line breaks and indentation folded).
func mustFailToday(t *testing.T, dir string, want string, env []string, args ...string) {
	t.Helper()
	out, ok := configureToday(t, dir, env, args...)
	if ok {
		t.Errorf("configuring with %q worked; want it to stop with %q:\n%s", args, want, out)
	} else if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
		t.Errorf("configuring with %q: want %q in the output:\n%s", args, want, out)
	}
}

var buildVariantLine = regexp.MustCompile(`-- Build variant: (\S+)\n`)

// buildVariant returns the variant name configuring printed.
func buildVariant(t *testing.T, out string) string {
	t.Helper()
	m := buildVariantLine.FindAllStringSubmatch(out, -1)
	if len(m) != 1 {
		t.Fatalf("want one \"Build variant:\" line in the output:\n%s", out)
	}
	return m[0][1]
}

// hostArch is the CPU part of variant names on this machine.
func hostArch(t *testing.T) string {
	t.Helper()
	switch runtime.GOARCH {
	case "amd64":
		return "x86_64"
	case "arm64":
		return "aarch64"
	}
	testenv.Missing(t, "build variants exist for x86_64 and aarch64 only, not %s", runtime.GOARCH)
	return ""
}

// compileArgs reads compile_commands.json in the build folder buildDir of
// the project dir and returns each source's command (project-relative;
// the build folder reads $B, the rest of the project folder $P) as
// arguments.
func compileArgs(t *testing.T, dir, buildDir string) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, buildDir, "compile_commands.json"))
	if err != nil {
		t.Fatal(err)
	}
	var entries []struct{ File, Command string }
	if err := json.Unmarshal(data, &entries); err != nil {
		t.Fatalf("compile_commands.json: %v", err)
	}
	commands := map[string][]string{}
	for _, e := range entries {
		rel, err := filepath.Rel(dir, e.File)
		if err != nil {
			t.Fatal(err)
		}
		command := strings.ReplaceAll(e.Command, filepath.Join(dir, buildDir), "$B")
		commands[filepath.ToSlash(rel)] = strings.Fields(strings.ReplaceAll(command, dir, "$P"))
	}
	return commands
}

// checkArgs reports each of want that args lacks and each of unwanted
// that it has.
func checkArgs(t *testing.T, what string, args []string, want, unwanted []string) {
	t.Helper()
	if args == nil {
		t.Errorf("%s: not compiled", what)
		return
	}
	for _, w := range want {
		if !slices.Contains(args, w) {
			t.Errorf("%s: compile command lacks %s:\n%s", what, w, strings.Join(args, " "))
		}
	}
	for _, u := range unwanted {
		if slices.Contains(args, u) {
			t.Errorf("%s: compile command has %s:\n%s", what, u, strings.Join(args, " "))
		}
	}
}

// metadataJSON returns the metadata.json configuring wrote into the build
// folder, which install copies.
func metadataJSON(t *testing.T, dir string) string {
	t.Helper()
	return readTestFile(t, filepath.Join(dir, todayBuildDir, "metadata.json"))
}

// checkMetadataArchs checks that metadata.json is metadata-<backend>.json
// with backend.archs set to archs (none: no archs key).
func checkMetadataArchs(t *testing.T, dir string, backend config.Backend, archs ...string) {
	t.Helper()
	var want, got map[string]any
	if err := json.Unmarshal([]byte(readTestFile(t, filepath.Join(dir, "metadata-"+string(backend)+".json"))), &want); err != nil {
		t.Fatal(err)
	}
	if archs != nil {
		b := want["backend"].(map[string]any)
		var list []any
		for _, a := range archs {
			list = append(list, a)
		}
		b["archs"] = list
	}
	text := metadataJSON(t, dir)
	if err := json.Unmarshal([]byte(text), &got); err != nil {
		t.Fatalf("metadata.json: %v\n%s", err, text)
	}
	if !jsonEqual(got, want) {
		w, _ := json.MarshalIndent(want, "", "  ")
		t.Errorf("metadata.json is\n%s\nwant\n%s", text, w)
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// realTorchCMakePrefix is torch.utils.cmake_prefix_path of Debian's Torch,
// found without importing it.
func realTorchCMakePrefix(t *testing.T, python string) string {
	t.Helper()
	out, err := exec.Command(python, "-c", "import importlib.util, os; "+
		"print(os.path.join(importlib.util.find_spec('torch').submodule_search_locations[0], 'share', 'cmake'))").Output()
	if err != nil {
		t.Fatalf("finding Torch: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// tree lists the files and folders (with a trailing /) under dir.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var entries []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			rel += "/"
		}
		entries = append(entries, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// snapshot maps every file under dir (project-relative) to its content,
// a link to its target.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.Type()&os.ModeSymlink != 0 {
			target, err := os.Readlink(path)
			files[filepath.ToSlash(rel)] = "-> " + target
			return err
		}
		data, err := os.ReadFile(path)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// runIn runs a command in dir and returns its output, failing the test
// when it fails.
func runIn(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = cmakeEnv(env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// The CPU variant configured, built and installed for real, against
// Debian's Torch headers and libraries with a Torch 2.12 answering the
// query: the cpu stable ABI (2.11) applies, and C++20.
func TestTodayLayoutCPU(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("skipping under -short: configuring and linking against Torch takes seconds")
	}
	python := testenv.TorchPython(t)
	testenv.LookPath(t, "c++")
	dir := writeTodayProject(t, todayBuildTOML)
	sources := snapshot(t, dir)
	torch := fakeTorch{Version: "2.12.0", CMakePrefix: realTorchCMakePrefix(t, python)}
	env := torch.install(t, t.TempDir())
	out := mustConfigureToday(t, dir, env)
	variant := "torch-stable-abi211-cpu-" + hostArch(t) + "-linux"
	const ops = "_today_check_cpu_t1"

	t.Run("variant", func(t *testing.T) {
		if got := buildVariant(t, out); got != variant {
			t.Errorf("build variant %s, want %s", got, variant)
		}
		if got := cacheValue(t, dir, "CMAKE_PROJECT_NAME"); got != "today-check" {
			t.Errorf("project() is named %q, want the kernel's name", got)
		}
	})
	t.Run("compile_commands.json", func(t *testing.T) {
		link, err := os.Readlink(filepath.Join(dir, "compile_commands.json"))
		if want := filepath.Join(dir, todayBuildDir, "compile_commands.json"); err != nil || link != want {
			t.Errorf("compile_commands.json at the project root links to %q (%v), want %s", link, err, want)
		}
	})
	t.Run("compile flags", func(t *testing.T) {
		commands := compileArgs(t, dir, todayBuildDir)
		// Every source: the backend's marker, the stable ABI's target
		// version (2.11 << 48 | 2 << 56), C++20 (Torch 2.12), no GNU
		// unique symbols, the ops name, csrc/.
		common := []string{"-DCPU_KERNEL", "-DTORCH_TARGET_VERSION=0x20b000000000000", "-std=gnu++20",
			"-fno-gnu-unique", "-DTORCH_EXTENSION_NAME=" + ops, "-I$P/csrc"}
		checkArgs(t, "binding", commands["torch-ext/torch_binding.cpp"],
			append(common, "-DBINDING_ONLY=1"), []string{"-DKCPU=1"})
		checkArgs(t, "kcpu", commands["kcpu/k.cpp"],
			append(common, "-DKCPU=1"), []string{"-DBINDING_ONLY=1"})
		if len(commands) != 2 {
			t.Errorf("compiled %d sources, want the binding and kcpu's", len(commands))
		}
	})
	t.Run("metadata", func(t *testing.T) {
		if got, want := metadataJSON(t, dir), readTestFile(t, filepath.Join(dir, "metadata-cpu.json")); got != want {
			t.Errorf("metadata.json is\n%s\nwant metadata-cpu.json:\n%s", got, want)
		}
	})

	installed := []string{"__init__.py", "_ops.py", ops + ".abi3.so", "data.json", "metadata.json",
		"sub/", "sub/__init__.py", "sub/table.json"}
	runIn(t, dir, env, "cmake", "--build", todayBuildDir, "--target", "local_install")
	t.Run("local_install", func(t *testing.T) {
		want := []string{variant + "/"}
		for _, f := range installed {
			want = append(want, variant+"/"+f)
		}
		if got := tree(t, filepath.Join(dir, "build")); !slices.Equal(got, want) {
			t.Errorf("local_install put into build/\n%q\nwant\n%q", got, want)
		}
		if got, want := readTestFile(t, filepath.Join(dir, "build", variant, "metadata.json")), metadataJSON(t, dir); got != want {
			t.Errorf("installed metadata.json\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("local_install again", func(t *testing.T) {
		metadata := filepath.Join(dir, todayBuildDir, "metadata.json")
		before, err := os.Stat(metadata)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
		mustConfigureToday(t, dir, env)
		out := runIn(t, dir, env, "cmake", "--build", todayBuildDir, "--target", "local_install")
		// Up to date: the variant folder and everything in it.
		if strings.Contains(out, "-- Installing:") || strings.Count(out, "-- Up-to-date:") != len(installed)+1 {
			t.Errorf("an unchanged local_install copied files:\n%s", out)
		}
		if after, err := os.Stat(metadata); err != nil || !after.ModTime().Equal(before.ModTime()) {
			t.Errorf("configuring again rewrote an unchanged metadata.json")
		}
	})
	t.Run("source tree", func(t *testing.T) {
		// Configuring, building and installing write into cmake-build/
		// and build/, and link compile_commands.json; nothing else.
		after := snapshot(t, dir)
		for path, content := range sources {
			if after[path] != content {
				t.Errorf("%s changed", path)
			}
		}
		for path := range after {
			if _, ok := sources[path]; !ok && path != "compile_commands.json" &&
				!strings.HasPrefix(path, "build/") && !strings.HasPrefix(path, todayBuildDir+"/") {
				t.Errorf("%s appeared in the project", path)
			}
		}
	})
	t.Run("install", func(t *testing.T) {
		prefix := t.TempDir()
		runIn(t, dir, env, "cmake", "--install", todayBuildDir, "--prefix", prefix)
		want := []string{variant + "/"}
		for _, f := range installed {
			want = append(want, variant+"/"+f)
		}
		if got := tree(t, prefix); !slices.Equal(got, want) {
			t.Errorf("install put into the prefix\n%q\nwant\n%q", got, want)
		}
	})
}

// cacheValue returns the value of a cache variable of the build.
func cacheValue(t *testing.T, dir, name string) string {
	t.Helper()
	for _, line := range strings.Split(readTestFile(t, filepath.Join(dir, todayBuildDir, "CMakeCache.txt")), "\n") {
		if key, value, ok := strings.Cut(line, "="); ok && strings.HasPrefix(key, name+":") {
			return value
		}
	}
	return ""
}

// lacksPrefix reports each argument of args that starts with prefix.
func lacksPrefix(t *testing.T, what string, args []string, prefix string) {
	t.Helper()
	for _, a := range args {
		if strings.HasPrefix(a, prefix) {
			t.Errorf("%s: compile command has %s", what, a)
		}
	}
}

// cxxStandard returns the C++ standard the report (reportSources) gives
// the extension target. The compile commands do not show C++17, GCC 12's
// default.
func cxxStandard(t *testing.T, out, target string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^standard=` + regexp.QuoteMeta(target) + `\|(\S+)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no C++ standard reported for %s:\n%s", target, out)
	}
	return m[1]
}

// gencode returns the -gencode flags reportedSettings shows for the CUDA
// capabilities caps.
func gencode(caps ...string) []string {
	var flags []string
	for _, c := range caps {
		ptx := strings.HasSuffix(c, "+PTX")
		arch := strings.ReplaceAll(strings.TrimSuffix(c, "+PTX"), ".", "")
		flags = append(flags, "CUDA:-gencode=arch=compute_"+arch+",code=sm_"+arch)
		if ptx {
			flags = append(flags, "CUDA:-gencode=arch=compute_"+arch+",code=compute_"+arch)
		}
	}
	return flags
}

// The CUDA variant with a Torch 2.10 for CUDA 13.0: the cuda stable ABI
// (2.10) applies, the capabilities follow the GPU Torch sees, nvcc's
// defaults or BUILD_ALL_SUPPORTED_ARCHS, and GPU_LANG overrides Torch.
func TestTodayLayoutCUDA(t *testing.T) {
	t.Parallel()
	testenv.LookPath(t, "c++")
	dir := writeTodayProject(t, todayBuildTOML)
	torchDir := t.TempDir()
	torch := fakeTorch{Version: "2.10.0+cu130", CUDA: "13.0", NVCC: "13.0.48"}
	env := torch.install(t, torchDir)
	cutlass := fakeCutlass(t)
	out := mustConfigureToday(t, dir, env, "-DCUTLASS_SRC_DIR="+cutlass)
	arch := hostArch(t)
	// nvcc 13's default capabilities in today's layout (10.3 since
	// huggingface/kernels#783).
	defaults := []string{"7.5", "8.0", "8.6", "8.7", "8.9", "9.0", "10.0", "10.3", "11.0", "12.0", "12.1+PTX"}
	ops := "target:_today_check_cuda_t1"
	targetFlags := []string{"CXX:-fno-gnu-unique", "CUDA:--expt-relaxed-constexpr", "CUDA:-DENABLE_FP8"}

	t.Run("backend and variant", func(t *testing.T) {
		if got := cacheValue(t, dir, "GPU_LANG"); got != "CUDA" {
			t.Errorf("GPU_LANG is %q, want CUDA (Torch's backend)", got)
		}
		if got, want := buildVariant(t, out), "torch-stable-abi210-cu130-"+arch+"-linux"; got != want {
			t.Errorf("build variant %s, want %s", got, want)
		}
	})
	t.Run("binding", func(t *testing.T) {
		// TORCH_TARGET_VERSION: 2 << 56 | 10 << 48.
		checkArgs(t, "binding", compileArgs(t, dir, todayBuildDir)["torch-ext/torch_binding.cpp"],
			[]string{"-DCUDA_KERNEL", "-DUSE_CUDA=1", "-DTORCH_TARGET_VERSION=0x20a000000000000",
				"-fno-gnu-unique", "-DBINDING_ONLY=1", "-DTORCH_EXTENSION_NAME=_today_check_cuda_t1"},
			[]string{"-DCPU_KERNEL"})
		if got := cxxStandard(t, out, "_today_check_cuda_t1"); got != "17" {
			t.Errorf("C++%s with Torch 2.10, want C++17", got)
		}
	})
	t.Run("dependencies", func(t *testing.T) {
		if !strings.Contains(out, "fake-cutlass: revision=v3.8.0 headers-only=ON") {
			t.Errorf("the cuda block did not make CUTLASS 3.8 available:\n%s", out)
		}
	})
	t.Run("no GPU", func(t *testing.T) {
		compareSettings(t, reportedSettings(t, dir, out), map[string][]string{
			"torch-ext/torch_binding.cpp": {"CXX:-DBINDING_ONLY=1"},
			"torch-ext/torch_binding.h":   {"CXX:-DBINDING_ONLY=1"},
			// 9.0a replaces 9.0, 12.0+PTX serves 12.0 and 12.1.
			"kcuda/a.cu": gencode("8.0", "9.0a", "12.0+PTX"),
			"kcuda/b.cu": gencode(defaults...),
			ops:          targetFlags,
		})
		checkMetadataArchs(t, dir, config.CUDA,
			"10.0", "10.3", "11.0", "12.0", "12.0+PTX", "12.1+PTX", "7.5", "8.0", "8.6", "8.7", "8.9", "9.0", "9.0a")
	})

	torch.Capability = "9.0"
	torch.install(t, torchDir)
	out = mustConfigureToday(t, dir, env)
	t.Run("GPU Torch sees", func(t *testing.T) {
		settings := reportedSettings(t, dir, out)
		if got, want := settings["kcuda/b.cu"], gencode("9.0"); !slices.Equal(got, want) {
			t.Errorf("kcuda_b (no cuda-capabilities) builds %q, want %q", got, want)
		}
		checkMetadataArchs(t, dir, config.CUDA, "12.0+PTX", "8.0", "9.0", "9.0a")
	})

	out = mustConfigureToday(t, dir, env, "-DBUILD_ALL_SUPPORTED_ARCHS=ON", "-DNVCC_THREADS=3")
	t.Run("BUILD_ALL_SUPPORTED_ARCHS and NVCC_THREADS", func(t *testing.T) {
		settings := reportedSettings(t, dir, out)
		if got, want := settings["kcuda/b.cu"], gencode(defaults...); !slices.Equal(got, want) {
			t.Errorf("kcuda_b builds %q, want %q", got, want)
		}
		// Asked for, not a fallback for a missing GPU.
		if strings.Contains(out, "Torch sees no CUDA GPU") {
			t.Errorf("with BUILD_ALL_SUPPORTED_ARCHS=ON, configuring warns of a missing GPU:\n%s", out)
		}
		if got, want := settings[ops], append(targetFlags, "CUDA:--threads=3"); !slices.Equal(got, want) {
			t.Errorf("extension flags %q, want %q", got, want)
		}
	})

	t.Run("TARGET_DEVICE", func(t *testing.T) {
		out := mustConfigureToday(t, dir, env, "-DTARGET_DEVICE=cpu")
		if !strings.Contains(out, `TARGET_DEVICE is "cpu", not cuda or rocm: nothing to build.`) || strings.Contains(out, "target=") {
			t.Errorf("TARGET_DEVICE=cpu still configured the extension:\n%s", out)
		}
		mustConfigureToday(t, dir, env, "-DTARGET_DEVICE=cuda")
	})

	t.Run("bounds and GPU_LANG errors", func(t *testing.T) {
		mustFailToday(t, dir, `GPU_LANG is "FOO"; expected one of CPU, CUDA, METAL, HIP, SYCL.`, env, "-DGPU_LANG=FOO")
		mustFailToday(t, dir, "This kernel supports cpu, cuda, rocm, xpu, but GPU_LANG is METAL", env, "-DGPU_LANG=METAL")
		mustFailToday(t, dir, "Torch 2.10.0 is older than 2.11, the stable ABI version this kernel targets for cpu", env, "-DGPU_LANG=CPU")
		old := torch
		old.CUDA = "11.8"
		old.install(t, torchDir)
		mustFailToday(t, dir, "CUDA version 11.8 is too old: this kernel needs CUDA 12 or newer.", env, "-DGPU_LANG=CUDA")
		old = torch
		old.Version = "2.8.0+cu130"
		old.install(t, torchDir)
		mustFailToday(t, dir, "Torch version 2.8.0 is too old: this kernel needs Torch 2.9 or newer.", env)
	})

	// A Torch for CUDA, built for CPU: the cpu stable ABI (2.11), C++20
	// from Torch 2.12.
	torch.Version = "2.12.0+cu130"
	torch.install(t, torchDir)
	out = mustConfigureToday(t, dir, env, "-DGPU_LANG=CPU")
	t.Run("GPU_LANG=CPU", func(t *testing.T) {
		if got, want := buildVariant(t, out), "torch-stable-abi211-cpu-"+arch+"-linux"; got != want {
			t.Errorf("build variant %s, want %s", got, want)
		}
		commands := compileArgs(t, dir, todayBuildDir)
		checkArgs(t, "binding", commands["torch-ext/torch_binding.cpp"],
			[]string{"-DCPU_KERNEL", "-DTORCH_TARGET_VERSION=0x20b000000000000", "-std=gnu++20", "-DTORCH_EXTENSION_NAME=_today_check_cpu_t1"},
			[]string{"-DCUDA_KERNEL", "-DUSE_CUDA=1"})
		checkArgs(t, "kcpu", commands["kcpu/k.cpp"], []string{"-DKCPU=1"}, nil)
		checkMetadataArchs(t, dir, config.CPU)
	})
}

// The ROCm variant with a Torch 2.9 for ROCm 6.4: no stable ABI (the
// table leaves rocm out), the architectures from PYTORCH_ROCM_ARCH, else
// CMAKE_HIP_ARCHITECTURES.
func TestTodayLayoutROCm(t *testing.T) {
	t.Parallel()
	testenv.LookPath(t, "c++")
	dir := writeTodayProject(t, todayBuildTOML)
	torch := fakeTorch{Version: "2.9.1+rocm6.4", HIP: "6.4.43482"}
	env := torch.install(t, t.TempDir())
	out := mustConfigureToday(t, dir, append(env, "PYTORCH_ROCM_ARCH=gfx90a;gfx942;gfx000"))
	ops := "target:_today_check_rocm_t1"

	t.Run("backend and variant", func(t *testing.T) {
		if got := cacheValue(t, dir, "GPU_LANG"); got != "HIP" {
			t.Errorf("GPU_LANG is %q, want HIP (Torch's backend)", got)
		}
		if got, want := buildVariant(t, out), "torch29-cxx11-rocm64-"+hostArch(t)+"-linux"; got != want {
			t.Errorf("build variant %s, want %s", got, want)
		}
	})
	t.Run("binding", func(t *testing.T) {
		args := compileArgs(t, dir, todayBuildDir)["torch-ext/torch_binding.cpp"]
		checkArgs(t, "binding", args,
			[]string{"-DROCM_KERNEL", "-DUSE_ROCM=1", "-fno-gnu-unique", "-DBINDING_ONLY=1",
				"-DTORCH_EXTENSION_NAME=_today_check_rocm_t1"},
			[]string{"-DCUDA_KERNEL", "-DUSE_CUDA=1"})
		lacksPrefix(t, "binding", args, "-DTORCH_TARGET_VERSION")
		if got := cxxStandard(t, out, "_today_check_rocm_t1"); got != "17" {
			t.Errorf("C++%s with Torch 2.9, want C++17", got)
		}
	})
	t.Run("PYTORCH_ROCM_ARCH", func(t *testing.T) {
		compareSettings(t, reportedSettings(t, dir, out), map[string][]string{
			"torch-ext/torch_binding.cpp": {"CXX:-DBINDING_ONLY=1"},
			"torch-ext/torch_binding.h":   {"CXX:-DBINDING_ONLY=1"},
			// gfx1100 is not a target.
			"$B/hipify/khip/a.hip": {"HIP:--offload-arch=gfx942"},
			"krocm/b.hip":          {"HIP:--offload-arch=gfx90a", "HIP:--offload-arch=gfx942"},
			ops: {"CXX:-fno-gnu-unique", "HIP:-fPIC", "HIP:-D__HIP_PLATFORM_AMD__=1", "HIP:-DCUDA_HAS_FP16=1",
				"HIP:-DUSE_ROCM", "HIP:-DENABLE_FP8", "HIP:-U__HIP_NO_HALF_CONVERSIONS__", "HIP:-U__HIP_NO_HALF_OPERATORS__",
				"HIP:-fno-gpu-rdc"},
		})
		checkMetadataArchs(t, dir, config.ROCm, "gfx90a", "gfx942")
	})

	out = mustConfigureToday(t, dir, env, "-DCMAKE_HIP_ARCHITECTURES=gfx1100")
	t.Run("CMAKE_HIP_ARCHITECTURES", func(t *testing.T) {
		settings := reportedSettings(t, dir, out)
		for _, src := range []string{"$B/hipify/khip/a.hip", "krocm/b.hip"} {
			if got := settings[src]; !slices.Equal(got, []string{"HIP:--offload-arch=gfx1100"}) {
				t.Errorf("%s: %q, want gfx1100 only", src, got)
			}
		}
		checkMetadataArchs(t, dir, config.ROCm, "gfx1100")
	})
	t.Run("hipify", func(t *testing.T) {
		// The build hipifies the .cu sources with the project's
		// cmake/hipify.py (TestHipifyScript runs it), before compiling.
		script := filepath.Join(dir, "cmake", "hipify.py")
		if _, err := os.Stat(script); err != nil {
			t.Errorf("create-pyproject wrote no cmake/hipify.py for rocm: %v", err)
		}
		if _, ok := renderToday(t, "[general]\nname = \"r\"\nbackends = [\"rocm\"]\n\n[torch]\nsrc = [\"b.cpp\"]\n\n"+
			"[kernel.k]\nbackend = \"rocm\"\ndepends = [\"torch\"]\nsrc = [\"k.cu\"]\n", nil)["cmake/hipify.py"]; !ok {
			t.Errorf("create-pyproject wrote no cmake/hipify.py for a rocm-only kernel")
		}
		ninja := readTestFile(t, filepath.Join(dir, todayBuildDir, "build.ninja"))
		if !strings.Contains(ninja, script+" --project-dir "+dir+" --output-dir "+filepath.Join(dir, todayBuildDir, "hipify")+" kcuda/a.cu") {
			t.Errorf("build.ninja does not run %s on kcuda/a.cu", script)
		}
	})
}

// The XPU variant with a Torch 2.11 for XPU and icpx on PATH (stand-ins
// that run GCC): Intel's compilers are chosen before project(), C++17
// below Torch 2.12, no stable ABI.
func TestTodayLayoutXPU(t *testing.T) {
	path := standInIntelPath(t)
	dir := writeTodayProject(t, todayBuildTOML)
	torch := fakeTorch{Version: "2.11.0+xpu", XPU: true}
	env := append(torch.install(t, t.TempDir()), path)
	out := mustConfigureToday(t, dir, env)

	if got := cacheValue(t, dir, "GPU_LANG"); got != "SYCL" {
		t.Errorf("GPU_LANG is %q, want SYCL (Torch's backend)", got)
	}
	if got, want := buildVariant(t, out), "torch211-cxx11-xpu20251-"+hostArch(t)+"-linux"; got != want {
		t.Errorf("build variant %s, want %s", got, want)
	}
	commands := compileArgs(t, dir, todayBuildDir)
	common := []string{"-DXPU_KERNEL", "-DUSE_XPU", "-fno-gnu-unique", "-DTORCH_EXTENSION_NAME=_today_check_xpu_t1"}
	sycl := []string{"-fsycl", "-fsycl-targets=spir64_gen,spir64"}
	checkArgs(t, "binding", commands["torch-ext/torch_binding.cpp"], append(common, "-DBINDING_ONLY=1"), sycl)
	checkArgs(t, "kxpu", commands["kxpu/k.cpp"], append(common, sycl...), []string{"-DBINDING_ONLY=1"})
	for src, args := range commands {
		if filepath.Base(args[0]) != "icpx" {
			t.Errorf("%s compiles with %s, want icpx", src, args[0])
		}
		lacksPrefix(t, src, args, "-DTORCH_TARGET_VERSION")
	}
	// Torch 2.11 is the last before C++20.
	if got := cxxStandard(t, out, "_today_check_xpu_t1"); got != "17" {
		t.Errorf("C++%s with Torch 2.11, want C++17", got)
	}
	checkMetadataArchs(t, dir, config.XPU)
}

// torchBackendCases are Torch builds and the backend each one chooses:
// CUDA when torch.version.cuda, else ROCm (HIP), else Metal (MPS
// available), else XPU, else CPU. CMake's Torch query, setup.py and _ops.py
// each decide it where they run; each test checks its own.
var torchBackendCases = []struct {
	torch   fakeTorch
	backend config.Backend
	gpuLang string
}{
	{fakeTorch{Version: "2.9.0+cu128", CUDA: "12.8"}, config.CUDA, "CUDA"},
	{fakeTorch{Version: "2.9.0+rocm6.4", HIP: "6.4.43482"}, config.ROCm, "HIP"},
	{fakeTorch{Version: "2.9.0", MPS: true}, config.Metal, "METAL"},
	{fakeTorch{Version: "2.9.0+xpu", XPU: true}, config.XPU, "SYCL"},
	{fakeTorch{Version: "2.9.0+cpu"}, config.CPU, "CPU"},
	{fakeTorch{Version: "2.9.0", CUDA: "12.8", HIP: "6.4", MPS: true, XPU: true}, config.CUDA, "CUDA"},
	{fakeTorch{Version: "2.9.0", HIP: "6.4", MPS: true, XPU: true}, config.ROCm, "HIP"},
	{fakeTorch{Version: "2.9.0", MPS: true, XPU: true}, config.Metal, "METAL"},
}

// TestTodayBackendFromTorch runs the Torch query of kernel_setup and the
// backend choice of cmake/variants.cmake against each Torch of
// torchBackendCases: GPU_LANG defaults to Torch's backend.
func TestTodayBackendFromTorch(t *testing.T) {
	t.Parallel()
	var script strings.Builder
	script.WriteString("set(Python3_EXECUTABLE /usr/bin/python3)\n")
	for i, c := range torchBackendCases {
		dir := t.TempDir()
		c.torch.install(t, dir)
		script.WriteString(`set(ENV{PYTHONPATH} "` + dir + `")
set(KERNEL_BACKEND detect)
unset(GPU_LANG CACHE)
unset(GPU_LANG)
_kernel_query_torch()
_kernel_variant_backend(backend args BACKENDS cpu cuda metal rocm xpu)
message(NOTICE "case` + itoa(i) + `=${backend} ${GPU_LANG}")
`)
	}
	out, ok := runCMakeScript(t, script.String(), "PYTHONDONTWRITEBYTECODE=1")
	if !ok {
		t.Fatalf("cmake failed:\n%s", out)
	}
	r := resultLines(t, out)
	for i, c := range torchBackendCases {
		if got, want := r["case"+itoa(i)], string(c.backend)+" "+c.gpuLang; got != want {
			t.Errorf("%+v: backend and GPU_LANG %q, want %q", c.torch, got, want)
		}
	}
}
