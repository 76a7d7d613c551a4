package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/internal/scaffold"
)

func (a *app) initCommand() *cobra.Command {
	var framework string
	cmd := &cobra.Command{
		Use:   "init NAME [DIR]",
		Short: "Create a new kernel project",
		Long: "Create a kernel project called NAME in DIR (default: ./NAME): a build.toml\n" +
			"for the cpu and cuda backends, one op with a CPU and a CUDA kernel, its Torch\n" +
			"registration, a Python package, pytest tests, a README and a .gitignore.\n" +
			"With --framework tvm-ffi, the same op built against Apache TVM FFI instead\n" +
			"of Torch (its package in tvm-ffi-ext/).\n" +
			"NAME holds lowercase letters, digits and \"-\", starts with a letter and ends\n" +
			"with a letter or digit (such as my-kernel), as build.toml requires; the Python\n" +
			"package is NAME with \"-\" turned into \"_\" (my_kernel). DIR must be missing\n" +
			"or empty.",
		Args: positional(1, "NAME", "DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, dir := args[0], args[0]
			if len(args) > 1 {
				dir = args[1]
			}
			if err := scaffold.CheckName(name); err != nil {
				return a.badName(err, args)
			}
			fw := config.Framework(framework)
			if !slices.Contains(scaffold.Frameworks, fw) {
				return &usageError{command: cmd.CommandPath(),
					err: fmt.Errorf("unknown --framework %q: use torch or tvm-ffi", framework)}
			}
			return a.initProject(name, dir, fw)
		},
	}
	cmd.Flags().StringVar(&framework, "framework", string(config.FrameworkTorch),
		"the framework the kernel is built against: torch or tvm-ffi")
	return cmd
}

// badName explains why init refuses a name, before anything is written,
// and gives the command with a name that works: the one closest to what
// the user typed, which keeps the Python package where it can.
func (a *app) badName(err error, args []string) error {
	var ne *scaffold.NameError
	if !errors.As(err, &ne) {
		return err
	}
	argv := append([]string{"build2cmake", "init", ne.Suggestion}, args[1:]...)
	return fmt.Errorf("invalid kernel name %q: %s; run %s instead (its Python package is %s)",
		ne.Name, ne.Reason, a.advise(adviceInitName, argv...), config.PythonName(ne.Suggestion))
}

// initSteps build the new project and run its tests; the project's
// README runs the same commands (a test checks that every one is there).
// The virtual environment keeps pip away from the system's Python, which
// Debian and others refuse to install into (PEP 668).
var initSteps = []string{
	"python3 -m venv --system-site-packages .venv",
	"build2cmake create-pyproject",
	".venv/bin/python -m pip install --no-build-isolation --no-deps -e .",
	".venv/bin/python -m pytest tests",
}

// tvmFFIInitSteps are initSteps for the project of init --framework
// tvm-ffi, which its README runs too: the Python must have apache-tvm-ffi,
// and the tests load build/<variant>/ with the kernels package.
var tvmFFIInitSteps = []string{
	"build2cmake create-pyproject",
	`cmake -B cmake-build -G Ninja -DPython3_EXECUTABLE="$(command -v python3)"`,
	"cmake --build cmake-build --target local_install",
	"python3 -m pytest tests",
}

// initProject creates the project and tells the user what to do next.
func (a *app) initProject(name, dir string, framework config.Framework) error {
	files, err := scaffold.CreateFor(dir, name, framework)
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "created kernel project %q in %s:\n", name, dir)
	for _, f := range files {
		fmt.Fprintf(&b, "  %s\n", f.Path)
	}
	b.WriteString("\nnext steps:\n")
	// Only a relative or absolute path that differs from "." needs a cd.
	if filepath.Clean(dir) != "." {
		fmt.Fprintf(&b, "  cd %s\n", shellQuote(dir))
	}
	steps, more := initSteps, "the kernels package's layout, the CMake build, adding ops"
	if framework == config.FrameworkTVMFFI {
		steps, more = tvmFFIInitSteps, "what each file is, the cuda backend, the kernels package"
	}
	for _, step := range steps {
		fmt.Fprintf(&b, "  %s\n", step)
	}
	b.WriteString("README.md tells more: " + more + ".\n")
	fmt.Fprint(a.stdout, b.String())
	return nil
}
