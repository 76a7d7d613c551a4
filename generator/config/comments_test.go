package config

import (
	"regexp"
	"strings"
	"testing"
)

// commentLines lists the comments of a TOML text in order, as written.
func commentLines(s string) []string {
	var out []string
	for _, sp := range scanComments([]byte(s)) {
		out = append(out, strings.TrimSpace(s[sp.start:sp.end]))
	}
	return out
}

func TestScanCommentsSkipsStrings(t *testing.T) {
	src := "a = \"# not\" # yes 1\nb = '# not' # yes 2\nc = \"\"\"\n# not\n\"\"\" # yes 3\nd = '''# not''' # yes 4\ne = \"esc \\\" # not\" # yes 5\n# yes 6"
	got := commentLines(src)
	want := []string{"# yes 1", "# yes 2", "# yes 3", "# yes 4", "# yes 5", "# yes 6"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestEncodeKeepsComments(t *testing.T) {
	src := `# Kernel for fused activations.
# Maintained by the kernels team.

# The package name.
[general]
name = "act" # Python package is act
universal = false
# Pinned: CUTLASS 3.x miscompiles on 12.9.
cuda-maxver = "12.8"
python-depends = [
    "einops", # tensor reshapes
    # CuTe DSL for the fallback path
    "nvidia-cutlass-dsl",
]

[torch]
src = [
    "torch-ext/torch_binding.cpp",
    # Keep the header listed so edits rebuild.
    "torch-ext/torch_binding.h",
]

# CUDA path.
[kernel.act_cuda]
backend = "cuda"
depends = ["torch"]
cuda-capabilities = [
    "8.0", # A100
    "9.0", # H100
]
src = ["act/act.cu"] # one file

[kernel.act_cpu]
backend = "cpu"
depends = ["torch"]
src = ["act/act.cpp"]
# trailing notes about the CPU kernel
`
	got := upgrade(t, src)
	want := `# Kernel for fused activations.
# Maintained by the kernels team.

# The package name.
[general]
name = "act"  # Python package is act
version = 1
edition = 5
license = "MIT"
backends = [
    "cpu",
    "cuda",
]
python-depends = [
    "einops",  # tensor reshapes
]

[general.cuda]
# Pinned: CUTLASS 3.x miscompiles on 12.9.
maxver = "12.8"
python-depends = [
    # CuTe DSL for the fallback path
    "nvidia-cutlass-dsl",
]

[torch]
src = [
    "torch-ext/torch_binding.cpp",
    # Keep the header listed so edits rebuild.
    "torch-ext/torch_binding.h",
]

[kernel.act_cpu]
backend = "cpu"
depends = ["torch"]
src = ["act/act.cpp"]

# CUDA path.
[kernel.act_cuda]
backend = "cuda"
depends = ["torch"]
src = ["act/act.cu"]  # one file
cuda-capabilities = [
    "8.0",  # A100
    "9.0",  # H100
]

# trailing notes about the CPU kernel
`
	if got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
	// Every comment survives, and the result keeps them on a second run.
	if a, b := commentLines(src), commentLines(got); len(a) != len(b) {
		t.Fatalf("comments lost: %q -> %q", a, b)
	}
	if twice := upgrade(t, got); twice != got {
		t.Fatalf("second conversion changed the file:\n%s", twice)
	}
}

func TestEncodeCommentsOfDroppedKeys(t *testing.T) {
	// universal is gone in v3: its comment moves to backends. A comment on
	// a v1 kernel's language moves to its backend key.
	src := "[general]\nname = \"xx\"\n\n[torch]\nsrc = []\n# all five backends\nuniversal = true\n\n[kernel.k]\n# plain CUDA\nlanguage = \"cuda\"\nsrc = [\"k.cu\"]\ndepends = [\"torch\"]\n"
	got := upgrade(t, src)
	for _, re := range []string{`# all five backends\nbackends = \[`, `# plain CUDA\nbackend = "cuda"`} {
		if !regexp.MustCompile(re).MatchString(got) {
			t.Errorf("output does not match %q:\n%s", re, got)
		}
	}
}

// upgrade converts a build.toml to edition 5 with its comments, as
// update-build --license MIT does.
func upgrade(t *testing.T, src string) string {
	t.Helper()
	l, err := Parse("build.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ToEdition5(l.Build, l.Format, "MIT", nil)
	if err != nil {
		t.Fatal(err)
	}
	out := string(EncodeEdition5WithComments(b, l.Comments()))
	if _, err := Parse("build.toml", []byte(out)); err != nil {
		t.Fatalf("converted file does not load: %v\n%s", err, out)
	}
	return out
}

func TestEncodeCommentsOfRenamedKeys(t *testing.T) {
	// v4 spells [torch-noarch] keys in kebab case; edition 5 in snake case.
	// The xpu dependency's old name becomes sycl_tla in a v3 file.
	noarch := "[general]\nname = \"na\"\nversion = 2\nlicense = \"MIT\"\nbackends = [\"cuda\"]\n\n[torch-noarch]\n# Only for the metadata.\ncuda-capabilities = [\"9.0\"] # Hopper\n"
	got := upgrade(t, noarch)
	want := "[general]\nname = \"na\"\nversion = 2\nedition = 5\nlicense = \"MIT\"\nbackends = [\"cuda\"]\n\n[torch-noarch]\n# Only for the metadata.\ncuda_capabilities = [\"9.0\"]  # Hopper\n"
	if got != want {
		t.Errorf("noarch: got:\n%s\nwant:\n%s", got, want)
	}

	xpu := "[general]\nname = \"sy\"\nbackends = [\"xpu\"]\n\n[torch]\nsrc = [\"b.cpp\"]\n\n[kernel.k]\nbackend = \"xpu\"\nsrc = [\"k.cpp\"]\ndepends = [\n    \"torch\",\n    \"cutlass_sycl\", # GEMM tiles\n]\n"
	got = upgrade(t, xpu)
	if !strings.Contains(got, "    \"sycl_tla\",  # GEMM tiles\n") {
		t.Errorf("renamed dependency lost its comment:\n%s", got)
	}
}

func TestEncodeCommentsOfKernelDepends(t *testing.T) {
	src := "[general]\nname = \"kd\"\nversion = 1\nedition = 5\nlicense = \"MIT\"\nbackends = [\"cuda\"]\nkernel-depends = [\n    # needed for the epilogue\n    { repo-id = \"org/a\", version = 1 },  # pinned\n    { repo-id = \"org/b\", revision = \"main\" },\n]\n\n[torch]\nsrc = [\"b.cpp\"]\n"
	l, err := Parse("build.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := string(EncodeEdition5WithComments(l.Build, l.Comments()))
	if got != src {
		t.Errorf("got:\n%s\nwant:\n%s", got, src)
	}
}
