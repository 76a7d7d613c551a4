package generator

import (
	"bytes"
	"path/filepath"
	"slices"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

// TestUpdateBuildKeepsGeneration: for every update-build case, and for
// every v4 file of today's kernels, generate-torch's files are the same
// before and after the conversion to edition 5, for every backend the
// build lists: update-build loses nothing.
func TestUpdateBuildKeepsGeneration(t *testing.T) {
	type pair struct{ before, after *config.Build }
	cases := map[string]pair{}
	dirs, _ := filepath.Glob("../testdata/update-build/*")
	for _, dir := range dirs {
		in, err := config.Load(filepath.Join(dir, "input", "build.toml"))
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
		if c.before.Framework == config.FrameworkTVMFFI {
			continue // generate-torch refuses it before and after
		}
		for _, backend := range c.before.General.Backends {
			if !slices.Contains(config.Backends, backend) {
				continue
			}
			opts := Options{Backend: backend, OpsName: "_parity_0000000", TargetOS: "linux"}
			before, errBefore := Render(c.before.EarlyLayout(), opts)
			after, errAfter := Render(c.after.EarlyLayout(), opts)
			if (errBefore == nil) != (errAfter == nil) {
				t.Errorf("%s %s: error before %v, after %v", name, backend, errBefore, errAfter)
				continue
			}
			if len(before) != len(after) {
				t.Errorf("%s %s: %d files before, %d after", name, backend, len(before), len(after))
				continue
			}
			for i := range before {
				if before[i].Path != after[i].Path || !bytes.Equal(before[i].Content, after[i].Content) || before[i].Executable != after[i].Executable {
					t.Errorf("%s %s: %s differs after update-build", name, backend, before[i].Path)
				}
			}
			rendered++
		}
	}
	if rendered < 40 {
		t.Errorf("compared only %d renders", rendered)
	}
}
