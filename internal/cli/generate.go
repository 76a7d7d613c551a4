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
	idFlag(cmd, &f.opsID, "ops-id", "unique suffix of the ops name, e.g. a git revision (default: derived from git, else from the project)")
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
	if err := requireSources(p.loaded); err != nil {
		return err
	}
	backend, err := a.chooseBackend(p.loaded.Build, f.backend, f.python)
	var todayOnly *todayOnlyError
	if errors.As(err, &todayOnly) {
		if advice, ok := a.todayLayout(p, false); ok {
			return fmt.Errorf("%w; run %s to build %s in today's layout", err, advice, todayOnly.backend)
		}
	}
	if err != nil {
		return err
	}
	a.printDiagnostics(config.DependencyWarnings(p.loaded, backend))
	if lost := p.loaded.Build.Unexpressed(backend); len(lost) > 0 {
		today := "today's layout (create-pyproject) does"
		if advice, ok := a.todayLayout(p, !f.check && !f.dryRun); ok {
			today = "run " + advice + " for today's layout, which does"
		}
		fmt.Fprintf(a.stderr, "build2cmake: warning: %s: the layout of generate-torch cannot express %s, which %s ignored for %s; %s\n",
			p.path, strings.Join(lost, ", "), plural(len(lost), "is", "are"), backend, today)
	}
	build := p.loaded.Build
	var repo *generator.RepoState
	if f.opsID == "" {
		// No repository (or no git) leaves repo nil.
		repo, _ = generator.ReadRepoState(p.dir)
	}
	render := func(id string) ([]generator.File, error) {
		files, err := a.render(build, generator.Options{
			Backend:  backend,
			OpsName:  generator.OpsName(build.General.PythonName(), id),
			TargetOS: f.targetOS,
		})
		if err != nil {
			return nil, fmt.Errorf("generate %s files: %w", backend, err)
		}
		return files, nil
	}
	ids := a.chooseID(f.opsID, repo, p, generator.EarlyLayout, "--ops-id")
	return a.writeFiles(p.dir, render, ids, writeMode{check: f.check, dryRun: f.dryRun, force: f.force})
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
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
