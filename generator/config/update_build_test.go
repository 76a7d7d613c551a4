package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUpdateBuild converts every testdata/update-build/<case>/input to
// edition 5 and compares with <case>/output (rewritten with -update). A
// case whose input has no license gives it in <case>/license, as
// --license would, and the conversion must fail without it. The output
// must itself be an edition 5 file that reads back as the converted build
// and encodes to the same bytes (a second update-build changes nothing).
func TestUpdateBuild(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join(repoTestdata, "update-build", "*"))
	if err != nil || len(cases) < 10 {
		t.Fatalf("found %d update-build cases: %v", len(cases), err)
	}
	for _, dir := range cases {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			in, err := loadForUpdate(filepath.Join(dir, "input", "build.toml"))
			if err != nil {
				t.Fatal(err)
			}
			if in.Format == Edition5 {
				t.Fatal("input is already edition 5")
			}
			license := ""
			if data, err := os.ReadFile(filepath.Join(dir, "license")); err == nil {
				license = strings.TrimSpace(string(data))
				if in.Build.General.License != "" {
					t.Fatal("the input has a license; remove the license file")
				}
				if _, err := ToEdition5(in.Build, in.Format, "", nil); !errors.Is(err, ErrNoLicense) {
					t.Errorf("without a license: got %v, want ErrNoLicense", err)
				}
			}
			b5, err := ToEdition5(in.Build, in.Format, license, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := EncodeEdition5WithLayout(b5, in.Layout())
			outPath := filepath.Join(dir, "output", "build.toml")
			if *update {
				if err := os.MkdirAll(filepath.Dir(outPath), 0o755); err != nil {
					t.Fatal(err)
				}
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
			if out.Format != Edition5 {
				t.Errorf("output detected as v%d, want edition 5", out.Format)
			}
			checkBuild(t, out.Build, b5)
			// Every comment of the input is in the output, in the order
			// written (trailing comments of one line may be joined).
			inText, _ := os.ReadFile(filepath.Join(dir, "input", "build.toml"))
			if a, b := strings.Join(commentLines(string(inText)), " "), strings.Join(commentLines(string(want)), " "); a != b {
				t.Errorf("comments differ:\ninput:  %s\noutput: %s", a, b)
			}
			again, err := ToEdition5(out.Build, out.Format, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			if again := EncodeEdition5WithLayout(again, out.Layout()); !bytes.Equal(again, want) {
				t.Errorf("converting the output again changes it:\n%s", again)
			}
		})
	}
}
