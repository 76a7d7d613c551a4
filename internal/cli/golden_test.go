package cli

import (
	"bytes"
	"errors"
	"flag"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/outdir"
)

var update = flag.Bool("update", false, "rewrite the expected output of golden cases (expected/, stderr.txt, exit)")

// kernelsDir holds the golden cases: every folder with a build.toml.
const kernelsDir = "../../testdata/kernels"

// Files of a case folder that describe the case rather than being input.
var caseMeta = []string{"expected", "args", "stderr.txt", "exit"}

// TestGolden runs generate-torch on every case in testdata/kernels and
// compares the whole written tree with expected/ (both ways), or, for a
// failing case, stderr with stderr.txt and the exit status with exit
// (default 2). A successful case must also pin its stderr in stderr.txt
// when it prints anything (warnings), and regenerating into the same
// directory must change nothing, not even a modification time.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join(kernelsDir, "*", "build.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatalf("no golden cases in %s", kernelsDir)
	}
	for _, c := range cases {
		dir := filepath.Dir(c)
		t.Run(filepath.Base(dir), func(t *testing.T) { goldenCase(t, dir) })
	}
}

// goldenFile is one file of a tree: content and whether it is executable.
type goldenFile struct {
	content string
	exec    bool
}

func goldenCase(t *testing.T, caseDir string) {
	args, err := caseArgs(caseDir)
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	inputs := copyInputs(t, caseDir, work)
	// A case runs generate-torch on its build.toml, or the command its args
	// start with (create-pyproject) on its folder.
	command, target := "generate-torch", filepath.Join(work, "build.toml")
	if len(args) > 0 && args[0] == "create-pyproject" {
		command, args, target = args[0], args[1:], work
	}
	argv := append(append([]string{command}, args...), target)

	code, stdout, stderr := runMain(argv)
	stderr = strings.ReplaceAll(stderr, work, "$DIR")
	written := writtenFiles(t, work, inputs)

	expectedDir := filepath.Join(caseDir, "expected")
	hasStderr := exists(filepath.Join(caseDir, "stderr.txt"))
	if !*update && !exists(expectedDir) && !hasStderr {
		t.Fatalf("case has neither expected/ nor stderr.txt; run with -update to create them (exit %d)\nstderr:\n%s", code, stderr)
	}
	wantFailure := !exists(expectedDir) && hasStderr
	if *update {
		wantFailure = code != 0
		updateCase(t, caseDir, code, stderr, written)
	}

	if wantFailure {
		wantCode := 2
		if data, err := os.ReadFile(filepath.Join(caseDir, "exit")); err == nil {
			if wantCode, err = strconv.Atoi(strings.TrimSpace(string(data))); err != nil {
				t.Fatalf("bad exit file: %v", err)
			}
		}
		if code != wantCode {
			t.Errorf("exit status %d, want %d; stderr:\n%s", code, wantCode, stderr)
		}
		compareStderr(t, caseDir, stderr)
		if code == ExitBadInput && stdout != "" {
			t.Errorf("stdout not empty on failure:\n%s", stdout)
		}
		for rel := range written {
			t.Errorf("a failing run wrote %s", rel)
		}
		return
	}

	if code != 0 {
		t.Fatalf("%s %s: exit %d\nstderr:\n%s", command, strings.Join(args, " "), code, stderr)
	}
	compareStderr(t, caseDir, stderr)
	compareTrees(t, expectedDir, readTree(t, expectedDir), written)

	// Idempotence: a second run into the same directory changes nothing.
	ageTree(t, work)
	before := listTree(t, work)
	if code, _, stderr2 := runMain(argv); code != 0 {
		t.Fatalf("second run: exit %d\n%s", code, stderr2)
	}
	if after := listTree(t, work); !maps.Equal(before, after) {
		t.Errorf("second run changed the tree")
	}
	if got := rewritten(t, work); len(got) > 0 {
		t.Errorf("second run rewrote files with identical content: %q", got)
	}
}

// caseArgs reads the command line of a case (none when absent): flags of
// generate-torch, or create-pyproject and its flags.
func caseArgs(caseDir string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(caseDir, "args"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return strings.Fields(string(data)), err
}

func runMain(args []string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := Main(args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// copyInputs copies a case, without its expectations, into work and
// returns what it copied.
func copyInputs(t *testing.T, caseDir, work string) map[string]goldenFile {
	t.Helper()
	inputs := map[string]goldenFile{}
	for rel, f := range readTree(t, caseDir) {
		if slices.Contains(caseMeta, strings.SplitN(rel, "/", 2)[0]) {
			continue
		}
		inputs[rel] = f
		writeGoldenFile(t, work, rel, f)
	}
	return inputs
}

// writtenFiles returns the files in work that the run created or changed.
func writtenFiles(t *testing.T, work string, inputs map[string]goldenFile) map[string]goldenFile {
	t.Helper()
	out := readTree(t, work)
	for rel, f := range inputs {
		if out[rel] == f {
			delete(out, rel)
		}
	}
	return out
}

// readTree returns every file under dir; an absent dir is an empty tree.
func readTree(t *testing.T, dir string) map[string]goldenFile {
	t.Helper()
	out := map[string]goldenFile{}
	if !exists(dir) {
		return out
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = goldenFile{content: string(data), exec: info.Mode()&0o111 != 0}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writeGoldenFile(t *testing.T, dir, rel string, f goldenFile) {
	t.Helper()
	full := filepath.Join(dir, filepath.FromSlash(rel))
	mode := fs.FileMode(0o644)
	if f.exec {
		mode = 0o755
	}
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(f.content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(full, mode); err != nil {
		t.Fatal(err)
	}
}

// compareTrees reports missing, extra and differing files, with a unified
// diff for each difference.
func compareTrees(t *testing.T, expectedDir string, want, got map[string]goldenFile) {
	t.Helper()
	var names []string
	for rel := range want {
		names = append(names, rel)
	}
	for rel := range got {
		if _, ok := want[rel]; !ok {
			names = append(names, rel)
		}
	}
	slices.Sort(names)
	for _, rel := range names {
		w, inWant := want[rel]
		g, inGot := got[rel]
		switch {
		case !inGot:
			t.Errorf("%s: expected but not written", rel)
		case !inWant:
			t.Errorf("%s: written but not in %s (run with -update to accept)", rel, expectedDir)
		case w.content != g.content:
			t.Errorf("%s differs from %s (run with -update to accept):\n%s", rel, expectedDir,
				outdir.UnifiedDiff("expected/"+rel, "got/"+rel, []byte(w.content), []byte(g.content)))
		case w.exec != g.exec:
			t.Errorf("%s: executable %v, want %v", rel, g.exec, w.exec)
		}
	}
}

// compareStderr checks stderr against stderr.txt (absent: stderr is empty).
func compareStderr(t *testing.T, caseDir, got string) {
	t.Helper()
	want := ""
	if data, err := os.ReadFile(filepath.Join(caseDir, "stderr.txt")); err == nil {
		want = string(data)
	}
	if got != want {
		t.Errorf("stderr differs from stderr.txt (run with -update to accept):\n%s",
			outdir.UnifiedDiff("stderr.txt", "stderr", []byte(want), []byte(got)))
	}
}

// updateCase rewrites a case's expectations from a run.
func updateCase(t *testing.T, caseDir string, code int, stderr string, written map[string]goldenFile) {
	t.Helper()
	expectedDir := filepath.Join(caseDir, "expected")
	// Start from scratch so that files no longer generated disappear.
	if err := os.RemoveAll(expectedDir); err != nil {
		t.Fatal(err)
	}
	if code == 0 {
		for rel, f := range written {
			writeGoldenFile(t, expectedDir, rel, f)
		}
	}
	setFile(t, filepath.Join(caseDir, "stderr.txt"), stderr, stderr != "" || code != 0)
	setFile(t, filepath.Join(caseDir, "exit"), strconv.Itoa(code)+"\n", code != 0 && code != ExitBadInput)
}

// setFile writes content to path when keep is set and removes path otherwise.
func setFile(t *testing.T, path, content string, keep bool) {
	t.Helper()
	var err error
	if keep {
		err = os.WriteFile(path, []byte(content), 0o644)
	} else if err = os.Remove(path); errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	if err != nil {
		t.Fatal(err)
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
