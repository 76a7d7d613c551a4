package config

import (
	"strings"
	"testing"
)

// v4Head and e5Head start valid files of the two new formats.
const (
	v4Head = "[general]\nname = \"relu\"\nversion = 1\nlicense = \"Apache-2.0\"\nbackends = [\"cuda\"]\n"
	e5Head = "[general]\nname = \"relu\"\nversion = 1\nedition = 5\nlicense = \"Apache-2.0\"\nbackends = [\"cuda\"]\n"
	torch  = "\n[torch]\nsrc = [\"b.cpp\"]\n"
)

func TestDetectNewFormats(t *testing.T) {
	tests := []struct {
		name, text string
		want       Format
	}{
		{"v4 torch", v4Head + torch, V4},
		{"v4 noarch", v4Head + "[torch-noarch]\n", V4},
		{"v4 noarch with empty kernel table", v4Head + "[torch-noarch]\n\n[kernel]\n", V4},
		{"v4 tvm-ffi", v4Head + "[tvm-ffi]\nsrc = [\"a.cpp\"]\n", V4},
		{"v4 version 0", strings.Replace(v4Head, "version = 1", "version = 0", 1) + torch, V4},
		{"edition 5", e5Head + torch, Edition5},
		{"edition 5 with hex version", strings.Replace(e5Head, "version = 1", "version = 0x10", 1) + torch, Edition5},
		{"edition 5 stable-abi table", e5Head + torch + "\n[torch.stable-abi]\ncuda = \"2.9\"\n", Edition5},
		{"edition 5 kernel-depends", e5Head + "kernel-depends = [{ repo-id = \"a/b\", version = 1 }, { repo-id = \"a/c\", revision = \"main\" }]\n" + torch, Edition5},
		{"edition 5 array of tables", e5Head + "[[general.kernel-depends]]\nrepo-id = \"a/b\"\nversion = 3\n" + torch, Edition5},
		{"v3 stays v3", "[general]\nname = \"relu\"\nbackends = [\"cuda\"]\n" + torch, V3},
		// The v3 of today's tool, before v4: version without license, or
		// no framework table (noarch); both load as v3.
		{"today's v3 with version only", strings.Replace(v4Head, "license = \"Apache-2.0\"\n", "", 1) + torch, V3},
		{"today's v3 noarch", v4Head, V3},
		{"today's v3 tvm-ffi", strings.Replace(v4Head, "version = 1\n", "", 1) + "upstream = \"https://github.com/o/r\"\n[tvm-ffi]\nsrc = [\"a.cpp\"]\n", V3},
		{"BOM", "\uFEFF" + v4Head + torch, V4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustParse(t, tt.text).Format; got != tt.want {
				t.Errorf("format v%d, want v%d", got, tt.want)
			}
		})
	}
}

// TestNewFormatErrors pins the diagnostics of v4 and edition 5 files:
// position, table, key, allowed values and a hint, reported against the
// newest format the file looks like.
func TestNewFormatErrors(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"licence typo", strings.Replace(v4Head, "license", "licence", 1) + torch, []string{
			`build.toml:1:1: [general] is missing required key "license"`,
			`build.toml:4:1: unknown key "licence" in [general]; did you mean "license"?`,
		}},
		{"empty license", strings.Replace(e5Head, `"Apache-2.0"`, `""`, 1) + torch, []string{
			`build.toml:5:11: empty "license" in [general]; give the kernel's license, such as "Apache-2.0"`,
		}},
		{"unsupported edition", strings.Replace(e5Head, "edition = 5", "edition = 6", 1) + torch, []string{
			`build.toml:4:11: unsupported edition 6 in [general]; build2cmake reads edition 5 (and, without edition, v1 to v4)`,
		}},
		{"edition as a string", strings.Replace(e5Head, "edition = 5", `edition = "5"`, 1) + torch, []string{
			`build.toml:4:11: key "edition" in [general] must be an integer such as 5, got a string`,
		}},
		{"negative version", strings.Replace(v4Head, "version = 1", "version = -1", 1) + torch, []string{
			`build.toml:3:11: key "version" in [general] must be a non-negative integer, got -1`,
		}},
		{"missing version", strings.Replace(e5Head, "version = 1\n", "", 1) + torch, []string{
			`build.toml:1:1: [general] is missing required key "version"`,
		}},
		{"bad name", strings.Replace(v4Head, `"relu"`, `"Relu_Op"`, 1) + torch, []string{
			`build.toml:2:8: invalid kernel name "Relu_Op" in [general]: ` + nameRule,
		}},
		{"cutlass_sycl renamed", v4Head + torch + "\n[kernel.k]\nbackend = \"xpu\"\ndepends = [\"cutlass_sycl\"]\nsrc = [\"k.cpp\"]\n", []string{
			`build.toml:12:12: unknown dependency "cutlass_sycl" in [kernel.k]; expected one of torch, cutlass_2_10, cutlass_3_5, cutlass_3_6, cutlass_3_8, cutlass_3_9, cutlass_4_0, cutlass_4_4, cutlass_4_5, sycl_tla, metal-cpp; did you mean "sycl_tla"? ("cutlass_sycl" was renamed)`,
		}},
		{"two frameworks", v4Head + torch + "\n[tvm-ffi]\nsrc = []\n", []string{
			`build.toml:10:1: only one framework table is allowed, found [torch] and [tvm-ffi]; keep one of them`,
		}},
		// source is v4-only, so this is no v3 file of today's tool.
		{"no framework", v4Head + "source = \"https://github.com/org/relu.git\"\n", []string{
			`build.toml:1:1: missing framework table: add one of [torch], [torch-noarch] or [tvm-ffi]`,
		}},
		{"today's v3 shape with a v4 mistake", strings.Replace(v4Head, "license = \"Apache-2.0\"\n", "", 1) + torch + "\n[kernel.k]\nbackend = \"cpu\"\ndepends = []\nsrc = []\nsycl-flags = []\n", []string{
			`build.toml:1:1: [general] is missing required key "license"`,
			`build.toml:13:1: key "sycl-flags" in [kernel.k] does not apply to backend "cpu"; allowed keys: backend, depends, src, include, cxx-flags`,
		}},
		{"tvm-ffi without src", v4Head + "[tvm-ffi]\ninclude = []\n", []string{
			`build.toml:6:1: [tvm-ffi] is missing required key "src"`,
		}},
		{"bad upstream", v4Head + "upstream = \"ftp://x.org/r.git\"\nsource = \"not a url\"\n" + torch, []string{
			`build.toml:6:12: invalid "upstream" in [general]: unsupported scheme "ftp" in git URL "ftp://x.org/r.git"; expected one of https, http, git, ssh, git+ssh, git+https, git+http`,
			`build.toml:7:10: invalid "source" in [general]: "not a url" is not a git URL; use https://host/org/repo.git or git@host:org/repo.git`,
		}},
		{"scp with absolute path", v4Head + "upstream = \"git@host:/abs.git\"\n" + torch, []string{
			`build.toml:6:12: invalid "upstream" in [general]: "git@host:/abs.git" is not a git URL; use https://host/org/repo.git or git@host:org/repo.git`,
		}},
		{"kernel-depends in v4", v4Head + "kernel-depends = []\n" + torch, []string{
			`build.toml:6:1: key "kernel-depends" in [general] needs edition 5; add ` + "`edition = 5`" + ` to [general]`,
		}},
		{"version and revision", e5Head + "kernel-depends = [{ repo-id = \"a/b\", version = 1, revision = \"x\" }, { repo-id = \"a/c\" }]\n" + torch, []string{
			`build.toml:7:51: kernel dependency "a/b" in [general.kernel-depends] has both "version" and "revision"; keep one`,
			`build.toml:7:69: kernel dependency "a/c" in [general.kernel-depends] needs "version" (an integer) or "revision" (a git revision)`,
		}},
		{"unknown kernel-depends key", e5Head + "[general.cuda]\nkernel-depends = [{ repo-id = \"a/b\", versoin = 1 }]\n" + torch, []string{
			`build.toml:8:19: kernel dependency "a/b" in [general.cuda.kernel-depends] needs "version" (an integer) or "revision" (a git revision)`,
			`build.toml:8:38: unknown key "versoin" in [general.cuda.kernel-depends]; did you mean "version"?`,
		}},
		{"tpu python-depends", e5Head + "[general.tpu]\npython-depends = [\"jax\"]\n" + torch, []string{
			`build.toml:8:19: unknown python dependency "jax" in [general.tpu]: no python dependencies are known for tpu; remove the key`,
		}},
		{"nki outside neuron", e5Head + "python-depends = [\"nki\"]\n" + torch, []string{
			`build.toml:7:19: unknown python dependency "nki" in [general]; expected one of einops, helion, tvm-ffi`,
		}},
		{"stable-abi typo in table", e5Head + torch + "\n[torch.stable-abi]\ncdua = \"2.9\"\n", []string{
			`build.toml:12:1: unknown key "cdua" in [torch.stable-abi]; did you mean "cuda"?`,
		}},
		{"stable-abi table in v4", v4Head + torch + "\n[torch.stable-abi]\ncuda = \"2.9\"\n", []string{
			`build.toml:10:1: key "stable-abi" in [torch] must be a version string such as "12.8", got a table; a table of versions by backend needs edition 5 (add ` + "`edition = 5`" + ` to [general])`,
		}},
		{"noarch both spellings", v4Head + "[torch-noarch]\ncuda_capabilities = [\"8.0\"]\ncuda-capabilities = [\"9.0\"]\n", []string{
			`build.toml:8:1: "cuda_capabilities" and "cuda-capabilities" in [torch-noarch] are the same key; keep "cuda_capabilities"`,
		}},
		{"new backend in a kernel", strings.Replace(v4Head, `["cuda"]`, `["neuron"]`, 1) + torch + "\n[kernel.k]\nbackend = \"neuron\"\ndepends = []\nsrc = [\"k.cpp\"]\n", []string{
			`build.toml:11:11: unknown backend "neuron" in [kernel.k]; expected one of cpu, cuda, metal, rocm, xpu`,
		}},
		{"cmake-expanding path", v4Head + "\n[torch]\nsrc = [\"a$b.cpp\", \"c;d.cpp\"]\n", []string{
			`build.toml:8:8: path "a$b.cpp" in key "src" in [torch] contains "$", which CMake would expand; rename the file or directory`,
			`build.toml:8:19: path "c;d.cpp" in key "src" in [torch] contains ";", which separates the elements of a CMake list; rename the file or directory`,
		}},
		// Every value that reaches the generated CMake, by kind: refused
		// here, at its position, or passed to CMake intact.
		{"values CMake cannot take as written", v4Head + "\n[torch]\nsrc = [\"b.cpp\", \"x[1.cpp\"]\ninclude = [\"in\\nc\"]\npyext = [\"py\", \"a;b\", \"*.json\", \".so\"]\n" +
			"cxx-flags = [\"-DA;B\", \"\", \"-DOK=\\\"$x>y, z\\\"\", \"-D\\u0001\"]\n" +
			"\n[kernel.\"k;m\"]\nbackend = \"cuda\"\ndepends = []\nsrc = [\"k.cu\"]\ncuda-flags = [\"-Xa]\", \"--gen=[a,b]\"]\n" +
			"cuda-capabilities = [\"8.0;9.0\"]\n" +
			"\n[kernel.r]\nbackend = \"rocm\"\ndepends = []\nsrc = [\"r.hip\"]\nhip-flags = [\"-x\\r\"]\nrocm-archs = [\"[gfx942\"]\n", []string{
			`build.toml:8:17: path "x[1.cpp" in key "src" in [torch] has a "[" without a "]" after it, which CMake would read as the start of a bracketed list element; rename the file or directory`,
			`build.toml:9:12: path "in\nc" in key "include" in [torch] contains a line break, which the generated build files cannot hold; rename the file or directory`,
			`build.toml:10:16: extension "a;b" in key "pyext" in [torch] is not a plain file extension (letters, digits, "_", "-" and "+", with dots between them) but would become a file pattern; write the extension alone, such as "json"`,
			`build.toml:10:23: extension "*.json" in key "pyext" in [torch] is not a plain file extension (letters, digits, "_", "-" and "+", with dots between them) but would become a file pattern; write the extension alone, such as "json"`,
			`build.toml:10:33: extension ".so" in key "pyext" in [torch] is not a plain file extension (letters, digits, "_", "-" and "+", with dots between them) but would become a file pattern; write the extension alone, such as "json"`,
			`build.toml:11:14: flag "-DA;B" in key "cxx-flags" in [torch] contains ";", which separates the elements of a CMake list; write each compiler argument as a string of its own, without line breaks or unbalanced brackets`,
			`build.toml:11:23: flag "" in key "cxx-flags" in [torch] is empty, which CMake would drop; remove it`,
			`build.toml:11:47: flag "-D\u0001" in key "cxx-flags" in [torch] contains the control character U+0001; remove it`,
			`build.toml:13:9: kernel name "k;m" contains ";", which separates the elements of a CMake list; rename the kernel (letters, digits and underscores)`,
			`build.toml:17:15: flag "-Xa]" in key "cuda-flags" in [kernel."k;m"] has a "]" without a "[" before it, which CMake would read as the end of a bracketed list element; write each compiler argument as a string of its own, without line breaks or unbalanced brackets`,
			`build.toml:18:22: value "8.0;9.0" in key "cuda-capabilities" in [kernel."k;m"] contains ";", which separates the elements of a CMake list; write one entry per string`,
			`build.toml:24:14: flag "-x\r" in key "hip-flags" in [kernel.r] contains a line break, which the generated build files cannot hold; write each compiler argument as a string of its own, without line breaks or unbalanced brackets`,
			`build.toml:25:15: value "[gfx942" in key "rocm-archs" in [kernel.r] has a "[" without a "]" after it, which CMake would read as the start of a bracketed list element; write one entry per string`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Parse("build.toml", []byte(tt.text))
			if err == nil {
				t.Fatalf("accepted as v%d; want errors", l.Format)
			}
			checkLines(t, diagnosticLines(t, err), tt.want)
		})
	}
}

// TestLegacyNames: v1–v3 names must give a Python identifier (error
// otherwise); a name that only breaks today's rule still loads.
func TestLegacyNames(t *testing.T) {
	for _, name := range []string{"relu_op", "Relu", "a", "my-kernel"} {
		mustParse(t, "[general]\nname = \""+name+"\"\nbackends = []\n")
	}
	for _, name := range []string{"a b", "a.b", `a"b`, `"""`, "../x", "a\\u0000b", "1abc", "class", ""} {
		_, err := Parse("build.toml", []byte("[general]\nname = \""+strings.ReplaceAll(name, `"`, `\"`)+"\"\nbackends = []\n"))
		if err == nil || !strings.Contains(err.Error(), "build.toml:2:8: invalid kernel name") {
			t.Errorf("name %q: got %v", name, err)
		}
	}
}

func TestDecodeNewFormats(t *testing.T) {
	l := mustParse(t, `[general]
name = "full"
version = 7
edition = 5
license = "MIT"
upstream = "https://github.com/org/up.git"
source = "git@github.com:org/src.git"
backends = ["tpu", "cuda", "cann", "neuron", "xpu"]
python-depends = ["einops", "tvm-ffi"]
kernel-depends = [{ repo-id = "org/a", version = 0 }]

[general.cuda]
kernel-depends = [{ repo-id = "org/b", revision = "abc" }]
python-depends = ["nvidia-cutlass-dsl"]

[general.neuron]
python-depends = ["nki"]

[general.tpu]

[general.xpu]
kernel-depends = [{ repo-id = "org/c", version = 2 }]

[general.hub]
repo-id = ""

[torch]
src = ["b.cpp"]
cxx-flags = ["-O2"]
stable-abi = { cuda = "2.10.0", xpu = "2.11" }
`)
	b := l.Build
	g := b.General
	if l.Format != Edition5 || b.Framework != FrameworkTorch || *g.Version != 7 || g.License != "MIT" ||
		g.Upstream != "https://github.com/org/up.git" || g.Source != "git@github.com:org/src.git" {
		t.Errorf("general: %s", dump(b))
	}
	if JoinBackends(g.Backends) != "cann, cuda, neuron, tpu, xpu" || g.TPU == nil || *g.Hub.RepoID != "" {
		t.Errorf("backends/tpu/hub: %s", dump(b))
	}
	if got := b.KernelDependsFor(CUDA); len(got) != 2 || got[0].RepoID != "org/a" || *got[0].Version != 0 || got[1].Revision != "abc" {
		t.Errorf("cuda kernel-depends: %+v", got)
	}
	if got := b.KernelDependsFor(XPU); len(got) != 2 || got[1].RepoID != "org/c" {
		t.Errorf("xpu kernel-depends: %+v", got)
	}
	if got := strings.Join(b.PythonPackages(Neuron), ","); got != "einops,apache-tvm-ffi,nki" {
		t.Errorf("neuron python packages %q", got)
	}
	if b.Torch.StableABI.For(CUDA).String() != "2.10" || b.Torch.StableABI.For(ROCm) != nil || b.Torch.CXXFlags[0] != "-O2" {
		t.Errorf("torch: %#v", b.Torch)
	}
	l = mustParse(t, v4Head+"[torch-noarch]\npyext = [\"py\", \"json\"]\ncuda-capabilities = [\"8.0\"]\nrocm_archs = [\"gfx942\"]\n")
	if n := l.Build.TorchNoarch; l.Build.Framework != FrameworkTorchNoarch || l.Build.Torch != nil || n == nil ||
		n.CUDACapabilities[0] != "8.0" || n.ROCmArchs[0] != "gfx942" || len(n.PyExt) != 2 {
		t.Errorf("noarch: %#v", l.Build)
	}
	l = mustParse(t, v4Head+"[tvm-ffi]\nsrc = [\"a.cpp\"]\ncxx-flags = [\"-O3\"]\n")
	if f := l.Build.TVMFFI; l.Build.Framework != FrameworkTVMFFI || f == nil || f.Src[0] != "a.cpp" || f.CXXFlags[0] != "-O3" {
		t.Errorf("tvm-ffi: %#v", l.Build)
	}
	if l := mustParse(t, v4Head+torch); l.Build.Torch.StableABI != nil {
		t.Errorf("stable-abi without the key")
	}
	if l := mustParse(t, "[general]\nname = \"x\"\nbackends = []\n"); l.Build.Framework != FrameworkTorch {
		t.Errorf("v3 framework %q", l.Build.Framework)
	}
}

// The rule for values that reach CMake holds in every format.
func TestCMakeValuesInEveryFormat(t *testing.T) {
	for name, text := range map[string]string{
		"v1": "[general]\nname = \"r\"\n\n[torch]\nsrc = [\"b.cpp\"]\n\n[kernel.relu]\ndepends = [\"torch\"]\nsrc = [\"relu.cu\"]\ncuda-capabilities = [\"8.0;9.0\"]\n",
		"v2": "[general]\nname = \"r\"\n\n[torch]\nsrc = [\"b.cpp\"]\n\n[kernel.relu]\nbackend = \"cuda\"\ndepends = [\"torch\"]\nsrc = [\"relu.cu\"]\ncuda-capabilities = [\"8.0;9.0\"]\n",
		"v3": "[general]\nname = \"r\"\nbackends = [\"cuda\"]\n\n[torch]\nsrc = [\"b.cpp\"]\n\n[kernel.relu]\nbackend = \"cuda\"\ndepends = [\"torch\"]\nsrc = [\"relu.cu\"]\ncuda-capabilities = [\"8.0;9.0\"]\n",
		"e5": e5Head + torch + "\n[kernel.relu]\nbackend = \"cuda\"\ndepends = [\"torch\"]\nsrc = [\"relu.cu\"]\ncuda-capabilities = [\"8.0;9.0\"]\n",
	} {
		_, err := Parse("build.toml", []byte(text))
		if err == nil || !strings.Contains(err.Error(), `value "8.0;9.0" in key "cuda-capabilities" in [kernel.relu] contains ";"`) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}
