package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// project creates a project folder holding the given files (and their
// folders).
func project(t *testing.T, files ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f))
		if strings.HasSuffix(f, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestLint(t *testing.T) {
	root := project(t, "torch-ext/binding.cpp", "inc/", "k.cu", "r.cu", "x.cpp")
	tests := []struct {
		name, text string
		want       []string
	}{
		{
			name: "clean file",
			text: `[general]
name = "ok"
backends = ["cuda", "rocm"]
[torch]
src = ["torch-ext/binding.cpp"]
include = ["inc"]
[kernel.k]
backend = "cuda"
depends = ["torch", "cutlass_3_6"]
src = ["k.cu"]
include = ["inc"]
cuda-capabilities = ["7.0", "9.0a", "10.0f+PTX", "12.1"]
[kernel.r]
backend = "rocm"
depends = ["torch", "cutlass_3_6"]
src = ["r.cu"]
rocm-archs = ["gfx906", "gfx1201"]
`,
		},
		{
			name: "backend not listed",
			text: `[general]
name = "ww"
backends = ["cuda"]
[kernel.x]
backend = "xpu"
depends = []
src = ["x.cpp"]
`,
			want: []string{`build.toml:5:11: warning: backend "xpu" of [kernel.x] is not listed in general.backends (cuda), so the kernel is never built`},
		},
		{
			name: "backend with no backends at all",
			text: "[general]\nname = \"ww\"\nbackends = []\n[kernel.x]\nbackend = \"xpu\"\ndepends = []\nsrc = [\"x.cpp\"]\n",
			want: []string{
				`build.toml:3:12: warning: no backends: general.backends is empty, so there is nothing to generate; list the backends the kernel supports`,
				`build.toml:5:11: warning: backend "xpu" of [kernel.x] is not listed in general.backends (none), so the kernel is never built`,
			},
		},
		{
			name: "general: what generation rejects, and old names",
			text: "[general]\nname = \"Old_Name\"\nbackends = [\"cpu\"]\n[kernel.x]\nbackend = \"cpu\"\ndepends = []\nsrc = []\n",
			want: []string{
				`build.toml:2:8: warning: kernel name "Old_Name" does not follow today's rule (` + nameRule + `); it works with this format, but update-build and today's tool need such a name`,
				`build.toml:4:2: warning: the build has kernels but no [torch] table, which generation needs; add [torch] with the binding sources`,
			},
		},
		{
			name: "general: old names that update-build renames",
			text: "[general]\nname = \"layer_norm\"\nbackends = [\"cpu\"]\n[torch]\n",
			want: []string{
				`build.toml:2:8: warning: kernel name "layer_norm" does not follow today's rule (` + nameRule + `); it works with this format, and update-build renames it to "layer-norm", which keeps the Python package layer_norm`,
			},
		},
		{
			name: "general: tvm-ffi paths",
			text: "[general]\nname = \"ok\"\nversion = 1\nlicense = \"MIT\"\nbackends = [\"cuda\"]\n[tvm-ffi]\nsrc = [\"gone.cpp\"]\n",
			want: []string{
				`build.toml:6:1: [tvm-ffi] needs the Python package tvm-ffi-ext/ok/ with an __init__.py, which the build variant is made of; create tvm-ffi-ext/ok/__init__.py`,
				`build.toml:7:8: source file "gone.cpp" in [tvm-ffi] does not exist`,
			},
		},
		{
			name: "general: kernels in a noarch build",
			text: "[general]\nname = \"ok\"\nversion = 1\nlicense = \"MIT\"\nbackends = [\"cpu\"]\n[torch-noarch]\n[kernel.k]\nbackend = \"cpu\"\ndepends = []\nsrc = []\n",
			want: []string{`build.toml:7:2: warning: [torch-noarch] builds no compiled code, so the [kernel.*] tables are ignored; use [torch] to build them`},
		},
		{
			name: "general: noarch capabilities",
			text: "[general]\nname = \"ok\"\nversion = 1\nlicense = \"MIT\"\nbackends = [\"cuda\"]\n[torch-noarch]\ncuda_capabilities = [\"8.0\", \"11.8\"]\n",
			want: []string{
				`build.toml:7:29: warning: cuda-capabilities entry "11.8" in [torch-noarch] is a CUDA version, not a GPU capability; known capabilities: ` + strings.Join(CUDACapabilities, ", "),
			},
		},
		{
			name: "missing paths",
			text: `[general]
name = "ww"
backends = ["cuda"]
[torch]
src = ["torch-ext/binding.cpp", "torch-ext/missing.cpp"]
include = ["torch-ext/include"]
[kernel.k]
backend = "cuda"
depends = []
src = ["k.cu", "gone.cu"]
include = ["inc", "nope"]
`,
			want: []string{
				`build.toml:5:33: source file "torch-ext/missing.cpp" in [torch] does not exist; did you mean "torch-ext/binding.cpp"?`,
				`build.toml:6:12: include directory "torch-ext/include" in [torch] does not exist`,
				`build.toml:10:16: source file "gone.cu" in [kernel.k] does not exist`,
				`build.toml:11:19: include directory "nope" in [kernel.k] does not exist`,
			},
		},
		{
			name: "cuda capabilities",
			text: `[general]
name = "ww"
backends = ["cuda"]
[kernel.k]
backend = "cuda"
depends = []
src = ["k.cu"]
cuda-capabilities = ["8.0", "11.8", "7.1", "sm_90", "9.0+ptx", "6.1"]
`,
			want: []string{
				`build.toml:8:29: warning: cuda-capabilities entry "11.8" in [kernel.k] is a CUDA version, not a GPU capability; known capabilities: 7.0, 7.2, 7.5, 8.0, 8.6, 8.7, 8.9, 9.0, 10.0, 10.1, 10.3, 11.0, 12.0, 12.1`,
				`build.toml:8:37: warning: CUDA capability "7.1" in [kernel.k] names no known GPU; known capabilities: 7.0, 7.2, 7.5, 8.0, 8.6, 8.7, 8.9, 9.0, 10.0, 10.1, 10.3, 11.0, 12.0, 12.1`,
				`build.toml:8:44: warning: malformed CUDA capability "sm_90" in [kernel.k]; expected MAJOR.MINOR with an optional "a" or "f" suffix and "+PTX", such as "9.0a" or "12.0+PTX"`,
				`build.toml:8:53: warning: malformed CUDA capability "9.0+ptx" in [kernel.k]; expected MAJOR.MINOR with an optional "a" or "f" suffix and "+PTX", such as "9.0a" or "12.0+PTX"`,
				`build.toml:8:64: warning: CUDA capability "6.1" in [kernel.k] names no known GPU; known capabilities: 7.0, 7.2, 7.5, 8.0, 8.6, 8.7, 8.9, 9.0, 10.0, 10.1, 10.3, 11.0, 12.0, 12.1`,
			},
		},
		{
			name: "rocm archs",
			text: `[general]
name = "ww"
backends = ["rocm"]
[kernel.r]
backend = "rocm"
depends = []
src = ["r.cu"]
rocm-archs = ["gfx942", "gfx940"]
`,
			want: []string{`build.toml:8:25: warning: unsupported ROCm arch "gfx940" in [kernel.r] is skipped; supported archs: gfx906, gfx908, gfx90a, gfx942, gfx950, gfx1030, gfx1100, gfx1101, gfx1150, gfx1151, gfx1200, gfx1201`},
		},
		{
			name: "dependencies the backend cannot use",
			text: `[general]
name = "ww"
backends = ["cuda", "xpu"]
[kernel.k]
backend = "cuda"
depends = ["torch", "cutlass_sycl", "metal-cpp"]
src = ["k.cu"]
[kernel.x]
backend = "xpu"
depends = ["cutlass_3_6"]
src = ["x.cpp"]
`,
			want: []string{
				`build.toml:6:21: warning: dependency "cutlass_sycl" in [kernel.k] cannot be used by cuda kernels and is ignored`,
				`build.toml:6:37: warning: dependency "metal-cpp" in [kernel.k] cannot be used by cuda kernels and is ignored`,
				`build.toml:10:12: warning: dependency "cutlass_3_6" in [kernel.x] cannot be used by xpu kernels and is ignored`,
			},
		},
		{
			name: "kernel names that are not identifiers",
			text: `[general]
name = "ww"
backends = ["cuda"]
[kernel.relu-fast]
backend = "cuda"
depends = []
src = ["k.cu"]
[kernel.2x]
backend = "cuda"
depends = []
src = ["k.cu"]
[kernel."with space"]
backend = "cuda"
depends = []
src = ["k.cu"]
[kernel._ok_1]
backend = "cuda"
depends = []
src = ["k.cu"]
`,
			want: []string{
				`build.toml:4:9: warning: kernel name "relu-fast" is not a valid CMake/C identifier; use letters, digits and underscores, not starting with a digit`,
				`build.toml:8:9: warning: kernel name "2x" is not a valid CMake/C identifier; use letters, digits and underscores, not starting with a digit`,
				`build.toml:12:9: warning: kernel name "with space" is not a valid CMake/C identifier; use letters, digits and underscores, not starting with a digit`,
			},
		},
		{
			name: "v1 hipify twin points at the one table and warns once",
			text: `[general]
name = "old"
[kernel.h]
language = "cuda-hipify"
src = ["k.cu", "lost.cu"]
depends = ["torch"]
rocm-archs = ["gfx941"]
cuda-capabilities = ["11.8"]
`,
			want: []string{
				`build.toml:5:16: source file "lost.cu" in [kernel.h] does not exist`,
				`build.toml:7:14: warning: none of the rocm-archs in [kernel.h] is supported, so configuring stops with an error instead of building the kernel without GPU code; add a supported arch: gfx906, gfx908, gfx90a, gfx942, gfx950, gfx1030, gfx1100, gfx1101, gfx1150, gfx1151, gfx1200, gfx1201`,
				`build.toml:7:15: warning: unsupported ROCm arch "gfx941" in [kernel.h] is skipped; supported archs: gfx906, gfx908, gfx90a, gfx942, gfx950, gfx1030, gfx1100, gfx1101, gfx1150, gfx1151, gfx1200, gfx1201`,
				`build.toml:8:21: warning: none of the cuda-capabilities in [kernel.h] names a known GPU, so configuring stops with an error instead of building the kernel without GPU code; known capabilities: 7.0, 7.2, 7.5, 8.0, 8.6, 8.7, 8.9, 9.0, 10.0, 10.1, 10.3, 11.0, 12.0, 12.1`,
				`build.toml:8:22: warning: cuda-capabilities entry "11.8" in [kernel.h] is a CUDA version, not a GPU capability; known capabilities: 7.0, 7.2, 7.5, 8.0, 8.6, 8.7, 8.9, 9.0, 10.0, 10.1, 10.3, 11.0, 12.0, 12.1`,
			},
		},
		{
			// huggingface/kernels #783 and #834.
			name: "capabilities 10.3 and 12.1 and RDNA 3.5 archs are known",
			text: `[general]
name = "ww"
backends = ["cuda", "rocm"]
[kernel.c]
backend = "cuda"
depends = []
src = ["k.cu"]
cuda-capabilities = ["10.3a", "12.1+PTX"]
[kernel.r]
backend = "rocm"
depends = []
src = ["r.cu"]
rocm-archs = ["gfx1150", "gfx1151"]
`,
			want: nil,
		},
		{
			// Configuring stops on these (huggingface/kernels #834), so
			// validate says so up front.
			name: "no usable capability or arch",
			text: `[general]
name = "ww"
backends = ["cuda", "rocm"]
[kernel.c]
backend = "cuda"
depends = []
src = ["k.cu"]
cuda-capabilities = ["sm_90", "12.8"]
[kernel.r]
backend = "rocm"
depends = []
src = ["r.cu"]
rocm-archs = ["gfx1152"]
`,
			want: []string{
				`build.toml:8:21: warning: none of the cuda-capabilities in [kernel.c] names a known GPU, so configuring stops with an error instead of building the kernel without GPU code; known capabilities: 7.0, 7.2, 7.5, 8.0, 8.6, 8.7, 8.9, 9.0, 10.0, 10.1, 10.3, 11.0, 12.0, 12.1`,
				`build.toml:8:22: warning: malformed CUDA capability "sm_90" in [kernel.c]; expected MAJOR.MINOR with an optional "a" or "f" suffix and "+PTX", such as "9.0a" or "12.0+PTX"`,
				`build.toml:8:31: warning: cuda-capabilities entry "12.8" in [kernel.c] is a CUDA version, not a GPU capability; known capabilities: 7.0, 7.2, 7.5, 8.0, 8.6, 8.7, 8.9, 9.0, 10.0, 10.1, 10.3, 11.0, 12.0, 12.1`,
				`build.toml:13:14: warning: none of the rocm-archs in [kernel.r] is supported, so configuring stops with an error instead of building the kernel without GPU code; add a supported arch: gfx906, gfx908, gfx90a, gfx942, gfx950, gfx1030, gfx1100, gfx1101, gfx1150, gfx1151, gfx1200, gfx1201`,
				`build.toml:13:15: warning: unsupported ROCm arch "gfx1152" in [kernel.r] is skipped; supported archs: gfx906, gfx908, gfx90a, gfx942, gfx950, gfx1030, gfx1100, gfx1101, gfx1150, gfx1151, gfx1200, gfx1201`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The rules that look at [general] and [torch] have their own
			// cases; the others get the [torch] table generation needs.
			text := tt.text
			if !strings.Contains(text, "[torch]") && !strings.Contains(tt.name, "general") {
				text += "\n[torch]\n"
			}
			diags := Lint(mustParse(t, text), root)
			for _, d := range diags {
				// Missing paths and a [tvm-ffi] build's missing package
				// are errors (generation refuses them), everything else a
				// warning.
				severity := Warning
				if strings.Contains(d.Message, "does not exist") || strings.Contains(d.Message, "needs the Python package") {
					severity = Error
				}
				if d.Severity != severity || d.Line < 1 || d.Col < 1 {
					t.Errorf("diagnostic %q: severity %d at %d:%d", d.Message, d.Severity, d.Line, d.Col)
				}
			}
			checkLines(t, diagLines(diags), tt.want)
		})
	}
}

// TestLintReferenceExamples: the early-2026 tool's examples and today's
// real files only draw the warnings they deserve: the retired gfx940/gfx941
// archs, the capabilities example-relu-invalid-capability and
// example-relu-archs-subset (5.0: no GPU today's tool supports) get wrong
// on purpose, and the CUDA version megablocks lists as a capability. Their sources are not in the repository, so each file is
// linted in a scratch folder holding an empty file at every listed source
// and include path: the path checks pass, every other check is real.
func TestLintReferenceExamples(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(repoTestdata, "config", "examples", "*.toml"))
	today, _ := filepath.Glob(filepath.Join(repoTestdata, "config", "today", "*", "build.toml"))
	if len(files) < 8 || len(today) < 30 {
		t.Fatalf("found %d early and %d today's examples", len(files), len(today))
	}
	for _, f := range append(files, today...) {
		t.Run(f, func(t *testing.T) {
			l, err := Load(f)
			if err != nil {
				t.Fatal(err)
			}
			root := t.TempDir()
			srcs, includes := listedPaths(l.Build)
			for _, p := range includes {
				if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(p)), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			for _, p := range srcs {
				full := filepath.Join(root, filepath.FromSlash(p))
				if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(full, nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			deserved := []string{`ROCm arch "gfx94`, `CUDA capability "5.0" in [kernel.relu] names no known GPU`,
				`cuda-capabilities entry "11.8" in [kernel.megablocks] is a CUDA version`}
			for _, d := range Lint(l, root) {
				if !slices.ContainsFunc(deserved, func(s string) bool { return strings.Contains(d.Message, s) }) &&
					!strings.Contains(f, "invalid-capability") {
					t.Errorf("unexpected warning %s", d)
				}
			}
		})
	}
}

// listedPaths returns every source and include path a build names.
func listedPaths(b *Build) (srcs, includes []string) {
	if b.Torch != nil {
		srcs, includes = append(srcs, b.Torch.Src...), append(includes, b.Torch.Include...)
	}
	if b.TVMFFI != nil {
		srcs, includes = append(srcs, b.TVMFFI.Src...), append(includes, b.TVMFFI.Include...)
		srcs = append(srcs, TVMFFIPackageDir+"/"+b.General.PythonName()+"/__init__.py")
	}
	for _, k := range b.Kernels {
		srcs, includes = append(srcs, k.Src...), append(includes, k.Include...)
	}
	return srcs, includes
}

// TestLintWithoutPositions covers a Loaded built in code: diagnostics
// still carry a position.
func TestLintWithoutPositions(t *testing.T) {
	l := &Loaded{Path: "build.toml", Build: &Build{
		General: General{Name: "code", Backends: []Backend{CPU}},
		Kernels: []Kernel{{Name: "bad-name", Backend: CPU, Src: []string{"nowhere.cpp"}}},
	}}
	want := []string{
		`build.toml:1:1: warning: kernel name "bad-name" is not a valid CMake/C identifier; use letters, digits and underscores, not starting with a digit`,
		`build.toml:1:1: source file "nowhere.cpp" in [kernel.bad-name] does not exist`,
		`build.toml:1:1: warning: the build has kernels but no [torch] table, which generation needs; add [torch] with the binding sources`,
	}
	checkLines(t, diagLines(Lint(l, t.TempDir())), want)
}
