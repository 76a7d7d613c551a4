package e2e

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	// The test runs build2cmake as a separate binary, which go test's result
	// cache cannot see. Linking the CLI into the test binary makes any change
	// to the generator, its templates or the CLI invalidate a cached PASS.
	_ "github.com/build2cmake-go/build2cmake/internal/cli"
	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// cpuCase is a kernel project under testdata/kernels that is built for real.
type cpuCase struct {
	dir string
	// opsName is what the case's args (--ops-id e2e) must give: the name of
	// the compiled module, its install folder and torch.ops namespace.
	opsName string
	// touch is a kernel source for the dev-loop check: after touching it,
	// exactly its object file must be recompiled.
	touch string
}

// cpuCases must stay in step with the default list in scripts/e2e-cpu.sh.
var cpuCases = []cpuCase{
	{dir: "cpu-relu", opsName: "_relu_e2e", touch: "relu_cpu/relu_cpu.cpp"},
	{dir: "cpu-multi", opsName: "_cpu_multi_e2e", touch: "scale/scale.cpp"},
	// Builds only optimised: the bare configure below must build Release.
	{dir: "cpu-avx2", opsName: "_cpu_avx2_e2e", touch: "axpy/axpy.cpp"},
}

// TestCPUBuild generates each case's build files, builds them with CMake and
// with pip, runs the case's pytest suite, and checks that reinstalling
// compiles only what changed (SPEC B6).
//
// The cases run one after the other: each build already keeps both cores of
// the CI machine busy, so running them in parallel only adds memory pressure.
func TestCPUBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the real CPU builds (about a minute) under -short")
	}
	requirePrereqs(t)
	// The generated CMake compiles through ccache when it is on PATH; the
	// rebuild from an empty folder must come from its cache.
	testenv.LookPath(t, "ccache")
	root := repoRoot(t)
	bin := buildBinary(t, root)
	for _, c := range cpuCases {
		t.Run(c.dir, func(t *testing.T) {
			r := &runner{t: t}
			defer r.logTimings()
			runCPUCase(t, r, root, bin, c)
		})
	}
}

func runCPUCase(t *testing.T, r *runner, root, bin string, c cpuCase) {
	caseDir := filepath.Join(root, "testdata", "kernels", c.dir)
	args := readArgs(t, caseDir)
	proj := filepath.Join(t.TempDir(), awkwardFolder, c.dir)
	copyProject(t, caseDir, proj)

	r.run("generate", proj, nil, bin, append(append([]string{"generate-torch"}, args...), "build.toml")...)

	// A compiler cache of the case's own, empty at first.
	cache := []string{"CCACHE_DIR=" + t.TempDir()}

	// (a) Plain CMake with Ninja, then `cmake --install`, the way the Nix
	// builder consumes the generated files. No build type is given: the
	// generated CMake builds Release, as pip install does.
	configure := []string{"-B", "build-ext", "-G", "Ninja", "--warn-uninitialized", "-DPython3_EXECUTABLE=" + systemPython}
	out := r.run("cmake configure", proj, cache, "cmake", configure...)
	noCMakeWarnings(t, out)
	if !strings.Contains(out, "building Release") || !strings.Contains(out, "Compiling CXX through ccache") {
		t.Errorf("configure did not choose Release and ccache:\n%s", out)
	}
	r.run("cmake build", proj, cache, "cmake", "--build", "build-ext")
	requireCompileCommands(t, proj, "build-ext", c.touch)
	requireModule(t, filepath.Join(proj, "build-ext"), c.opsName, true)
	// The same build from an empty folder compiles nothing: every object
	// comes from the cache.
	r.run("ccache zero stats", proj, cache, "ccache", "--zero-stats")
	if err := os.RemoveAll(filepath.Join(proj, "build-ext")); err != nil {
		t.Fatal(err)
	}
	r.run("cmake configure (again)", proj, cache, "cmake", configure...)
	r.run("cmake build (cached)", proj, cache, "cmake", "--build", "build-ext")
	requireCacheHits(t, r.run("ccache stats", proj, cache, "ccache", "--print-stats"), sourceCount(t, proj))
	requireModule(t, filepath.Join(proj, "build-ext"), c.opsName, true)
	prefix := t.TempDir()
	r.run("cmake install", proj, nil, "cmake", "--install", "build-ext", "--prefix", prefix)
	// Tools load the module from the <ops name> folder under the prefix.
	requireModule(t, filepath.Join(prefix, c.opsName), c.opsName, false)

	// (b) An editable pip install into a fresh venv that sees Debian's torch,
	// then the project's own tests, the way a kernel author works.
	venv := filepath.Join(t.TempDir(), "venv")
	r.run("venv", proj, nil, systemPython, "-m", "venv", "--system-site-packages", venv)
	python := filepath.Join(venv, "bin", "python")
	pipInstall := func(label string) {
		// -v so that a failure shows CMake's and the compiler's output.
		r.run(label, proj, cache, python, "-m", "pip", "install", "--no-build-isolation", "--no-deps", "--no-index", "-v", "-e", ".")
	}
	pipInstall("pip install -e (first)")
	// setup.py's persistent build folder now owns the link.
	requireCompileCommands(t, proj, "build", c.touch)
	// KERNEL_OPS_NAME lets the tests check the exact namespace.
	r.run("pytest", proj, []string{"KERNEL_OPS_NAME=" + c.opsName}, python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")

	checkDevLoop(t, proj, c.touch, pipInstall)
}

// awkwardFolder holds the projects the real builds build: a space, a
// non-ASCII letter and a "#" in the path must not break generating,
// configuring, building, installing or loading a kernel (a path is one
// argument everywhere, never re-split or read as a comment).
const awkwardFolder = "my kernels #1 (ü)"

// runner runs the steps of one case, failing the test with the full output
// of a step that fails, and remembers how long each step took.
type runner struct {
	t       *testing.T
	timings []string
}

// run executes name with args in dir and returns its output. extraEnv
// entries override the inherited environment.
func (r *runner) run(label, dir string, extraEnv []string, name string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(commandEnv(), extraEnv...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	elapsed := time.Since(start)
	r.timings = append(r.timings, fmt.Sprintf("%-24s %6.1fs", label, elapsed.Seconds()))
	if err != nil {
		r.t.Fatalf("%s failed: %v\n$ cd %s && %s\n%s", label, err, dir, strings.Join(cmd.Args, " "), out)
	}
	return string(out)
}

// sourceCount is the number of sources build-ext/compile_commands.json
// compiles.
func sourceCount(t *testing.T, proj string) int {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(proj, "build-ext", "compile_commands.json"))
	if err != nil {
		t.Fatal(err)
	}
	var entries []struct{ File string }
	if err := json.Unmarshal(data, &entries); err != nil {
		t.Fatalf("compile_commands.json: %v", err)
	}
	return len(entries)
}

// requireCacheHits checks ccache --print-stats output: want compilations,
// all of them served from the cache.
func requireCacheHits(t *testing.T, stats string, want int) {
	t.Helper()
	counts := map[string]int{}
	for _, line := range strings.Split(stats, "\n") {
		if key, value, ok := strings.Cut(line, "\t"); ok {
			counts[key], _ = strconv.Atoi(strings.TrimSpace(value))
		}
	}
	hits := counts["direct_cache_hit"] + counts["preprocessed_cache_hit"]
	if hits != want || counts["cache_miss"] != 0 {
		t.Errorf("rebuild from an empty folder: %d cache hits and %d misses, want %d hits and none\n%s",
			hits, counts["cache_miss"], want, stats)
	}
}

// noCMakeWarnings fails the test when configuring a generated project
// printed a CMake warning: users who build with CMake directly see every
// one (huggingface/kernels #799 found one in today's project() line).
func noCMakeWarnings(t *testing.T, out string) {
	t.Helper()
	for _, marker := range []string{"CMake Warning", "CMake Deprecation Warning"} {
		if strings.Contains(out, marker) {
			t.Errorf("configuring printed a %q:\n%s", marker, out)
			return
		}
	}
}

// logTimings reports the wall time of every step (shown with go test -v).
func (r *runner) logTimings() {
	r.t.Logf("step timings:\n  %s", strings.Join(r.timings, "\n  "))
}

// commandEnv is the environment for every step: the caller's, minus settings
// that would make pip reach the network, make Python pick up packages from
// outside the venv and Debian's dist-packages, or change how setup.py builds.
func commandEnv() []string {
	env := []string{
		"PIP_NO_INDEX=1",
		"PIP_DISABLE_PIP_VERSION_CHECK=1",
		"PYTHONNOUSERSITE=1",
		"PYTHONDONTWRITEBYTECODE=1",
	}
	for _, kv := range os.Environ() {
		key, _, _ := strings.Cut(kv, "=")
		switch key {
		case "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL":
			continue
		case "BUILD2CMAKE_FRESH_BUILD", "CMAKE_GENERATOR", "CMAKE_ARGS":
			// They would defeat the persistent Ninja build folder that the
			// dev-loop check inspects.
			continue
		}
		env = append(env, kv)
	}
	return env
}

// repoRoot is the module root; go test runs in the package directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("cannot find the module root from the test's directory: %v", err)
	}
	return root
}

// buildBinary builds cmd/build2cmake from this checkout, so the tests run
// the code under test rather than whatever is installed. The binary is
// built once for all tests of the package (see TestMain).
func buildBinary(t *testing.T, root string) string {
	t.Helper()
	built.once.Do(func() {
		built.path = filepath.Join(built.dir, "build2cmake")
		cmd := exec.Command("go", "build", "-o", built.path, "./cmd/build2cmake")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build ./cmd/build2cmake failed: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

// built is the build2cmake binary shared by the tests of this package.
var built struct {
	dir  string // made and removed by TestMain
	once sync.Once
	path string
	err  error
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "build2cmake-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	built.dir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// readArgs returns the generate-torch flags from the case's args file (the
// same file the golden test uses).
func readArgs(t *testing.T, caseDir string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(caseDir, "args"))
	if err != nil {
		t.Fatalf("reading the case's generate-torch flags: %v", err)
	}
	return strings.Fields(string(data))
}

// skipCopy names what a case directory may hold that is not project source:
// the golden tree, and leftovers of a build tried in place.
var skipCopy = map[string]bool{
	"expected": true, "shared.txt": true, "build": true, "build-ext": true,
	"__pycache__": true, ".pytest_cache": true,
}

// copyProject copies the sources of a case into dst, so that builds never
// write into testdata.
func copyProject(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if skipCopy[d.Name()] || strings.HasSuffix(d.Name(), ".egg-info") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatalf("copying %s: %v", src, err)
	}
}

// requireModule fails unless dir holds the compiled extension module
// <opsName>.<suffix>.so; with recursive it may sit in any subfolder.
func requireModule(t *testing.T, dir, opsName string, recursive bool) {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != dir && !recursive {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasPrefix(d.Name(), opsName+".") && strings.HasSuffix(d.Name(), ".so") {
			found = append(found, path)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("looking for the module %s: %v", opsName, err)
	}
	if len(found) == 0 {
		t.Fatalf("no module %s.*.so in %s:\n%s", opsName, dir, listTree(dir))
	}
}

// listTree lists the files under dir, for failure messages.
func listTree(dir string) string {
	var b strings.Builder
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			fmt.Fprintf(&b, "  %s\n", rel)
		}
		return nil
	})
	return b.String()
}
