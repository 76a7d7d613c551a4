package cli

import (
	"bufio"
	"cmp"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/build2cmake-go/build2cmake/generator"
	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/generator/outdir"
)

type cleanFlags struct {
	dryRun bool
	force  bool
	opsID  string
}

func (a *app) cleanCommand() *cobra.Command {
	var f cleanFlags
	cmd := &cobra.Command{
		Use:   "clean [flags] BUILD_TOML [TARGET_DIR]",
		Short: "Delete the files generate-torch writes",
		Long: "Delete the files generate-torch writes for any backend of the build from\n" +
			"TARGET_DIR (default: the directory holding BUILD_TOML), then the cmake/ and\n" +
			"torch-ext/ folders that are left empty. Files at those paths that build2cmake\n" +
			"did not write are kept unless --force. Without --force it asks first on the\n" +
			"terminal (answering no exits 1); without a terminal it deletes nothing and\n" +
			"exits 2.",
		Args: positional(1, "BUILD_TOML", "TARGET_DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := generator.ValidateID("--ops-id", f.opsID); err != nil {
				return &usageError{command: cmd.CommandPath(), err: err}
			}
			return a.clean(f, args)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.dryRun, "dry-run", "d", false, "list what would be deleted; delete nothing")
	fl.BoolVarP(&f.force, "force", "f", false, "delete without asking, including files build2cmake did not write")
	idFlag(cmd, &f.opsID, "ops-id", "unique suffix of the ops name (accepted for symmetry with generate-torch; the files to delete do not depend on it)")
	return cmd
}

func (a *app) clean(f cleanFlags, args []string) error {
	p, err := a.openProject(args)
	if err != nil {
		return err
	}
	files, err := a.generatedFiles(p, f.opsID)
	if err != nil {
		return err
	}
	return a.cleanFiles(p, files, f, nil)
}

// cleanFiles deletes the generated files that exist in p.dir, asking first
// unless --force, and reports what it kept and deleted; clean and
// clean-pyproject differ only in the files. ours, when set, claims files
// that carry no header of ours (the metadata JSON of today's layout).
func (a *app) cleanFiles(p *project, files []generator.File, f cleanFlags, ours func(rel string) bool) error {
	// Planned without the lock: the lock is for writing, and the answer
	// to the prompt may take forever (or be Ctrl-C).
	plan, err := planClean(p, files, f.force, ours)
	if err != nil {
		return err
	}
	for _, rel := range plan.Kept {
		if why, ok := plan.Why[rel]; ok {
			fmt.Fprintf(a.stderr, "build2cmake: keeping %s: %s\n", p.file(rel), why)
			continue
		}
		fmt.Fprintf(a.stderr, "build2cmake: keeping %s: not written by build2cmake (--force deletes it)\n", p.file(rel))
	}
	if len(plan.Remove) == 0 {
		fmt.Fprintf(a.stderr, "build2cmake: no generated files to clean in %s\n", p.dir)
		return nil
	}
	if f.dryRun {
		for _, rel := range plan.Remove {
			fmt.Fprintln(a.stdout, p.file(rel))
		}
		return nil
	}
	if !f.force {
		if err := a.confirm(p, plan.Remove); err != nil {
			return err
		}
	}
	lock, err := a.lock(p.dir)
	if err != nil {
		return err
	}
	defer lock.Unlock()
	// Planned again under the lock: another run may have written or
	// cleaned meanwhile. What the user agreed to is the most that goes.
	agreed := plan.Remove
	if plan, err = planClean(p, files, f.force, ours); err != nil {
		return err
	}
	plan.Remove = slices.DeleteFunc(plan.Remove, func(rel string) bool { return !slices.Contains(agreed, rel) })
	dirs, err := plan.Apply()
	if err != nil {
		return fmt.Errorf("clean %s: %w", p.dir, err)
	}
	for _, rel := range plan.Remove {
		fmt.Fprintf(a.stdout, "deleted %s\n", p.file(rel))
	}
	for _, rel := range dirs {
		fmt.Fprintf(a.stdout, "removed empty directory %s\n", p.file(rel))
	}
	n := len(plan.Remove)
	fmt.Fprintf(a.stdout, "cleaned %d generated %s\n", n, plural(n, "file", "files"))
	return nil
}

// planClean plans deleting the generated files from p.dir; ours, when
// set, claims files that carry no header of ours (the metadata JSON of
// today's layout).
func planClean(p *project, files []generator.File, force bool, ours func(rel string) bool) (*outdir.CleanPlan, error) {
	plan, err := outdir.PlanCleanFiles(p.dir, files, force)
	if err != nil || ours == nil {
		return plan, err
	}
	var kept []string
	for _, rel := range plan.Kept {
		if _, why := plan.Why[rel]; !why && ours(rel) {
			plan.Remove = append(plan.Remove, rel)
			continue
		}
		kept = append(kept, rel)
	}
	plan.Kept = kept
	slices.Sort(plan.Remove)
	return plan, nil
}

// generatedFiles returns the files generation writes for any backend the
// build lists (one path may come several times; PlanCleanFiles takes care).
func (a *app) generatedFiles(p *project, opsID string) ([]generator.File, error) {
	build := p.loaded.Build
	// Neither the file list nor the JSON content (the only content clean
	// compares) depends on the ops name, but rendering needs one. Not
	// asking git for it keeps clean from running git in the user's
	// repository at all.
	opsName := "_" + build.General.PythonName() + "_" + cmp.Or(opsID, "clean")
	var all []generator.File
	for _, backend := range build.General.Backends {
		// Backends only today's layout knows (cann, neuron, tpu) have
		// no files in this one.
		if !slices.Contains(config.Backends, backend) {
			continue
		}
		files, err := a.render(build, generator.Options{Backend: backend, OpsName: opsName, TargetOS: runtime.GOOS})
		if err != nil {
			return nil, fmt.Errorf("list %s files: %w", backend, err)
		}
		all = append(all, files...)
	}
	return all, nil
}

// confirm lists the files and asks on stderr, reading the answer from
// stdin. Only "y" or "yes" (any case) agrees; anything else, end of input
// included, is a no (exit status 1, nothing deleted). Without a terminal
// on stdin nobody can answer: clean refuses (exit status 2) and says
// which command deletes without asking, so that a script never waits for
// an answer or mistakes a refusal for a clean.
func (a *app) confirm(p *project, rels []string) error {
	n := len(rels)
	if !a.isTerminal(a.stdin) {
		return fmt.Errorf("%d generated %s would be deleted, but standard input is not a terminal to ask on; nothing deleted: run %s to delete %s without asking, or %s to list %s",
			n, plural(n, "file", "files"), a.advise(adviceCleanForce, a.rerun(nil, "--force")...), plural(n, "it", "them"),
			a.advise(adviceCleanList, a.rerun(nil, "--dry-run")...), plural(n, "it", "them"))
	}
	fmt.Fprintf(a.stderr, "%d %s will be deleted:\n", n, plural(n, "file", "files"))
	for _, rel := range rels {
		fmt.Fprintf(a.stderr, "  %s\n", p.file(rel))
	}
	fmt.Fprint(a.stderr, "Continue? [y/N] ")
	line, _ := bufio.NewReader(a.stdin).ReadString('\n')
	if !strings.HasSuffix(line, "\n") {
		// Keep the terminal tidy when the answer did not end the line.
		fmt.Fprintln(a.stderr)
	}
	if answer := strings.ToLower(strings.TrimSpace(line)); answer != "y" && answer != "yes" {
		return declinedError{}
	}
	return nil
}

// declinedError: the user answered no at clean's prompt.
type declinedError struct{}

func (declinedError) Error() string { return "aborted; nothing deleted" }

// ExitCode is 1: not a mistake in the input (2), but not done either.
func (declinedError) ExitCode() int { return ExitDeclined }

// file names a generated file for messages: inside the target directory.
func (p *project) file(rel string) string {
	return filepath.Join(p.dir, filepath.FromSlash(rel))
}
