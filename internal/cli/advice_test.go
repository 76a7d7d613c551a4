package cli

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/internal/scaffold"
	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// adviceScenario brings about some advice: set up prepares a scratch
// project in dir (the working directory) and returns the command line to
// run there, which prints the advice.
type adviceScenario struct {
	name  string
	setUp func(t *testing.T, dir string) []string
	// typed, when set, is what the user types at a terminal.
	typed string
}

// v2Kernel writes the init scaffold in the v2 format, which has no
// license.
func v2Kernel(t *testing.T, dir string) {
	t.Helper()
	kernel(t, dir)
	writeFile(t, filepath.Join(dir, "build.toml"), `[general]
name = "my-kernel"
universal = false

[torch]
src = ["torch-ext/torch_binding.cpp", "torch-ext/torch_binding.h"]

[kernel.scale_add_cpu]
backend = "cpu"
depends = ["torch"]
src = ["scale_add_cpu/scale_add_cpu.cpp"]
include = ["torch-ext"]
`)
}

// kernel writes the init scaffold (edition 5, cpu and cuda) into dir.
func kernel(t *testing.T, dir string) {
	t.Helper()
	if _, err := scaffold.Create(dir, "my-kernel"); err != nil {
		t.Fatal(err)
	}
}

// gitCommitAll makes dir a git repository with everything committed.
func gitCommitAll(t *testing.T, dir string) {
	t.Helper()
	testenv.LookPath(t, "git")
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"commit", "-q", "-m", "kernel"}} {
		runGit(t, dir, args...)
	}
}

// runGit runs git in dir with a fixed identity and without the user's or
// the system's settings, and returns its output, trimmed; a failure ends
// the test.
func runGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func mustRun(t *testing.T, args ...string) {
	t.Helper()
	if r := runReal(t, "", args...); r.code != 0 {
		t.Fatalf("%q: %+v", args, r)
	}
}

var adviceScenarios = []adviceScenario{
	{name: "usage error", setUp: func(t *testing.T, dir string) []string {
		return []string{"generate-torch"}
	}},
	{name: "v2 file without license, generate-torch", setUp: func(t *testing.T, dir string) []string {
		v2Kernel(t, dir)
		return []string{"generate-torch", "--backend", "cpu", "build.toml"}
	}},
	{name: "v2 file without license, validate", setUp: func(t *testing.T, dir string) []string {
		v2Kernel(t, dir)
		return []string{"validate", "build.toml"}
	}},
	{name: "v2 file without license, check-config", setUp: func(t *testing.T, dir string) []string {
		v2Kernel(t, dir)
		return []string{"check-config"}
	}},
	{name: "v4 file with a license, check-config", setUp: func(t *testing.T, dir string) []string {
		kernel(t, dir)
		toml := readFile(t, filepath.Join(dir, "build.toml"))
		writeFile(t, filepath.Join(dir, "build.toml"), strings.Replace(toml, "edition = 5\n", "", 1))
		return []string{"check-config", "."}
	}},
	{name: "v4 file with a name update-build renames", setUp: func(t *testing.T, dir string) []string {
		kernel(t, dir)
		toml := readFile(t, filepath.Join(dir, "build.toml"))
		toml = strings.Replace(toml, "edition = 5\n", "", 1)
		writeFile(t, filepath.Join(dir, "build.toml"), strings.Replace(toml, `name = "my-kernel"`, `name = "my_kernel"`, 1))
		return []string{"create-pyproject"}
	}},
	{name: "what generate-torch cannot express", setUp: func(t *testing.T, dir string) []string {
		kernel(t, dir)
		toml := readFile(t, filepath.Join(dir, "build.toml"))
		writeFile(t, filepath.Join(dir, "build.toml"), strings.Replace(toml, "[torch]\n", "[torch]\nstable-abi = \"2.9\"\n", 1))
		return []string{"generate-torch", "--backend", "cpu", "build.toml"}
	}},
	{name: "a backend only today's layout builds", setUp: func(t *testing.T, dir string) []string {
		writeFile(t, filepath.Join(dir, "build.toml"), "[general]\nname = \"nki-relu\"\nversion = 1\nlicense = \"MIT\"\nbackends = [\"neuron\"]\n\n[torch-noarch]\n")
		writeFile(t, filepath.Join(dir, "torch-ext", "nki_relu", "__init__.py"), "")
		return []string{"generate-torch", "build.toml"}
	}},
	{name: "--check, files out of date", setUp: func(t *testing.T, dir string) []string {
		kernel(t, dir)
		mustRun(t, "generate-torch", "--backend", "cpu", "--ops-id", "a1", "build.toml")
		writeFile(t, filepath.Join(dir, "setup.py"), "# edited\n")
		return []string{"generate-torch", "--backend", "cpu", "--ops-id", "a1", "--check", "build.toml"}
	}},
	{name: "create-pyproject --check, files missing", setUp: func(t *testing.T, dir string) []string {
		kernel(t, dir)
		return []string{"create-pyproject", "--check", "--unique-id", "a1"}
	}},
	{name: "files that differ", setUp: func(t *testing.T, dir string) []string {
		kernel(t, dir)
		writeFile(t, filepath.Join(dir, "CMakeLists.txt"), "project(mine)\n")
		return []string{"create-pyproject", "--unique-id", "a1", "."}
	}},
	{name: "--dry-run, files that differ", setUp: func(t *testing.T, dir string) []string {
		kernel(t, dir)
		writeFile(t, filepath.Join(dir, "CMakeLists.txt"), "project(mine)\n")
		return []string{"generate-torch", "--dry-run", "--backend", "cpu", "build.toml"}
	}},
	{name: "the id changed", setUp: func(t *testing.T, dir string) []string {
		kernel(t, dir)
		gitCommitAll(t, dir)
		mustRun(t, "generate-torch", "--backend", "cpu", "build.toml")
		writeFile(t, filepath.Join(dir, "README.md"), "edited\n")
		return []string{"generate-torch", "--backend", "cpu", "build.toml"}
	}},
	{name: "the id changed, --check", setUp: func(t *testing.T, dir string) []string {
		kernel(t, dir)
		gitCommitAll(t, dir)
		mustRun(t, "create-pyproject")
		writeFile(t, filepath.Join(dir, "README.md"), "edited\n")
		return []string{"create-pyproject", "--check"}
	}},
	{name: "init with a bad name", setUp: func(t *testing.T, dir string) []string {
		return []string{"init", "My_Kernel"}
	}},
	{name: "init with a bad name and a folder", setUp: func(t *testing.T, dir string) []string {
		return []string{"init", "x", "new kernel"}
	}},
	{name: "clean without a terminal", setUp: func(t *testing.T, dir string) []string {
		kernel(t, dir)
		mustRun(t, "generate-torch", "--backend", "cpu", "build.toml")
		return []string{"clean", "build.toml"}
	}},
	{name: "clean-pyproject without a terminal", setUp: func(t *testing.T, dir string) []string {
		kernel(t, dir)
		mustRun(t, "create-pyproject")
		return []string{"clean-pyproject"}
	}},
}

// TestAdviceRuns brings about every kind of advice the tool prints and
// runs each printed command line in a shell, in a copy of the project as
// the command that printed it left it, with build2cmake (the test binary,
// see TestMain) on PATH: each
// must succeed (a --check that shows differences exits 1 by design).
func TestAdviceRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping under -short: runs every printed command in a shell")
	}
	testenv.LookPath(t, "bash")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	if err := os.Symlink(exe, filepath.Join(bin, "build2cmake")); err != nil {
		t.Fatal(err)
	}
	seen := map[adviceKind]bool{}
	for _, sc := range adviceScenarios {
		t.Run(sc.name, func(t *testing.T) {
			base := t.TempDir()
			// No repository above the scratch folders.
			t.Setenv("GIT_CEILING_DIRECTORIES", base)
			dir := filepath.Join(base, "project")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			t.Chdir(dir)
			args := sc.setUp(t, dir)

			type advice struct {
				kind adviceKind
				line string
			}
			var printed []advice
			var stdout, stderr strings.Builder
			a := newApp(strings.NewReader(""), &stdout, &stderr)
			a.probe = testProbe
			a.onAdvice = func(kind adviceKind, line string) { printed = append(printed, advice{kind, line}) }
			a.run(args)
			if len(printed) == 0 {
				t.Fatalf("%q printed no advice\nstderr:\n%s", args, stderr.String())
			}
			after := t.TempDir()
			if err := os.CopyFS(after, os.DirFS(dir)); err != nil {
				t.Fatal(err)
			}
			for _, p := range printed {
				seen[p.kind] = true
				if !strings.Contains(stderr.String(), "`"+p.line+"`") {
					t.Errorf("advice %q is not in the message:\n%s", p.line, stderr.String())
				}
				// Each runs on the project as the command left it.
				work := filepath.Join(t.TempDir(), "project")
				if err := os.CopyFS(work, os.DirFS(after)); err != nil {
					t.Fatal(err)
				}
				cmd := exec.Command("bash", "-c", p.line)
				cmd.Dir = work
				cmd.Env = append(os.Environ(), runMainEnv+"=1", "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
				out, err := cmd.CombinedOutput()
				want := 0
				if p.kind == adviceShowDiff {
					want = ExitDiffers
				}
				if code := cmd.ProcessState.ExitCode(); code != want || err != nil && want == 0 {
					t.Errorf("advice of %q: `%s` exited %d, want %d\n%s", args, p.line, code, want, out)
				}
			}
		})
	}
	for kind := adviceKind(0); kind < numAdviceKinds; kind++ {
		if !seen[kind] && !t.Failed() {
			t.Errorf("no scenario prints advice of kind %d: add one to adviceScenarios", kind)
		}
	}
}

// TestAdviceGoesThroughAdvise: a build2cmake command line in a message is
// built by advise, so TestAdviceRuns runs it. It fails for a string
// literal of the program that shows one any other way.
func TestAdviceGoesThroughAdvise(t *testing.T) {
	// The one exception: the header of generated files names the
	// command that rewrites them.
	allowed := map[string]bool{"generator/templates.go": true}
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if rel == "internal/cli/advice.go" || allowed[rel] {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			if s, err := strconv.Unquote(lit.Value); err == nil && strings.Contains(s, "`build2cmake ") {
				t.Errorf("%s: %q shows a build2cmake command line; build it with advise", fset.Position(lit.Pos()), s)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
