package cli

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/generator/outdir"
)

// updateFlags are update-build's flags: values edition 5 requires that
// older files do not have.
type updateFlags struct {
	license string
	version uint64
	// versionSet records that --version was given.
	versionSet bool
	// diff prints the change instead of writing it.
	diff bool
}

// diffLicense stands in for the license that --diff shows when the file
// has none and --license is not given.
const diffLicense = "<pass --license>"

func (a *app) updateBuildCommand() *cobra.Command {
	var f updateFlags
	cmd := &cobra.Command{
		Use:   "update-build [--license L] [--version N] [--diff] [KERNEL_DIR | BUILD_TOML]",
		Short: "Rewrite a build.toml in the newest format (edition 5)",
		Long: "Rewrite a v1, v2, v3 or v4 build.toml in place in edition 5, keeping every\n" +
			"setting, every comment next to what it was written for, and the formatting of\n" +
			"lists it does not change. KERNEL_DIR (default: the current directory) holds\n" +
			"build.toml; a path to the file works too. An edition 5 file is left untouched.\n" +
			"Edition 5 requires a license and a kernel version: --license and --version\n" +
			"supply them when the file has none (the version defaults to 1). A kernel name\n" +
			"with underscores (layer_norm) becomes the dashed name today's formats require\n" +
			"(layer-norm), which keeps the Python package (layer_norm).\n\n" +
			"--diff prints the change as a unified diff (a/ and b/ labels; apply it with\n" +
			"`git apply` in KERNEL_DIR) and writes nothing; it needs no --license. Exit\n" +
			"status: 0 when the file was converted or is already in edition 5, 1 when\n" +
			"--diff shows a change, 2 on errors.",
		Args: positional(0, "KERNEL_DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			f.versionSet = cmd.Flags().Changed("version")
			return a.updateBuild(argOrEmpty(args), f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.license, "license", "", "license of the kernel when build.toml has none, e.g. Apache-2.0")
	fl.Uint64Var(&f.version, "version", config.DefaultVersion, "kernel version when build.toml has none")
	fl.BoolVar(&f.diff, "diff", false, "print the change as a unified diff instead of writing it (exit status 1 when there is one)")
	return cmd
}

func (a *app) updateBuild(arg string, f updateFlags) error {
	path, err := resolveBuildToml(arg)
	if err != nil {
		return err
	}
	data, err := config.ReadFile(path)
	if err != nil {
		return err
	}
	l, err := a.parseForUpdate(path, data)
	if err != nil {
		return err
	}
	if l.Format == config.Edition5 {
		// With --diff, stdout holds the diff alone: here an empty one.
		out := a.stdout
		if f.diff {
			out = a.stderr
		}
		fmt.Fprintf(out, "%s is already in edition 5; nothing to do\n", path)
		return nil
	}
	g := l.Build.General
	if f.license != "" && g.License != "" && f.license != g.License {
		fmt.Fprintf(a.stderr, "build2cmake: warning: %s already has license %q; --license %q is ignored\n", path, g.License, f.license)
	}
	if f.versionSet && g.Version != nil && f.version != *g.Version {
		fmt.Fprintf(a.stderr, "build2cmake: warning: %s already has version %d; --version %d is ignored\n", path, *g.Version, f.version)
	}
	var version *uint64
	if f.versionSet {
		version = &f.version
	}
	license := f.license
	noLicense := license == "" && g.License == ""
	if noLicense && f.diff {
		license = diffLicense
	}
	b5, err := config.ToEdition5(l.Build, l.Format, license, version)
	if errors.Is(err, config.ErrNoLicense) {
		return fmt.Errorf("%s has no license, which edition 5 requires; run with the kernel's license, for example:\n  %s",
			path, updateCommand(arg, f, exampleLicense))
	}
	if err != nil {
		return fmt.Errorf("cannot convert %s to edition 5: %w", path, err)
	}
	if b5.General.Name != g.Name {
		fmt.Fprintf(a.stderr, "build2cmake: note: renamed kernel %s to %s, as today's formats require; its Python package stays %s\n",
			config.TOMLString(g.Name), config.TOMLString(b5.General.Name), b5.General.PythonName())
	}
	out := a.encode(b5, l.Layout())
	// Check the result before replacing the user's only copy: a converter
	// bug must not turn a working file into a broken one.
	again, err := a.parse(path, out)
	if err != nil {
		return fmt.Errorf("converting %s to edition 5 gave a file that does not load; left it unchanged:\n%w", path, err)
	}
	if again.Format != config.Edition5 {
		return fmt.Errorf("converting %s to edition 5 gave a v%d file; left it unchanged", path, int(again.Format))
	}
	if f.diff {
		return a.updateDiff(path, arg, f, noLicense, out)
	}
	// A symlinked build.toml stays a link: its target is updated.
	if err := outdir.WriteFileFollow(filepath.Dir(path), filepath.Base(path), out, a.waitingFor(filepath.Dir(path))); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "converted %s from %s to edition 5\n", path, formatName(l.Format))
	return nil
}

// updateDiff prints the conversion of path as a diff that `git apply`
// takes in the file's folder, and says how to run the conversion.
func (a *app) updateDiff(path, arg string, f updateFlags, noLicense bool, out []byte) error {
	old, err := config.ReadFile(path)
	if err != nil {
		return err
	}
	name := filepath.ToSlash(filepath.Base(path))
	if _, err := io.WriteString(a.stdout, outdir.UnifiedDiff("a/"+name, "b/"+name, old, out)); err != nil {
		return err
	}
	license := f.license
	how := "run"
	if noLicense {
		fmt.Fprintf(a.stderr, "build2cmake: note: %s has no license, which edition 5 requires; the diff shows %s in its place\n",
			path, config.TOMLString(diffLicense))
		license, how = exampleLicense, "run with the kernel's license"
	}
	return &wouldChangeError{fmt.Sprintf("%s would change as shown; to convert it, %s:\n  %s", path, how, updateCommand(arg, f, license))}
}

// updateCommand is the update-build command line that converts the file
// the user named by arg with the flags the user gave, license included.
func updateCommand(arg string, f updateFlags, license string) string {
	parts := []string{"build2cmake", "update-build"}
	if license != "" {
		parts = append(parts, "--license", shellQuote(license))
	}
	if f.versionSet {
		parts = append(parts, "--version", strconv.FormatUint(f.version, 10))
	}
	if strings.HasPrefix(arg, "-") {
		parts = append(parts, "--")
	}
	if arg != "" {
		parts = append(parts, shellQuote(arg))
	}
	return strings.Join(parts, " ")
}

// wouldChangeError is the result of update-build --diff on a file it
// would change.
type wouldChangeError struct{ msg string }

func (e *wouldChangeError) Error() string { return e.msg }
func (e *wouldChangeError) ExitCode() int { return ExitDiffers }

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
