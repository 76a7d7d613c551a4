package config

import (
	"strings"
	"testing"
)

// TestErrors pins the exact diagnostics users see for bad build.toml files:
// position first, the table and key named, allowed values listed, and a
// did-you-mean hint for near misses. All problems come at once, sorted.
func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		text string
		crlf bool
		want []string
	}{
		{
			name: "the brief's example file",
			text: `[general]
name = "relu"
backend = ["cuda"]

[torch]
src = ["torch-ext/torch_binding.cpp"]

[kernel.relu]
backend = "cude"
depends = ["torch"]
src = ["relu.cu"]
cuda-flag = ["-O3"]
`,
			want: []string{
				`build.toml:1:1: [general] is missing required key "backends"`,
				`build.toml:3:1: unknown key "backend" in [general]; did you mean "backends"?`,
				`build.toml:9:11: unknown backend "cude" in [kernel.relu]; expected one of cpu, cuda, metal, rocm, xpu; did you mean "cuda"?`,
				`build.toml:12:1: unknown key "cuda-flag" in [kernel.relu]; did you mean "cuda-flags"?`,
			},
		},
		{
			name: "missing src",
			text: `[general]
name = "relu"
backends = ["cuda"]

[torch]
src = ["torch-ext/torch_binding.cpp"]

[kernel.relu]
backend = "cuda"
depends = ["torch"]
`,
			want: []string{
				`build.toml:8:1: [kernel.relu] is missing required key "src"`,
			},
		},
		{
			name: "empty file",
			text: ``,
			want: []string{
				`build.toml:1:1: missing required table [general]`,
			},
		},
		{
			name: "missing general in v3-looking file",
			text: `[kernel.relu]
backend = "cpu"
src = ["relu.cpp"]
depends = ["torch"]
`,
			want: []string{
				`build.toml:1:1: missing required table [general]`,
			},
		},
		{
			name: "type errors",
			text: `[general]
name = 3
backends = "cuda"
python-depends = ["einops", 7]

[general.hub]
repo-id = ["a"]

[torch]
src = [["nested"]]
minver = 2.9

[kernel.k]
backend = "cpu"
depends = ["torch"]
src = ["k.cpp"]
cxx-flags = true
`,
			want: []string{
				`build.toml:2:8: key "name" in [general] must be a string, got an integer`,
				`build.toml:3:12: key "backends" in [general] must be an array of strings, got a string`,
				`build.toml:4:29: key "python-depends" in [general] must be an array of strings; item 2 is an integer`,
				`build.toml:7:11: key "repo-id" in [general.hub] must be a string, got an array`,
				`build.toml:10:7: key "src" in [torch] must be an array of strings; item 1 is an array`,
				`build.toml:11:10: key "minver" in [torch] must be a version string such as "12.8", got a float`,
				`build.toml:17:13: key "cxx-flags" in [kernel.k] must be an array of strings, got a boolean`,
			},
		},
		{
			name: "kernel not a table",
			text: `[general]
name = "x"
backends = ["cpu"]

[kernel]
relu = "relu.cpp"
`,
			want: []string{
				`build.toml:6:8: key "relu" in [kernel] must be a table, got a string`,
			},
		},
		{
			name: "general not a table",
			text: `general = "x"
`,
			want: []string{
				`build.toml:1:11: key "general" at the top level must be a table, got a string`,
			},
		},
		{
			name: "versions",
			text: `[general]
name = "v"
backends = ["cuda"]

[general.cuda]
minver = ""
maxver = "12.x"

[torch]
minver = "2..9"
maxver = "  "
`,
			want: []string{
				`build.toml:6:10: invalid "minver" in [general.cuda]: empty version; expected numbers separated by dots, such as "12.8"`,
				`build.toml:7:10: invalid "maxver" in [general.cuda]: version "12.x" must consist of numbers separated by dots, such as "12.8"`,
				`build.toml:10:10: invalid "minver" in [torch]: version "2..9" must consist of numbers separated by dots, such as "12.8"`,
				`build.toml:11:10: invalid "maxver" in [torch]: empty version; expected numbers separated by dots, such as "12.8"`,
			},
		},
		{
			name: "unknown python deps per scope",
			text: `[general]
name = "p"
backends = ["cuda", "xpu"]
python-depends = ["einop", "onednn"]

[general.cuda]
python-depends = ["nvidia-cutlass-dsl", "einops"]

[general.xpu]
python-depends = ["onedn"]
`,
			want: []string{
				`build.toml:4:19: unknown python dependency "einop" in [general]; expected one of einops, helion, tvm-ffi; did you mean "einops"?`,
				`build.toml:4:28: unknown python dependency "onednn" in [general]; expected one of einops, helion, tvm-ffi`,
				`build.toml:7:41: unknown python dependency "einops" in [general.cuda]; expected one of nvidia-cutlass-dsl`,
				`build.toml:10:19: unknown python dependency "onedn" in [general.xpu]; expected one of onednn; did you mean "onednn"?`,
			},
		},
		{
			name: "unknown backend in general.backends and depends",
			text: `[general]
name = "b"
backends = ["cuda", "CUDA", "gpu", "tpu"]

[kernel.k]
backend = "cuda"
depends = ["torch", "cutlass_3_7", "metal_cpp", "boost"]
src = ["k.cu"]
`,
			want: []string{
				`build.toml:3:21: unknown backend "CUDA" in [general]; expected one of cpu, cuda, metal, rocm, xpu; did you mean "cuda"?`,
				`build.toml:3:29: unknown backend "gpu" in [general]; expected one of cpu, cuda, metal, rocm, xpu; did you mean "cpu"?`,
				`build.toml:3:36: unknown backend "tpu" in [general]; expected one of cpu, cuda, metal, rocm, xpu; did you mean "cpu"?`,
				`build.toml:7:21: unknown dependency "cutlass_3_7" in [kernel.k]; expected one of torch, cutlass_2_10, cutlass_3_5, cutlass_3_6, cutlass_3_8, cutlass_3_9, cutlass_4_0, cutlass_4_4, cutlass_4_5, cutlass_sycl, sycl_tla, metal-cpp; did you mean "cutlass_3_5"?`,
				`build.toml:7:36: unknown dependency "metal_cpp" in [kernel.k]; expected one of torch, cutlass_2_10, cutlass_3_5, cutlass_3_6, cutlass_3_8, cutlass_3_9, cutlass_4_0, cutlass_4_4, cutlass_4_5, cutlass_sycl, sycl_tla, metal-cpp; did you mean "metal-cpp"?`,
				`build.toml:7:49: unknown dependency "boost" in [kernel.k]; expected one of torch, cutlass_2_10, cutlass_3_5, cutlass_3_6, cutlass_3_8, cutlass_3_9, cutlass_4_0, cutlass_4_4, cutlass_4_5, cutlass_sycl, sycl_tla, metal-cpp`,
			},
		},
		{
			name: "key for another backend",
			text: `[general]
name = "a"
backends = ["cpu"]

[kernel.k]
backend = "cpu"
depends = []
src = ["k.cpp"]
cuda-flags = ["-O3"]
sycl-flag = ["-O3"]
`,
			want: []string{
				`build.toml:9:1: key "cuda-flags" in [kernel.k] does not apply to backend "cpu"; allowed keys: backend, depends, src, include, cxx-flags`,
				`build.toml:10:1: unknown key "sycl-flag" in [kernel.k]; allowed keys: backend, depends, src, include, cxx-flags`,
			},
		},
		{
			name: "kernel without backend in a v3 file",
			text: `[general]
name = "a"
backends = ["cpu"]

[kernel.k]
depends = []
src = ["k.cpp"]
cuda-flags = ["-O3"]
`,
			want: []string{
				`build.toml:5:1: [kernel.k] is missing required key "backend"`,
			},
		},
		{
			name: "unknown top-level and general keys",
			text: `[general]
name = "a"
backends = ["cpu"]
version = "0.1"

[kernels.k]
backend = "cpu"
`,
			// general.version makes it a file of today's formats, so it
			// is judged as v4, not as a v3 file with a stray key.
			want: []string{
				`build.toml:1:1: [general] is missing required key "license"`,
				`build.toml:1:1: missing framework table: add one of [torch], [torch-noarch] or [tvm-ffi]`,
				`build.toml:2:8: invalid kernel name "a" in [general]: ` + nameRule,
				`build.toml:4:11: key "version" in [general] must be a non-negative integer, got a string`,
				`build.toml:6:2: unknown key "kernels" at the top level; did you mean "kernel"?`,
			},
		},
		{
			name: "v1 file with typos",
			text: `[general]
name = "old"

[kernel.k]
language = "cuda-hipfy"
src = ["k.cu"]
depend = ["torch"]
cuda-capability = ["8.0"]
`,
			want: []string{
				`build.toml:4:1: [kernel.k] is missing required key "depends"`,
				`build.toml:5:12: unknown language "cuda-hipfy" in [kernel.k]; expected one of cuda, cuda-hipify, metal; did you mean "cuda-hipify"?`,
				`build.toml:7:1: unknown key "depend" in [kernel.k]; did you mean "depends"?`,
				`build.toml:8:1: unknown key "cuda-capability" in [kernel.k]; did you mean "cuda-capabilities"?`,
			},
		},
		{
			name: "v1 hipify collision",
			text: `[general]
name = "old"

[kernel.k_rocm]
src = ["k.cu"]
depends = []

[kernel.k]
language = "cuda-hipify"
src = ["k.cu"]
depends = []
`,
			want: []string{
				`build.toml:8:1: cannot add ROCm kernel "k_rocm" for cuda-hipify kernel [kernel.k]: a kernel of that name already exists; rename one of them`,
			},
		},
		{
			name: "v2 file with typo",
			text: `[general]
name = "two"
universal = "yes"
cuda-minver = "12.4"
python-depends = ["onednn"]
`,
			want: []string{
				`build.toml:3:13: key "universal" in [general] must be a boolean, got a string`,
				`build.toml:5:19: unknown python dependency "onednn" in [general]; expected one of einops, nvidia-cutlass-dsl`,
			},
		},
		{
			name: "v1 backend key in v2 file",
			text: `[general]
name = "two"
universal = false

[torch]
universal = true
`,
			want: []string{
				`build.toml:6:1: unknown key "universal" in [torch]; allowed keys: src, include, pyext, minver, maxver`,
			},
		},
		{
			name: "syntax error",
			text: `[general]
name = "x
backends = []
`,
			want: []string{
				`build.toml:2:10: invalid TOML: basic strings cannot have new lines`,
			},
		},
		{
			name: "syntax error unterminated array at eof",
			text: `[general]
name = "x"
backends = ["cpu"
`,
			want: []string{
				`build.toml:3:18: invalid TOML: array is incomplete`,
			},
		},
		{
			name: "duplicate key",
			text: `[general]
name = "x"
name = "y"
backends = []
`,
			want: []string{
				`build.toml:3:1: duplicate key "name" in [general]`,
			},
		},
		{
			name: "table defined twice",
			text: `[general]
name = "x"
backends = []

[kernel.k]
backend = "cpu"
depends = []
src = []

[kernel.k]
backend = "cpu"
`,
			want: []string{
				`build.toml:10:1: table [kernel.k] is already defined`,
			},
		},
		{
			name: "dotted key into header table",
			text: `[general]
name = "x"
backends = []

[kernel.k]
backend = "cpu"
depends = []
src = []

[kernel]
k.include = ["a"]
`,
			want: []string{
				`build.toml:11:1: cannot add keys to "k" in [kernel] with a dotted key: it is already defined`,
			},
		},
		{
			name: "header through a value",
			text: `[general]
name = "x"
backends = []

[general.name.sub]
x = 1
`,
			want: []string{
				`build.toml:5:1: cannot define table [general.name.sub]: "name" in [general] is already defined as a string`,
			},
		},
		{
			name: "inline table extended",
			text: `[general]
name = "x"
backends = []
hub = { repo-id = "a" }

[general.hub]
branch = "main"
`,
			want: []string{
				`build.toml:6:1: table [general.hub] is already defined`,
			},
		},
		{
			name: "array of tables for kernel",
			text: `[general]
name = "x"
backends = []

[[kernel.k]]
backend = "cpu"
`,
			want: []string{
				`build.toml:5:1: key "k" in [kernel] must be a table, got an array`,
			},
		},
		{
			name: "array table over a static array",
			text: `[general]
name = "x"
backends = []

[[general.backends]]
`,
			want: []string{
				`build.toml:5:1: cannot define array of tables [[general.backends]]: "backends" in [general] is already defined as an array`,
			},
		},
		{
			name: "quoted kernel name",
			text: `[general]
name = "x"
backends = ["cpu"]

[kernel."my kernel"]
backend = "cpu"
src = []
`,
			want: []string{
				`build.toml:5:1: [kernel."my kernel"] is missing required key "depends"`,
			},
		},
		{
			name: "unicode columns",
			text: `[general]
name = "naïve-ops"; backends = []
`,
			want: []string{
				`build.toml:2:19: invalid TOML: expected newline but got U+003B ';'`,
			},
		},
		{
			name: "crlf",
			crlf: true,
			text: `[general]
name = "x"
backends = ["cpu"]
bogus = 1
`,
			want: []string{
				`build.toml:4:1: unknown key "bogus" in [general]; allowed keys: name, backends, python-depends, hub, cuda, xpu, version, license, upstream, neuron`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := tt.text
			if tt.crlf {
				text = strings.ReplaceAll(text, "\n", "\r\n")
			}
			l, err := Parse("build.toml", []byte(text))
			if err == nil {
				t.Fatalf("accepted as v%d; want errors", l.Format)
			}
			checkLines(t, diagnosticLines(t, err), tt.want)
		})
	}
}
