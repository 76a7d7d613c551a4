package cli

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

func (a *app) validateCommand() *cobra.Command {
	var strict bool
	cmd := &cobra.Command{
		Use:   "validate [flags] BUILD_TOML",
		Short: "Check a build.toml and report every problem",
		Long: "Check a build.toml and report every problem at once. Errors exit with\n" +
			"status 2; warnings are printed and exit 0 unless --strict.",
		Args: positional(1, "BUILD_TOML"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.validate(args[0], strict)
		},
	}
	cmd.Flags().BoolVar(&strict, "strict", false, "treat warnings as errors")
	return cmd
}

func (a *app) validate(path string, strict bool) error {
	l, err := a.load(path)
	if err != nil {
		return err
	}
	a.warnDeprecated(l)
	// Source and include paths are relative to the project, which is the
	// directory of build.toml.
	diags := a.lint(l, filepath.Dir(path))
	var errs config.Errors
	var warnings []config.Diagnostic
	for _, d := range diags {
		if strict {
			d.Severity = config.Error
		}
		if d.Severity == config.Error {
			errs = append(errs, d)
		} else {
			warnings = append(warnings, d)
		}
	}
	// Warnings come out even when there are errors, so one run shows all.
	a.printDiagnostics(warnings)
	if len(errs) > 0 {
		return errs
	}
	if len(warnings) > 0 {
		fmt.Fprintf(a.stdout, "%s: valid, %d %s\n", path, len(warnings), plural(len(warnings), "warning", "warnings"))
	} else {
		fmt.Fprintf(a.stdout, "%s: valid\n", path)
	}
	return nil
}
