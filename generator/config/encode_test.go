package config

import (
	"bytes"
	"path/filepath"
	"testing"
)

func TestEncodeV3Layout(t *testing.T) {
	b := &Build{
		General: General{
			Name:          "demo-\"ops\"",
			Backends:      []Backend{CPU, CUDA, ROCm, XPU},
			Hub:           &Hub{RepoID: ptr("org/demo")},
			PythonDepends: []string{"einops"},
			CUDA:          &CUDAGeneral{MaxVer: Version{13}},
			XPU:           &XPUGeneral{PythonDepends: []string{"onednn"}},
		},
		Torch: &Torch{Src: []string{"b.cpp"}, PyExt: []string{}, MinVer: Version{2, 8}},
		Kernels: []Kernel{
			// Out of order on purpose, with fields that do not apply to the
			// backend: those must not be written.
			{Name: "zz", Backend: XPU, Src: []string{"x.cpp"}, SYCLFlags: []string{"-O2"}, CUDAFlags: []string{"ignored"}},
			{Name: "my.kernel", Backend: CUDA, Depends: []string{"torch"}, Src: []string{"tab\t.cu", "back\\slash.cu", "ctl\x01\x7f.cu"},
				CUDACapabilities: []string{}, CUDAMinVer: Version{12, 8}},
			{Name: "cpu_k", Backend: CPU, Depends: []string{"torch"}, Src: []string{"ünï.cpp"}, Include: []string{}, CXXFlags: []string{"-O3", "-g"}},
			{Name: "rocm_k", Backend: ROCm, Depends: []string{"torch"}, Src: []string{"r.cu"}, ROCmArchs: []string{"gfx942"}, HIPFlags: []string{"-O3"}},
		},
	}
	want := `[general]
name = "demo-\"ops\""
backends = [
    "cpu",
    "cuda",
    "rocm",
    "xpu",
]
python-depends = ["einops"]

[general.cuda]
maxver = "13"

[general.hub]
repo-id = "org/demo"

[general.xpu]
python-depends = ["onednn"]

[torch]
src = ["b.cpp"]
minver = "2.8"

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
    "back\\slash.cu",
    "ctl\u0001\u007F.cu",
]
cuda-capabilities = []
cuda-minver = "12.8"

[kernel.rocm_k]
backend = "rocm"
depends = ["torch"]
src = ["r.cu"]
rocm-archs = ["gfx942"]
hip-flags = ["-O3"]

[kernel.zz]
backend = "xpu"
depends = []
src = ["x.cpp"]
sycl-flags = ["-O2"]
`
	got := EncodeV3(b)
	if string(got) != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
	// The text must read back as the same build (up to what the writer
	// leaves out: the empty pyext list and the stray CUDA flags).
	l := mustParse(t, string(got))
	if l.Format != V3 || l.Build.Kernels[1].Name != "my.kernel" || l.Build.Kernels[1].Src[2] != "ctl\x01\x7f.cu" {
		t.Errorf("read back as %s", dump(l.Build))
	}
	if !bytes.Equal(EncodeV3(l.Build), got) {
		t.Errorf("encoding is not idempotent")
	}
}

func TestEncodeV3Minimal(t *testing.T) {
	got := string(EncodeV3(&Build{General: General{Name: "bare"}}))
	want := "[general]\nname = \"bare\"\nbackends = []\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestEncodeRoundTrip: for every realistic input, the v3 text reads back
// as an equal Build and encodes to the same bytes again.
func TestEncodeRoundTrip(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(repoTestdata, "config", "*", "*.toml"))
	more, _ := filepath.Glob(filepath.Join(repoTestdata, "update-build", "*", "input", "build.toml"))
	for _, f := range append(files, more...) {
		t.Run(f, func(t *testing.T) {
			l, err := Load(f)
			if err != nil {
				t.Fatal(err)
			}
			out := EncodeV3(l.Build)
			back := mustParse(t, string(out))
			if back.Format != V3 {
				t.Errorf("encoded text detected as v%d", back.Format)
			}
			checkBuild(t, back.Build, l.Build)
			if again := EncodeV3(back.Build); !bytes.Equal(again, out) {
				t.Errorf("not idempotent:\n%s\nthen:\n%s", out, again)
			}
		})
	}
}
