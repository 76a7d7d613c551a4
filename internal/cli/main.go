// Package cli implements the build2cmake command line: argument parsing,
// what each command prints, and exit statuses. The work itself happens in
// generator (rendering), generator/config (build.toml) and generator/outdir
// (the file system).
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/build2cmake-go/build2cmake/generator"
	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/internal/doctor"
	"github.com/build2cmake-go/build2cmake/internal/probe"
)

// Exit statuses.
const (
	// ExitOK: the command did what was asked.
	ExitOK = 0
	// ExitDiffers: generate-torch --check found files that are out of
	// date, or update-build --diff shows a change.
	ExitDiffers = 1
	// ExitDeclined: the user answered no when clean asked; nothing was
	// deleted.
	ExitDeclined = 1
	// ExitBadInput: bad arguments, a bad build.toml, a conflict, or any
	// other failure. Nothing is printed on stdout then, except by doctor,
	// whose report is its output either way.
	ExitBadInput = 2
)

// Main runs build2cmake with the given arguments (without the program
// name) and returns the exit status. It never exits the process itself.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return newApp(stdin, stdout, stderr).run(args)
}

// checkedWriter remembers the first write error, so that output lost to a
// full disk or a closed pipe fails the command instead of passing
// silently: `--dry-run > /dev/full` must not exit 0.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err != nil {
		c.err = err
	}
	return n, err
}

// app is one invocation: its streams, and the functions doing the work,
// which tests replace to exercise the command line on its own.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	parse func(path string, data []byte) (*config.Loaded, error)
	lint  func(l *config.Loaded, root string) []config.Diagnostic
	// parseForUpdate is parse as update-build reads a file (see
	// config.ParseForUpdate).
	parseForUpdate func(path string, data []byte) (*config.Loaded, error)
	// encode writes a build in the newest format with the comments of the
	// file it came from.
	encode func(b *config.Build, c *config.Layout) []byte
	render func(b *config.Build, opts generator.Options) ([]generator.File, error)
	// probe finds and asks the Python a build would use about its Torch.
	probe probe.Env
	// tools is the machine doctor inspects (its Probe is replaced by
	// probe above, so one stand-in serves both).
	tools doctor.Env
	// isTerminal tells whether the prompt of clean can be answered: stdin
	// is a terminal.
	isTerminal func(io.Reader) bool

	// invocation is the command running, set before it runs (see rerun).
	invocation invocation
	// onAdvice, when set, is told every command line a message advises
	// (see advise); tests run them.
	onAdvice func(kind adviceKind, line string)
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *app {
	return &app{
		stdin:  stdin,
		stdout: &checkedWriter{w: stdout},
		stderr: stderr,
		parse:  config.Parse,
		lint:   config.Lint,
		encode: config.EncodeEdition5WithLayout,
		render: generator.Render,
		probe:  probe.System(),
		tools:  doctor.System(),

		parseForUpdate: config.ParseForUpdate,

		isTerminal: isTerminal,
	}
}

// run executes one command line and reports its error, if any, exactly
// once on stderr.
func (a *app) run(args []string) int {
	root := a.rootCommand()
	// Never nil: cobra takes a nil argument list as "read os.Args".
	root.SetArgs(append([]string{}, args...))
	err := root.Execute()
	if out, ok := a.stdout.(*checkedWriter); ok && out.err != nil && exitCode(err) != ExitBadInput {
		err = fmt.Errorf("write standard output: %w", out.err)
	}
	if err == nil {
		return ExitOK
	}
	a.printError(err)
	return exitCode(err)
}

// exitCoder is implemented by errors that call for a status other than
// ExitBadInput.
type exitCoder interface{ ExitCode() int }

func exitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var c exitCoder
	if errors.As(err, &c) {
		return c.ExitCode()
	}
	return ExitBadInput
}

// printError writes err to stderr. build.toml diagnostics already name the
// file and position, so they are printed one per line as they are; other
// errors get the program name in front. Diagnostics wrapped in another
// error keep that error's context, so they are not unwrapped here.
func (a *app) printError(err error) {
	if diags, ok := err.(config.Errors); ok {
		a.printDiagnostics(diags)
		return
	}
	fmt.Fprintf(a.stderr, "build2cmake: %v\n", err)
	var u *usageError
	if errors.As(err, &u) {
		fmt.Fprintf(a.stderr, "run %s for usage\n", a.advise(adviceHelp, append(strings.Fields(u.command), "--help")...))
	}
}

// usageError is a mistake in the command line itself.
type usageError struct {
	command string // e.g. "build2cmake generate-torch"
	err     error
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// isTerminal reports whether r is a terminal (a character device), where
// someone can answer a question.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
