package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

// project is a loaded build.toml and the directory generated files go to.
type project struct {
	// path is BUILD_TOML as given on the command line.
	path string
	// dir is TARGET_DIR: as given, or the absolute directory of path.
	dir    string
	loaded *config.Loaded
}

// openProject resolves TARGET_DIR and loads BUILD_TOML from the positional
// arguments of generate-torch and clean, warning about old formats.
func (a *app) openProject(args []string) (*project, error) {
	p := &project{path: args[0]}
	var err error
	if p.dir, err = targetDir(args); err != nil {
		return nil, err
	}
	if p.loaded, err = a.load(p.path); err != nil {
		return nil, err
	}
	a.warnDeprecated(p.loaded)
	if p.loaded.Build.Framework == config.FrameworkTVMFFI {
		return nil, tvmFFIRefusal(p.path, args[1:])
	}
	// The early-2026 layout knows no [torch-noarch]: it is a build
	// without kernels there.
	p.loaded.Build = p.loaded.Build.EarlyLayout()
	return p, nil
}

// targetDir returns TARGET_DIR from BUILD_TOML [TARGET_DIR]: the given
// directory, which must exist, or the directory holding BUILD_TOML.
func targetDir(args []string) (string, error) {
	if len(args) > 1 {
		dir := args[1]
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			return "", fmt.Errorf("`%s` is not a directory", dir)
		}
		return dir, nil
	}
	abs, err := filepath.Abs(args[0])
	if err != nil {
		return "", fmt.Errorf("resolve %q: %w", args[0], err)
	}
	return filepath.Dir(abs), nil
}

// load reads and parses a build.toml, refusing oversized files.
func (a *app) load(path string) (*config.Loaded, error) {
	data, err := config.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return a.parse(path, data)
}

// resolveBuildToml turns the [KERNEL_DIR | BUILD_TOML] argument of today's
// commands into the path of build.toml: a directory (default: the current
// one) must hold build.toml; anything else is taken as the file itself,
// which today's tool refuses but users type.
func resolveBuildToml(arg string) (string, error) {
	if arg == "" {
		arg = "."
	}
	info, err := os.Stat(arg)
	if err != nil {
		return "", fmt.Errorf("no kernel directory or build.toml at %s: %w", arg, err)
	}
	if !info.IsDir() {
		return arg, nil
	}
	path := filepath.Join(arg, "build.toml")
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("%s holds no build.toml; pass the kernel directory or the path to its build.toml", arg)
	}
	return path, nil
}

// warnDeprecated tells users of the v1 and v2 formats how to upgrade; the
// old formats keep working meanwhile.
func (a *app) warnDeprecated(l *config.Loaded) {
	if l.Format < config.V3 {
		fmt.Fprintf(a.stderr, "build2cmake: warning: %s uses the deprecated v%d format; run `build2cmake update-build %s` to convert it to edition 5\n",
			l.Path, int(l.Format), l.Path)
	}
}

// selectBackend picks the backend to generate for: the --backend flag (any
// case) when given, else the only backend the build lists. The messages are
// the reference's, word for word, because scripts and CI logs match on them.
func selectBackend(b *config.Build, flag string) (config.Backend, error) {
	backend, err := selectListedBackend(b, flag)
	if err == nil && !slices.Contains(config.Backends, backend) {
		return "", fmt.Errorf("the layout of generate-torch has no %s backend (it builds cpu, cuda, metal, rocm and xpu); use `build2cmake create-pyproject` for %s", backend, backend)
	}
	return backend, err
}

// selectListedBackend is selectBackend before checking that the early
// layout can build the backend.
func selectListedBackend(b *config.Build, flag string) (config.Backend, error) {
	if flag != "" {
		// Only a v4 or edition 5 file can list cann, neuron or tpu; for
		// any other the reference's "unknown backend" stands.
		if lower := config.Backend(strings.ToLower(strings.TrimSpace(flag))); b.SupportsBackend(lower) && !slices.Contains(config.Backends, lower) {
			return lower, nil
		}
		backend, err := config.ParseBackend(flag)
		if err != nil {
			return "", err
		}
		if !b.SupportsBackend(backend) {
			return "", fmt.Errorf("Kernel does not support backend: %s (general.backends: %s)", backend, config.JoinBackends(b.General.Backends))
		}
		return backend, nil
	}
	switch len(b.General.Backends) {
	case 0:
		return "", errors.New("No backends are specified in build.toml")
	case 1:
		return b.General.Backends[0], nil
	}
	return "", fmt.Errorf("Multiple supported backends found in build.toml: %s. Please specify one with --backend.", config.JoinBackends(b.General.Backends))
}

// printDiagnostics writes warnings to stderr, one per line.
func (a *app) printDiagnostics(ds []config.Diagnostic) {
	for _, d := range ds {
		fmt.Fprintln(a.stderr, d)
	}
}

// tvmFFIRefusal is the answer of generate-torch and clean to a [tvm-ffi]
// build: the commands of today's layout that handle it, for the same
// folders, ready to run.
func tvmFFIRefusal(buildToml string, targetDir []string) error {
	where := shellQuote(filepath.Dir(buildToml))
	for _, d := range targetDir {
		where += " " + shellQuote(d)
	}
	return fmt.Errorf("%s uses [tvm-ffi], which the layout of generate-torch and clean cannot build; "+
		"use today's layout: `build2cmake create-pyproject %s` (and `build2cmake clean-pyproject %s` to delete it)",
		buildToml, where, where)
}
