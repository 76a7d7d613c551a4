package e2e

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/build2cmake-go/build2cmake/internal/testproc"
)

// TestPyprojectCPUBuild builds a kernel in today's layout (create-pyproject)
// for real: CMake configure (one Python process imports Torch), the
// local_install target, then the kernel's own tests with the kernel loaded
// from build/<variant>/ by the kernels package's rules (see the case's
// tests/conftest.py); then `pip install -e .` and the same tests against
// the installed package. It builds its own copy rather than checking the
// README's build of the same case (as TestCPUBuild does for cpu-relu), so
// that today's layout is also proven in a folder whose name holds a space,
// a "#" and a non-ASCII letter (awkwardFolder).
func TestPyprojectCPUBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the real CPU build (about a minute) under -short")
	}
	t.Parallel()
	requirePrereqs(t)
	root := repoRoot(t)
	bin := buildBinary(t, root)
	r := &runner{t: t}
	defer r.logTimings()

	const opsName = "_scale_clamp_cpu_e2e"
	caseDir := filepath.Join(root, "testdata", "kernels", "pyproject-cpu")
	args := readArgs(t, caseDir) // create-pyproject --unique-id e2e
	proj := filepath.Join(t.TempDir(), awkwardFolder, "scale-clamp")
	copyProject(t, caseDir, proj)
	r.run("create-pyproject", proj, nil, bin, append(args, ".")...)

	// Configure, counting the Python processes that import Torch.
	counter := filepath.Join(root, "scripts", "torch-import-counter")
	importLog := filepath.Join(t.TempDir(), "imports.log")
	noCMakeWarnings(t, r.run("cmake configure", proj, []string{"PYTHONPATH=" + counter, "TORCH_IMPORT_LOG=" + importLog},
		"cmake", "-S", ".", "-B", "cmake-build", "-G", "Ninja", "--warn-uninitialized", "-DPython3_EXECUTABLE="+systemPython))
	if data, err := os.ReadFile(importLog); err != nil {
		t.Errorf("no Python process imported torch while configuring: %v", err)
	} else if n := strings.Count(string(data), "\n"); n != 1 {
		t.Errorf("%d Python processes imported torch while configuring; want 1", n)
	}

	r.run("local_install", proj, nil, "cmake", "--build", "cmake-build", "--target", "local_install")
	variant := "torch113-cxx11-cpu-x86_64-linux"
	if out, err := testproc.Command(systemPython, "-c",
		"import platform, torch; v = torch.__version__.split('.'); "+
			"print(f'torch{v[0]}{v[1]}-cxx11-cpu-{platform.machine()}-linux')").Output(); err == nil {
		variant = strings.TrimSpace(string(out))
	}
	requireVariantFiles(t, proj, variant, "__init__.py", "_ops.py", opsName+".abi3.so", "defaults.json", "metadata.json")
	r.run("pytest (build variant)", proj, []string{"KERNEL_REPO=" + proj, "KERNEL_OPS_NAME=" + opsName},
		systemPython, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")

	requireQuietLocalInstall(t, r, proj, variant)

	// A backend the kernel does not list is a clear configure error.
	cmd := testproc.Command("cmake", "-S", ".", "-B", "cmake-build-hip", "-G", "Ninja",
		"-DPython3_EXECUTABLE="+systemPython, "-DGPU_LANG=HIP")
	cmd.Dir = proj
	cmd.Env = commandEnv()
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "This kernel supports cpu, cuda, but GPU_LANG is HIP") {
		t.Errorf("configure with GPU_LANG=HIP: err %v, output:\n%s", err, out)
	}

	venv := filepath.Join(t.TempDir(), "venv")
	r.run("venv", proj, nil, systemPython, "-m", "venv", "--system-site-packages", venv)
	python := filepath.Join(venv, "bin", "python")
	r.run("pip install -e", proj, nil, python, "-m", "pip", "install", "--no-build-isolation", "--no-deps", "--no-index", "-v", "-e", ".")
	r.run("pytest (pip install -e)", proj, []string{"KERNEL_OPS_NAME=" + opsName},
		python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")
}

// requireVariantFiles fails the test unless build/<variant>/ of the project
// proj holds exactly the files and folders want, in name order.
func requireVariantFiles(t *testing.T, proj, variant string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(proj, "build", variant))
	if err != nil {
		t.Fatalf("local_install made no build/%s: %v\n%s", variant, err, listTree(filepath.Join(proj, "build")))
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, want) {
		t.Errorf("build/%s holds %q, want %q", variant, got, want)
	}
}

// requireQuietLocalInstall runs local_install again in proj's cmake-build/,
// with nothing changed, and fails the test if it rewrote a file of
// build/<variant>/: an unchanged install copies nothing.
func requireQuietLocalInstall(t *testing.T, r *runner, proj, variant string) {
	t.Helper()
	variantDir := filepath.Join(proj, "build", variant)
	before := modTimes(t, variantDir)
	time.Sleep(10 * time.Millisecond)
	r.run("local_install (again)", proj, nil, "cmake", "--build", "cmake-build", "--target", "local_install")
	if after := modTimes(t, variantDir); !maps.EqualFunc(before, after, time.Time.Equal) {
		t.Errorf("an unchanged local_install rewrote files in build/%s", variant)
	}
}

// modTimes maps each file in dir to its modification time.
func modTimes(t *testing.T, dir string) map[string]time.Time {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	times := map[string]time.Time{}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		times[e.Name()] = info.ModTime()
	}
	return times
}

// TestPyprojectNoarchBuildKernel lays a [torch-noarch]-style kernel out with
// the generated setup.py's build_kernel: build/torch-<backend>/ for each
// listed backend with the package, its data file and that backend's
// metadata, importable the way the kernels package imports a variant.
func TestPyprojectNoarchBuildKernel(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping under -short")
	}
	t.Parallel()
	requirePrereqs(t)
	root := repoRoot(t)
	bin := buildBinary(t, root)
	r := &runner{t: t}
	caseDir := filepath.Join(root, "testdata", "kernels", "pyproject-noarch")
	proj := filepath.Join(t.TempDir(), "layer-norm-ref")
	copyProject(t, caseDir, proj)
	r.run("create-pyproject", proj, nil, bin, append(readArgs(t, caseDir), ".")...)
	r.run("build_kernel", proj, nil, systemPython, "setup.py", "-q", "build_kernel")
	for _, backend := range []string{"cuda", "xpu"} {
		variant := filepath.Join(proj, "build", "torch-"+backend)
		got := listTree(variant)
		want := "  __init__.py\n  _ops.py\n  config.json\n  metadata.json\n"
		if got != want {
			t.Errorf("build/torch-%s holds\n%swant\n%s", backend, got, want)
		}
		meta, err := os.ReadFile(filepath.Join(variant, "metadata.json"))
		if err != nil || !strings.Contains(string(meta), `"type": "`+backend+`"`) {
			t.Errorf("build/torch-%s/metadata.json is not %s's: %v\n%s", backend, backend, err, meta)
		}
		script := "import importlib.util, sys\n" +
			"spec = importlib.util.spec_from_file_location('lnr_variant', sys.argv[1])\n" +
			"m = importlib.util.module_from_spec(spec); sys.modules['lnr_variant'] = m; spec.loader.exec_module(m)\n" +
			"import torch\n" +
			"x = torch.randn(4, 8)\n" +
			"assert torch.allclose(m.layer_norm(x), torch.nn.functional.layer_norm(x, (8,)))\n" +
			"print(m.add_op_namespace_prefix('f'))\n"
		r.run("import torch-"+backend, proj, nil, systemPython, "-c", script, filepath.Join(variant, "__init__.py"))
	}
}
