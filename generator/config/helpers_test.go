package config

import (
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// update rewrites golden outputs: make golden (or go test ./generator/config -update).
var update = flag.Bool("update", false, "rewrite golden files")

// repoTestdata is the repository's testdata folder.
var repoTestdata = filepath.Join("..", "..", "testdata")

// mustParse parses a build.toml given as text and fails on any error.
func mustParse(t *testing.T, text string) *Loaded {
	t.Helper()
	l, err := Parse("build.toml", []byte(text))
	if err != nil {
		t.Fatalf("unexpected error:\n%v", err)
	}
	return l
}

// loadForUpdate reads the build.toml at path as update-build does.
func loadForUpdate(path string) (*Loaded, error) {
	data, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseForUpdate(path, data)
}

// diagnosticLines formats an error from Parse as its diagnostics, one per
// entry, failing when the error is not an Errors value.
func diagnosticLines(t *testing.T, err error) []string {
	t.Helper()
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("error %v (%T) is not a config.Errors", err, err)
	}
	lines := make([]string, len(errs))
	for i, d := range errs {
		if d.Severity != Error || d.Line < 1 || d.Col < 1 {
			t.Errorf("diagnostic %q: severity %d, line %d, col %d", d.Message, d.Severity, d.Line, d.Col)
		}
		lines[i] = d.String()
	}
	return lines
}

// diagLines formats diagnostics one per entry.
func diagLines(ds []Diagnostic) []string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.String()
	}
	return lines
}

// checkLines compares line lists and prints both in full on a mismatch.
func checkLines(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("got:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// checkBuild compares two builds field by field for a readable failure.
func checkBuild(t *testing.T, got, want *Build) {
	t.Helper()
	// Builds written in tests leave Framework unset, which means Torch.
	if want.Framework == "" {
		w := *want
		w.Framework = FrameworkTorch
		want = &w
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("build mismatch\ngot:  %s\nwant: %s", dump(got), dump(want))
	}
}

func dump(b *Build) string {
	var s strings.Builder
	fmt.Fprintf(&s, "General=%+v", b.General)
	if b.General.CUDA != nil {
		fmt.Fprintf(&s, " CUDA=%+v", *b.General.CUDA)
	}
	if b.General.XPU != nil {
		fmt.Fprintf(&s, " XPU=%+v", *b.General.XPU)
	}
	if b.General.Hub != nil {
		fmt.Fprintf(&s, " Hub=%+v", *b.General.Hub)
	}
	if b.Torch != nil {
		fmt.Fprintf(&s, " Torch=%#v", *b.Torch)
	}
	for _, k := range b.Kernels {
		fmt.Fprintf(&s, "\n  %#v", k)
	}
	return s.String()
}

// ptr returns a pointer to v, for optional fields in expected values.
func ptr[T any](v T) *T { return &v }
