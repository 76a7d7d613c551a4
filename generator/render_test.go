package generator

import (
	"bytes"
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

// testBuild is a build with one kernel per backend, the way the config
// package produces it.
func testBuild() *config.Build {
	return &config.Build{
		General: config.General{
			Name:          "relu-test",
			Backends:      config.Backends,
			PythonDepends: []string{"einops"},
			CUDA:          &config.CUDAGeneral{PythonDepends: []string{"nvidia-cutlass-dsl"}},
			XPU:           &config.XPUGeneral{PythonDepends: []string{"onednn"}},
		},
		Torch: &config.Torch{
			Src:   []string{"torch-ext/torch_binding.cpp", "torch-ext/torch_binding.h"},
			PyExt: []string{"py", "json"},
		},
		Kernels: []config.Kernel{
			{Name: "relu_cpu", Backend: config.CPU, Depends: []string{"torch"}, Src: []string{"relu_cpu/relu.cpp"}},
			{Name: "relu_cuda", Backend: config.CUDA, Depends: []string{"torch"}, Src: []string{"relu_cuda/relu.cu"}},
			{Name: "relu_metal", Backend: config.Metal, Depends: []string{"torch"}, Src: []string{"relu_metal/relu.mm", "relu_metal/relu.metal"}},
			{Name: "relu_rocm", Backend: config.ROCm, Depends: []string{"torch"}, Src: []string{"relu_cuda/relu.cu"}},
			{Name: "relu_xpu", Backend: config.XPU, Depends: []string{"torch"}, Src: []string{"relu_xpu/relu.cpp"}},
		},
	}
}

func mustRender(t testing.TB, b *config.Build, opts Options) []File {
	t.Helper()
	files, err := Render(b, opts)
	if err != nil {
		t.Fatalf("Render(%s): %v", opts.Backend, err)
	}
	return files
}

func fileMap(files []File) map[string]File {
	m := map[string]File{}
	for _, f := range files {
		m[f.Path] = f
	}
	return m
}

func paths(files []File) []string {
	var ps []string
	for _, f := range files {
		p := f.Path
		if f.Executable {
			p += " (executable)"
		}
		ps = append(ps, p)
	}
	return ps
}

// The files the reference writes per backend (docs/design.md, "Files
// written"), in the order Render returns them.
func TestRenderFiles(t *testing.T) {
	common := []string{"CMakeLists.txt", "cmake/utils.cmake", "metadata.json", "pyproject.toml", "setup.py",
		"torch-ext/registration.h", "torch-ext/relu_test/_ops.py"}
	gpu := []string{"cmake/hipify.py (executable)", "cmake/windows.cmake"}
	metal := []string{"cmake/compile-metal.cmake", "cmake/metallib_to_header.py (executable)"}
	want := map[config.Backend][]string{
		config.CPU:   common,
		config.CUDA:  append(slices.Clone(common), gpu...),
		config.ROCm:  append(slices.Clone(common), gpu...),
		config.Metal: append(slices.Clone(common), metal...),
		config.XPU:   common,
	}
	for _, backend := range config.Backends {
		for _, targetOS := range []string{"linux", "windows", "darwin"} {
			files := mustRender(t, testBuild(), Options{Backend: backend, OpsName: "_relu_test_x", TargetOS: targetOS})
			w := slices.Clone(want[backend])
			slices.SortFunc(w, func(a, b string) int { return strings.Compare(strings.Fields(a)[0], strings.Fields(b)[0]) })
			if got := paths(files); !slices.Equal(got, w) {
				t.Errorf("%s on %s:\n got %q\nwant %q", backend, targetOS, got, w)
			}
		}
	}
}

func TestRenderNoarch(t *testing.T) {
	b := testBuild()
	b.Kernels = nil
	b.General.Name = "silu-and-mul"
	files := mustRender(t, b, Options{Backend: config.CUDA, OpsName: "_silu_and_mul_x", TargetOS: "linux"})
	if got, want := paths(files), []string{"metadata.json", "pyproject.toml", "torch-ext/silu_and_mul/_ops.py"}; !slices.Equal(got, want) {
		t.Fatalf("noarch files: got %q, want %q", got, want)
	}
	m := fileMap(files)
	ops := string(m["torch-ext/silu_and_mul/_ops.py"].Content)
	if strings.Contains(ops, "from . import") || !strings.Contains(ops, "ops = torch.ops._silu_and_mul_x\n") {
		t.Errorf("noarch _ops.py must use the namespace without importing a module:\n%s", ops)
	}
	// The package is the Python name, which dashed names differ from
	// (docs/design.md, "Dashed names work without kernels").
	pyproject := string(m["pyproject.toml"].Content)
	for _, want := range []string{
		`name = "silu_and_mul"`,
		`include = ["silu_and_mul*"]`,
		"silu_and_mul = [\"**/*.json\"]",
		"dependencies = [\n  \"torch>=2.8\",\n  \"einops\",\n  \"nvidia-cutlass-dsl\",\n]",
	} {
		if !strings.Contains(pyproject, want) {
			t.Errorf("noarch pyproject.toml lacks %q:\n%s", want, pyproject)
		}
	}
	if strings.Contains(pyproject, "silu-and-mul") {
		t.Errorf("noarch pyproject.toml uses the dashed name:\n%s", pyproject)
	}
}

func TestRenderMetadata(t *testing.T) {
	want := map[config.Backend]string{
		config.CPU:  `{"python-depends":["einops"]}` + "\n",
		config.CUDA: `{"python-depends":["einops","nvidia-cutlass-dsl"]}` + "\n",
		config.XPU:  `{"python-depends":["einops","onednn-devel"]}` + "\n",
	}
	for backend, w := range want {
		m := fileMap(mustRender(t, testBuild(), Options{Backend: backend, OpsName: "_x", TargetOS: "linux"}))
		if got := string(m["metadata.json"].Content); got != w {
			t.Errorf("%s metadata.json: got %q, want %q", backend, got, w)
		}
	}
	b := testBuild()
	b.General.PythonDepends = nil
	m := fileMap(mustRender(t, b, Options{Backend: config.Metal, OpsName: "_x", TargetOS: "linux"}))
	if got := string(m["metadata.json"].Content); got != `{"python-depends":[]}`+"\n" {
		t.Errorf("metadata.json without dependencies: got %q", got)
	}
}

// Every file whose format has comments starts with the header, after the
// shebang if there is one; clean relies on the marker.
func TestRenderHeaders(t *testing.T) {
	for _, backend := range config.Backends {
		for _, f := range mustRender(t, testBuild(), Options{Backend: backend, OpsName: "_x", TargetOS: "windows"}) {
			content := string(f.Content)
			if f.Path == "metadata.json" {
				if strings.Contains(content, Marker) {
					t.Errorf("metadata.json cannot carry a comment")
				}
				continue
			}
			if first, rest, _ := strings.Cut(content, "\n"); strings.HasPrefix(first, "#!") {
				content = rest
			}
			first, _, _ := strings.Cut(content, "\n")
			if !strings.Contains(first, Marker) || !strings.Contains(content[:200], "`build2cmake generate-torch`") {
				t.Errorf("%s (%s) does not start with the header:\n%s", f.Path, backend, content[:200])
			}
			if f.Executable != strings.HasPrefix(string(f.Content), "#!") {
				t.Errorf("%s: executable is %v but the shebang says otherwise", f.Path, f.Executable)
			}
		}
	}
}

func TestRenderErrors(t *testing.T) {
	noTorch := testBuild()
	noTorch.Torch = nil
	cpuOnly := testBuild()
	cpuOnly.General.Backends = []config.Backend{config.CPU}
	cases := []struct {
		name  string
		build *config.Build
		opts  Options
		want  string
	}{
		{"unknown backend", testBuild(), Options{Backend: "tpu", OpsName: "_x"},
			`unknown backend "tpu"; expected one of cpu, cuda, metal, rocm, xpu`},
		{"no ops name", testBuild(), Options{Backend: config.CPU}, "no ops name given"},
		{"backend not listed", cpuOnly, Options{Backend: config.CUDA, OpsName: "_x"},
			`kernel does not support backend "cuda": general.backends lists cpu`},
		{"no torch table", noTorch, Options{Backend: config.CPU, OpsName: "_x"},
			"build.toml has no [torch] table, which a build with kernels needs"},
	}
	for _, c := range cases {
		files, err := Render(c.build, c.opts)
		if err == nil || err.Error() != c.want || files != nil {
			t.Errorf("%s: got %v (%d files), want error %q", c.name, err, len(files), c.want)
		}
	}
}

// shuffledBuild returns a build of n CUDA kernels with several dependencies,
// its kernels and each kernel's depends in an order chosen by seed.
func shuffledBuild(n int, seed uint64) *config.Build {
	r := rand.New(rand.NewPCG(seed, seed))
	b := testBuild()
	b.Kernels = nil
	deps := []string{"torch", "cutlass_3_6", "cutlass_3_8", "metal-cpp", "cutlass_sycl"}
	for i := range n {
		k := config.Kernel{
			Name:    fmt.Sprintf("kernel_%03d", i),
			Backend: config.CUDA,
			Src:     []string{fmt.Sprintf("k%03d/k.cu", i)},
			Depends: slices.Clone(deps[:1+i%len(deps)]),
		}
		if i%3 == 0 {
			k.CUDACapabilities = []string{"8.0", "9.0a", "9.0+PTX"}
		}
		r.Shuffle(len(k.Depends), func(i, j int) { k.Depends[i], k.Depends[j] = k.Depends[j], k.Depends[i] })
		b.Kernels = append(b.Kernels, k)
	}
	r.Shuffle(len(b.Kernels), func(i, j int) { b.Kernels[i], b.Kernels[j] = b.Kernels[j], b.Kernels[i] })
	return b
}

// The same build gives the same bytes, whatever the order of its kernels
// and dependencies; the reference iterated hash maps (docs/design.md,
// "Same input, same output").
func TestRenderIsDeterministic(t *testing.T) {
	opts := Options{Backend: config.CUDA, OpsName: "_relu_test_x", TargetOS: "linux"}
	want := mustRender(t, shuffledBuild(40, 1), opts)
	for seed := uint64(1); seed <= 8; seed++ {
		got := mustRender(t, shuffledBuild(40, seed), opts)
		if len(got) != len(want) {
			t.Fatalf("seed %d: %d files, want %d", seed, len(got), len(want))
		}
		for i := range got {
			if got[i].Path != want[i].Path || !bytes.Equal(got[i].Content, want[i].Content) {
				t.Errorf("seed %d: %s differs from the first rendering", seed, got[i].Path)
			}
		}
	}

	cmakeLists := string(fileMap(want)["CMakeLists.txt"].Content)
	var kernels []string
	for _, line := range strings.Split(cmakeLists, "\n") {
		if name, ok := strings.CutPrefix(line, "kernel_cuda("); ok {
			kernels = append(kernels, strings.Fields(name)[0])
		}
	}
	if len(kernels) != 40 || !slices.IsSorted(kernels) {
		t.Errorf("kernels are not in name order: %q", kernels)
	}
	// Dependencies in the order of config.Dependencies, each once; metal-cpp
	// and cutlass_sycl cannot be used by CUDA kernels and are left out.
	deps := "\nkernel_dependency_cutlass(VERSION 3.6.0)\n\nkernel_dependency_cutlass(VERSION 3.8.0)\n\nkernel_torch_binding("
	if !strings.Contains(cmakeLists, deps) || strings.Count(cmakeLists, "kernel_dependency_") != 2 {
		t.Errorf("dependencies are not each once in table order:\n%s", cmakeLists[:min(len(cmakeLists), 1200)])
	}
}

func TestRenderDependencies(t *testing.T) {
	b := testBuild()
	for i := range b.Kernels {
		b.Kernels[i].Depends = []string{"torch", "cutlass_sycl", "metal-cpp", "cutlass_4_0"}
	}
	want := map[config.Backend][]string{
		config.CPU:   nil,
		config.CUDA:  {"kernel_dependency_cutlass(VERSION 4.0.0)"},
		config.ROCm:  {"kernel_dependency_cutlass(VERSION 4.0.0)"},
		config.Metal: nil, // metal-cpp comes with the toolchain
		config.XPU:   {"kernel_dependency_cutlass_sycl()"},
	}
	for _, backend := range config.Backends {
		cmakeLists := string(fileMap(mustRender(t, b, Options{Backend: backend, OpsName: "_x", TargetOS: "linux"}))["CMakeLists.txt"].Content)
		var got []string
		for _, line := range strings.Split(cmakeLists, "\n") {
			if strings.HasPrefix(line, "kernel_dependency_") {
				got = append(got, line)
			}
		}
		if !slices.Equal(got, want[backend]) {
			t.Errorf("%s: got %q, want %q", backend, got, want[backend])
		}
	}
}

// The CMakeLists.txt of each backend: preamble data from the backend table,
// one call per kernel of that backend only.
func TestRenderCMakeListsPerBackend(t *testing.T) {
	b := testBuild()
	b.Torch.MinVer = config.MustParseVersion("2.8")
	b.Torch.MaxVer = config.MustParseVersion("2.10.0")
	b.General.CUDA.MinVer = config.MustParseVersion("12.0")
	b.General.CUDA.MaxVer = config.MustParseVersion("13.0")
	cases := map[config.Backend][]string{
		config.CPU: {
			"set(CMAKE_OSX_DEPLOYMENT_TARGET \"15.0\" CACHE STRING \"Oldest macOS version to support\")\nproject(relu-test LANGUAGES CXX)\n",
			"kernel_setup(cpu TORCH_MINVER 2.8 TORCH_MAXVER 2.10)\nadd_compile_definitions(CPU_KERNEL)\n",
			"\nkernel_cpu(relu_cpu SOURCES \"relu_cpu/relu.cpp\")\n",
		},
		config.CUDA: {
			"\nproject(relu-test LANGUAGES CXX)\n",
			// Longer than a line: one keyword per line.
			"kernel_setup(cuda\n  TORCH_MINVER 2.8\n  TORCH_MAXVER 2.10\n  CUDA_MINVER 12\n  CUDA_MAXVER 13)\n" +
				"if(KERNEL_SKIP)\n  return()\nendif()\nadd_compile_definitions(CUDA_KERNEL)\n",
			"\nkernel_cuda(relu_cuda SOURCES \"relu_cuda/relu.cu\")\n",
		},
		config.ROCm: {
			// general.cuda bounds are for CUDA only.
			"kernel_setup(rocm TORCH_MINVER 2.8 TORCH_MAXVER 2.10)\nif(KERNEL_SKIP)\n  return()\nendif()\nadd_compile_definitions(ROCM_KERNEL)\n",
			"\nkernel_rocm(relu_rocm SOURCES \"relu_cuda/relu.cu\")\n",
		},
		config.Metal: {
			"include(${CMAKE_CURRENT_LIST_DIR}/cmake/utils.cmake)\ninclude(${CMAKE_CURRENT_LIST_DIR}/cmake/compile-metal.cmake)\n",
			"set(CMAKE_OSX_DEPLOYMENT_TARGET \"26.0\" CACHE STRING \"Oldest macOS version to support\")\nproject(relu-test LANGUAGES CXX C OBJC OBJCXX)\n",
			"add_compile_definitions(METAL_KERNEL)\n",
			"\nkernel_metal(relu_metal SOURCES \"relu_metal/relu.mm\" \"relu_metal/relu.metal\")\n",
		},
		config.XPU: {
			"\nkernel_use_intel_compilers()\nproject(relu-test LANGUAGES C CXX)\n",
			"add_compile_definitions(XPU_KERNEL USE_XPU)\n",
			"\nkernel_xpu(relu_xpu SOURCES \"relu_xpu/relu.cpp\")\n",
		},
	}
	for backend, wants := range cases {
		cmakeLists := string(fileMap(mustRender(t, b, Options{Backend: backend, OpsName: "_relu_test_x", TargetOS: "linux"}))["CMakeLists.txt"].Content)
		for _, want := range wants {
			if !strings.Contains(cmakeLists, want) {
				t.Errorf("%s CMakeLists.txt lacks %q:\n%s", backend, want, cmakeLists)
			}
		}
		if n := strings.Count(cmakeLists, "\nkernel_"+string(backend)+"("); n != 1 {
			t.Errorf("%s CMakeLists.txt has %d kernel calls, want the backend's one kernel", backend, n)
		}
		if !strings.HasSuffix(cmakeLists, "\nkernel_extension(_relu_test_x)\n") {
			t.Errorf("%s CMakeLists.txt does not end with the extension:\n%s", backend, cmakeLists)
		}
	}
}

// Windows rendering applies to cuda and rocm only; rocm defines USE_ROCM=1
// (the reference tested GPU instead of GPU_LANG and never did;
// docs/design.md, "Messages that say what they mean").
func TestRenderWindows(t *testing.T) {
	for _, backend := range config.Backends {
		cmakeLists := string(fileMap(mustRender(t, testBuild(), Options{Backend: backend, OpsName: "_relu_test_x", TargetOS: "windows"}))["CMakeLists.txt"].Content)
		windows := strings.Contains(cmakeLists, "windows.cmake")
		install := strings.HasSuffix(cmakeLists, "kernel_extension(_relu_test_x)\nkernel_windows_install(_relu_test_x PACKAGE relu_test)\n")
		switch backend {
		case config.CUDA, config.ROCm:
			define := map[config.Backend]string{config.CUDA: "CUDA_KERNEL USE_CUDA=1", config.ROCm: "ROCM_KERNEL USE_ROCM=1"}[backend]
			if !windows || !install || !strings.Contains(cmakeLists, "add_compile_definitions("+define+")\n") {
				t.Errorf("%s on Windows lacks the Windows additions:\n%s", backend, cmakeLists)
			}
		default:
			if windows || strings.Contains(cmakeLists, "kernel_windows_install") {
				t.Errorf("%s on Windows has Windows additions:\n%s", backend, cmakeLists)
			}
		}
	}
}

func TestKernelCallLayout(t *testing.T) {
	b := testBuild()
	b.Kernels = []config.Kernel{{
		Name:             "attention",
		Backend:          config.CUDA,
		Src:              []string{"attention/attention.cu", "attention/attention_kernel.cuh", "attention/dtype_bfloat16.cuh", "attention/dtype_float16.cuh"},
		Include:          []string{"attention/include", "third party/\"quoted\" $dir"},
		CXXFlags:         []string{"-DFOO=1"},
		CUDACapabilities: []string{"8.0", "9.0a", "9.0+PTX"},
		CUDAFlags:        []string{"-lineinfo", "--use_fast_math"},
		CUDAMinVer:       config.MustParseVersion("12.8"),
	}, {
		Name:    "my kernel",
		Backend: config.CUDA,
		Src:     []string{"a.cu"},
	}}
	cmakeLists := string(fileMap(mustRender(t, b, Options{Backend: config.CUDA, OpsName: "_x", TargetOS: "linux"}))["CMakeLists.txt"].Content)
	want := `
kernel_cuda(attention
  SOURCES
    "attention/attention.cu"
    "attention/attention_kernel.cuh"
    "attention/dtype_bfloat16.cuh"
    "attention/dtype_float16.cuh"
  INCLUDES "attention/include" "third party/\"quoted\" \$dir"
  CXX_FLAGS "-DFOO=1"
  CUDA_CAPABILITIES "8.0" "9.0a" "9.0+PTX"
  CUDA_FLAGS "-lineinfo" "--use_fast_math"
  CUDA_MINVER 12.8)

kernel_cuda("my kernel" SOURCES "a.cu")

kernel_extension(_x)
`
	if !strings.HasSuffix(cmakeLists, want) {
		t.Errorf("kernel calls:\n%s\nwant them to end with:\n%s", cmakeLists, want)
	}
}

// Each default and supported capability must be one build2cmake knows, so
// that the lint of cuda-capabilities and the generated CMake agree; the
// defaults are supported capabilities, and today's layout builds all of
// them, as today's kernel-builder does.
func TestCUDADefaultsAreKnownCapabilities(t *testing.T) {
	bases := func(caps []string) []string {
		var out []string
		for _, c := range caps {
			out = append(out, strings.TrimSuffix(c, "+PTX"))
		}
		return out
	}
	for i, d := range cudaDefaultCapabilities {
		if (d.MinNVCC == "") != (i == len(cudaDefaultCapabilities)-1) {
			t.Errorf("entry %d: only the last entry may have no MinNVCC", i)
		}
		for _, c := range slices.Concat(d.Supported, d.Capabilities, d.VariantCapabilities) {
			cap, err := config.ParseCUDACapability(c)
			if err != nil || !cap.Known() || cap.Suffix != "" {
				t.Errorf("nvcc %s capability %q is not a known plain capability (%v)", d.MinNVCC, c, err)
			}
		}
		if !slices.IsSortedFunc(d.Supported, compareCapabilities) {
			t.Errorf("nvcc %s: supported capabilities %q are not in ascending order", d.MinNVCC, d.Supported)
		}
		for _, c := range bases(d.Capabilities) {
			if !slices.Contains(d.Supported, c) {
				t.Errorf("nvcc %s: default %s is not a supported capability", d.MinNVCC, c)
			}
		}
		variant := d.VariantCapabilities
		if variant == nil {
			variant = d.Capabilities
		}
		if !slices.Equal(bases(variant), d.Supported) {
			t.Errorf("nvcc %s: today's defaults %q are not the supported capabilities %q", d.MinNVCC, variant, d.Supported)
		}
	}
}

// compareCapabilities orders plain capabilities as versions.
func compareCapabilities(a, b string) int {
	ca, _ := config.ParseCUDACapability(a)
	cb, _ := config.ParseCUDACapability(b)
	return cmp.Or(cmp.Compare(ca.Major, cb.Major), cmp.Compare(ca.Minor, cb.Minor))
}

// The per-backend constants at the top of setup.py, written down here
// rather than derived from backendSpecs, so that a change to the table shows.
func TestSetupData(t *testing.T) {
	want := map[config.Backend]struct{ launchers, nvccThreads string }{
		config.CPU:   {`["CXX"]`, "False"},
		config.CUDA:  {`["CXX", "CUDA"]`, "True"},
		config.Metal: {`["C", "CXX", "OBJC", "OBJCXX"]`, "False"},
		config.ROCm:  {`["CXX", "HIP"]`, "False"},
		config.XPU:   {`["C", "CXX"]`, "False"},
	}
	if len(want) != len(config.Backends) {
		t.Fatalf("the table covers %d backends, there are %d", len(want), len(config.Backends))
	}
	for _, backend := range config.Backends {
		setup := string(fileMap(mustRender(t, testBuild(), Options{Backend: backend, OpsName: "_relu_test_x", TargetOS: "linux"}))["setup.py"].Content)
		for _, line := range []string{
			"PYTHON_NAME = \"relu_test\"\n",
			"OPS_NAME = \"_relu_test_x\"\n",
			"BACKEND = \"" + string(backend) + "\"\n",
			"LAUNCHER_LANGUAGES = " + want[backend].launchers + "\n",
			"USES_NVCC_THREADS = " + want[backend].nvccThreads + "\n",
			"PACKAGE_DATA = [\"**/*.json\"]\n",
		} {
			if !strings.Contains(setup, "\n"+line) {
				t.Errorf("%s setup.py lacks the line %q", backend, line)
			}
		}
	}
}

func TestPyprojectBuildRequires(t *testing.T) {
	pyproject := string(fileMap(mustRender(t, testBuild(), Options{Backend: config.XPU, OpsName: "_x", TargetOS: "linux"}))["pyproject.toml"].Content)
	want := `[build-system]
requires = [
  "cmake>=3.26",
  "ninja",
  "packaging",
  "setuptools>=61",
  "torch",
  "wheel",
  "einops",
  "onednn-devel",
]
build-backend = "setuptools.build_meta"
`
	if !strings.HasSuffix(pyproject, want) {
		t.Errorf("pyproject.toml:\n%s\nwant it to end with:\n%s", pyproject, want)
	}
}

// BenchmarkRender renders builds of growing size; ns/op should grow
// linearly with the number of kernels.
func BenchmarkRender(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		build := testBuild()
		build.Kernels = nil
		for i := range n {
			build.Kernels = append(build.Kernels, config.Kernel{
				Name:             fmt.Sprintf("kernel_%05d", i),
				Backend:          config.CUDA,
				Depends:          []string{"torch", "cutlass_3_6"},
				Src:              []string{fmt.Sprintf("kernels/k%05d/kernel.cu", i), fmt.Sprintf("kernels/k%05d/kernel.h", i)},
				Include:          []string{"include"},
				CUDACapabilities: []string{"8.0", "9.0+PTX"},
			})
		}
		opts := Options{Backend: config.CUDA, OpsName: "_relu_test_x", TargetOS: "linux"}
		b.Run(fmt.Sprintf("kernels=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Render(build, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
