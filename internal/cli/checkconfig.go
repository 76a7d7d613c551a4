package cli

import (
	"github.com/spf13/cobra"
)

// checkFlags are the flags of validate and check-config.
type checkFlags struct {
	strict bool
}

func (f *checkFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.strict, "strict", false, "treat warnings as errors")
}

func (a *app) checkConfigCommand() *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check-config [flags] [KERNEL_DIR | BUILD_TOML]",
		Short: "Check a kernel's build.toml and report every problem",
		Long: "Check the build.toml in KERNEL_DIR (default: the current directory; a path\n" +
			"to the file works too) and report every problem at once, as validate does.\n" +
			"Errors exit with status 2; warnings are printed and exit 0 unless --strict.\n" +
			"Files in a format older than edition 5 draw a warning with the update-build\n" +
			"command that converts them.",
		Args: positional(0, "KERNEL_DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := resolveBuildToml(argOrEmpty(args))
			if err != nil {
				return err
			}
			return a.checkConfig(path, f.strict, true)
		},
	}
	f.register(cmd)
	return cmd
}
