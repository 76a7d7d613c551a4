package cli

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/build2cmake-go/build2cmake/generator"
	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/generator/outdir"
)

// project is a loaded build.toml and the directory generated files go to.
type project struct {
	// path is BUILD_TOML as given on the command line.
	path string
	// dir is TARGET_DIR: as given, or the absolute directory of path.
	dir    string
	loaded *config.Loaded
	// data is the content of build.toml.
	data []byte
	// full is the build as read, for today's layout; generate-torch and
	// clean use loaded.Build, what the early-2026 layout keeps of it.
	full *config.Build
}

// openProject resolves TARGET_DIR and loads BUILD_TOML from the positional
// arguments of generate-torch and clean, warning about old formats.
func (a *app) openProject(args []string) (*project, error) {
	p := &project{path: args[0]}
	var err error
	if p.dir, err = targetDir(args); err != nil {
		return nil, err
	}
	if p.loaded, p.data, err = a.loadData(p.path); err != nil {
		return nil, err
	}
	a.warnDeprecated(p.loaded)
	p.full = p.loaded.Build
	if p.full.Framework == config.FrameworkTVMFFI {
		msg := fmt.Sprintf("%s uses [tvm-ffi], which the layout of generate-torch and clean cannot build", p.path)
		if advice, ok := a.todayLayout(p, false); ok {
			return nil, fmt.Errorf("%s; run %s to generate today's layout", msg, advice)
		}
		return nil, fmt.Errorf("%s, and build2cmake does not generate [tvm-ffi] projects yet", msg)
	}
	// The early-2026 layout knows no [torch-noarch]: it is a build
	// without kernels there.
	p.loaded.Build = p.full.EarlyLayout()
	return p, nil
}

// todayLayout is the advice to generate p in today's layout instead: the
// create-pyproject command for BUILD_TOML (and TARGET_DIR when given),
// with --force when the target holds files at paths create-pyproject
// writes, or will once this run (writes) has written its own. ok is false
// when create-pyproject cannot generate the build either.
func (a *app) todayLayout(p *project, writes bool) (advice string, ok bool) {
	files, err := generator.RenderPyproject(p.full, generator.PyprojectOptions{UniqueID: "advice"})
	if err != nil {
		return "", false
	}
	argv := []string{"build2cmake", "create-pyproject"}
	for _, f := range files {
		if writes || outdir.ReadGenerated(p.dir, f.Path) != nil {
			argv = append(argv, "--force")
			break
		}
	}
	argv = append(argv, p.path)
	if args := a.invocation.args; len(args) > 1 {
		argv = append(argv, args[1])
	}
	return a.advise(adviceTodayLayout, argv...), true
}

// requireSources stops a command that generates or plans a build when
// build.toml names a source file or include directory that is not in the
// project (the folder holding build.toml), or a [tvm-ffi] build lacks its
// Python package: CMake would fail much later, and far from the line to
// fix.
func requireSources(l *config.Loaded) error {
	abs, err := filepath.Abs(l.Path)
	if err != nil {
		return fmt.Errorf("resolve %q: %w", l.Path, err)
	}
	errs := append(config.MissingPaths(l, filepath.Dir(abs)), config.TVMFFIErrors(l, filepath.Dir(abs))...)
	if len(errs) == 0 {
		return nil
	}
	slices.SortStableFunc(errs, func(a, b config.Diagnostic) int { return cmp.Or(a.Line-b.Line, a.Col-b.Col) })
	return errs
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
	l, _, err := a.loadData(path)
	return l, err
}

// loadData is load that also returns the content of the file.
func (a *app) loadData(path string) (*config.Loaded, []byte, error) {
	data, err := config.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	l, err := a.parse(path, data)
	if err != nil {
		return nil, nil, a.withRenameAdvice(path, data, err)
	}
	return l, data, nil
}

// withRenameAdvice adds to err, the error of parsing a v4 build.toml,
// the update-build command that fixes it when err is only that the
// kernel name breaks today's pattern and update-build can rename it
// (layer_norm to layer-norm, as it renames v1–v3 names).
func (a *app) withRenameAdvice(path string, data []byte, err error) error {
	diags, ok := err.(config.Errors)
	if !ok || len(diags) != 1 {
		return err
	}
	// update-build reads the file when only the name stands in the way.
	l, convErr := a.parseForUpdate(path, data)
	if convErr != nil || l.Format != config.V4 {
		return err
	}
	b5, convErr := config.ToEdition5(l.Build, l.Format, "", nil)
	if convErr != nil || b5.General.Name == l.Build.General.Name {
		return err
	}
	diags = slices.Clone(diags)
	diags[0].Message += fmt.Sprintf("; run %s to convert the file to edition 5, which renames the kernel to %s (its Python package stays %s)",
		a.advise(adviceRename, "build2cmake", "update-build", path), config.TOMLString(b5.General.Name), b5.General.PythonName())
	return diags
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
		fmt.Fprintf(a.stderr, "build2cmake: warning: %s uses the deprecated v%d format; %s\n",
			l.Path, int(l.Format), a.convertAdvice(l, l.Path))
	}
}

// exampleLicense stands for the kernel's license in advice to convert a
// file that has none: a real value, so that the command works as pasted,
// with words saying to put the kernel's own in its place.
const exampleLicense = "Apache-2.0"

// convertAdvice says how to convert l to edition 5: the update-build
// command for arg (the path the user gave), with --license when the file
// has none; or, when update-build cannot convert the file, why.
func (a *app) convertAdvice(l *config.Loaded, arg string) string {
	license := ""
	if l.Build.General.License == "" {
		license = exampleLicense
	}
	if _, err := config.ToEdition5(l.Build, l.Format, license, nil); err != nil {
		return fmt.Sprintf("update-build cannot convert it to edition 5: %v", err)
	}
	argv := []string{"build2cmake", "update-build"}
	if license != "" {
		argv = append(argv, "--license", license)
	}
	advice := "run " + a.advise(adviceConvert, append(argv, arg)...) + " to convert it to edition 5"
	if license != "" {
		advice += fmt.Sprintf(", which requires a license: put your kernel's (an SPDX expression) in place of %s", license)
	}
	return advice
}

// selectBackend picks the backend to generate for: the --backend flag (any
// case) when given, else the only backend the build lists. The messages are
// the reference's, word for word, because scripts and CI logs match on them.
func selectBackend(b *config.Build, flag string) (config.Backend, error) {
	backend, err := selectListedBackend(b, flag)
	if err == nil && !slices.Contains(config.Backends, backend) {
		return "", &todayOnlyError{backend: backend}
	}
	return backend, err
}

// todayOnlyError: the backend chosen is one that only today's layout
// builds (cann, neuron, tpu).
type todayOnlyError struct{ backend config.Backend }

func (e *todayOnlyError) Error() string {
	return fmt.Sprintf("the layout of generate-torch has no %s backend (it builds cpu, cuda, metal, rocm and xpu)", e.backend)
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

// printDiagnostics writes diagnostics to stderr, one per line, in one
// write: stderr is unbuffered, and a big build can have thousands.
func (a *app) printDiagnostics(ds []config.Diagnostic) {
	if len(ds) == 0 {
		return
	}
	var buf []byte
	for _, d := range ds {
		buf = append(d.Append(buf), '\n')
	}
	a.stderr.Write(buf)
}
