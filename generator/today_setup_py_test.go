package generator

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

// These tests run the setup.py of today's layout (create-pyproject) the
// way `pip install -e .` and `python setup.py build_kernel` do, against
// the fake cmake of setup_py_test.go and a fake Torch (faketorch_test.go),
// and check what it asks CMake to do: the build folder, the arguments
// that MAX_JOBS, NVCC_THREADS, CMAKE_ARGS and DEBUG set, the backend and
// ops name.

// todaySetup is a project in today's layout with a fake cmake and a fake
// Torch.
type todaySetup struct {
	*setupProject
	torchDir string
}

// newTodaySetup writes the project and installs torch; the fake cmake
// "builds" the extension module ops (setuptools checks that it exists).
func newTodaySetup(t *testing.T, torch fakeTorch, ops string) *todaySetup {
	t.Helper()
	python := requireSetuptools(t)
	p := &todaySetup{
		setupProject: &setupProject{t: t, python: python, dir: writeTodayProject(t, todayBuildTOML),
			log: filepath.Join(t.TempDir(), "cmake.log")},
		torchDir: t.TempDir(),
	}
	bin := t.TempDir()
	writeTestFile(t, filepath.Join(bin, "cmake"), fakeCMake)
	if err := os.Chmod(filepath.Join(bin, "cmake"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, kv := range os.Environ() {
		switch key, _, _ := strings.Cut(kv, "="); key {
		case "CMAKE_ARGS", "CMAKE_GENERATOR", "MAX_JOBS", "NVCC_THREADS", "DEBUG", "BUILD2CMAKE_FRESH_BUILD", "PATH", "PYTHONPATH":
		default:
			p.env = append(p.env, kv)
		}
	}
	p.env = append(p.env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"FAKE_CMAKE_LOG="+p.log, "FAKE_MODULE="+ops+".abi3.so")
	p.env = append(p.env, torch.install(t, p.torchDir)...)
	return p
}

// run runs setup.py with args and env and returns the cmake command lines
// it ran and what it printed.
func (p *todaySetup) run(args []string, env ...string) ([]string, string) {
	p.t.Helper()
	before := p.logLines()
	cmd := exec.Command(p.python, append([]string{"setup.py", "-q"}, args...)...)
	cmd.Dir = p.dir
	cmd.Env = append(append([]string{}, p.env...), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		p.t.Fatalf("setup.py %s failed: %v\n%s", strings.Join(args, " "), err, out)
	}
	return p.logLines()[len(before):], strings.ReplaceAll(string(out), p.dir, "$PROJECT")
}

var buildExt = []string{"build_ext", "--inplace"}
var buildKernel = []string{"build_kernel"}

// The build folder build/<key>/ is configured once and reused by later
// installs and by build_kernel; what changes the build gets a folder of
// its own.
func TestTodaySetupBuildFolder(t *testing.T) {
	p := newTodaySetup(t, fakeTorch{Version: "2.9.0+cpu"}, "_today_check_cpu_t1")
	first, out := p.run(buildExt, "MAX_JOBS=3")
	if len(first) != 2 {
		t.Fatalf("first install ran %q; want a configure and a build", first)
	}
	dir := configureDir(t, first[0])
	if !regexp.MustCompile(`^\$PROJECT/build/[0-9a-f]{12}$`).MatchString(dir) {
		t.Errorf("build folder %s is not build/<key>/ in the project", dir)
	}
	want := "-S $PROJECT -B " + dir + " -DCMAKE_LIBRARY_OUTPUT_DIRECTORY=" + dir + "/lib/ -DPython3_EXECUTABLE=" + p.python +
		" -DCMAKE_BUILD_TYPE=Release"
	if !strings.HasPrefix(first[0], want) {
		t.Errorf("configure command\n%s\nwant it to start with\n%s", first[0], want)
	}
	if want := "--build " + dir + " --parallel 3"; first[1] != want {
		t.Errorf("build command %q, want %q", first[1], want)
	}
	if want := "Building _today_check_cpu_t1 in " + dir + "\n"; !strings.Contains(out, want) {
		t.Errorf("setup.py printed\n%s\nwant %q", out, want)
	}

	if again, _ := p.run(buildExt, "MAX_JOBS=3"); len(again) != 1 || again[0] != first[1] {
		t.Errorf("installing again ran %q; want only %q", again, first[1])
	}
	if kernel, _ := p.run(buildKernel, "MAX_JOBS=3"); len(kernel) != 1 || kernel[0] != first[1]+" --target local_install" {
		t.Errorf("build_kernel ran %q; want only %q", kernel, first[1]+" --target local_install")
	}

	// DEBUG: a Debug build, for build_kernel too, in its own folder.
	debug, _ := p.run(buildExt, "MAX_JOBS=3", "DEBUG=1")
	if len(debug) != 2 || configureDir(t, debug[0]) == dir || !strings.Contains(debug[0]+" ", " -DCMAKE_BUILD_TYPE=Debug ") {
		t.Errorf("DEBUG=1 ran %q; want a Debug configure in a new folder", debug)
	} else if kernel, _ := p.run(buildKernel, "MAX_JOBS=3", "DEBUG=1"); len(kernel) != 1 ||
		kernel[0] != "--build "+configureDir(t, debug[0])+" --parallel 3 --target local_install" {
		t.Errorf("build_kernel with DEBUG=1 ran %q; want only the build in %s", kernel, configureDir(t, debug[0]))
	}

	// CMAKE_ARGS come last, so they override setup.py's.
	args, _ := p.run(buildExt, "MAX_JOBS=3", "CMAKE_ARGS=-DFOO=1 -DCMAKE_BUILD_TYPE=RelWithDebInfo")
	if len(args) != 2 || configureDir(t, args[0]) == dir ||
		!strings.HasSuffix(args[0], " -DFOO=1 -DCMAKE_BUILD_TYPE=RelWithDebInfo") ||
		!strings.Contains(args[0], " -DCMAKE_BUILD_TYPE=Release ") {
		t.Errorf("with CMAKE_ARGS: ran %q; want a configure in a new folder ending with them", args)
	}

	// Another Torch.
	fakeTorch{Version: "2.10.0+cpu"}.install(t, p.torchDir)
	if torch, _ := p.run(buildExt, "MAX_JOBS=3"); len(torch) != 2 || configureDir(t, torch[0]) == dir {
		t.Errorf("with another Torch: ran %q; want a configure in a new folder", torch)
	}

	fresh, _ := p.run(buildExt, "MAX_JOBS=3", "BUILD2CMAKE_FRESH_BUILD=1")
	if len(fresh) != 2 || strings.HasPrefix(configureDir(t, fresh[0]), "$PROJECT") {
		t.Errorf("BUILD2CMAKE_FRESH_BUILD=1 ran %q; want a configure outside the project", fresh)
	}
}

// setupRun is one run of setupHarness: the fake Torch folder, whether to
// pretend to be on Apple-silicon macOS, and the environment to add.
type setupRun struct {
	Torch string            `json:"torch"`
	MacOS bool              `json:"macos"`
	Env   map[string]string `json:"env"`
}

// setupHarness runs the setup.py of dir once per run in one Python
// process (importing setuptools takes a while), with setup() replaced by
// a function that reports the extension name and, when report is set,
// cmake_config(debug=False): the job count and the CMake arguments.
// It returns one line per run.
func setupHarness(t *testing.T, dir string, runs []setupRun, report bool) []string {
	t.Helper()
	python := requireSetuptools(t)
	spec, err := json.Marshal(runs)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "-c", `import importlib, json, os, platform, sys, setuptools
source = open("setup.py").read()
linux, machine = sys.platform, platform.machine
base = dict(os.environ)
report = sys.argv[2] == "report"
for run in json.loads(sys.argv[1]):
    os.environ.clear()
    os.environ.update(base)
    os.environ.update(run["env"] or {})
    sys.path.insert(0, run["torch"])
    importlib.invalidate_caches()
    sys.platform = "darwin" if run["macos"] else linux
    platform.machine = (lambda: "arm64") if run["macos"] else machine
    names = []
    setuptools.setup = lambda **kw: names.append(kw["ext_modules"][0].name)
    ns = {"__file__": "setup.py", "__name__": "__main__"}
    exec(compile(source, "setup.py", "exec"), ns)
    if report:
        config, jobs, args = ns["cmake_config"](False)
        print(names[0], jobs, " ".join(args))
    else:
        print(names[0])
    sys.path.remove(run["torch"])
`, string(spec), map[bool]string{true: "report", false: "name"}[report])
	cmd.Dir = dir
	cmd.Env = append(cmakeEnv(), "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("running setup.py: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(runs) {
		t.Fatalf("setup.py printed\n%s\nwant one line per run", out)
	}
	return lines
}

// setup.py's job count is MAX_JOBS, default the CPUs it may use; for
// CUDA it divides them by NVCC_THREADS (default 1) and passes that to
// CMake. -DGPU_LANG in CMAKE_ARGS chooses the backend as CMake will.
func TestTodaySetupJobs(t *testing.T) {
	dir := writeTodayProject(t, todayBuildTOML)
	cpu, cuda := t.TempDir(), t.TempDir()
	fakeTorch{Version: "2.9.0+cpu"}.install(t, cpu)
	fakeTorch{Version: "2.9.0+cu128", CUDA: "12.8"}.install(t, cuda)
	cases := []struct {
		torch string
		env   map[string]string
		// the ops name, the job count, the -DNVCC_THREADS argument ("" for none)
		ops     string
		jobs    int
		threads string
	}{
		{cpu, map[string]string{"MAX_JOBS": "8", "NVCC_THREADS": "2"}, "_today_check_cpu_t1", 8, ""},
		{cpu, nil, "_today_check_cpu_t1", runtime.NumCPU(), ""},
		{cuda, map[string]string{"MAX_JOBS": "8", "NVCC_THREADS": "2"}, "_today_check_cuda_t1", 4, "-DNVCC_THREADS=2"},
		{cuda, map[string]string{"MAX_JOBS": "9", "NVCC_THREADS": "2"}, "_today_check_cuda_t1", 4, "-DNVCC_THREADS=2"},
		{cuda, map[string]string{"MAX_JOBS": "8"}, "_today_check_cuda_t1", 8, "-DNVCC_THREADS=1"},
		{cuda, map[string]string{"MAX_JOBS": "1", "NVCC_THREADS": "4"}, "_today_check_cuda_t1", 1, "-DNVCC_THREADS=4"},
		{cuda, map[string]string{"MAX_JOBS": "8", "NVCC_THREADS": "2", "CMAKE_ARGS": "-DGPU_LANG=CPU"}, "_today_check_cpu_t1", 8, ""},
	}
	var runs []setupRun
	for _, c := range cases {
		runs = append(runs, setupRun{Torch: c.torch, Env: c.env})
	}
	for i, line := range setupHarness(t, dir, runs, true) {
		c := cases[i]
		fields := strings.Fields(line)
		threads := regexp.MustCompile(`-DNVCC_THREADS=\S+`).FindString(line)
		if fields[0] != "today_check."+c.ops || fields[1] != strconv.Itoa(c.jobs) || threads != c.threads {
			t.Errorf("%v: extension, jobs and arguments\n%s\nwant today_check.%s, %d jobs, %q", c.env, line, c.ops, c.jobs, c.threads)
		}
	}
}

// setup.py names the extension _<name>_<backend>_<id> for the backend
// CMake will choose: -DGPU_LANG in CMAKE_ARGS, else Torch's, read from
// torch/version.py (Metal on Apple-silicon macOS).
func TestTodaySetupBackendFromTorch(t *testing.T) {
	dir := writeTodayProject(t, todayBuildTOML)
	cases := []struct {
		torch     fakeTorch
		macOS     bool
		cmakeArgs string
		want      config.Backend
	}{
		{torch: fakeTorch{Version: "2.9.0+cu128", CUDA: "12.8"}, want: config.CUDA},
		{torch: fakeTorch{Version: "2.9.0+rocm6.4", HIP: "6.4"}, want: config.ROCm},
		{torch: fakeTorch{Version: "2.9.0+xpu", XPU: true}, want: config.XPU},
		{torch: fakeTorch{Version: "2.9.0+cpu"}, want: config.CPU},
		{torch: fakeTorch{Version: "2.9.0", CUDA: "12.8", HIP: "6.4", XPU: true}, want: config.CUDA},
		{torch: fakeTorch{Version: "2.9.0", HIP: "6.4", XPU: true}, want: config.ROCm},
		{torch: fakeTorch{Version: "2.9.0"}, macOS: true, want: config.Metal},
		{torch: fakeTorch{Version: "2.9.0", XPU: true}, macOS: true, want: config.Metal},
		{torch: fakeTorch{Version: "2.9.0", CUDA: "12.8"}, cmakeArgs: "-DFOO=1 -DGPU_LANG=HIP", want: config.ROCm},
		{torch: fakeTorch{Version: "2.9.0", CUDA: "12.8"}, cmakeArgs: "-DGPU_LANG:STRING=SYCL", want: config.XPU},
		{torch: fakeTorch{Version: "2.9.0"}, cmakeArgs: "-DGPU_LANG=CUDA", want: config.CUDA},
	}
	var runs []setupRun
	for _, c := range cases {
		torchDir := t.TempDir()
		c.torch.install(t, torchDir)
		runs = append(runs, setupRun{Torch: torchDir, MacOS: c.macOS, Env: map[string]string{"CMAKE_ARGS": c.cmakeArgs}})
	}
	got := setupHarness(t, dir, runs, false)
	for i, c := range cases {
		if want := "today_check._today_check_" + string(c.want) + "_t1"; got[i] != want {
			t.Errorf("Torch %+v, macOS %v, CMAKE_ARGS %q: extension %s, want %s", c.torch, c.macOS, c.cmakeArgs, got[i], want)
		}
	}
}
