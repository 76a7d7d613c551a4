package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDetectFormat(t *testing.T) {
	tests := []struct {
		name, text string
		want       Format
	}{
		{"v1 name only", "[general]\nname = \"x\"\n", V1},
		{"v1 kernel without backend", "[general]\nname = \"x\"\n[kernel.k]\nsrc = [\"k.cu\"]\ndepends = []\n", V1},
		{"v1 torch universal", "[general]\nname = \"x\"\n[torch]\nuniversal = true\n", V1},
		{"v2 universal", "[general]\nname = \"x\"\nuniversal = false\n", V2},
		{"v2 kernel with backend", "[general]\nname = \"x\"\n[kernel.k]\nbackend = \"cpu\"\nsrc = []\ndepends = []\n", V2},
		{"v2 cuda-minver", "[general]\nname = \"x\"\ncuda-minver = \"12.4\"\n", V2},
		{"v3 backends", "[general]\nname = \"x\"\nbackends = [\"cpu\"]\n", V3},
		{"v3 empty backends", "[general]\nname = \"x\"\nbackends = []\n", V3},
		{"v3 torch bounds", "[general]\nname = \"x\"\nbackends = []\n[torch]\nminver = \"2.9\"\n", V3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustParse(t, tt.text).Format; got != tt.want {
				t.Errorf("format v%d, want v%d", got, tt.want)
			}
		})
	}
}

// TestTestdataFormats loads every realistic input in testdata/config; the
// folder a file sits in names its format.
func TestTestdataFormats(t *testing.T) {
	want := map[string]Format{"v1": V1, "v2": V2, "v3": V3, "examples": V3}
	files, _ := filepath.Glob(filepath.Join(repoTestdata, "config", "*", "*.toml"))
	if len(files) < 15 {
		t.Fatalf("found only %d testdata files", len(files))
	}
	for _, f := range files {
		dir := filepath.Base(filepath.Dir(f))
		t.Run(dir+"/"+filepath.Base(f), func(t *testing.T) {
			l, err := Load(f)
			if err != nil {
				t.Fatal(err)
			}
			if l.Format != want[dir] {
				t.Errorf("format v%d, want v%d", l.Format, want[dir])
			}
		})
	}
}

// TestReferenceExamples loads the early-2026 tool's examples and today's
// real files (testdata/config/examples and testdata/config/today, see the
// NOTICE there): real files must be accepted, in the format they are
// written in, and convert to edition 5 without losing anything.
func TestReferenceExamples(t *testing.T) {
	edition5 := map[string]bool{"activation": true, "einops": true, "flash-attn2": true, "natten": true, "nvfp4-gemm": true}
	files, _ := filepath.Glob(filepath.Join(repoTestdata, "config", "today", "*", "build.toml"))
	if len(files) < 30 {
		t.Fatalf("found only %d of today's files", len(files))
	}
	for _, f := range files {
		name := filepath.Base(filepath.Dir(f))
		t.Run(name, func(t *testing.T) {
			l, err := Load(f)
			if err != nil {
				t.Fatal(err)
			}
			want := V4
			if edition5[name] || strings.HasPrefix(name, "example-") && name != "example-relu-archs-subset" {
				want = Edition5
			}
			if l.Format != want {
				t.Errorf("format v%d, want v%d", l.Format, want)
			}
			b5, err := ToEdition5(l.Build, l.Format, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			back := mustParse(t, string(EncodeEdition5(b5)))
			checkBuild(t, back.Build, l.Build)
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "build.toml"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("got %v, want a wrapped not-exist error", err)
	}
	var errs Errors
	if errors.As(err, &errs) {
		t.Errorf("an I/O failure must not look like bad input")
	}
}

func TestConvert(t *testing.T) {
	all := []Backend{CPU, CUDA, Metal, ROCm, XPU}
	tests := []struct {
		name, text string
		format     Format
		want       *Build
	}{
		{
			name:   "v1 cuda-hipify adds a ROCm twin",
			format: V1,
			text: `[general]
name = "relu-kernels"
[torch]
src = ["torch-ext/torch_binding.cpp"]
pyext = ["py", "json"]
[kernel.relu]
language = "cuda-hipify"
cuda-capabilities = ["8.0"]
rocm-archs = ["gfx942"]
include = ["inc"]
src = ["relu.cu"]
depends = ["torch"]
`,
			want: &Build{
				General: General{Name: "relu-kernels", Backends: []Backend{CUDA, ROCm}},
				Torch:   &Torch{Src: []string{"torch-ext/torch_binding.cpp"}, PyExt: []string{"py", "json"}},
				Kernels: []Kernel{
					{Name: "relu", Backend: CUDA, Depends: []string{"torch"}, Src: []string{"relu.cu"}, Include: []string{"inc"}, CUDACapabilities: []string{"8.0"}},
					{Name: "relu_rocm", Backend: ROCm, Depends: []string{"torch"}, Src: []string{"relu.cu"}, Include: []string{"inc"}, ROCmArchs: []string{"gfx942"}},
				},
			},
		},
		{
			name:   "v1 metal language gives a Metal kernel",
			format: V1,
			text: `[general]
name = "m"
[kernel.relu_metal]
language = "metal"
src = ["relu.metal", "relu.mm"]
depends = ["torch", "metal-cpp"]
`,
			want: &Build{
				General: General{Name: "m", Backends: []Backend{Metal}},
				Kernels: []Kernel{{Name: "relu_metal", Backend: Metal, Depends: []string{"torch", "metal-cpp"}, Src: []string{"relu.metal", "relu.mm"}}},
			},
		},
		{
			name:   "v1 universal means every backend",
			format: V1,
			text: `[general]
name = "u"
[torch]
universal = true
[kernel.b]
src = ["b.cu"]
depends = []
[kernel.a]
language = "cuda"
src = ["a.cu"]
depends = ["torch"]
`,
			want: &Build{
				General: General{Name: "u", Backends: all},
				Torch:   &Torch{},
				Kernels: []Kernel{
					{Name: "a", Backend: CUDA, Depends: []string{"torch"}, Src: []string{"a.cu"}},
					{Name: "b", Backend: CUDA, Src: []string{"b.cu"}},
				},
			},
		},
		{
			name:   "v2 universal keeps cuda bounds and python-depends",
			format: V2,
			text: `[general]
name = "dsl"
universal = true
cuda-minver = "12.4.0"
cuda-maxver = "12.9"
python-depends = ["nvidia-cutlass-dsl", "einops"]
hub = { repo-id = "org/dsl" }
`,
			want: &Build{
				General: General{
					Name: "dsl", Backends: all,
					Hub:           &Hub{RepoID: ptr("org/dsl")},
					PythonDepends: []string{"einops"},
					CUDA:          &CUDAGeneral{MinVer: Version{12, 4}, MaxVer: Version{12, 9}, PythonDepends: []string{"nvidia-cutlass-dsl"}},
				},
			},
		},
		{
			name:   "v2 einops alone needs no cuda table",
			format: V2,
			text:   "[general]\nname = \"e\"\npython-depends = [\"einops\"]\n",
			want:   &Build{General: General{Name: "e", PythonDepends: []string{"einops"}}},
		},
		{
			name:   "v2 backends come from the kernels",
			format: V2,
			text: `[general]
name = "pb"
universal = false
[torch]
minver = "2.8.0"
[kernel.x]
backend = "xpu"
depends = ["torch"]
src = ["x.cpp"]
sycl-flags = ["-O2"]
[kernel.c]
backend = "cuda"
depends = ["torch"]
src = ["c.cu"]
cuda-minver = "12.8"
cuda-flags = ["-lineinfo"]
cxx-flags = ["-O3"]
[kernel.r]
backend = "rocm"
depends = ["torch"]
src = ["c.cu"]
hip-flags = ["-O3"]
[kernel.c2]
backend = "cuda"
depends = []
src = []
`,
			want: &Build{
				General: General{Name: "pb", Backends: []Backend{CUDA, ROCm, XPU}},
				Torch:   &Torch{MinVer: Version{2, 8}},
				Kernels: []Kernel{
					{Name: "c", Backend: CUDA, Depends: []string{"torch"}, Src: []string{"c.cu"}, CXXFlags: []string{"-O3"}, CUDAFlags: []string{"-lineinfo"}, CUDAMinVer: Version{12, 8}},
					{Name: "c2", Backend: CUDA},
					{Name: "r", Backend: ROCm, Depends: []string{"torch"}, Src: []string{"c.cu"}, HIPFlags: []string{"-O3"}},
					{Name: "x", Backend: XPU, Depends: []string{"torch"}, Src: []string{"x.cpp"}, SYCLFlags: []string{"-O2"}},
				},
			},
		},
		{
			name:   "v3 keeps every key",
			format: V3,
			text: `[general]
name = "full-kit"
backends = ["xpu", "cuda", "cuda"]
python-depends = ["einops"]
[general.cuda]
minver = "12.6"
python-depends = ["nvidia-cutlass-dsl"]
[general.xpu]
python-depends = ["onednn"]
[general.hub]
branch = "dev"
[torch]
src = ["b.cpp"]
include = ["inc"]
maxver = "2.10"
[kernel.k]
backend = "cuda"
depends = ["cutlass_3_9"]
src = ["k.cu"]
cuda-capabilities = []
`,
			want: &Build{
				General: General{
					Name: "full-kit", Backends: []Backend{CUDA, XPU},
					Hub:           &Hub{Branch: ptr("dev")},
					PythonDepends: []string{"einops"},
					CUDA:          &CUDAGeneral{MinVer: Version{12, 6}, PythonDepends: []string{"nvidia-cutlass-dsl"}},
					XPU:           &XPUGeneral{PythonDepends: []string{"onednn"}},
				},
				Torch: &Torch{Src: []string{"b.cpp"}, Include: []string{"inc"}, MaxVer: Version{2, 10}},
				Kernels: []Kernel{
					{Name: "k", Backend: CUDA, Depends: []string{"cutlass_3_9"}, Src: []string{"k.cu"}, CUDACapabilities: []string{}},
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := mustParse(t, tt.text)
			if l.Format != tt.format {
				t.Errorf("format v%d, want v%d", l.Format, tt.format)
			}
			checkBuild(t, l.Build, tt.want)
		})
	}
}

func TestPythonName(t *testing.T) {
	l := mustParse(t, "[general]\nname = \"silu-and-mul\"\nbackends = []\n")
	if got := l.Build.General.PythonName(); got != "silu_and_mul" {
		t.Errorf("python name %q", got)
	}
}

func TestKernelPositions(t *testing.T) {
	l := mustParse(t, `[general]
name = "p"

[kernel.relu]
language = "cuda-hipify"
src = []
depends = []

  [ kernel.gelu ]
src = []
depends = []
`)
	want := map[string]Position{
		"relu":      {Line: 4, Col: 1},
		"relu_rocm": {Line: 4, Col: 1},
		"gelu":      {Line: 9, Col: 3},
	}
	if len(l.KernelPos) != len(want) {
		t.Errorf("positions %v, want %v", l.KernelPos, want)
	}
	for name, pos := range want {
		if l.KernelPos[name] != pos {
			t.Errorf("%s at %v, want %v", name, l.KernelPos[name], pos)
		}
	}
}

// TestInputLimits: a UTF-8 byte order mark is accepted and positions stay
// those an editor shows; a file above MaxFileSize is refused before it is
// read whole.
func TestInputLimits(t *testing.T) {
	_, err := Parse("build.toml", []byte("\uFEFF[general]\nname = \"x\"\nbackends = [\"gpu\"]\n"))
	if err == nil || !strings.HasPrefix(err.Error(), `build.toml:3:13: unknown backend "gpu"`) {
		t.Errorf("BOM file: %v", err)
	}
	path := filepath.Join(t.TempDir(), "build.toml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file: its size is what matters, not its bytes.
	if err := f.Truncate(MaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = Load(path)
	if want := path + " is larger than 16 MiB; refusing to read it (a build.toml is a few kilobytes)"; err == nil || err.Error() != want {
		t.Errorf("big file: got %v, want %s", err, want)
	}
}
