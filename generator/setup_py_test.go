package generator

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// These tests run the generated setup.py (`setup.py build_ext --inplace`,
// what `pip install -e .` runs) against a fake cmake that logs its
// arguments, so they check what setup.py asks CMake to do without building
// anything.

// requireSetuptools returns a Python interpreter that has setuptools, or
// skips the test (fails it under CI=true). It looks once per test binary.
func requireSetuptools(t *testing.T) string {
	t.Helper()
	setuptoolsPython.once.Do(func() {
		for _, python := range []string{"/usr/bin/python3", "python3"} {
			if path, err := exec.LookPath(python); err == nil && exec.Command(path, "-c", "import setuptools").Run() == nil {
				setuptoolsPython.path = path
				return
			}
		}
	})
	if setuptoolsPython.path == "" {
		testenv.Missing(t, "no python3 with setuptools to run the generated setup.py")
	}
	return setuptoolsPython.path
}

var setuptoolsPython struct {
	once sync.Once
	path string
}

const fakeCMake = `#!/bin/sh
# Logs its arguments; "configures" and "builds" just enough for setup.py.
printf '%s\n' "$*" >> "$FAKE_CMAKE_LOG"
if [ "$1" = "-S" ]; then mkdir -p "$4"; fi
if [ "$1" = "--build" ]; then mkdir -p "$2/lib"; echo "built in $2" > "$2/lib/$FAKE_MODULE"; fi
`

// setupProject is a project generated for one backend, with a fake cmake.
type setupProject struct {
	t      *testing.T
	python string
	dir    string
	log    string
	env    []string
}

func newSetupProject(t *testing.T, backend config.Backend) *setupProject {
	t.Helper()
	python := requireSetuptools(t)
	dir := t.TempDir()
	for _, f := range mustRender(t, testBuild(), Options{Backend: backend, OpsName: "_relu_test_x", TargetOS: "linux"}) {
		writeTestFile(t, filepath.Join(dir, f.Path), string(f.Content))
	}
	writeTestFile(t, filepath.Join(dir, "torch-ext", "relu_test", "__init__.py"), "")
	bin := t.TempDir()
	writeTestFile(t, filepath.Join(bin, "cmake"), fakeCMake)
	if err := os.Chmod(filepath.Join(bin, "cmake"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := &setupProject{t: t, python: python, dir: dir, log: filepath.Join(t.TempDir(), "cmake.log")}
	for _, kv := range os.Environ() {
		switch key, _, _ := strings.Cut(kv, "="); key {
		case "CMAKE_ARGS", "CMAKE_GENERATOR", "MAX_JOBS", "NVCC_THREADS", "DEBUG", "BUILD2CMAKE_FRESH_BUILD", "PATH":
		default:
			p.env = append(p.env, kv)
		}
	}
	p.env = append(p.env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"FAKE_CMAKE_LOG="+p.log, "FAKE_MODULE=_relu_test_x.abi3.so", "PYTHONDONTWRITEBYTECODE=1")
	return p
}

func writeTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// install runs setup.py as an editable install does and returns the cmake
// command lines it ran, with the project folder written as $PROJECT.
func (p *setupProject) install(env ...string) []string {
	p.t.Helper()
	before := p.logLines()
	cmd := exec.Command(p.python, "setup.py", "-q", "build_ext", "--inplace")
	cmd.Dir = p.dir
	cmd.Env = append(append([]string{}, p.env...), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		p.t.Fatalf("setup.py build_ext failed: %v\n%s", err, out)
	}
	return p.logLines()[len(before):]
}

func (p *setupProject) logLines() []string {
	data, err := os.ReadFile(p.log)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		p.t.Fatal(err)
	}
	text := strings.ReplaceAll(strings.TrimSuffix(string(data), "\n"), p.dir, "$PROJECT")
	return strings.Split(text, "\n")
}

var buildDirArg = regexp.MustCompile(`-B (\S+)`)

// configureDir returns the -B folder of a configure command line.
func configureDir(t *testing.T, line string) string {
	t.Helper()
	m := buildDirArg.FindStringSubmatch(line)
	if m == nil || !strings.HasPrefix(line, "-S $PROJECT ") {
		t.Fatalf("not a configure command: %q", line)
	}
	return m[1]
}

// The build happens in build/<key>/ inside the project (docs/design.md,
// "Fast rebuilds with pip"), configured
// once; installing again only runs the build step there, and the module is
// copied to the package.
func TestSetupReusesItsBuildFolder(t *testing.T) {
	p := newSetupProject(t, config.CPU)
	first := p.install("MAX_JOBS=3")
	if len(first) != 2 {
		t.Fatalf("first install ran %q; want a configure and a build", first)
	}
	dir := configureDir(t, first[0])
	if !regexp.MustCompile(`^\$PROJECT/build/[0-9a-f]{12}$`).MatchString(dir) {
		t.Errorf("build folder %s is not build/<key>/ in the project", dir)
	}
	for _, want := range []string{
		" -DCMAKE_LIBRARY_OUTPUT_DIRECTORY=" + dir + "/lib/ ",
		" -DPython3_EXECUTABLE=",
		" -DCMAKE_BUILD_TYPE=Release",
	} {
		if !strings.Contains(first[0]+" ", want) {
			t.Errorf("configure command lacks %q: %s", want, first[0])
		}
	}
	if want := "--build " + dir + " --parallel 3"; first[1] != want {
		t.Errorf("build command %q, want %q", first[1], want)
	}
	module, err := os.ReadFile(filepath.Join(p.dir, "torch-ext", "relu_test", "_relu_test_x.abi3.so"))
	if err != nil || string(module) != "built in "+strings.ReplaceAll(dir, "$PROJECT", p.dir)+"\n" {
		t.Errorf("the module was not copied into the package: %q, %v", module, err)
	}

	if again := p.install("MAX_JOBS=3"); len(again) != 1 || again[0] != first[1] {
		t.Errorf("installing again ran %q; want only %q", again, first[1])
	}

	// What changes the build gets a folder of its own.
	for env, want := range map[string]string{
		"CMAKE_ARGS=-DFOO=1 -DBAR=2": " -DFOO=1 -DBAR=2", // last, so they win
		"DEBUG=1":                    " -DCMAKE_BUILD_TYPE=Debug ",
	} {
		lines := p.install("MAX_JOBS=3", env)
		if len(lines) != 2 || configureDir(t, lines[0]) == dir || !strings.Contains(lines[0]+" ", want) {
			t.Errorf("with %s: ran %q; want a configure with %q in a new folder", env, lines, want)
		}
	}

	fresh := p.install("MAX_JOBS=3", "BUILD2CMAKE_FRESH_BUILD=1")
	if len(fresh) != 2 || strings.HasPrefix(configureDir(t, fresh[0]), "$PROJECT") {
		t.Errorf("BUILD2CMAKE_FRESH_BUILD=1 ran %q; want a configure outside the project", fresh)
	}
}

// Every backend passes the job count to the build (docs/design.md, "The
// job count reaches the build"; the reference's
// cpu and metal setup.py computed it and dropped it); CUDA divides it by
// NVCC_THREADS and passes that to CMake.
func TestSetupPassesTheJobCount(t *testing.T) {
	for _, backend := range config.Backends {
		t.Run(string(backend), func(t *testing.T) {
			p := newSetupProject(t, backend)
			env := []string{"MAX_JOBS=8"}
			want := "--parallel 8"
			if backend == config.CUDA {
				env = append(env, "NVCC_THREADS=2")
				want = "--parallel 4"
			}
			lines := p.install(env...)
			if len(lines) != 2 || !strings.HasSuffix(lines[1], want) {
				t.Fatalf("ran %q; want a build with %s", lines, want)
			}
			if hasThreads := strings.Contains(lines[0], "-DNVCC_THREADS=2"); hasThreads != (backend == config.CUDA) {
				t.Errorf("configure command %s: NVCC_THREADS passed is %v", lines[0], hasThreads)
			}
		})
	}
}

// setup.py compiles through sccache (or ccache) when one is on PATH, for
// every language the backend compiles; CUDA sources are most of a CUDA
// build's time, so losing "CUDA" there would go unnoticed but cost a lot.
func TestSetupUsesCompilerLaunchers(t *testing.T) {
	want := map[config.Backend][]string{
		config.CPU:   {"CXX"},
		config.CUDA:  {"CXX", "CUDA"},
		config.Metal: {"C", "CXX", "OBJC", "OBJCXX"},
		config.ROCm:  {"CXX", "HIP"},
		config.XPU:   {"C", "CXX"},
	}
	if len(want) != len(config.Backends) {
		t.Fatalf("the table covers %d backends, there are %d", len(want), len(config.Backends))
	}
	launcher := regexp.MustCompile(`-DCMAKE_(\w+)_COMPILER_LAUNCHER=(\S+)`)
	for _, backend := range config.Backends {
		t.Run(string(backend), func(t *testing.T) {
			p := newSetupProject(t, backend)
			bin := t.TempDir()
			writeTestFile(t, filepath.Join(bin, "sccache"), "#!/bin/sh\nexit 0\n")
			if err := os.Chmod(filepath.Join(bin, "sccache"), 0o755); err != nil {
				t.Fatal(err)
			}
			path := ""
			for i, kv := range p.env {
				if strings.HasPrefix(kv, "PATH=") {
					path = strings.TrimPrefix(kv, "PATH=")
					p.env = slices.Delete(p.env, i, i+1)
					break
				}
			}
			lines := p.install("PATH=" + bin + string(os.PathListSeparator) + path)
			var languages []string
			for _, m := range launcher.FindAllStringSubmatch(lines[0], -1) {
				if m[2] != "sccache" {
					t.Errorf("launcher for %s is %s, want the sccache on PATH", m[1], m[2])
				}
				languages = append(languages, m[1])
			}
			if !slices.Equal(languages, want[backend]) {
				t.Errorf("configure command %s\nsets launchers for %q, want %q", lines[0], languages, want[backend])
			}
		})
	}
}
