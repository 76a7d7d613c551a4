package cli

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/generator/outdir"
)

// updateFlags are update-build's flags: values edition 5 requires that
// older files do not have.
type updateFlags struct {
	license string
	version uint64
	// diff prints the change instead of writing it.
	diff bool
}

func (a *app) updateBuildCommand() *cobra.Command {
	var f updateFlags
	cmd := &cobra.Command{
		Use:   "update-build [flags] [KERNEL_DIR | BUILD_TOML]",
		Short: "Rewrite a build.toml in the newest format (edition 5)",
		Long: "Rewrite a v1, v2, v3 or v4 build.toml in place in edition 5, keeping every\n" +
			"setting and every comment. KERNEL_DIR (default: the current directory) holds build.toml; a\n" +
			"path to the file works too. An edition 5 file is left untouched. Edition 5\n" +
			"requires a license and a kernel version: --license and --version supply\n" +
			"them when the file has none (the version defaults to 1).",
		Args: positional(0, "KERNEL_DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var version *uint64
			if cmd.Flags().Changed("version") {
				version = &f.version
			}
			return a.updateBuild(argOrEmpty(args), f.license, version, f.diff)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.license, "license", "", "license of the kernel when build.toml has none, e.g. Apache-2.0")
	fl.Uint64Var(&f.version, "version", config.DefaultVersion, "kernel version when build.toml has none")
	fl.BoolVar(&f.diff, "diff", false, "print the change as a unified diff instead of writing it")
	return cmd
}

func (a *app) updateBuild(arg, license string, version *uint64, diff bool) error {
	path, err := resolveBuildToml(arg)
	if err != nil {
		return err
	}
	l, err := a.load(path)
	if err != nil {
		return err
	}
	if l.Format == config.Edition5 {
		fmt.Fprintf(a.stdout, "%s is already in edition 5; nothing to do\n", path)
		return nil
	}
	if license != "" && l.Build.General.License != "" && license != l.Build.General.License {
		fmt.Fprintf(a.stderr, "build2cmake: warning: %s already has license %q; --license %q is ignored\n", path, l.Build.General.License, license)
	}
	b5, err := config.ToEdition5(l.Build, l.Format, license, version)
	if errors.Is(err, config.ErrNoLicense) {
		return fmt.Errorf("%s has no license, which edition 5 requires; pass it with --license (such as --license Apache-2.0)", path)
	}
	if err != nil {
		return fmt.Errorf("cannot convert %s to edition 5: %w", path, err)
	}
	out := a.encode(b5, l.Comments())
	// Check the result before replacing the user's only copy: a converter
	// bug must not turn a working file into a broken one.
	again, err := a.parse(path, out)
	if err != nil {
		return fmt.Errorf("converting %s to edition 5 gave a file that does not load; left it unchanged:\n%w", path, err)
	}
	if again.Format != config.Edition5 {
		return fmt.Errorf("converting %s to edition 5 gave a v%d file; left it unchanged", path, int(again.Format))
	}
	if diff {
		old, err := config.ReadFile(path)
		if err != nil {
			return err
		}
		_, err = io.WriteString(a.stdout, outdir.UnifiedDiff(path, path, old, out))
		return err
	}
	// A symlinked build.toml stays a link: its target is updated.
	if err := outdir.WriteFileFollow(filepath.Dir(path), filepath.Base(path), out, a.waitingFor(filepath.Dir(path))); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "converted %s from %s to edition 5\n", path, formatName(l.Format))
	return nil
}

// formatName names a format in messages: v1 to v4, edition 5.
func formatName(f config.Format) string {
	if f >= config.Edition5 {
		return fmt.Sprintf("edition %d", int(f))
	}
	return fmt.Sprintf("v%d", int(f))
}

// argOrEmpty returns the only optional positional argument, or "".
func argOrEmpty(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}
