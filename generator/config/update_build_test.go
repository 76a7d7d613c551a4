package config

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestUpdateBuild converts every testdata/update-build/<case>/input to v3
// and compares with <case>/output (rewritten with -update). The output
// must itself be a v3 file that update-build leaves byte for byte alone.
func TestUpdateBuild(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join(repoTestdata, "update-build", "*"))
	if err != nil || len(cases) == 0 {
		t.Fatalf("no update-build cases: %v", err)
	}
	for _, dir := range cases {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			in, err := Load(filepath.Join(dir, "input", "build.toml"))
			if err != nil {
				t.Fatal(err)
			}
			got := EncodeV3(in.Build)
			outPath := filepath.Join(dir, "output", "build.toml")
			if *update {
				if err := os.WriteFile(outPath, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(outPath)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("output differs (run with -update to accept)\ngot:\n%s\nwant:\n%s", got, want)
			}
			out, err := Parse(outPath, want)
			if err != nil {
				t.Fatal(err)
			}
			if out.Format != V3 {
				t.Errorf("output detected as v%d, want v3", out.Format)
			}
			checkBuild(t, out.Build, in.Build)
			if again := EncodeV3(out.Build); !bytes.Equal(again, want) {
				t.Errorf("re-encoding the output changes it:\n%s", again)
			}
		})
	}
}
