package cli

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator"
	"github.com/build2cmake-go/build2cmake/internal/scaffold"
	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// layoutRuns are the two ways of generating a project, without an id.
var layoutRuns = []struct {
	name           string
	generate       func(dir string) []string
	clean          func(dir string) []string
	layout         generator.Layout
	documentedFlag string
	// recordsGitState: the files record whether the kernel's tracked
	// files changed (create-pyproject's metadata), so a dirty tree
	// changes more than the id.
	recordsGitState bool
}{
	{
		name: "generate-torch",
		generate: func(dir string) []string {
			return []string{"generate-torch", "--backend", "cpu", filepath.Join(dir, "build.toml")}
		},
		clean:          func(dir string) []string { return []string{"clean", "--force", filepath.Join(dir, "build.toml")} },
		layout:         generator.EarlyLayout,
		documentedFlag: "--ops-id",
	},
	{
		name:            "create-pyproject",
		generate:        func(dir string) []string { return []string{"create-pyproject", dir} },
		clean:           func(dir string) []string { return []string{"clean-pyproject", "--force", dir} },
		layout:          generator.TodayLayout,
		documentedFlag:  "--unique-id",
		recordsGitState: true,
	},
}

// outsideGit returns a new kernel project (init's scaffold) in a folder
// that git does not see as part of a repository.
func outsideGit(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	t.Setenv("GIT_CEILING_DIRECTORIES", base)
	dir := filepath.Join(base, "my-kernel")
	if _, err := scaffold.Create(dir, "my-kernel"); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestRerunWithoutGitChangesNothing: outside git the id no longer changes
// from run to run, so running a command again changes nothing, not even a
// modification time; and after an edit of build.toml the files keep their
// id, so the ops keep their names and the build its folder.
func TestRerunWithoutGitChangesNothing(t *testing.T) {
	for _, run := range layoutRuns {
		t.Run(run.name, func(t *testing.T) {
			dir := outsideGit(t)
			sources := listTree(t, dir)
			if r := runReal(t, "", run.generate(dir)...); r.code != 0 {
				t.Fatalf("first run: %+v", r)
			}
			ops := readFile(t, filepath.Join(dir, generator.OpsPath("my_kernel")))
			first := generator.KeptID(run.layout, []byte(ops), "my_kernel")
			if want := generator.DerivedID("my_kernel", []byte(sources["build.toml"])); first != want {
				t.Errorf("first run's id %q, want %q, derived from build.toml", first, want)
			}

			ageTree(t, dir)
			before := listTree(t, dir)
			if r := runReal(t, "", run.generate(dir)...); r.code != 0 || r.stderr != "" {
				t.Errorf("second run: %+v, want exit 0 and nothing on stderr", r)
			}
			if !maps.Equal(listTree(t, dir), before) || len(rewritten(t, dir)) > 0 {
				t.Errorf("the second run changed files: %q", rewritten(t, dir))
			}

			// An edit of build.toml (here a comment, which changes no
			// generated file) would change the derived id; the files keep
			// theirs.
			writeFile(t, filepath.Join(dir, "build.toml"), sources["build.toml"]+"# edited\n")
			ageTree(t, dir)
			if r := runReal(t, "", run.generate(dir)...); r.code != 0 || len(rewritten(t, dir)) > 0 {
				t.Errorf("run after an edit of build.toml: %+v, rewrote %q", r, rewritten(t, dir))
			}

			// clean still finds every generated file.
			if r := runReal(t, "", run.clean(dir)...); r.code != 0 {
				t.Fatalf("clean: %+v", r)
			}
			sources["build.toml"] += "# edited\n"
			if got := listTree(t, dir); !maps.Equal(got, sources) {
				t.Errorf("after clean the project holds other files than its sources: %v", slices.Sorted(maps.Keys(got)))
			}
		})
	}
}

// TestChangedIDIsExplained: when the files differ because the id changed
// (here: a tracked file was edited, so git's id gains _dirty), the message
// says so, and the command it gives to keep the files' id works.
func TestChangedIDIsExplained(t *testing.T) {
	testenv.LookPath(t, "git")
	for _, run := range layoutRuns {
		t.Run(run.name, func(t *testing.T) {
			dir := outsideGit(t)
			gitCommitAll(t, dir)
			tree := runGit(t, dir, "rev-parse", "HEAD^{tree}")[:7]
			if r := runReal(t, "", run.generate(dir)...); r.code != 0 {
				t.Fatalf("first run: %+v", r)
			}

			// Edit a tracked source: the id becomes <tree>_dirty.
			src := filepath.Join(dir, "scale_add_cpu", "scale_add_cpu.cpp")
			writeFile(t, src, readFile(t, src)+"// edited\n")
			args := run.generate(dir)
			before := listTree(t, dir)
			r := runReal(t, "", args...)
			// The command that keeps the id; with --force when more than the
			// id changed.
			keepArgs := append(append([]string{}, args[:len(args)-1]...), run.documentedFlag, tree)
			rest := "the only difference"
			if run.recordsGitState {
				keepArgs, rest = append(keepArgs, "--force"), "besides other changes"
			}
			keepArgs = append(keepArgs, args[len(args)-1])
			keep := "`build2cmake " + strings.Join(keepArgs, " ") + "`"
			note := "\nthe ops id is now \"" + tree + "_dirty\" (from the git tree of the project, whose tracked files differ from the last commit) where the files have \"" + tree +
				"\", " + rest + "; run " + keep + " to keep their id, or write the files with --force to rename the ops (pip then builds from scratch, in a new build/<key>/ folder)\n"
			if r.code != ExitBadInput || !strings.HasSuffix(r.stderr, note) {
				t.Errorf("rerun with a dirty tree: %+v\nwant exit 2 and stderr ending in %q", r, note)
			}
			if !maps.Equal(listTree(t, dir), before) {
				t.Error("a refused run wrote files")
			}
			// --check says the same after its diff.
			check := append([]string{args[0], "--check"}, args[1:]...)
			if r := runReal(t, "", check...); r.code != ExitDiffers || !strings.HasSuffix(r.stderr, note) {
				t.Errorf("--check with a dirty tree: %+v\nwant exit 1 and stderr ending in %q", r, note)
			}
			// The advice to keep the id works, and keeps it; where only the
			// id stood in the way, it changes nothing at all.
			ageTree(t, dir)
			if r := runReal(t, "", keepArgs...); r.code != 0 {
				t.Errorf("%q: %+v", keepArgs, r)
			}
			if got := rewritten(t, dir); !run.recordsGitState && len(got) > 0 {
				t.Errorf("%q rewrote %q", keepArgs, got)
			}
			ops := readFile(t, filepath.Join(dir, generator.OpsPath("my_kernel")))
			if got := generator.KeptID(run.layout, []byte(ops), "my_kernel"); got != tree {
				t.Errorf("after %q the files carry the id %q, want %q", keepArgs, got, tree)
			}
		})
	}
}
