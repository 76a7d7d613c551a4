package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// rootCommand builds the command tree for one invocation.
func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "build2cmake",
		Short: "Generate CMake and Python build files for Torch kernels from build.toml",
		Long: "build2cmake turns the build.toml of a Torch kernel project into the CMake\n" +
			"and Python files that build it: today's layout for every backend\n" +
			"(create-pyproject), or the early-2026 layout for one backend (generate-torch).",
		Version: version(),
		// Errors are printed once, by app.run, with the right exit status;
		// a usage dump after every mistake would bury the message.
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return &usageError{command: cmd.CommandPath(), err: errors.New("missing command")}
		},
		// Every command records itself, so that advice can repeat the
		// user's command line (rerun).
		PersistentPreRun: func(cmd *cobra.Command, args []string) {
			a.invocation = invocation{cmd: cmd, args: args}
		},
	}
	root.SetVersionTemplate("{{.Name}} {{.Version}}\n")
	root.SetUsageTemplate(usageTemplate(root.UsageTemplate()))
	// -V as in the reference (cobra's own default would be -v).
	root.Flags().BoolP("version", "V", false, "print the version and exit")
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &usageError{command: cmd.CommandPath(), err: err}
	})
	root.AddCommand(
		a.generateCommand(),
		a.updateBuildCommand(),
		a.validateCommand(),
		a.checkConfigCommand(),
		a.cleanCommand(),
		a.initCommand(),
		a.doctorCommand(),
		a.createPyprojectCommand(),
		a.cleanPyprojectCommand(),
	)
	strictCompletion(root)
	return root
}

// strictCompletion makes `completion SHELL` with a shell cobra does not
// know a usage error (exit 2). Cobra's own command would print its help
// and exit 0, which a script cannot tell from success.
func strictCompletion(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		var shells []string
		for _, sub := range c.Commands() {
			shells = append(shells, sub.Name())
		}
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return &usageError{command: cmd.CommandPath(), err: fmt.Errorf("missing shell: one of %s", strings.Join(shells, ", "))}
			}
			return &usageError{command: cmd.CommandPath(), err: fmt.Errorf("unknown shell %q; expected one of %s", args[0], strings.Join(shells, ", "))}
		}
	}
}

// positional checks the number of positional arguments; names lists them,
// required ones first, for the message.
func positional(required int, names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		var err error
		switch {
		case len(args) < required:
			err = fmt.Errorf("missing %s", names[len(args)])
		case len(args) > len(names):
			err = fmt.Errorf("unexpected argument %q", args[len(names)])
		default:
			return nil
		}
		return &usageError{command: cmd.CommandPath(), err: err}
	}
}

// idFlag registers the flag that sets the unique id of the ops names on
// cmd: name (--ops-id or --unique-id, whichever the command's reference
// uses) is documented, and the other spelling is accepted as an alias,
// so that either works on every command that takes an id.
func idFlag(cmd *cobra.Command, target *string, name, usage string) {
	alias := "unique-id"
	if name == "unique-id" {
		alias = "ops-id"
	}
	fl := cmd.Flags()
	fl.StringVar(target, name, "", usage+"; --"+alias+" is another name for it")
	fl.SetNormalizeFunc(func(_ *pflag.FlagSet, n string) pflag.NormalizedName {
		if n == alias {
			n = name
		}
		return pflag.NormalizedName(n)
	})
}

// defaultUsageLines is how cobra's usage template starts: a runnable
// command's use line, then "[command]" when it has subcommands.
const defaultUsageLines = `Usage:{{if .Runnable}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [command]{{end}}`

// usageTemplate is cobra's usage template with the root's usage lines
// saying what a bare build2cmake does: it needs a command (run alone it
// is a usage error), else --version or --help. Cobra would show
// "build2cmake [flags]", as if the program did something without one.
// Subcommands keep cobra's lines.
func usageTemplate(cobraTemplate string) string {
	return strings.Replace(cobraTemplate, defaultUsageLines, `Usage:{{if .HasParent}}{{if .Runnable}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [command]{{end}}{{else}}
  {{.CommandPath}} COMMAND [flags] [arguments]
  {{.CommandPath}} --version | --help{{end}}`, 1)
}
