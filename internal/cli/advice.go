package cli

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Advice is a build2cmake command line a message tells the user to run.
// A user pastes it as printed, so it must work as printed: every one is
// built by advise from its arguments (quoted for the shell there), and
// TestAdviceRuns brings about every kind below and runs what was printed.
// TestAdviceGoesThroughAdvise fails for a message that writes a
// build2cmake command line any other way.
type adviceKind int

const (
	// adviceHelp: `build2cmake COMMAND --help` after a usage error.
	adviceHelp adviceKind = iota
	// adviceConvert: update-build for a file older than edition 5, with
	// --license when the file has none.
	adviceConvert
	// adviceRename: update-build for a v4 file whose kernel name today's
	// pattern refuses, which it renames.
	adviceRename
	// adviceTodayLayout: create-pyproject for what the layout of
	// generate-torch cannot build or express.
	adviceTodayLayout
	// adviceWrite: the command --check ran, without --check, to write the
	// files it found out of date.
	adviceWrite
	// adviceOverwrite: the command again with --force, after it refused
	// to overwrite files that differ.
	adviceOverwrite
	// adviceShowDiff: the command with --check, to see those differences
	// (it exits 1 when there are some: that is its answer).
	adviceShowDiff
	// adviceKeepID: the command again with --ops-id set to the id the
	// existing files carry, when a changed id is why they differ.
	adviceKeepID
	// adviceInitName: init with a valid name instead of a refused one.
	adviceInitName
	// adviceCleanForce, adviceCleanList: clean or clean-pyproject with
	// --force or --dry-run, when there is no terminal to ask on.
	adviceCleanForce
	adviceCleanList

	numAdviceKinds
)

// advise returns the command line argv (program name first), quoted for
// a POSIX shell and between backquotes, to be put into a message.
func (a *app) advise(kind adviceKind, argv ...string) string {
	quoted := make([]string, len(argv))
	for i, arg := range argv {
		quoted[i] = shellQuote(arg)
	}
	line := strings.Join(quoted, " ")
	if a.onAdvice != nil {
		a.onAdvice(kind, line)
	}
	return "`" + line + "`"
}

// rerun returns the running command's own command line, as the user gave
// it (flags in their long form, then the positional arguments), without
// the flags named in drop and with add after the flags: the base of every
// advice that says "the same again, but ...".
func (a *app) rerun(drop []string, add ...string) []string {
	cmd := a.invocation.cmd
	if cmd == nil {
		return nil
	}
	argv := strings.Fields(cmd.CommandPath())
	cmd.Flags().Visit(func(f *pflag.Flag) {
		if slices.Contains(drop, f.Name) {
			return
		}
		if f.Value.Type() == "bool" {
			if f.Value.String() == "true" {
				argv = append(argv, "--"+f.Name)
			} else {
				argv = append(argv, "--"+f.Name+"=false")
			}
			return
		}
		argv = append(argv, "--"+f.Name, f.Value.String())
	})
	argv = append(argv, add...)
	return append(argv, a.invocation.args...)
}

// invocation is the command being run and its positional arguments, for
// rerun.
type invocation struct {
	cmd  *cobra.Command
	args []string
}

// shellQuote quotes s for a POSIX shell when it holds anything but the
// characters that are safe unquoted, so that a printed command line can
// be pasted as is.
func shellQuote(s string) string {
	safe := func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune("-_./+,:@%=", r)
	}
	if s != "" && strings.IndexFunc(s, func(r rune) bool { return !safe(r) }) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
