package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTVMFFIErrors: a missing tvm-ffi-ext/<python_name>/ package is an
// error at the [tvm-ffi] table with the fix, from TVMFFIErrors (which
// create-pyproject runs) and Lint (check-config) alike; Lint also reports
// the missing sources and include folders of MissingPaths.
func TestTVMFFIErrors(t *testing.T) {
	const head = "[general]\nname = \"relu-ffi\"\nversion = 1\nlicense = \"MIT\"\nbackends = [\"cpu\"]\n"
	tests := []struct {
		name   string
		files  []string
		text   string
		errors []string
		lint   []string // Lint's diagnostics when they differ from errors
	}{
		{
			name:  "complete",
			files: []string{"tvm-ffi-ext/binding.cpp", "tvm-ffi-ext/relu_ffi/__init__.py"},
			text:  "[tvm-ffi]\nsrc = [\"tvm-ffi-ext/binding.cpp\"]\n",
		},
		{
			// MissingPaths reports these; TVMFFIErrors adds nothing.
			name:  "missing source, with the file meant",
			files: []string{"tvm-ffi-ext/binding.cpp", "tvm-ffi-ext/relu_ffi/__init__.py"},
			text:  "[tvm-ffi]\nsrc = [\n  \"tvm-ffi-ext/binding.cpp\",\n  \"tvm-ffi-ext/bindings.cpp\",\n  \"gone/x.cpp\",\n]\n",
			lint: []string{
				`build.toml:9:3: source file "tvm-ffi-ext/bindings.cpp" in [tvm-ffi] does not exist; did you mean "tvm-ffi-ext/binding.cpp"?`,
				`build.toml:10:3: source file "gone/x.cpp" in [tvm-ffi] does not exist`,
			},
		},
		{
			name:  "no package",
			files: []string{"b.cpp"},
			text:  "[tvm-ffi]\nsrc = [\"b.cpp\"]\n",
			errors: []string{
				`build.toml:6:1: [tvm-ffi] needs the Python package tvm-ffi-ext/relu_ffi/ with an __init__.py, which the build variant is made of; create tvm-ffi-ext/relu_ffi/__init__.py`,
			},
		},
		{
			name:  "package folder without __init__.py",
			files: []string{"b.cpp", "tvm-ffi-ext/relu_ffi/ops.py"},
			text:  "[tvm-ffi]\nsrc = [\"b.cpp\"]\n",
			errors: []string{
				`build.toml:6:1: [tvm-ffi] needs the Python package tvm-ffi-ext/relu_ffi/ with an __init__.py, which the build variant is made of; create tvm-ffi-ext/relu_ffi/__init__.py`,
			},
		},
		{
			name:  "package where a Torch kernel keeps it",
			files: []string{"b.cpp", "torch-ext/relu_ffi/__init__.py"},
			text:  "[tvm-ffi]\nsrc = [\"b.cpp\"]\n",
			errors: []string{
				`build.toml:6:1: [tvm-ffi] needs the Python package tvm-ffi-ext/relu_ffi/ with an __init__.py, which the build variant is made of; torch-ext/relu_ffi/ is where a [torch] kernel keeps it: move it to tvm-ffi-ext/relu_ffi/`,
			},
		},
		{
			name:  "package named after general.name with dashes",
			files: []string{"b.cpp", "tvm-ffi-ext/relu-ffi/__init__.py"},
			text:  "[tvm-ffi]\nsrc = [\"b.cpp\"]\n",
			errors: []string{
				`build.toml:6:1: [tvm-ffi] needs the Python package tvm-ffi-ext/relu_ffi/ with an __init__.py, which the build variant is made of; found tvm-ffi-ext/relu-ffi/: rename it to tvm-ffi-ext/relu_ffi/ (general.name "relu-ffi" gives the package relu_ffi)`,
			},
		},
		{
			name:  "missing include: MissingPaths's",
			files: []string{"b.cpp", "tvm-ffi-ext/relu_ffi/__init__.py"},
			text:  "[tvm-ffi]\nsrc = [\"b.cpp\"]\ninclude = [\"inc\"]\n",
			lint:  []string{`build.toml:8:12: include directory "inc" in [tvm-ffi] does not exist`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for _, f := range tt.files {
				full := filepath.Join(root, filepath.FromSlash(f))
				if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(full, nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			l := mustParse(t, head+tt.text)
			var got []string
			for _, d := range TVMFFIErrors(l, root) {
				if d.Severity != Error {
					t.Errorf("%s: not an error", d)
				}
				got = append(got, d.String())
			}
			checkLines(t, got, tt.errors)
			want := tt.lint
			if want == nil {
				want = tt.errors
			}
			checkLines(t, diagLines(Lint(l, root)), want)
		})
	}
}

// TestTVMFFIErrorsOtherFrameworks: only [tvm-ffi] builds have these
// errors; a Torch build with no tvm-ffi-ext/ has none.
func TestTVMFFIErrorsOtherFrameworks(t *testing.T) {
	l := mustParse(t, "[general]\nname = \"torch-only\"\nversion = 1\nlicense = \"MIT\"\nbackends = [\"cpu\"]\n[torch]\nsrc = []\n")
	if errs := TVMFFIErrors(l, t.TempDir()); len(errs) != 0 {
		t.Errorf("errors for a Torch build: %v", strings.Join(diagLines(errs), "\n"))
	}
}
