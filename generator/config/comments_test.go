package config

import (
	"regexp"
	"slices"
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
name = "act" # Python package is act
version = 1
edition = 5
license = "MIT"
backends = [
    "cpu",
    "cuda",
]
python-depends = [
    "einops", # tensor reshapes
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
# trailing notes about the CPU kernel

# CUDA path.
[kernel.act_cuda]
backend = "cuda"
depends = ["torch"]
src = ["act/act.cu"] # one file
cuda-capabilities = [
    "8.0", # A100
    "9.0", # H100
]
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
	out := string(EncodeEdition5WithLayout(b, l.Layout()))
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
	want := "[general]\nname = \"na\"\nversion = 2\nedition = 5\nlicense = \"MIT\"\nbackends = [\"cuda\"]\n\n[torch-noarch]\n# Only for the metadata.\ncuda_capabilities = [\"9.0\"] # Hopper\n"
	if got != want {
		t.Errorf("noarch: got:\n%s\nwant:\n%s", got, want)
	}

	xpu := "[general]\nname = \"sy\"\nbackends = [\"xpu\"]\n\n[torch]\nsrc = [\"b.cpp\"]\n\n[kernel.k]\nbackend = \"xpu\"\nsrc = [\"k.cpp\"]\ndepends = [\n    \"torch\",\n    \"cutlass_sycl\", # GEMM tiles\n]\n"
	got = upgrade(t, xpu)
	if !strings.Contains(got, "    \"sycl_tla\", # GEMM tiles\n") {
		t.Errorf("renamed dependency lost its comment:\n%s", got)
	}
}

func TestEncodeCommentsOfKernelDepends(t *testing.T) {
	src := "[general]\nname = \"kd\"\nversion = 1\nedition = 5\nlicense = \"MIT\"\nbackends = [\"cuda\"]\nkernel-depends = [\n    # needed for the epilogue\n    { repo-id = \"org/a\", version = 1 },  # pinned\n    { repo-id = \"org/b\", revision = \"main\" },\n]\n\n[torch]\nsrc = [\"b.cpp\"]\n"
	l, err := Parse("build.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := string(EncodeEdition5WithLayout(l.Build, l.Layout()))
	if got != src {
		t.Errorf("got:\n%s\nwant:\n%s", got, src)
	}
}

// TestCommentForms: every comment stays next to the table, key or element
// it was written for, in every form of TOML the reader accepts, also when
// the conversion sorts the kernels or writes a table in another form.
func TestCommentForms(t *testing.T) {
	cases := []struct{ name, in, want string }{{
		// A file's opening block stays at the top even when the first
		// table moves; a closing block stays at the end.
		name: "top and bottom of the file",
		in:   "# Copyright header.\n\n[kernel.z]\nbackend = \"cpu\"\ndepends = [\"torch\"]\nsrc = [\"z.cpp\"]\n\n[general]\nname = \"tb\"\nbackends = [\"cpu\"]\n\n[torch]\nsrc = [\"b.cpp\"]\n\n# end of file\n",
		want: "# Copyright header.\n\n[general]\nname = \"tb\"\nversion = 1\nedition = 5\nlicense = \"MIT\"\nbackends = [\"cpu\"]\n\n[torch]\nsrc = [\"b.cpp\"]\n\n[kernel.z]\nbackend = \"cpu\"\ndepends = [\"torch\"]\nsrc = [\"z.cpp\"]\n\n# end of file\n",
	}, {
		// Commented-out sources after the last element stay in their
		// array when the kernels are sorted.
		name: "after the last element of an array",
		in:   "[general]\nname = \"ae\"\nbackends = [\"cuda\"]\n\n[torch]\nsrc = [\"b.cpp\"]\n\n[kernel.z]\nbackend = \"cuda\"\ndepends = [\"torch\"]\nsrc = [\n    \"z.cu\",\n    # \"z_old.cu\",\n]\n\n[kernel.a]\nbackend = \"cuda\"\ndepends = [\"torch\"]\nsrc = [\n    # TODO: add sources, e.g.:\n    # \"a.cu\",\n]\n",
		want: "[general]\nname = \"ae\"\nversion = 1\nedition = 5\nlicense = \"MIT\"\nbackends = [\"cuda\"]\n\n[torch]\nsrc = [\"b.cpp\"]\n\n[kernel.a]\nbackend = \"cuda\"\ndepends = [\"torch\"]\nsrc = [\n    # TODO: add sources, e.g.:\n    # \"a.cu\",\n]\n\n[kernel.z]\nbackend = \"cuda\"\ndepends = [\"torch\"]\nsrc = [\n    \"z.cu\",\n    # \"z_old.cu\",\n]\n",
	}, {
		// A commented-out key after a table's last key stays in that
		// table; a comment right above a header stays with the header.
		name: "end of a table",
		in:   "[general]\nname = \"te\"\nbackends = [\"cpu\"]\n\n[torch]\nsrc = [\"b.cpp\"]\n# include = [\"inc\"]\n\n[kernel.z]\nbackend = \"cpu\"\ndepends = [\"torch\"]\nsrc = [\"z.cpp\"]\n# cxx-flags = [\"-O3\"]\n\n# About kernel a.\n[kernel.a]\nbackend = \"cpu\"\ndepends = [\"torch\"]\nsrc = [\"a.cpp\"]\n",
		want: "[general]\nname = \"te\"\nversion = 1\nedition = 5\nlicense = \"MIT\"\nbackends = [\"cpu\"]\n\n[torch]\nsrc = [\"b.cpp\"]\n# include = [\"inc\"]\n\n# About kernel a.\n[kernel.a]\nbackend = \"cpu\"\ndepends = [\"torch\"]\nsrc = [\"a.cpp\"]\n\n[kernel.z]\nbackend = \"cpu\"\ndepends = [\"torch\"]\nsrc = [\"z.cpp\"]\n# cxx-flags = [\"-O3\"]\n",
	}, {
		// Trailing comments on a header, a key, elements of an array
		// that the conversion sorts, and its closing bracket; lines
		// after its last element stay before the bracket.
		name: "trailing comments",
		in:   "[general] # the general table\nname = \"tr\" # the name\nbackends = [\n  \"cuda\", # the GPU\n  \"cpu\", # the host\n  # more to come\n] # both\n",
		want: "[general] # the general table\nname = \"tr\" # the name\nversion = 1\nedition = 5\nlicense = \"MIT\"\nbackends = [\n    \"cpu\", # the host\n    \"cuda\", # the GPU\n    # more to come\n] # both\n\n[torch-noarch]\n",
	}, {
		// Dotted keys become a table of their own; their comments go
		// with their keys.
		name: "dotted keys",
		in:   "[general]\nname = \"dk\"\nbackends = [\"cpu\"]\nhub.repo-id = \"org/dk\" # dotted key note\n# before the branch\nhub.branch = \"main\"\n\n[torch]\nsrc = [\"b.cpp\"]\n",
		want: "[general]\nname = \"dk\"\nversion = 1\nedition = 5\nlicense = \"MIT\"\nbackends = [\"cpu\"]\n\n[general.hub]\nrepo-id = \"org/dk\" # dotted key note\n# before the branch\nbranch = \"main\"\n\n[torch]\nsrc = [\"b.cpp\"]\n",
	}, {
		// Inline tables (one-line and multi-line) and dotted kernels
		// become tables: a comment on the inline table goes to the
		// header, those inside to their keys or to the end.
		name: "inline tables",
		in:   "[general]\nname = \"inl\"\nbackends = [\"cpu\"]\nhub = { repo-id = \"org/inl\", branch = \"main\" } # inline hub\n\n[torch]\nsrc = [\"b.cpp\"]\n\n[kernel]\n# zeta spans lines\nzeta = {\n  backend = \"cpu\", # the backend\n  # sources\n  src = [\"z.cpp\"],\n  depends = [\"torch\"],\n  # end of zeta\n}\nalpha.backend = \"cpu\" # dotted kernel\nalpha.depends = [\"torch\"]\nalpha.src = [\"a.cpp\"]\n",
		want: "[general]\nname = \"inl\"\nversion = 1\nedition = 5\nlicense = \"MIT\"\nbackends = [\"cpu\"]\n\n[general.hub] # inline hub\nrepo-id = \"org/inl\"\nbranch = \"main\"\n\n[torch]\nsrc = [\"b.cpp\"]\n\n[kernel.alpha]\nbackend = \"cpu\" # dotted kernel\ndepends = [\"torch\"]\nsrc = [\"a.cpp\"]\n\n# zeta spans lines\n[kernel.zeta]\nbackend = \"cpu\" # the backend\ndepends = [\"torch\"]\n# sources\nsrc = [\"z.cpp\"]\n# end of zeta\n",
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := upgrade(t, c.in)
			if got != c.want {
				t.Fatalf("got:\n%s\nwant:\n%s", got, c.want)
			}
			if a, b := sortedWords(commentLines(c.in)), sortedWords(commentLines(got)); a != b {
				t.Errorf("comments differ:\n%s\n%s", a, b)
			}
			if twice := upgrade(t, got); twice != got {
				t.Errorf("a second conversion changes the file:\n%s", twice)
			}
		})
	}
}

// TestCommentFormsKernelDepends: arrays of inline tables and arrays of
// tables ([[...]]) keep the comments of each entry next to it, in the
// edition 5 files that have kernel-depends.
func TestCommentFormsKernelDepends(t *testing.T) {
	src := "[general]\nname = \"kd\"\nversion = 1\nedition = 5\nlicense = \"MIT\"\nbackends = [\"cuda\"]\n" +
		"kernel-depends = [\n  # the epilogue\n  { repo-id = \"org/a\", version = 1 }, # pinned\n  {\n    # tracks main\n    repo-id = \"org/b\", revision = \"main\"\n  },\n  # \"org/c\" later\n]\n\n" +
		"[general.cuda]\n\n[[general.cuda.kernel-depends]]\n# first entry\nrepo-id = \"org/x\" # trailing in entry\nversion = 2\n\n[[general.cuda.kernel-depends]]\nrepo-id = \"org/y\"\nversion = 3\n# end of y\n\n[torch]\nsrc = [\"b.cpp\"]\n"
	l, err := Parse("build.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := string(EncodeEdition5WithLayout(l.Build, l.Layout()))
	// The list of inline tables is kept as written; the [[...]] entries
	// become one line each, with their comments around them.
	want := "[general]\nname = \"kd\"\nversion = 1\nedition = 5\nlicense = \"MIT\"\nbackends = [\"cuda\"]\n" +
		"kernel-depends = [\n  # the epilogue\n  { repo-id = \"org/a\", version = 1 }, # pinned\n  {\n    # tracks main\n    repo-id = \"org/b\", revision = \"main\"\n  },\n  # \"org/c\" later\n]\n\n" +
		"[general.cuda]\nkernel-depends = [\n    # first entry\n    { repo-id = \"org/x\", version = 2 }, # trailing in entry\n    { repo-id = \"org/y\", version = 3 },\n    # end of y\n]\n\n[torch]\nsrc = [\"b.cpp\"]\n"
	if got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}

	// When an entry changes, the list is written anew and every comment
	// goes with its entry.
	b := *l.Build
	b.General.KernelDepends = slices.Clone(b.General.KernelDepends)
	b.General.KernelDepends[1].Revision = "v2"
	got = string(EncodeEdition5WithLayout(&b, l.Layout()))
	want = "kernel-depends = [\n    # the epilogue\n    { repo-id = \"org/a\", version = 1 }, # pinned\n    # tracks main\n    { repo-id = \"org/b\", revision = \"v2\" },\n    # \"org/c\" later\n]\n"
	if !strings.Contains(got, want) {
		t.Fatalf("got:\n%s\nwant it to contain:\n%s", got, want)
	}
}

// TestUntouchedArraysKeepTheirFormat: an array whose values the
// conversion keeps is written as the user wrote it (indentation, quotes,
// one line or several); one it changes is written anew.
func TestUntouchedArraysKeepTheirFormat(t *testing.T) {
	src := "[general]\nname = \"fmt\"\nbackends = [ \"rocm\",\n        \"cuda\" ]\n\n[torch]\nsrc = [\n\t\"b.cpp\",\n      'b.h'\n   ]\n\n[kernel.k]\nbackend = \"cuda\"\ndepends = [ \"torch\" , \"cutlass_3_6\" ]\nsrc = [\"k.cu\"]\ncuda-capabilities = [\n  \"8.0\",\n  \"9.0\",\n]\n"
	got := upgrade(t, src)
	want := "[general]\nname = \"fmt\"\nversion = 1\nedition = 5\nlicense = \"MIT\"\nbackends = [\n    \"cuda\",\n    \"rocm\",\n]\n\n[torch]\nsrc = [\n\t\"b.cpp\",\n      'b.h'\n   ]\n\n[kernel.k]\nbackend = \"cuda\"\ndepends = [ \"torch\" , \"cutlass_3_6\" ]\nsrc = [\"k.cu\"]\ncuda-capabilities = [\n  \"8.0\",\n  \"9.0\",\n]\n"
	if got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
	// A file with Windows line ends gets the encoder's line ends
	// throughout, with every comment.
	crlf := strings.ReplaceAll("[general]\nname = \"win\"\nbackends = [\"cpu\"]\n\n[torch]\nsrc = [\n  \"b.cpp\", # binding\n  # more\n]\n", "\n", "\r\n")
	got = upgrade(t, crlf)
	if strings.Contains(got, "\r") || !strings.Contains(got, "src = [\n    \"b.cpp\", # binding\n    # more\n]\n") {
		t.Errorf("CRLF file converted to:\n%q", got)
	}
}

// sortedWords joins the words of comment lines in sorted order: the
// conversion may join trailing comments and reorder kernels.
func sortedWords(lines []string) string {
	var words []string
	for _, l := range lines {
		words = append(words, strings.Fields(l)...)
	}
	slices.Sort(words)
	return strings.Join(words, " ")
}
