package cli

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/generator/outdir"
)

func (a *app) updateBuildCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "update-build BUILD_TOML",
		Short: "Rewrite a build.toml in the current (v3) format",
		Long: "Rewrite a v1 or v2 build.toml in place in the v3 format. A v3 file is left\n" +
			"untouched.",
		Args: positional(1, "BUILD_TOML"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.updateBuild(args[0])
		},
	}
}

func (a *app) updateBuild(path string) error {
	l, err := a.load(path)
	if err != nil {
		return err
	}
	if l.Format == config.V3 {
		fmt.Fprintf(a.stdout, "%s is already in the v3 format; nothing to do\n", path)
		return nil
	}
	out := a.encode(l.Build)
	// Check the result before replacing the user's only copy: a converter
	// bug must not turn a working file into a broken one.
	again, err := a.parse(path, out)
	if err != nil {
		return fmt.Errorf("converting %s to v3 gave a file that does not load; left it unchanged:\n%w", path, err)
	}
	if again.Format != config.V3 {
		return fmt.Errorf("converting %s to v3 gave a v%d file; left it unchanged", path, int(again.Format))
	}
	// A symlinked build.toml stays a link: its target is updated.
	if err := outdir.WriteFileFollow(filepath.Dir(path), filepath.Base(path), out); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "converted %s from v%d to v3\n", path, int(l.Format))
	return nil
}
