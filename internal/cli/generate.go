package cli

import (
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/build2cmake-go/build2cmake/generator"
	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/generator/outdir"
)

type generateFlags struct {
	force    bool
	opsID    string
	backend  string
	check    bool
	dryRun   bool
	targetOS string
	python   string
}

func (a *app) generateCommand() *cobra.Command {
	var f generateFlags
	cmd := &cobra.Command{
		Use:   "generate-torch [flags] BUILD_TOML [TARGET_DIR]",
		Short: "Generate CMake files for Torch extension builds",
		Long: "Generate the CMake and Python files that build the kernel for one backend.\n" +
			"TARGET_DIR defaults to the directory holding BUILD_TOML. Files whose content\n" +
			"would not change are left untouched.",
		Args: positional(1, "BUILD_TOML", "TARGET_DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.check && f.dryRun {
				return &usageError{command: cmd.CommandPath(), err: errors.New("--check and --dry-run cannot be used together")}
			}
			if err := generator.ValidateID("--ops-id", f.opsID); err != nil {
				return &usageError{command: cmd.CommandPath(), err: err}
			}
			return a.generate(f, args)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.force, "force", "f", false, "overwrite existing files whose content differs")
	fl.StringVar(&f.opsID, "ops-id", "", "unique suffix of the ops name, e.g. a git revision (default: derived from git, else random)")
	fl.StringVar(&f.backend, "backend", "", "backend to generate for: cpu, cuda, metal, rocm or xpu (default: the only one in build.toml, else the backend of the build's Torch)")
	fl.StringVar(&f.python, "python", "", "Python whose Torch chooses the backend when build.toml lists several (default: $Python3_EXECUTABLE, else -DPython3_EXECUTABLE in $CMAKE_ARGS, else python3 on PATH)")
	fl.BoolVar(&f.check, "check", false, "write nothing; print a diff and exit 1 when files are out of date")
	fl.BoolVar(&f.dryRun, "dry-run", false, "write nothing; list the files that would be written")
	// Rendering depends on the OS build2cmake runs on, as in the reference;
	// tests and golden cases choose it explicitly.
	fl.StringVar(&f.targetOS, "target-os", runtime.GOOS, "operating system to generate for")
	fl.MarkHidden("target-os")
	return cmd
}

func (a *app) generate(f generateFlags, args []string) error {
	p, err := a.openProject(args)
	if err != nil {
		return err
	}
	backend, err := a.chooseBackend(p.loaded.Build, f.backend, f.python)
	if err != nil {
		return err
	}
	a.printDiagnostics(config.DependencyWarnings(p.loaded, backend))
	if lost := p.loaded.Build.Unexpressed(backend); len(lost) > 0 {
		fmt.Fprintf(a.stderr, "build2cmake: warning: %s: the layout of generate-torch cannot express %s, which %s ignored for %s; use `build2cmake create-pyproject` for today's layout\n",
			p.path, strings.Join(lost, ", "), plural(len(lost), "is", "are"), backend)
	}
	build := p.loaded.Build
	files, err := a.render(build, generator.Options{
		Backend:  backend,
		OpsName:  generator.OpsName(build.General.PythonName(), f.opsID, p.dir),
		TargetOS: f.targetOS,
	})
	if err != nil {
		return fmt.Errorf("generate %s files: %w", backend, err)
	}
	return a.writeFiles(p.dir, files, "generate-torch", f.check, f.dryRun, f.force)
}

// writeFiles is where generate-torch and create-pyproject meet: with
// --check it prints the diff of out-of-date files, with --dry-run what
// would change, and otherwise writes the files, all or nothing.
func (a *app) writeFiles(dir string, files []generator.File, command string, check, dryRun, force bool) error {
	if !check && !dryRun {
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
	case check:
		return a.checkFor(plan, command)
	case dryRun:
		a.dryRun(plan, force)
		return nil
	}
	_, err = plan.Apply(force)
	return err
}

// lock takes dir's lock for writing, saying on stderr when it must wait
// for another run first.
func (a *app) lock(dir string) (*outdir.DirLock, error) {
	return outdir.Lock(dir, a.waitingFor(dir))
}

// waitingFor is the note a run prints when another holds dir's lock.
func (a *app) waitingFor(dir string) func() {
	return func() {
		fmt.Fprintf(a.stderr, "build2cmake: waiting for another build2cmake run in %s to finish...\n", dir)
	}
}

// checkFor is check for the given command, which the message names.
func (a *app) checkFor(plan *outdir.Plan, command string) error {
	pending := plan.Pending()
	if len(pending) == 0 {
		return nil
	}
	fmt.Fprint(a.stdout, plan.Diff())
	return &outOfDateError{dir: plan.Dir, changes: pending, command: command}
}

// outOfDateError is the result of a --check that found differences.
type outOfDateError struct {
	dir     string
	changes []outdir.Change
	command string
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
	fmt.Fprintf(&b, "run %s without --check to update them", e.command)
	return b.String()
}

// dryRun lists every generated file with what a real run would do to it.
func (a *app) dryRun(plan *outdir.Plan, force bool) {
	for _, c := range plan.Changes {
		fmt.Fprintf(a.stdout, "%-9s %s\n", c.Status, c.Path)
	}
	if n := len(plan.Conflicts()); n > 0 && !force {
		fmt.Fprintf(a.stderr, "build2cmake: note: %d changed %s would need --force\n", n, plural(n, "file", "files"))
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
