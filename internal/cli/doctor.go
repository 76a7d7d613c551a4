package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/internal/doctor"
)

type doctorFlags struct {
	backend string
	python  string
}

func (a *app) doctorCommand() *cobra.Command {
	var f doctorFlags
	cmd := &cobra.Command{
		Use:   "doctor [flags] [KERNEL_DIR]",
		Short: "Check what a build of the kernel will use, before it fails",
		Long: "Report what building the kernel in KERNEL_DIR (default: the current directory;\n" +
			"a path to its build.toml works too) will use: CMake, Ninja, the C++ compiler,\n" +
			"Python and Torch, the GPU toolkit and GPU, the backend, the build variant and\n" +
			"where local_install puts it, and which kernels are left out. Each problem is\n" +
			"one line on stderr with its fix. Exit status 0 when a build can proceed, 2\n" +
			"when it cannot.",
		Args: positional(0, "KERNEL_DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.doctor(f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.backend, "backend", "", "backend to check for (default: as generate-torch chooses it)")
	fl.StringVar(&f.python, "python", "", "Python the build will use (default: $Python3_EXECUTABLE, else -DPython3_EXECUTABLE in $CMAKE_ARGS, else python3 on PATH)")
	return cmd
}

func (a *app) doctor(f doctorFlags, args []string) error {
	dir := "."
	if len(args) > 0 {
		dir = args[0]
	}
	path := filepath.Join(dir, "build.toml")
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		path, dir = dir, filepath.Dir(dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("resolve %q: %w", dir, err)
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no build.toml in %s; run doctor in the kernel folder or pass it as KERNEL_DIR", abs)
	}
	loaded, err := a.load(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%-14s %s (v%d)\n", "build.toml", path, int(loaded.Format))

	env := a.tools
	env.Probe = a.probe
	report := doctor.Check(env, doctor.Options{Dir: abs, Build: loaded.Build, Backend: f.backend, Python: f.python})
	for _, fact := range report.Facts {
		fmt.Fprintf(a.stdout, "%-14s %s\n", fact.Name, fact.Value)
	}
	for _, w := range report.Warnings {
		fmt.Fprintf(a.stderr, "build2cmake: warning: %s\n", w)
	}
	// Sources that are not there stop the build as surely as a missing
	// compiler, and point at the line to fix.
	var missing config.Errors
	if err := requireSources(loaded); errors.As(err, &missing) {
		a.printDiagnostics(missing)
	} else if err != nil {
		return err
	}
	for _, p := range report.Problems {
		fmt.Fprintf(a.stderr, "build2cmake: problem: %s\n", p)
	}
	if n := len(report.Problems) + len(missing); n > 0 {
		return fmt.Errorf("%d %s: the build would fail", n, plural(n, "problem", "problems"))
	}
	fmt.Fprintf(a.stdout, "a %s build can proceed\n", report.Backend)
	return nil
}
