package config

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
)

func TestEncodeEdition5Layout(t *testing.T) {
	b := &Build{
		General: General{
			Name:          "demo-ops",
			Version:       ptr(uint64(0)),
			License:       "Apache-2.0",
			Upstream:      "https://github.com/org/demo.git",
			Backends:      []Backend{CPU, CUDA, Neuron, ROCm, XPU},
			Hub:           &Hub{RepoID: ptr("org/demo"), Branch: ptr("")},
			PythonDepends: []string{"einops"},
			KernelDepends: []KernelDependency{{RepoID: "org/a", Version: ptr(uint64(2))}, {RepoID: "org/b", Revision: "abc123"}},
			CUDA:          &CUDAGeneral{MaxVer: Version{13}},
			Neuron:        &NeuronGeneral{PythonDepends: []string{"nki"}},
			XPU:           &XPUGeneral{PythonDepends: []string{"onednn"}},
		},
		Framework: FrameworkTorch,
		Torch: &Torch{Src: []string{"b.cpp"}, PyExt: []string{}, MinVer: Version{2, 8}, CXXFlags: []string{"-O2"},
			StableABI: &StableABI{PerBackend: map[Backend]Version{ROCm: {2, 10}, CUDA: {2, 9}}}},
		Kernels: []Kernel{
			// Out of order on purpose, with fields that do not apply to the
			// backend: those must not be written.
			{Name: "zz", Backend: XPU, Src: []string{"x.cpp"}, Depends: []string{"sycl_tla"}, SYCLFlags: []string{"-O2"}, CUDAFlags: []string{"ignored"}},
			{Name: "my.kernel", Backend: CUDA, Depends: []string{"torch"}, Src: []string{"tab\t.cu", "ctl\x01\x7f.cu"},
				CUDACapabilities: []string{}, CUDAMinVer: Version{12, 8}},
			{Name: "cpu_k", Backend: CPU, Depends: []string{"torch"}, Src: []string{"ünï.cpp"}, Include: []string{}, CXXFlags: []string{"-O3", "-g"}},
		},
	}
	want := `[general]
name = "demo-ops"
version = 0
edition = 5
license = "Apache-2.0"
upstream = "https://github.com/org/demo.git"
backends = [
    "cpu",
    "cuda",
    "neuron",
    "rocm",
    "xpu",
]
python-depends = ["einops"]
kernel-depends = [
    { repo-id = "org/a", version = 2 },
    { repo-id = "org/b", revision = "abc123" },
]

[general.cuda]
maxver = "13"

[general.hub]
repo-id = "org/demo"
branch = ""

[general.neuron]
python-depends = ["nki"]

[general.xpu]
python-depends = ["onednn"]

[torch]
src = ["b.cpp"]
minver = "2.8"
cxx-flags = ["-O2"]

[torch.stable-abi]
cuda = "2.9"
rocm = "2.10"

[kernel.cpu_k]
backend = "cpu"
depends = ["torch"]
src = ["ünï.cpp"]
cxx-flags = [
    "-O3",
    "-g",
]

[kernel."my.kernel"]
backend = "cuda"
depends = ["torch"]
src = [
    "tab\t.cu",
    "ctl\u0001\u007F.cu",
]
cuda-capabilities = []
cuda-minver = "12.8"

[kernel.zz]
backend = "xpu"
depends = ["sycl_tla"]
src = ["x.cpp"]
sycl-flags = ["-O2"]
`
	got := EncodeEdition5(b)
	if string(got) != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
	// The text must read back as the same build (up to what the writer
	// leaves out: the empty pyext list and the stray CUDA flags).
	l := mustParse(t, string(got))
	if l.Format != Edition5 || l.Build.Kernels[1].Name != "my.kernel" || l.Build.Kernels[1].Src[1] != "ctl\x01\x7f.cu" ||
		*l.Build.General.Hub.Branch != "" || l.Build.Torch.StableABI.For(ROCm).String() != "2.10" || l.Build.Torch.StableABI.For(CPU) != nil {
		t.Errorf("read back as %s", dump(l.Build))
	}
	if !bytes.Equal(EncodeEdition5(l.Build), got) {
		t.Errorf("encoding is not idempotent")
	}
}

func TestEncodeEdition5Minimal(t *testing.T) {
	b, err := ToEdition5(&Build{General: General{Name: "bare"}}, V3, "MIT", nil)
	if err != nil {
		t.Fatal(err)
	}
	got := string(EncodeEdition5(b))
	want := "[general]\nname = \"bare\"\nversion = 1\nedition = 5\nlicense = \"MIT\"\nbackends = []\n\n[torch-noarch]\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestToEdition5Refuses(t *testing.T) {
	tests := []struct {
		name string
		b    Build
		want string
	}{
		{"no license", Build{General: General{Name: "ok"}}, ErrNoLicense.Error()},
		{"legacy name", Build{General: General{Name: "My_Kernel", License: "MIT"}},
			`kernel name "My_Kernel" is not valid in today's formats: ` + nameRule + `; rename it in build.toml first, for example to "my-kernel" (Python package "my_kernel")`},
		{"unfixable name", Build{General: General{Name: "x", License: "MIT"}},
			`kernel name "x" is not valid in today's formats: ` + nameRule + `; rename it in build.toml first`},
		{"kernels without torch", Build{General: General{Name: "ok", License: "MIT"}, Kernels: []Kernel{{Name: "k", Backend: CPU}}},
			"build.toml has kernels but no [torch] table, which edition 5 requires; add [torch] with the binding sources"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ToEdition5(&tt.b, V3, "", nil)
			if err == nil || err.Error() != tt.want {
				t.Errorf("got %v, want %s", err, tt.want)
			}
		})
	}
	if _, err := ToEdition5(&Build{General: General{Name: "ok"}}, V3, "", nil); !errors.Is(err, ErrNoLicense) {
		t.Errorf("missing license is not ErrNoLicense: %v", err)
	}
}

// TestToEdition5RenamesUnderscores: a name that today's rule refuses only
// for its underscores takes dashes, which keeps the Python package; any
// other name stays refused with a suggestion.
func TestToEdition5RenamesUnderscores(t *testing.T) {
	for old, want := range map[string]string{
		"layer_norm":      "layer-norm",
		"flash_attn3":     "flash-attn3",
		"paged_attention": "paged-attention",
		"layer__norm":     "layer--norm",
		"mixed-and_dash":  "mixed-and-dash",
	} {
		b, err := ToEdition5(&Build{General: General{Name: old}}, V2, "MIT", nil)
		if err != nil {
			t.Errorf("%s: %v", old, err)
			continue
		}
		if b.General.Name != want || b.General.PythonName() != PythonName(old) {
			t.Errorf("%s became %s (Python package %s), want %s (Python package %s)", old, b.General.Name, b.General.PythonName(), want, PythonName(old))
		}
	}
	for name, want := range map[string]string{
		// Lowercasing would change the Python package.
		"Layer_Norm": `kernel name "Layer_Norm" is not valid in today's formats: ` + nameRule + `; rename it in build.toml first, for example to "layer-norm" (Python package "layer_norm")`,
		// Dashes do not make these valid.
		"_private": `kernel name "_private" is not valid in today's formats: ` + nameRule + `; rename it in build.toml first`,
		"relu_":    `kernel name "relu_" is not valid in today's formats: ` + nameRule + `; rename it in build.toml first`,
		"x":        `kernel name "x" is not valid in today's formats: ` + nameRule + `; rename it in build.toml first`,
		"3d_conv":  `kernel name "3d_conv" is not valid in today's formats: ` + nameRule + `; rename it in build.toml first`,
	} {
		if _, err := ToEdition5(&Build{General: General{Name: name}}, V3, "MIT", nil); err == nil || err.Error() != want {
			t.Errorf("%s: got %v, want %s", name, err, want)
		}
	}
}

// TestEncodeRoundTrip: for every realistic input, the edition 5 text
// reads back as an equal Build and encodes to the same bytes again.
func TestEncodeRoundTrip(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(repoTestdata, "config", "*", "*.toml"))
	more, _ := filepath.Glob(filepath.Join(repoTestdata, "update-build", "*", "input", "build.toml"))
	for _, f := range append(files, more...) {
		t.Run(f, func(t *testing.T) {
			l, err := loadForUpdate(f)
			if err != nil {
				t.Fatal(err)
			}
			b5, err := ToEdition5(l.Build, l.Format, "Apache-2.0", nil)
			// inline-style.toml has kernels but no [torch], which edition
			// 5 cannot hold; every other file must convert.
			if filepath.Base(f) == "inline-style.toml" {
				if err == nil {
					t.Fatal("converted a build with kernels and no [torch]")
				}
				return
			}
			if err != nil {
				t.Fatalf("not convertible: %v", err)
			}
			out := EncodeEdition5(b5)
			back := mustParse(t, string(out))
			if back.Format != Edition5 {
				t.Errorf("encoded text detected as v%d", back.Format)
			}
			checkBuild(t, back.Build, b5)
			if again := EncodeEdition5(back.Build); !bytes.Equal(again, out) {
				t.Errorf("not idempotent:\n%s\nthen:\n%s", out, again)
			}
		})
	}
}
