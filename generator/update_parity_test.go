package generator

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

// TestUpdateBuildKeepsGeneration: for every update-build case, and for
// every v4 file of today's kernels, generate-torch's files (for every
// backend the build lists) and create-pyproject's are the same before and
// after the conversion to edition 5: update-build loses nothing. A kernel
// that update-build renames (layer_norm to layer-norm) keeps its Python
// package and ops names.
func TestUpdateBuildKeepsGeneration(t *testing.T) {
	type pair struct{ before, after *config.Build }
	cases := map[string]pair{}
	dirs, _ := filepath.Glob("../testdata/update-build/*")
	for _, dir := range dirs {
		input := filepath.Join(dir, "input", "build.toml")
		data, err := config.ReadFile(input)
		if err != nil {
			t.Fatal(err)
		}
		in, err := config.ParseForUpdate(input, data)
		if err != nil {
			t.Fatal(err)
		}
		out, err := config.Load(filepath.Join(dir, "output", "build.toml"))
		if err != nil {
			t.Fatal(err)
		}
		cases[filepath.Base(dir)] = pair{in.Build, out.Build}
	}
	today, _ := filepath.Glob("../testdata/config/today/*/build.toml")
	for _, f := range today {
		in, err := config.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		if in.Format != config.V4 {
			continue
		}
		b5, err := config.ToEdition5(in.Build, in.Format, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		out, err := config.Parse(f, config.EncodeEdition5(b5))
		if err != nil {
			t.Fatal(err)
		}
		cases["today/"+filepath.Base(filepath.Dir(f))] = pair{in.Build, out.Build}
	}
	if len(cases) < 20 {
		t.Fatalf("only %d cases", len(cases))
	}
	rendered := 0
	for name, c := range cases {
		renamed := c.before.General.Name != c.after.General.Name
		if renamed {
			// update-build renames layer_norm to layer-norm only when
			// the Python package, and so every ops name, stays.
			if c.before.General.PythonName() != c.after.General.PythonName() {
				t.Errorf("%s: Python package %s became %s", name, c.before.General.PythonName(), c.after.General.PythonName())
			}
		}
		if c.before.Framework == config.FrameworkTVMFFI {
			continue // generate-torch and create-pyproject refuse it before and after
		}
		for _, backend := range c.before.General.Backends {
			if !slices.Contains(config.Backends, backend) {
				continue
			}
			opsName := OpsName(c.before.General.PythonName(), "0000000")
			if after := OpsName(c.after.General.PythonName(), "0000000"); after != opsName {
				t.Errorf("%s: ops name %s became %s", name, opsName, after)
			}
			opts := Options{Backend: backend, OpsName: opsName, TargetOS: "linux"}
			before, errBefore := Render(c.before.EarlyLayout(), opts)
			after, errAfter := Render(c.after.EarlyLayout(), opts)
			compareRenders(t, fmt.Sprintf("%s generate-torch --backend %s", name, backend), c.before, c.after, before, after, errBefore, errAfter)
			rendered++
		}
		// create-pyproject reads the license and version that the
		// conversion adds, as a user would give them.
		filled := *c.before
		filled.General = c.after.General
		filled.General.Name = c.before.General.Name
		opts := PyprojectOptions{UniqueID: "parity"}
		before, errBefore := RenderPyproject(&filled, opts)
		after, errAfter := RenderPyproject(c.after, opts)
		compareRenders(t, name+" create-pyproject", c.before, c.after, before, after, errBefore, errAfter)
	}
	if rendered < 40 {
		t.Errorf("compared only %d renders", rendered)
	}
	for _, c := range []string{"v1-underscore", "v2-underscore", "v3-underscore"} {
		if p, ok := cases[c]; !ok || p.before.General.Name == p.after.General.Name {
			t.Errorf("case %s is missing or not renamed", c)
		}
	}
}

// compareRenders reports every file that differs between renders of a
// build before and after update-build. Where update-build renamed the
// kernel, the kernel's name itself may differ where it is written as it
// stands, in the CMake project() line and in metadata's "name"; the files,
// their paths and _ops.py stay the same.
func compareRenders(t *testing.T, what string, b, a *config.Build, before, after []File, errBefore, errAfter error) {
	t.Helper()
	if (errBefore == nil) != (errAfter == nil) {
		t.Errorf("%s: error before %v, after %v", what, errBefore, errAfter)
		return
	}
	if len(before) != len(after) {
		t.Errorf("%s: %d files before, %d after", what, len(before), len(after))
		return
	}
	for i := range before {
		x, y := before[i], after[i]
		if x.Path != y.Path || x.Executable != y.Executable {
			t.Errorf("%s: %s became %s", what, x.Path, y.Path)
			continue
		}
		if bytes.Equal(x.Content, y.Content) {
			continue
		}
		if b.General.Name == a.General.Name || path.Base(x.Path) == "_ops.py" {
			t.Errorf("%s: %s differs after update-build", what, x.Path)
			continue
		}
		oldName := []byte(b.General.Name)
		allowed := map[string][2][]byte{
			"CMakeLists.txt": {[]byte("project(" + cmakeWord(b.General.Name)), []byte("project(" + cmakeWord(a.General.Name))},
		}
		if strings.HasPrefix(x.Path, "metadata") {
			allowed[x.Path] = [2][]byte{[]byte(`"name": "` + string(oldName) + `"`), []byte(`"name": "` + a.General.Name + `"`)}
		}
		r, ok := allowed[x.Path]
		if !ok || !bytes.Equal(bytes.Replace(x.Content, r[0], r[1], 1), y.Content) {
			t.Errorf("%s: %s differs after update-build beyond the kernel's name:\n%s", what, x.Path, y.Content)
		}
	}
}
