package testenv

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// skipCall matches a test skipping itself.
var skipCall = regexp.MustCompile(`\.Skip(f|Now)?\(`)

// allowedSkips are the skips that do not hide a missing prerequisite:
// -short (make test-short), and a macOS toolchain test that cannot work on
// a Mac. The reference-example tests need a folder outside the repository
// and are being reworked separately.
var allowedSkips = []*regexp.Regexp{
	regexp.MustCompile(`xcodebuild exists here`),
	regexp.MustCompile(`reference examples not present`),
}

// TestSkipsGoThroughTestenv keeps the CI=true rule: a test that lacks a
// program or permission calls Missing (which fails under CI=true) instead
// of skipping on its own; only -short may skip directly.
func TestSkipsGoThroughTestenv(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") || filepath.Dir(path) == mustAbs(t, ".") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		lines := strings.Split(string(data), "\n")
		for i, line := range lines {
			if !skipCall.MatchString(line) || allowed(line) {
				continue
			}
			if i > 0 && strings.Contains(lines[i-1], "testing.Short()") {
				continue
			}
			rel, _ := filepath.Rel(root, path)
			t.Errorf("%s:%d: skips without testenv.Missing, so CI=true would not notice: %s", rel, i+1, strings.TrimSpace(line))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 10 {
		t.Fatalf("checked only %d test files under %s", checked, root)
	}
}

func allowed(line string) bool {
	for _, re := range allowedSkips {
		if re.MatchString(line) {
			return true
		}
	}
	return false
}

func mustAbs(t *testing.T, path string) string {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// outsideContext matches what only the people who wrote this repository
// could follow: references to a specification, issues or roles outside
// it, and paths of one particular machine. A reader of the repository has
// docs/ (docs/design.md for the reference and our differences); scripts
// take machine paths as arguments or environment variables.
var outsideContext = []*regexp.Regexp{
	regexp.MustCompile(`\bS` + `PEC\b`),
	regexp.MustCompile(`\b[Ss]pec [A-F][0-9]`),
	regexp.MustCompile(`\b[A-F] of the spec\b`),
	regexp.MustCompile(`\b[Tt]he ` + `lead\b`),
	regexp.MustCompile(`\b[Dd]evice ` + `tool\b`),
	regexp.MustCompile(`\b[Ii]ssue ` + `[0-9]`),
	regexp.MustCompile(`/` + `work/`),
	regexp.MustCompile(`\.\./` + `shared\b`),
}

// TestRepositorySpeaksForItself: no committed text file (code, docs,
// scripts, testdata) refers to context outside the repository.
func TestRepositorySpeaksForItself(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	skipDirs := map[string]bool{"bin": true, "build": true, "build-ext": true, "__pycache__": true}
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (strings.HasPrefix(d.Name(), ".") || skipDirs[d.Name()]) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || d.Name() == ".git" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.IndexByte(data, 0) >= 0 {
			return nil // a binary file
		}
		checked++
		rel, _ := filepath.Rel(root, path)
		for i, line := range strings.Split(string(data), "\n") {
			for _, re := range outsideContext {
				if m := re.FindString(line); m != "" {
					t.Errorf("%s:%d: %q refers to something outside the repository: %s", rel, i+1, m, strings.TrimSpace(line))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Fatalf("checked only %d files under %s", checked, root)
	}
}
