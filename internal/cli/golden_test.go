package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
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

var update = flag.Bool("update", false, "rewrite the expected output of golden cases (expected/, shared.txt, stderr.txt, exit, ../../testdata/shared)")

// kernelsDir holds the golden cases: every folder with a build.toml.
const kernelsDir = "../../testdata/kernels"

// sharedDir holds the one expected copy of each file that every case
// writes identically (see sharedPaths).
const sharedDir = "../../testdata/shared"

// sharedPaths are the generated files whose content does not depend on the
// case: the shipped CMake modules and helper scripts, and registration.h.
// A case's expected/ tree leaves them out; its shared.txt lists which of
// them the case writes, and each written copy must equal the one in
// sharedDir. So a template change is one diff to review, not one per case,
// and a file that goes missing or changes in one case still fails.
var sharedPaths = []string{
	"cmake/compile-metal.cmake",
	"cmake/hipify.py",
	"cmake/metallib_to_header.py",
	"cmake/tvm-ffi.cmake",
	"cmake/utils.cmake",
	"cmake/variants.cmake",
	"cmake/windows.cmake",
	"torch-ext/registration.h",
}

// sharedCommand stands, in the copies in sharedDir, where a generated
// file's header names the command that wrote it: generate-torch and
// create-pyproject write the same shared files but for that line, and one
// copy serves both (see sharedForm).
const sharedCommand = "`build2cmake COMMAND`"

// Files of a case folder that describe the case rather than being input.
var caseMeta = []string{"expected", "shared.txt", "args", "stderr.txt", "exit"}

// TestGolden runs generate-torch on every case in testdata/kernels and
// compares the whole written tree with expected/ plus the shared files
// listed in shared.txt (both ways), or, for a failing case, stderr with
// stderr.txt and the exit status with exit (default 2). A successful case
// must also pin its stderr in stderr.txt when it prints anything
// (warnings), generation must not delete or change any input file, and
// regenerating into the same directory must change nothing, not even a
// modification time.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join(kernelsDir, "*", "build.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatalf("no golden cases in %s", kernelsDir)
	}
	g := &goldenRun{shared: readTree(t, sharedDir), used: map[string]string{}, shownDiff: map[string]bool{}}
	ran := 0
	for _, c := range cases {
		dir := filepath.Dir(c)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			ran++
			g.runCase(t, dir)
		})
	}
	// Only a run of every case knows which shared copies are unused.
	if ran == len(cases) {
		g.finish(t)
	}
}

// goldenFile is one file of a tree: content and whether it is executable.
type goldenFile struct {
	content string
	exec    bool
}

// goldenRun is the state TestGolden shares between its cases.
type goldenRun struct {
	// shared is the content of sharedDir when the run started.
	shared map[string]goldenFile
	// used maps each shared path some case wrote to the first such case.
	used map[string]string
	// shownDiff records the shared paths whose diff was printed already,
	// so that a template change prints one diff, not one per case.
	shownDiff map[string]bool
	// command is the command the running case runs; its shared files must
	// name it in their header. Empty (harness tests) checks no header.
	command string
}

func (g *goldenRun) runCase(t *testing.T, caseDir string) {
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
	g.command = command

	code, stdout, stderr := runMain(argv)
	stderr = strings.ReplaceAll(stderr, work, "$DIR")
	written, problems := writtenFiles(inputs, readTree(t, work))
	report(t, problems)

	expectedDir := filepath.Join(caseDir, "expected")
	hasStderr := exists(filepath.Join(caseDir, "stderr.txt"))
	if !*update && !exists(expectedDir) && !hasStderr {
		t.Fatalf("case has neither expected/ nor stderr.txt; run with -update to create them (exit %d)\nstderr:\n%s", code, stderr)
	}
	wantFailure := !exists(expectedDir) && hasStderr
	if *update {
		wantFailure = code != 0
		g.updateCase(t, caseDir, code, stderr, written)
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
		for _, rel := range slices.Sorted(maps.Keys(written)) {
			t.Errorf("a failing run wrote %s", rel)
		}
		return
	}

	if code != 0 {
		t.Fatalf("%s %s: exit %d\nstderr:\n%s", command, strings.Join(args, " "), code, stderr)
	}
	compareStderr(t, caseDir, stderr)
	listed, err := readSharedList(caseDir)
	if err != nil {
		t.Fatal(err)
	}
	rest, problems := g.checkShared(listed, written)
	report(t, problems)
	for _, rel := range listed {
		if _, ok := g.used[rel]; !ok {
			g.used[rel] = filepath.Base(caseDir)
		}
	}
	report(t, treeProblems(expectedDir, readTree(t, expectedDir), rest))

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

// report fails t with each problem.
func report(t *testing.T, problems []string) {
	t.Helper()
	for _, p := range problems {
		t.Error(p)
	}
}

// checkShared takes the shared files out of written: each one must be
// listed in listed (the case's shared.txt) and equal its copy in sharedDir,
// and each listed one must be written. It returns the other files and the
// problems found.
func (g *goldenRun) checkShared(listed []string, written map[string]goldenFile) (map[string]goldenFile, []string) {
	var problems []string
	rest := maps.Clone(written)
	for _, rel := range listed {
		if !slices.Contains(sharedPaths, rel) {
			problems = append(problems, fmt.Sprintf("shared.txt lists %s, which is not one of the shared files %q", rel, sharedPaths))
			continue
		}
		got, ok := written[rel]
		delete(rest, rel)
		want, known := g.shared[rel]
		named := true
		if ok {
			got, named = g.sharedForm(got)
		}
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s: listed in shared.txt but not written", rel))
		case !named:
			problems = append(problems, fmt.Sprintf("%s: its header does not name `build2cmake %s`", rel, g.command))
		case !known:
			problems = append(problems, fmt.Sprintf("%s: no expected copy in %s (run with -update to create it)", rel, sharedDir))
		case want.content != got.content:
			msg := fmt.Sprintf("%s differs from %s/%s (run with -update to accept)", rel, sharedDir, rel)
			if g.shownDiff[rel] {
				msg += "; the diff is shown under the first case that wrote it"
			} else {
				g.shownDiff[rel] = true
				msg += ":\n" + outdir.UnifiedDiff("shared/"+rel, "got/"+rel, []byte(want.content), []byte(got.content))
			}
			problems = append(problems, msg)
		case want.exec != got.exec:
			problems = append(problems, fmt.Sprintf("%s: executable %v, want %v", rel, got.exec, want.exec))
		}
	}
	for _, rel := range sharedPaths {
		if _, ok := written[rel]; ok && !slices.Contains(listed, rel) {
			delete(rest, rel)
			problems = append(problems, fmt.Sprintf("%s: written but not listed in shared.txt (run with -update to accept)", rel))
		}
	}
	return rest, problems
}

// sharedForm returns a written shared file as sharedDir holds it: with
// sharedCommand where its header (the first three lines) names the running
// case's command. It reports false when the header does not name it.
func (g *goldenRun) sharedForm(f goldenFile) (goldenFile, bool) {
	if g.command == "" {
		return f, true
	}
	phrase := "`build2cmake " + g.command + "`"
	head := f.content
	if lines := strings.SplitAfterN(head, "\n", 4); len(lines) == 4 {
		head = strings.Join(lines[:3], "")
	}
	if !strings.Contains(head, phrase) {
		return f, false
	}
	f.content = strings.Replace(f.content, phrase, sharedCommand, 1)
	return f, true
}

// finish checks, after every case ran, that sharedDir holds exactly the
// shared files some case writes; with -update it removes the others.
func (g *goldenRun) finish(t *testing.T) {
	for _, rel := range slices.Sorted(maps.Keys(g.shared)) {
		if _, ok := g.used[rel]; ok {
			continue
		}
		if *update {
			if err := os.Remove(filepath.Join(sharedDir, filepath.FromSlash(rel))); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s/%s: no case writes it (run with -update to remove it)", sharedDir, rel)
	}
}

// readSharedList reads a case's shared.txt: one shared path a line.
func readSharedList(caseDir string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(caseDir, "shared.txt"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return strings.Fields(string(data)), err
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

// writtenFiles returns the files of the tree after a run (after) that the
// run created or changed (a changed input is compared with expected/ like
// any written file), and a problem for each input file the run deleted.
func writtenFiles(inputs, after map[string]goldenFile) (map[string]goldenFile, []string) {
	out := maps.Clone(after)
	var problems []string
	for _, rel := range slices.Sorted(maps.Keys(inputs)) {
		f, ok := after[rel]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s: input file deleted by generation", rel))
		case f == inputs[rel]:
			delete(out, rel)
		}
	}
	return out, problems
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

// treeProblems reports missing, extra and differing files, with a unified
// diff for each difference.
func treeProblems(expectedDir string, want, got map[string]goldenFile) []string {
	var problems []string
	names := slices.Sorted(maps.Keys(want))
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
			problems = append(problems, fmt.Sprintf("%s: expected but not written", rel))
		case !inWant:
			problems = append(problems, fmt.Sprintf("%s: written but not in %s (run with -update to accept)", rel, expectedDir))
		case w.content != g.content:
			problems = append(problems, fmt.Sprintf("%s differs from %s (run with -update to accept):\n%s", rel, expectedDir,
				outdir.UnifiedDiff("expected/"+rel, "got/"+rel, []byte(w.content), []byte(g.content))))
		case w.exec != g.exec:
			problems = append(problems, fmt.Sprintf("%s: executable %v, want %v", rel, g.exec, w.exec))
		}
	}
	return problems
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

// updateCase rewrites a case's expectations from a run: expected/ gets
// the files that are not shared, shared.txt lists the shared ones and
// sharedDir gets their content (which every case must agree on).
func (g *goldenRun) updateCase(t *testing.T, caseDir string, code int, stderr string, written map[string]goldenFile) {
	t.Helper()
	expectedDir := filepath.Join(caseDir, "expected")
	// Start from scratch so that files no longer generated disappear.
	if err := os.RemoveAll(expectedDir); err != nil {
		t.Fatal(err)
	}
	var listed []string
	if code == 0 {
		for rel, f := range written {
			if !slices.Contains(sharedPaths, rel) {
				writeGoldenFile(t, expectedDir, rel, f)
				continue
			}
			listed = append(listed, rel)
			f, named := g.sharedForm(f)
			if !named {
				t.Errorf("%s: its header does not name `build2cmake %s`", rel, g.command)
				continue
			}
			if first, ok := g.used[rel]; ok {
				// An earlier case of this run wrote the shared copy.
				if g.shared[rel] != f {
					t.Errorf("%s differs from what case %s wrote: it is not the same for every case, so take it out of sharedPaths", rel, first)
				}
				continue
			}
			g.shared[rel] = f
			writeGoldenFile(t, sharedDir, rel, f)
		}
	}
	slices.Sort(listed)
	setFile(t, filepath.Join(caseDir, "shared.txt"), strings.Join(listed, "\n")+"\n", len(listed) > 0)
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
