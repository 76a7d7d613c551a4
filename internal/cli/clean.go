package cli

import (
	"bufio"
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
			"did not write are kept unless --force.",
		Args: positional(1, "BUILD_TOML", "TARGET_DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.clean(f, args)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.dryRun, "dry-run", "d", false, "list what would be deleted; delete nothing")
	fl.BoolVarP(&f.force, "force", "f", false, "delete without asking, including files build2cmake did not write")
	fl.StringVar(&f.opsID, "ops-id", "", "unique suffix of the ops name (accepted for symmetry with generate-torch)")
	return cmd
}

func (a *app) clean(f cleanFlags, args []string) error {
	p, err := a.openProject(args)
	if err != nil {
		return err
	}
	paths, err := a.generatedPaths(p, f.opsID)
	if err != nil {
		return err
	}
	plan, err := outdir.PlanClean(p.dir, paths, f.force)
	if err != nil {
		return err
	}
	for _, rel := range plan.Kept {
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
	if !f.force && !a.confirm(p, plan.Remove) {
		fmt.Fprintln(a.stderr, "build2cmake: aborted; nothing deleted")
		return nil
	}
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

// generatedPaths returns the paths generation writes for any backend the
// build lists (duplicates included; PlanClean removes them).
func (a *app) generatedPaths(p *project, opsID string) ([]string, error) {
	build := p.loaded.Build
	// The file list does not depend on the ops name, but rendering needs
	// one; resolving it as generate-torch does keeps the two in step.
	opsName := generator.OpsName(build.General.PythonName(), opsID, p.dir)
	var paths []string
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
		for _, f := range files {
			paths = append(paths, f.Path)
		}
	}
	return paths, nil
}

// confirm lists the files and asks on stderr, reading the answer from
// stdin. Only "y" or "yes" (any case) agrees; end of input is a no, so
// clean never deletes anything unattended without --force.
func (a *app) confirm(p *project, rels []string) bool {
	n := len(rels)
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
	answer := strings.ToLower(strings.TrimSpace(line))
	return answer == "y" || answer == "yes"
}

// file names a generated file for messages: inside the target directory.
func (p *project) file(rel string) string {
	return filepath.Join(p.dir, filepath.FromSlash(rel))
}
