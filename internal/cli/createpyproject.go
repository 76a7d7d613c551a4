package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/build2cmake-go/build2cmake/generator"
	"github.com/build2cmake-go/build2cmake/generator/config"
)

type createPyprojectFlags struct {
	force       bool
	uniqueID    string
	kernelSHA   string
	kernelDirty bool
	check       bool
	dryRun      bool
}

func (a *app) createPyprojectCommand() *cobra.Command {
	var f createPyprojectFlags
	cmd := &cobra.Command{
		Use:   "create-pyproject [flags] [KERNEL_DIR | BUILD_TOML] [TARGET_DIR]",
		Short: "Generate today's project layout: every backend, chosen at configure time",
		Long: "Generate the CMake and Python files of today's kernel-builder layout: one\n" +
			"project for every backend of the kernel (CMake builds the one Torch was built\n" +
			"for, or GPU_LANG), whose install and local_install targets lay the kernel out\n" +
			"as <variant>/ for the kernels package. KERNEL_DIR (default: the current\n" +
			"directory) holds build.toml; TARGET_DIR defaults to it. Files whose content\n" +
			"would not change are left untouched.",
		Args: positional(0, "KERNEL_DIR", "TARGET_DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.check && f.dryRun {
				return &usageError{command: cmd.CommandPath(), err: errors.New("--check and --dry-run cannot be used together")}
			}
			if f.kernelDirty && f.kernelSHA == "" {
				return &usageError{command: cmd.CommandPath(), err: errors.New("--kernel-dirty needs --kernel-sha")}
			}
			if err := generator.ValidateID("--unique-id", f.uniqueID); err != nil {
				return &usageError{command: cmd.CommandPath(), err: err}
			}
			if f.kernelSHA != "" && !gitCommit.MatchString(f.kernelSHA) {
				return &usageError{command: cmd.CommandPath(),
					err: fmt.Errorf("--kernel-sha %q is not a full git commit id (40 or 64 hex digits)", f.kernelSHA)}
			}
			return a.createPyproject(f, args)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.force, "force", "f", false, "overwrite existing files whose content differs")
	idFlag(cmd, &f.uniqueID, "unique-id", "unique suffix of the ops names, e.g. a git revision (default: derived from git, else from the project)")
	fl.StringVar(&f.kernelSHA, "kernel-sha", "", "git commit of the kernel sources for the metadata (default: read from the kernel's repository)")
	fl.BoolVar(&f.kernelDirty, "kernel-dirty", false, "with --kernel-sha: the sources differ from that commit")
	fl.BoolVar(&f.check, "check", false, "write nothing; print a diff and exit 1 when files are out of date")
	fl.BoolVar(&f.dryRun, "dry-run", false, "write nothing; list the files that would be written")
	return cmd
}

// gitCommit is a full SHA-1 or SHA-256 git object id.
var gitCommit = regexp.MustCompile(`^([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$`)

// kernelProject is a kernel folder with its build.toml, and where the
// generated files go.
type kernelProject struct {
	project
	// kernelDir is the folder holding build.toml.
	kernelDir string
}

// openKernelProject resolves [KERNEL_DIR | BUILD_TOML] [TARGET_DIR] and
// loads build.toml.
func (a *app) openKernelProject(args []string) (*kernelProject, error) {
	kernel := "."
	if len(args) > 0 {
		kernel = args[0]
	}
	p := &kernelProject{}
	info, err := os.Stat(kernel)
	switch {
	case err != nil:
		return nil, fmt.Errorf("kernel folder %q: %w", kernel, errors.Unwrap(err))
	case info.IsDir():
		p.kernelDir = kernel
		p.path = filepath.Join(kernel, "build.toml")
	default:
		p.kernelDir = filepath.Dir(kernel)
		p.path = kernel
	}
	if p.kernelDir, err = filepath.Abs(p.kernelDir); err != nil {
		return nil, fmt.Errorf("resolve %q: %w", kernel, err)
	}
	p.dir = p.kernelDir
	if len(args) > 1 {
		if info, err := os.Stat(args[1]); err != nil || !info.IsDir() {
			return nil, fmt.Errorf("`%s` is not a directory", args[1])
		}
		p.dir = args[1]
	}
	if p.loaded, p.data, err = a.loadData(p.path); err != nil {
		return nil, err
	}
	return p, nil
}

func (a *app) createPyproject(f createPyprojectFlags, args []string) error {
	p, err := a.openKernelProject(args)
	if err != nil {
		return err
	}
	if err := requireSources(p.loaded); err != nil {
		return err
	}
	build := p.loaded.Build
	for _, backend := range build.General.Backends {
		if build.SupportsBackend(backend) && len(build.KernelsFor(backend)) > 0 {
			a.printDiagnostics(config.DependencyWarnings(p.loaded, backend))
		}
	}
	// One look at the repository serves both the id and the provenance.
	var repo *generator.RepoState
	if f.uniqueID == "" || f.kernelSHA == "" {
		repo, _ = generator.ReadRepoState(p.kernelDir)
	}
	render := func(id string) ([]generator.File, error) {
		files, err := generator.RenderPyproject(build, generator.PyprojectOptions{
			UniqueID:   id,
			Provenance: provenance(f, repo),
		})
		if err != nil {
			return nil, fmt.Errorf("create-pyproject: %w", err)
		}
		return files, nil
	}
	ids := a.chooseID(f.uniqueID, repo, &p.project, generator.TodayLayout, "--unique-id")
	return a.writeFiles(p.dir, render, ids, writeMode{check: f.check, dryRun: f.dryRun, force: f.force})
}

// provenance is what metadata says produced the build: this program, and
// the kernel sources at --kernel-sha or at the state of their repository
// (nil when there is none).
func provenance(f createPyprojectFlags, repo *generator.RepoState) *generator.Provenance {
	info, _ := debug.ReadBuildInfo()
	return provenanceFrom(info, f, repo)
}

// provenanceFrom is provenance with this program's build information
// (nil when the binary has none).
func provenanceFrom(info *debug.BuildInfo, f createPyprojectFlags, repo *generator.RepoState) *generator.Provenance {
	p := &generator.Provenance{BuilderVersion: "build2cmake (devel)"}
	if info != nil {
		if info.Main.Version != "" {
			p.BuilderVersion = "build2cmake " + info.Main.Version
		}
		var commit string
		var dirty bool
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if commit != "" {
			p.Builder = &generator.GitState{Commit: commit, Dirty: dirty}
		}
	}
	if f.kernelSHA != "" {
		p.Kernel = &generator.GitState{Commit: strings.ToLower(f.kernelSHA), Dirty: f.kernelDirty}
	} else if repo != nil {
		p.Kernel = &generator.GitState{Commit: repo.Commit, Dirty: repo.Dirty}
	}
	return p
}
