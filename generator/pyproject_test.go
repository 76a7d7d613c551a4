package generator

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

var updatePyproject = flag.Bool("update", false, "rewrite testdata/pyproject/*/expected")

func u64(n uint64) *uint64 { return &n }

// pyprojectCases are builds of today's formats made in Go, for the facts
// that v1–v3 files cannot state: a per-backend stable-ABI table, [torch]
// cxx-flags, kernel-depends, version, license, upstream, a [torch-noarch]
// table with architectures. Each renders into testdata/pyproject/<name>.
var pyprojectCases = map[string]*config.Build{
	"stable-abi-table": {
		General: config.General{
			Name: "activation", Version: u64(2), License: "Apache-2.0",
			Upstream: "https://github.com/vllm-project/vllm",
			Backends: []config.Backend{config.CPU, config.CUDA, config.ROCm},
			KernelDepends: []config.KernelDependency{
				{RepoID: "kernels-community/relu", Version: u64(1)},
			},
			CUDA: &config.CUDAGeneral{
				KernelDepends: []config.KernelDependency{{RepoID: "kernels-community/cutlass-gemm", Revision: "main"}},
			},
		},
		Framework: config.FrameworkTorch,
		Torch: &config.Torch{
			Src:      []string{"torch-ext/torch_binding.cpp"},
			CXXFlags: []string{"-DACTIVATION_STABLE", "-O3"},
			StableABI: &config.StableABI{PerBackend: map[config.Backend]config.Version{
				config.CUDA: config.MustParseVersion("2.10"),
				config.CPU:  config.MustParseVersion("2.11"),
			}},
		},
		Kernels: []config.Kernel{
			{Name: "act_cuda", Backend: config.CUDA, Src: []string{"act/act.cu"}, CUDACapabilities: []string{"8.0", "10.0f", "12.0+PTX"}},
			{Name: "act_cpu", Backend: config.CPU, Src: []string{"act/act_cpu.cpp"}, CXXFlags: []string{"-march=native"}},
			{Name: "act_rocm", Backend: config.ROCm, Src: []string{"act/act.cu"}, ROCmArchs: []string{"gfx942"}},
		},
	},
	"stable-abi-all": {
		General: config.General{
			Name: "relu", Version: u64(1), License: "MIT",
			Backends: []config.Backend{config.CPU, config.CUDA},
		},
		Framework: config.FrameworkTorch,
		Torch: &config.Torch{
			Src:       []string{"torch-ext/torch_binding.cpp"},
			StableABI: &config.StableABI{All: config.MustParseVersion("2.10")},
		},
		Kernels: []config.Kernel{
			{Name: "relu_cpu", Backend: config.CPU, Src: []string{"relu_cpu/relu.cpp"}},
			{Name: "relu_cuda", Backend: config.CUDA, Src: []string{"relu_cuda/relu.cu"}},
		},
	},
	"noarch-archs": {
		General: config.General{
			Name: "triton-layer-norm", Version: u64(3), License: "BSD-3-Clause",
			Source:        "git@github.com:example/triton-layer-norm.git",
			Backends:      []config.Backend{config.CUDA, config.Neuron, config.ROCm},
			PythonDepends: []string{"einops"},
			CUDA:          &config.CUDAGeneral{PythonDepends: []string{"nvidia-cutlass-dsl"}},
		},
		Framework: config.FrameworkTorchNoarch,
		TorchNoarch: &config.TorchNoarch{
			PyExt:            []string{"py", "json"},
			CUDACapabilities: []string{"8.0", "9.0"},
			ROCmArchs:        []string{"gfx942"},
		},
	},
}

func TestRenderPyprojectGolden(t *testing.T) {
	for name, b := range pyprojectCases {
		t.Run(name, func(t *testing.T) {
			files, err := RenderPyproject(b, PyprojectOptions{
				UniqueID: "golden1",
				Provenance: &Provenance{
					BuilderVersion: "build2cmake v0.0.0-test",
					Builder:        &GitState{Commit: strings.Repeat("a", 40)},
					Kernel:         &GitState{Commit: strings.Repeat("b", 40), Dirty: true},
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join("testdata", "pyproject", name)
			// The shipped modules and registration.h do not depend on the
			// build; internal/cli's golden cases check their content once
			// (testdata/shared). Here only their paths are pinned, in
			// files.txt with every other path.
			static := func(p string) bool { return strings.HasPrefix(p, "cmake/") || p == "torch-ext/registration.h" }
			var paths []string
			for _, f := range files {
				paths = append(paths, f.Path)
			}
			if *updatePyproject {
				os.RemoveAll(dir)
				for _, f := range files {
					if static(f.Path) {
						continue
					}
					full := filepath.Join(dir, filepath.FromSlash(f.Path))
					os.MkdirAll(filepath.Dir(full), 0o755)
					if err := os.WriteFile(full, f.Content, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				if err := os.WriteFile(filepath.Join(dir, "files.txt"), []byte(strings.Join(paths, "\n")+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			list, err := os.ReadFile(filepath.Join(dir, "files.txt"))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(paths, "\n") + "\n"; got != string(list) {
				t.Errorf("files differ from %s/files.txt:\n%s", dir, firstDifference(string(list), got))
			}
			want := map[string]string{}
			filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && d.Name() != "files.txt" {
					data, _ := os.ReadFile(p)
					rel, _ := filepath.Rel(dir, p)
					want[filepath.ToSlash(rel)] = string(data)
				}
				return nil
			})
			for _, f := range files {
				if static(f.Path) {
					continue
				}
				w, ok := want[f.Path]
				if !ok {
					t.Errorf("unexpected file %s", f.Path)
					continue
				}
				delete(want, f.Path)
				if w != string(f.Content) {
					t.Errorf("%s differs (go test ./generator -run TestRenderPyprojectGolden -update rewrites it):\n%s",
						f.Path, firstDifference(w, string(f.Content)))
				}
			}
			for p := range want {
				t.Errorf("missing file %s", p)
			}
		})
	}
}

func TestRenderPyprojectRejects(t *testing.T) {
	b := pyprojectCases["stable-abi-all"]
	for _, tc := range []struct {
		build *config.Build
		id    string
		want  string
	}{
		{b, "a-b", `invalid unique id "a-b": use letters, digits and _ only`},
		{b, "", `invalid unique id "": use letters, digits and _ only`},
		{&config.Build{General: config.General{Name: "x", Backends: []config.Backend{config.CUDA}}, Framework: config.FrameworkTVMFFI},
			"id", "build.toml has no [tvm-ffi] table"},
		{&config.Build{General: config.General{Name: "x", Backends: []config.Backend{config.Neuron}}, Framework: config.FrameworkTVMFFI, TVMFFI: &config.TVMFFI{}},
			"id", "general.backends (neuron) lists no backend a [tvm-ffi] kernel can be built for; list cpu, cuda, metal, rocm or xpu"},
		{&config.Build{General: config.General{Name: "x", Backends: []config.Backend{config.CPU}}, Framework: config.FrameworkTVMFFI, TVMFFI: &config.TVMFFI{},
			Kernels: []config.Kernel{{Name: "k", Backend: config.CUDA}}},
			"id", `kernel "k" is for backend "cuda", which general.backends does not list (cpu)`},
	} {
		_, err := RenderPyproject(tc.build, PyprojectOptions{UniqueID: tc.id})
		if err == nil || err.Error() != tc.want {
			t.Errorf("id %q: error %v, want %q", tc.id, err, tc.want)
		}
	}
}

// firstDifference shows the first line where want and got differ.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + itoa(i+1) + ":\n- " + wl + "\n+ " + gl
		}
	}
	return "(same lines)"
}
