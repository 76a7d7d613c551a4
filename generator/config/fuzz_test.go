package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzParse checks, for any input, that Parse never panics, that rejected
// input yields an Errors value whose every diagnostic has a position, and
// that accepted input survives a v3 round trip unchanged. Lint must not
// panic either.
func FuzzParse(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{
		filepath.Join(repoTestdata, "config", "*", "*.toml"),
		filepath.Join(repoTestdata, "update-build", "*", "input", "build.toml"),
	} {
		m, _ := filepath.Glob(pattern)
		seeds = append(seeds, m...)
	}
	if len(seeds) == 0 {
		f.Fatal("no seed files")
	}
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Parse("build.toml", data)
		if err != nil {
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("error %v (%T) is not a non-empty config.Errors", err, err)
			}
			for _, d := range errs {
				if d.Line < 1 || d.Col < 1 || d.Severity != Error || d.Message == "" {
					t.Fatalf("bad diagnostic %+v", d)
				}
			}
			return
		}
		for _, d := range Lint(l, "/nonexistent-project-root") {
			if d.Line < 1 || d.Col < 1 || d.Severity != Warning {
				t.Fatalf("bad warning %+v", d)
			}
		}
		out := EncodeV3(l.Build)
		back, err := Parse("build.toml", out)
		if err != nil {
			t.Fatalf("encoded build does not parse: %v\n%s", err, out)
		}
		if back.Format != V3 {
			t.Fatalf("encoded build detected as v%d", back.Format)
		}
		if !reflect.DeepEqual(back.Build, l.Build) {
			t.Fatalf("round trip changed the build\nbefore: %s\nafter:  %s\ntext:\n%s", dump(l.Build), dump(back.Build), out)
		}
		if again := EncodeV3(back.Build); !bytes.Equal(again, out) {
			t.Fatalf("encoding is not idempotent:\n%s\nthen:\n%s", out, again)
		}
	})
}
