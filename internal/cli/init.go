package cli

import (
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
	if framework == config.FrameworkTVMFFI {
		b.WriteString("  build2cmake create-pyproject\n" +
			"  cmake -B cmake-build -G Ninja -DPython3_EXECUTABLE=\"$(command -v python3)\"\n" +
			"  cmake --build cmake-build --target local_install\n" +
			"  python3 -m pytest tests\n" +
			"README.md tells more: what each file is, the cuda backend, the kernels package.\n")
	} else {
		b.WriteString("  build2cmake generate-torch --backend cpu build.toml\n" +
			"  python3 -m pip install --no-build-isolation -e .\n" +
			"  python3 -m pytest tests\n" +
			"README.md tells more: the CMake build, the cuda backend, adding ops.\n")
	}
	fmt.Fprint(a.stdout, b.String())
	return nil
}

// shellQuote quotes s for a POSIX shell when it holds anything but the
// characters that are safe unquoted, so that the printed step can be
// pasted as is.
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
