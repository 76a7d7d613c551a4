package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/build2cmake-go/build2cmake/generator"
	"github.com/build2cmake-go/build2cmake/generator/outdir"
)

// writeMode is what generate-torch and create-pyproject do with the files:
// write them (overwriting changed ones with force), show the differences
// (check), or list what would change (dryRun).
type writeMode struct {
	check, dryRun, force bool
}

// renderFunc renders a command's files with the given unique id of the
// ops names.
type renderFunc func(id string) ([]generator.File, error)

// idChoice is the unique id a run uses, and the one the files it would
// replace carry.
type idChoice struct {
	generator.ChosenID
	// kept is the id the target's generated _ops.py of this layout carries,
	// "" when there is none.
	kept string
	// flag is the command's documented id flag, for advice.
	flag string
}

// chooseID picks the unique id of the ops names for p in layout (see
// generator.ChooseID): given (the id flag), else from repo, the project's
// git repository (nil when there is none), else the id the generated
// files in the target already carry, else one derived from build.toml.
func (a *app) chooseID(given string, repo *generator.RepoState, p *project, layout generator.Layout, flag string) idChoice {
	py := p.loaded.Build.General.PythonName()
	kept := generator.KeptID(layout, outdir.ReadGenerated(p.dir, generator.OpsPath(py)), py)
	return idChoice{ChosenID: generator.ChooseID(given, repo, kept, py, p.data), kept: kept, flag: flag}
}

// idChanged reports whether the run would change the id the files carry.
func (c idChoice) idChanged() bool { return c.kept != "" && c.kept != c.ID }

// writeFiles is where generate-torch and create-pyproject meet: with
// --check it prints the diff of out-of-date files, with --dry-run what
// would change, and otherwise writes the files, all or nothing.
func (a *app) writeFiles(dir string, render renderFunc, ids idChoice, mode writeMode) error {
	files, err := render(ids.ID)
	if err != nil {
		return err
	}
	if !mode.check && !mode.dryRun {
		// Held from before Inspect: a concurrent run into the same folder
		// waits, then finds our files like any other existing ones.
		lock, err := a.lock(dir)
		if err != nil {
			return err
		}
		defer lock.Unlock()
	}
	plan, err := outdir.Inspect(dir, files)
	if err != nil {
		return err
	}
	switch {
	case mode.check:
		return a.check(plan, render, ids)
	case mode.dryRun:
		a.dryRun(plan, mode.force)
		return nil
	}
	_, err = plan.Apply(mode.force)
	var conflict *outdir.ConflictError
	if errors.As(err, &conflict) {
		return fmt.Errorf("%s\nnothing was written; run %s to overwrite %s, or %s to see the differences%s",
			conflict.Summary(),
			a.advise(adviceOverwrite, a.rerun(nil, "--force")...), plural(len(conflict.Paths), "it", "them"),
			a.advise(adviceShowDiff, a.rerun(nil, "--check")...),
			a.idNote(dir, render, ids))
	}
	return err
}

// check prints the diff of the files that are out of date and fails with
// ExitDiffers, naming the command that brings them up to date.
func (a *app) check(plan *outdir.Plan, render renderFunc, ids idChoice) error {
	pending := plan.Pending()
	if len(pending) == 0 {
		return nil
	}
	fmt.Fprint(a.stdout, plan.Diff())
	var add []string
	if len(plan.Conflicts()) > 0 {
		add = []string{"--force"}
	}
	write := a.advise(adviceWrite, a.rerun([]string{"check"}, add...)...)
	return &outOfDateError{dir: plan.Dir, changes: pending, write: write, note: a.idNote(plan.Dir, render, ids)}
}

// idNote explains, after a list of files that differ, that a changed id
// is (part of) the reason, with the commands that keep the id the files
// carry or take the new one; "" when the id did not change.
func (a *app) idNote(dir string, render renderFunc, ids idChoice) string {
	if !ids.idChanged() {
		return ""
	}
	var why string
	switch ids.Source {
	case generator.IDGiven:
		why = "given with " + ids.flag
	case generator.IDGit:
		why = "from the git tree of the project"
		if ids.Repo.Dirty {
			why += ", whose tracked files differ from the last commit"
		}
	}
	// With the files' own id, is anything else out of date?
	rest, add := "the only difference", []string(nil)
	if files, err := render(ids.kept); err == nil {
		if plan, err := outdir.Inspect(dir, files); err == nil && len(plan.Pending()) > 0 {
			rest = "besides other changes"
			if len(plan.Conflicts()) > 0 {
				add = []string{"--force"}
			}
		}
	}
	keep := a.advise(adviceKeepID, a.rerun([]string{"check", "dry-run", strings.TrimPrefix(ids.flag, "--")}, append([]string{ids.flag, ids.kept}, add...)...)...)
	return fmt.Sprintf("\nthe ops id is now %q (%s) where the files have %q, %s; run %s to keep their id, "+
		"or write the files with --force to rename the ops (pip then builds from scratch, in a new build/<key>/ folder)",
		ids.ID, why, ids.kept, rest, keep)
}

// outOfDateError is the result of a --check that found differences.
type outOfDateError struct {
	dir     string
	changes []outdir.Change
	// write is the advice that writes the files; note, when not empty,
	// says that the id changed.
	write, note string
}

func (e *outOfDateError) ExitCode() int { return ExitDiffers }

func (e *outOfDateError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "generated files in %q are out of date:\n", e.dir)
	for _, c := range e.changes {
		what := "differs"
		if c.Status == outdir.New {
			what = "missing"
		}
		fmt.Fprintf(&b, "  %s: %s\n", c.Path, what)
	}
	fmt.Fprintf(&b, "run %s to update them%s", e.write, e.note)
	return b.String()
}

// dryRun lists every generated file with what a real run would do to it.
func (a *app) dryRun(plan *outdir.Plan, force bool) {
	for _, c := range plan.Changes {
		fmt.Fprintf(a.stdout, "%-9s %s\n", c.Status, c.Path)
	}
	if n := len(plan.Conflicts()); n > 0 && !force {
		fmt.Fprintf(a.stderr, "build2cmake: note: %d changed %s would need --force: %s\n", n, plural(n, "file", "files"),
			a.advise(adviceOverwrite, a.rerun([]string{"dry-run"}, "--force")...))
	}
}
