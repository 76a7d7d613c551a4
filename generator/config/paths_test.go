package config

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMissingPaths: every listed path that is not there is one positioned
// error, with the existing path a typo or a move most likely meant.
func TestMissingPaths(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{
		"torch-ext/torch_binding.cpp",
		"relu/relu.cu",
		"csrc/moved/activation.cu",
		"build/stale/activation.cu", // build output is never suggested
		"twice/a/common.h",
		"twice/b/common.h",
		"inc/header.h",
	} {
		full := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l := mustParse(t, `[general]
name = "relu"
version = 1
license = "MIT"
backends = ["cuda"]

[torch]
src = ["torch-ext/torch_binding.cpp", "torch-ext/torch_bindings.cpp"]
include = ["inc", "incs", "inc/header.h"]

[kernel.relu]
backend = "cuda"
depends = ["torch"]
src = ["relu/relu.cu", "relu/Relu.cu", "activation.cu", "relu", "common.h", "nowhere/at/all.cu"]
include = ["relu", "csrc/moved"]
`)
	want := []string{
		`build.toml:8:39: source file "torch-ext/torch_bindings.cpp" in [torch] does not exist; did you mean "torch-ext/torch_binding.cpp"?`,
		`build.toml:9:19: include directory "incs" in [torch] does not exist; did you mean "inc"?`,
		`build.toml:9:27: include directory "inc/header.h" in [torch] is a file, not a directory`,
		`build.toml:14:24: source file "relu/Relu.cu" in [kernel.relu] does not exist; did you mean "relu/relu.cu"?`,
		`build.toml:14:40: source file "activation.cu" in [kernel.relu] does not exist; did you mean "csrc/moved/activation.cu"?`,
		`build.toml:14:57: source file "relu" in [kernel.relu] is a directory; list the files in it`,
		`build.toml:14:65: source file "common.h" in [kernel.relu] does not exist`,
		`build.toml:14:77: source file "nowhere/at/all.cu" in [kernel.relu] does not exist`,
	}
	checkLines(t, diagLines(MissingPaths(l, root)), want)
	for _, d := range MissingPaths(l, root) {
		if d.Severity != Error {
			t.Errorf("%s: severity %d, want an error", d, d.Severity)
		}
	}

	// With every path in place there is nothing to say.
	ok := mustParse(t, "[general]\nname = \"relu\"\nversion = 1\nlicense = \"MIT\"\nbackends = [\"cuda\"]\n"+
		"[torch]\nsrc = [\"torch-ext/torch_binding.cpp\"]\ninclude = [\"inc\"]\n"+
		"[kernel.relu]\nbackend = \"cuda\"\ndepends = []\nsrc = [\""+filepath.ToSlash(filepath.Join(root, "relu", "relu.cu"))+"\"]\n")
	if errs := MissingPaths(ok, root); errs != nil {
		t.Errorf("complete project: %v", errs)
	}
}
