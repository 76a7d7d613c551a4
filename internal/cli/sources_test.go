package cli

import (
	"maps"
	"path/filepath"
	"strings"
	"testing"
)

// missingSourceBuild names relu/relu.cc, a typo of relu/relu.cpp.
const missingSourceBuild = `[general]
name = "relu"
version = 1
edition = 5
license = "MIT"
backends = ["cpu"]

[torch]
src = ["torch-ext/torch_binding.cpp"]

[kernel.relu]
backend = "cpu"
depends = ["torch"]
src = ["relu/relu.cc"]
`

// TestMissingSourceStopsGeneration: a source that is not there stops every
// command that generates or plans a build, at its line, with the file
// that was meant, before anything is written; CMake never gets to fail.
func TestMissingSourceStopsGeneration(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "build.toml")
	writeFile(t, path, missingSourceBuild)
	writeFile(t, filepath.Join(dir, "torch-ext", "torch_binding.cpp"), "// binding\n")
	writeFile(t, filepath.Join(dir, "relu", "relu.cpp"), "// kernel\n")
	line := path + `:14:8: source file "relu/relu.cc" in [kernel.relu] does not exist; did you mean "relu/relu.cpp"?` + "\n"
	before := listTree(t, dir)
	for _, args := range [][]string{
		{"generate-torch", "--ops-id", "x", path},
		{"generate-torch", "--ops-id", "x", "--check", path},
		{"generate-torch", "--ops-id", "x", "--dry-run", path},
		{"create-pyproject", "--unique-id", "x", dir},
		{"create-pyproject", "--unique-id", "x", "--check", dir},
		{"validate", path},
		{"check-config", dir},
	} {
		if r := runReal(t, "", args...); r.code != ExitBadInput || r.stderr != line {
			t.Errorf("%q: %+v\nwant exit 2 and stderr %q", args, r, line)
		}
		if !maps.Equal(listTree(t, dir), before) {
			t.Fatalf("%q wrote files", args)
		}
	}

	// doctor reports it with the problems of the machine, and says the
	// build cannot proceed.
	withProbe(t, nil, `{"python_version":"3.11.2","torch_version":"2.9.1","cxx11_abi":true}`)
	doctor := func() result {
		var stdout, stderr strings.Builder
		a := newApp(strings.NewReader(""), &stdout, &stderr)
		a.probe = testProbe
		return result{code: a.run([]string{"doctor", dir}), stdout: stdout.String(), stderr: stderr.String()}
	}
	r := doctor()
	if r.code != ExitBadInput || !strings.Contains(r.stderr, line) || strings.Contains(r.stdout, "can proceed") {
		t.Errorf("doctor: %+v\nwant exit 2 and %q on stderr", r, line)
	}
	writeFile(t, filepath.Join(dir, "relu", "relu.cc"), "// kernel\n")
	if r := doctor(); strings.Contains(r.stderr, "relu.cc") {
		t.Errorf("doctor still reports relu/relu.cc once it is there: %+v", r)
	}
}
