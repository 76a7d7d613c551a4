package cli

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

func (a *app) validateCommand() *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "validate [flags] BUILD_TOML",
		Short: "Check a build.toml and report every problem",
		Long: "Check a build.toml (any format, v1 to edition 5) and report every problem at\n" +
			"once. Errors exit with status 2; warnings are printed and exit 0 unless --strict.",
		Args: positional(1, "BUILD_TOML"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.checkConfig(args[0], f.strict, false)
		},
	}
	f.register(cmd)
	return cmd
}

// checkConfig is validate and check-config: load, lint, report. With
// suggestUpdate, files older than edition 5 draw a note with the
// update-build command (check-config is today's tool's command, whose
// users expect the newest format).
func (a *app) checkConfig(path string, strict, suggestUpdate bool) error {
	l, err := a.load(path)
	if err != nil {
		return err
	}
	if suggestUpdate && l.Format < config.Edition5 {
		fmt.Fprintf(a.stderr, "build2cmake: warning: %s uses the older %s format; %s\n",
			path, formatName(l.Format), a.convertAdvice(l, filepath.Dir(path)))
	} else {
		a.warnDeprecated(l)
	}
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
