package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// FuzzParse checks, for any input, that Parse never panics, that rejected
// input yields an Errors value whose every diagnostic has a position, and
// that accepted input survives conversion to edition 5 and an edition 5
// round trip unchanged, also with its layout (comments, array texts).
// Lint must not panic either.
func FuzzParse(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{
		filepath.Join(repoTestdata, "config", "*", "*.toml"),
		filepath.Join(repoTestdata, "update-build", "*", "input", "build.toml"),
		filepath.Join(repoTestdata, "config", "today", "*", "build.toml"),
		filepath.Join(repoTestdata, "update-build", "*", "output", "build.toml"),
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
			// Under a root that does not exist every listed path is
			// missing, an error, and so is a [tvm-ffi] build's Python
			// package; everything else Lint finds is a warning.
			missing := strings.Contains(d.Message, " does not exist") || strings.Contains(d.Message, "needs the Python package")
			if d.Line < 1 || d.Col < 1 || (d.Severity == Error) != missing {
				t.Fatalf("bad diagnostic %+v", d)
			}
		}
		b5, err := ToEdition5(l.Build, l.Format, "Apache-2.0", nil)
		if err != nil {
			// Only what edition 5 cannot hold may be refused.
			if l.Format >= V4 || ValidName(l.Build.General.Name) == nil && (l.Build.Torch != nil || len(l.Build.Kernels) == 0) {
				t.Fatalf("convertible build refused: %v", err)
			}
			return
		}
		out := EncodeEdition5(b5)
		back, err := Parse("build.toml", out)
		if err != nil {
			t.Fatalf("encoded build does not parse: %v\n%s", err, out)
		}
		if back.Format != Edition5 {
			t.Fatalf("encoded build detected as v%d", back.Format)
		}
		if !reflect.DeepEqual(back.Build, b5) {
			t.Fatalf("round trip changed the build\nbefore: %s\nafter:  %s\ntext:\n%s", dump(b5), dump(back.Build), out)
		}
		if l.Format == Edition5 && !reflect.DeepEqual(b5, l.Build) {
			t.Fatalf("converting an edition 5 build changed it")
		}
		if again := EncodeEdition5(back.Build); !bytes.Equal(again, out) {
			t.Fatalf("encoding is not idempotent:\n%s\nthen:\n%s", out, again)
		}
		// With the file's layout (update-build), the text reads back as
		// the same build and keeps every comment.
		kept := EncodeEdition5WithLayout(b5, l.Layout())
		back, err = Parse("build.toml", kept)
		if err != nil {
			t.Fatalf("encoded build with layout does not parse: %v\n%s", err, kept)
		}
		if !reflect.DeepEqual(back.Build, b5) {
			t.Fatalf("round trip with layout changed the build\nbefore: %s\nafter:  %s\ntext:\n%s", dump(b5), dump(back.Build), kept)
		}
		if a, b := sortedWords(commentLines(string(data))), sortedWords(commentLines(string(kept))); a != b {
			t.Fatalf("comments lost or added:\n%s\n%s\ntext:\n%s", a, b, kept)
		}
	})
}
