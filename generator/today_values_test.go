package generator

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// These tests check the values create-pyproject writes into
// metadata-<backend>.json, pyproject.toml and registration.h, and what the
// generated _ops.py and noarch setup.py do when run, each written out
// here rather than taken from a golden file.

// renderToday renders buildTOML for today's layout with the unique id t1
// and returns the files by path.
func renderToday(t *testing.T, buildTOML string, provenance *Provenance) map[string]string {
	t.Helper()
	loaded, err := config.Parse("build.toml", []byte(buildTOML))
	if err != nil {
		t.Fatal(err)
	}
	files, err := RenderPyproject(loaded.Build, PyprojectOptions{UniqueID: "t1", Provenance: provenance})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range files {
		out[f.Path] = string(f.Content)
	}
	return out
}

// valuesTOML states every metadata fact edition 5 has.
const valuesTOML = `[general]
name = "meta-check"
version = 7
edition = 5
license = "MIT"
upstream = "https://github.com/org/meta-check.git"
source = "git@github.com:org/meta-check-src.git"
backends = ["cpu", "cuda", "neuron", "xpu"]
python-depends = ["einops", "tvm-ffi"]
kernel-depends = [{ repo-id = "org/base", version = 2 }]

[general.cuda]
python-depends = ["nvidia-cutlass-dsl"]
kernel-depends = [{ repo-id = "org/gemm", revision = "v1.2" }]

[general.xpu]
python-depends = ["onednn"]

[general.neuron]
python-depends = ["nki"]
kernel-depends = [{ repo-id = "org/nki-base", version = 1 }]

[torch]
src = ["torch-ext/torch_binding.cpp"]

[kernel.k]
backend = "cpu"
depends = ["torch"]
src = ["k/k.cpp"]
`

// The metadata of every backend: name, ops name, version, license, URLs,
// the general and the backend's python-depends and kernel-depends, and
// provenance.
func TestTodayMetadataValues(t *testing.T) {
	files := renderToday(t, valuesTOML, &Provenance{
		BuilderVersion: "build2cmake v1.2.3",
		Builder:        &GitState{Commit: strings.Repeat("a", 40)},
		Kernel:         &GitState{Commit: strings.Repeat("b", 40), Dirty: true},
	})
	depends := map[config.Backend]string{
		config.CUDA:   `"python-depends": ["einops", "tvm-ffi", "nvidia-cutlass-dsl"], "kernel-depends": [{"repo-id": "org/base", "version": 2}, {"repo-id": "org/gemm", "revision": "v1.2"}]`,
		config.XPU:    `"python-depends": ["einops", "tvm-ffi", "onednn"], "kernel-depends": [{"repo-id": "org/base", "version": 2}]`,
		config.Neuron: `"python-depends": ["einops", "tvm-ffi", "nki"], "kernel-depends": [{"repo-id": "org/base", "version": 2}, {"repo-id": "org/nki-base", "version": 1}]`,
	}
	for _, backend := range config.AllBackends {
		d, ok := depends[backend]
		if !ok {
			d = `"python-depends": ["einops", "tvm-ffi"], "kernel-depends": [{"repo-id": "org/base", "version": 2}]`
		}
		want := `{"name": "meta-check", "id": "_meta_check_` + string(backend) + `_t1", "version": 7, "license": "MIT",
			"upstream": "https://github.com/org/meta-check.git", "source": "git@github.com:org/meta-check-src.git",
			` + d + `, "backend": {"type": "` + string(backend) + `"},
			"provenance": {"kernel-builder": {"version": "build2cmake v1.2.3", "commit": "` + strings.Repeat("a", 40) + `", "dirty": false},
				"kernel": {"commit": "` + strings.Repeat("b", 40) + `", "dirty": true}}}`
		checkJSON(t, "metadata-"+string(backend)+".json", files["metadata-"+string(backend)+".json"], want)
	}
}

// A v3 file has no version and no license: version 1 and NOASSERTION; no
// provenance without one. A noarch build states its architectures up
// front.
func TestTodayMetadataDefaults(t *testing.T) {
	files := renderToday(t, `[general]
name = "old-style"
backends = ["cuda"]

[torch]
src = ["torch-ext/torch_binding.cpp"]

[kernel.k]
backend = "cuda"
depends = ["torch"]
src = ["k/k.cu"]
`, nil)
	checkJSON(t, "metadata-cuda.json", files["metadata-cuda.json"], `{"name": "old-style", "id": "_old_style_cuda_t1",
		"version": 1, "license": "NOASSERTION", "python-depends": [], "kernel-depends": [],
		"backend": {"type": "cuda"}}`)

	files = renderToday(t, `[general]
name = "noarch"
version = 2
license = "MIT"
backends = ["cuda", "rocm"]

[torch-noarch]
cuda_capabilities = ["8.0", "9.0"]
rocm_archs = ["gfx942"]
`, nil)
	checkJSON(t, "metadata-cuda.json", files["metadata-cuda.json"], `{"name": "noarch", "id": "_noarch_cuda_t1",
		"version": 2, "license": "MIT", "python-depends": [], "kernel-depends": [],
		"backend": {"type": "cuda", "archs": ["8.0", "9.0"]}}`)
	checkJSON(t, "metadata-rocm.json", files["metadata-rocm.json"], `{"name": "noarch", "id": "_noarch_rocm_t1",
		"version": 2, "license": "MIT", "python-depends": [], "kernel-depends": [],
		"backend": {"type": "rocm", "archs": ["gfx942"]}}`)
}

// checkJSON compares a JSON document with want, as values.
func checkJSON(t *testing.T, name, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("the expected %s: %v", name, err)
	}
	if !jsonEqual(g, w) {
		ws, _ := json.MarshalIndent(w, "", "  ")
		t.Errorf("%s is\n%s\nwant\n%s", name, got, ws)
	}
	if !strings.HasSuffix(got, "}\n") || strings.HasSuffix(got, "\n\n") {
		t.Errorf("%s does not end with one newline", name)
	}
}

// parseTOML decodes a generated TOML file.
func parseTOML(t *testing.T, name, text string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := toml.Unmarshal([]byte(text), &v); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, text)
	}
	return v
}

// checkTOML compares the value at a dotted path of doc with want, as JSON.
func checkTOML(t *testing.T, doc map[string]any, path string, want string) {
	t.Helper()
	var v any = doc
	for _, key := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			t.Errorf("pyproject.toml has no %s", path)
			return
		}
		v = m[key]
	}
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("the expected %s: %v", path, err)
	}
	if !jsonEqual(v, w) {
		got, _ := json.Marshal(v)
		t.Errorf("pyproject.toml: %s is %s, want %s", path, got, want)
	}
}

// pyproject.toml of a build with kernels: the Python name, the build
// requirements with the pip names of the general python-depends, one extra
// per backend with its own, the kernels_ci marker.
func TestTodayPyprojectValues(t *testing.T) {
	doc := parseTOML(t, "pyproject.toml", renderToday(t, valuesTOML, nil)["pyproject.toml"])
	checkTOML(t, doc, "project.name", `"meta_check"`)
	checkTOML(t, doc, "project.version", `"0.1.0"`)
	checkTOML(t, doc, "project.requires-python", `">=3.9"`)
	checkTOML(t, doc, "build-system.requires",
		`["cmake>=3.26", "ninja", "packaging", "setuptools>=61", "torch", "wheel", "einops", "apache-tvm-ffi"]`)
	checkTOML(t, doc, "build-system.build-backend", `"setuptools.build_meta"`)
	checkTOML(t, doc, "project.optional-dependencies",
		`{"cuda": ["nvidia-cutlass-dsl"], "neuron": ["nki"], "xpu": ["onednn-devel"]}`)
	checkTOML(t, doc, "tool.pytest.ini_options.markers", `["kernels_ci: mark a test as a kernel CI test"]`)
}

// pyproject.toml of a pure-Python build: Torch and the general pip names
// as dependencies, the package found and its data named by the Python
// name, one extra per backend.
func TestTodayNoarchPyprojectValues(t *testing.T) {
	doc := parseTOML(t, "pyproject.toml", renderToday(t, `[general]
name = "layer-norm"
version = 1
license = "MIT"
backends = ["cuda", "xpu"]
python-depends = ["einops"]

[general.xpu]
python-depends = ["onednn"]

[torch-noarch]
pyext = ["py", "json", "bin"]
`, nil)["pyproject.toml"])
	checkTOML(t, doc, "project.name", `"layer_norm"`)
	checkTOML(t, doc, "project.dependencies", `["torch>=2.8", "einops"]`)
	checkTOML(t, doc, "project.optional-dependencies", `{"xpu": ["onednn-devel"]}`)
	checkTOML(t, doc, "tool.setuptools.package-dir", `{"": "torch-ext"}`)
	checkTOML(t, doc, "tool.setuptools.packages.find.include", `["layer_norm*"]`)
	checkTOML(t, doc, "tool.setuptools.package-data", `{"layer_norm": ["**/*.json", "**/*.bin"]}`)
	checkTOML(t, doc, "tool.pytest.ini_options.markers", `["kernels_ci: mark a test as a kernel CI test"]`)
}

// opsPackage writes the generated _ops.py of a build into a package
// folder with "compiled extensions" for the backends built (Python modules
// named like them, which say when they are imported) and returns the
// folder holding the package.
func opsPackage(t *testing.T, files map[string]string, python string, built ...config.Backend) string {
	t.Helper()
	root := t.TempDir()
	pkg := filepath.Join(root, python)
	writeTestFile(t, filepath.Join(pkg, "__init__.py"), "")
	writeTestFile(t, filepath.Join(pkg, "_ops.py"), files["torch-ext/"+python+"/_ops.py"])
	for _, b := range built {
		name := "_" + python + "_" + string(b) + "_t1"
		writeTestFile(t, filepath.Join(pkg, name+".py"), "print('imported "+name+"')\n")
	}
	return root
}

// runOps imports <python>._ops with interpreter and torch and prints what it resolved.
func runOps(t *testing.T, interpreter, root, python string, torch fakeTorch) string {
	t.Helper()
	torchDir := t.TempDir()
	env := torch.install(t, torchDir)
	env[0] += string(os.PathListSeparator) + root // PYTHONPATH
	cmd := exec.Command(interpreter, "-c",
		"from "+python+" import _ops\nprint(_ops.add_op_namespace_prefix('relu'))\nprint(_ops.ops.relu)\n")
	cmd.Env = append(cmakeEnv(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("importing _ops.py: %v\n%s", err, out)
	}
	return string(out)
}

// _ops.py of a build with kernels takes the backend of the extension next
// to it when only one was built (GPU_LANG may have chosen another than
// Torch's), else Torch's, imports that extension and names its ops.
func TestTodayOpsPickBackend(t *testing.T) {
	interpreter := requirePython(t, "types")
	files := renderToday(t, todayBuildTOML, nil)
	cpuTorch := fakeTorch{Version: "2.9.0"}
	cudaTorch := fakeTorch{Version: "2.9.0", CUDA: "12.8"}
	for _, tc := range []struct {
		built []config.Backend
		torch fakeTorch
		want  config.Backend
	}{
		{[]config.Backend{config.CUDA}, cpuTorch, config.CUDA},
		{[]config.Backend{config.CPU}, cudaTorch, config.CPU},
		{[]config.Backend{config.CPU, config.CUDA}, cudaTorch, config.CUDA},
		{[]config.Backend{config.CPU, config.CUDA}, cpuTorch, config.CPU},
		{[]config.Backend{config.ROCm}, fakeTorch{Version: "2.9.0", HIP: "6.4"}, config.ROCm},
		{[]config.Backend{config.XPU, config.CPU}, fakeTorch{Version: "2.9.0", XPU: true}, config.XPU},
	} {
		root := opsPackage(t, files, "today_check", tc.built...)
		ops := "_today_check_" + string(tc.want) + "_t1"
		want := "imported " + ops + "\n" + ops + "::relu\n" + ops + "::relu\n"
		if got := runOps(t, interpreter, root, "today_check", tc.torch); got != want {
			t.Errorf("extensions for %v, Torch %+v: _ops.py printed\n%s\nwant\n%s", tc.built, tc.torch, got, want)
		}
	}
}

// _ops.py of a pure-Python build names the ops after the backend of the
// running Torch.
func TestTodayNoarchOpsPickBackend(t *testing.T) {
	interpreter := requirePython(t, "types")
	files := renderToday(t, `[general]
name = "layer-norm"
version = 1
license = "MIT"
backends = ["cpu", "cuda", "metal", "neuron", "rocm", "tpu", "xpu"]

[torch-noarch]
`, nil)
	root := opsPackage(t, files, "layer_norm")
	for _, c := range append([]struct {
		torch   fakeTorch
		backend config.Backend
		gpuLang string
	}{
		{fakeTorch{Version: "2.9.0", Neuron: true, CUDA: "12.8"}, config.Neuron, ""},
		{fakeTorch{Version: "2.9.0", TPU: true, Neuron: true}, config.TPU, ""},
	}, torchBackendCases...) {
		ops := "_layer_norm_" + string(c.backend) + "_t1"
		want := ops + "::relu\n" + ops + "::relu\n"
		if got := runOps(t, interpreter, root, "layer_norm", c.torch); got != want {
			t.Errorf("Torch %+v: _ops.py printed\n%s\nwant\n%s", c.torch, got, want)
		}
	}
}

// The noarch setup.py's build_kernel lays the package out as
// build/torch-<backend>/ for every listed backend (or those --backends
// names), each with that backend's metadata as metadata.json.
func TestTodayNoarchBuildKernel(t *testing.T) {
	python := requireSetuptools(t)
	dir := t.TempDir()
	buildTOML := `[general]
name = "layer-norm"
version = 1
license = "MIT"
backends = ["cuda", "neuron", "xpu"]

[torch-noarch]
pyext = ["py", "json"]
`
	for path, content := range renderToday(t, buildTOML, nil) {
		writeTestFile(t, filepath.Join(dir, path), content)
	}
	for name, content := range map[string]string{"__init__.py": "", "table.json": "[]\n", "sub/util.py": ""} {
		writeTestFile(t, filepath.Join(dir, "torch-ext", "layer_norm", name), content)
	}
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(python, append([]string{"setup.py", "-q", "build_kernel"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(cmakeEnv(), "PYTHONDONTWRITEBYTECODE=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("setup.py build_kernel %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("--backends", "xpu")
	if got, want := tree(t, filepath.Join(dir, "build")), []string{"torch-xpu/", "torch-xpu/__init__.py", "torch-xpu/_ops.py",
		"torch-xpu/metadata.json", "torch-xpu/sub/", "torch-xpu/sub/util.py", "torch-xpu/table.json"}; !slices.Equal(got, want) {
		t.Errorf("build_kernel --backends xpu wrote\n%q\nwant\n%q", got, want)
	}
	run()
	for _, backend := range []string{"cuda", "neuron", "xpu"} {
		variant := filepath.Join(dir, "build", "torch-"+backend)
		if got, want := readTestFile(t, filepath.Join(variant, "metadata.json")), readTestFile(t, filepath.Join(dir, "metadata-"+backend+".json")); got != want {
			t.Errorf("build/torch-%s/metadata.json is\n%s\nwant metadata-%s.json:\n%s", backend, got, backend, want)
		}
		if got := tree(t, variant); len(got) != 6 {
			t.Errorf("build/torch-%s holds %q", backend, got)
		}
	}
}

// registration.h expands TORCH_EXTENSION_NAME before handing it to Torch's
// registration macros, the stable-ABI ones included, and names the module
// init function after it.
func TestTodayRegistrationMacros(t *testing.T) {
	cxx := testenv.LookPath(t, "c++")
	requirePythonDevelopment(t)
	files := renderToday(t, todayBuildTOML, nil)
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "registration.h"), files["torch-ext/registration.h"])
	writeTestFile(t, filepath.Join(dir, "use.cpp"), `#include "registration.h"
TORCH_LIBRARY_EXPAND(TORCH_EXTENSION_NAME, ops) {}
TORCH_LIBRARY_IMPL_EXPAND(TORCH_EXTENSION_NAME, CPU, ops) {}
STABLE_TORCH_LIBRARY_EXPAND(TORCH_EXTENSION_NAME, ops) {}
STABLE_TORCH_LIBRARY_IMPL_EXPAND(TORCH_EXTENSION_NAME, CUDA, ops) {}
REGISTER_EXTENSION(TORCH_EXTENSION_NAME)
`)
	include, err := exec.Command("/usr/bin/python3", "-c", "import sysconfig; print(sysconfig.get_paths()['include'])").Output()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(cxx, "-E", "-P", "-I"+strings.TrimSpace(string(include)), "-DTORCH_EXTENSION_NAME=_today_check_cpu_t1",
		filepath.Join(dir, "use.cpp"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("preprocessing: %v\n%s", err, out)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{
		"TORCH_LIBRARY(_today_check_cpu_t1, ops) {}",
		"TORCH_LIBRARY_IMPL(_today_check_cpu_t1, CPU, ops) {}",
		"STABLE_TORCH_LIBRARY(_today_check_cpu_t1, ops) {}",
		"STABLE_TORCH_LIBRARY_IMPL(_today_check_cpu_t1, CUDA, ops) {}",
		// PyModuleDef_HEAD_INIT and PyModule_Create are macros too.
		`PyInit__today_check_cpu_t1() { static struct PyModuleDef module_def = {`,
		`}, "_today_check_cpu_t1", nullptr, 0, nullptr}; return PyModule_Create`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("preprocessed registration.h lacks %q:\n%s", want, lastN(text, 600))
		}
	}
}

// lastN returns the last n bytes of s.
func lastN(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
