package cli

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/build2cmake-go/build2cmake/internal/scaffold"
)

func (a *app) initCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "init NAME [DIR]",
		Short: "Create a new kernel project",
		Long: "Create a kernel project called NAME in DIR (default: ./NAME): a build.toml\n" +
			"for the cpu and cuda backends, one op with a CPU and a CUDA kernel, its Torch\n" +
			"registration, a Python package, pytest tests, a README and a .gitignore.\n" +
			"NAME may hold letters, digits, \"-\" and \"_\" and starts with a letter; the\n" +
			"Python package is NAME with \"-\" turned into \"_\". DIR must be missing or empty.",
		Args: positional(1, "NAME", "DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, dir := args[0], args[0]
			if len(args) > 1 {
				dir = args[1]
			}
			// A bad name is a mistake on the command line: point to --help.
			if err := scaffold.CheckName(name); err != nil {
				return &usageError{command: cmd.CommandPath(), err: err}
			}
			return a.initProject(name, dir)
		},
	}
}

// initProject creates the project and tells the user what to do next.
func (a *app) initProject(name, dir string) error {
	files, err := scaffold.Create(dir, name)
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
	b.WriteString("  build2cmake generate-torch --backend cpu build.toml\n" +
		"  python3 -m pip install --no-build-isolation -e .\n" +
		"  python3 -m pytest tests\n" +
		"README.md tells more: the CMake build, the cuda backend, adding ops.\n")
	fmt.Fprint(a.stdout, b.String())
	return nil
}
