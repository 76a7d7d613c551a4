package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/build2cmake-go/build2cmake/internal/scaffold"
)

// TestInitBuild builds the project that `build2cmake init` creates, exactly
// as created, the way its README tells the author to, in both layouts at
// once (two copies, built in parallel): generate for cpu, build with plain
// CMake and with `pip install -e .`, run its own tests (the CUDA ones
// skip); and today's layout (create-pyproject, local_install). It uses
// the prerequisite check and steps of TestCPUBuild, so it skips and fails
// under the same rules.
//
// The project comes from the scaffold package, which `init` calls; the
// command line of init itself is tested in internal/cli.
func TestInitBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the real builds of the init scaffold under -short")
	}
	t.Parallel()
	requirePrereqs(t)
	root := repoRoot(t)
	bin := buildBinary(t, root)

	// A dashed name, so that the build also proves the Python package and
	// ops name use the underscored form.
	const name, opsName = "init-demo", "_init_demo_e2e"
	create := func(t *testing.T) string {
		proj := filepath.Join(t.TempDir(), name)
		if _, err := scaffold.Create(proj, name); err != nil {
			t.Fatal(err)
		}
		return proj
	}

	t.Run("generate-torch", func(t *testing.T) {
		t.Parallel()
		proj := create(t)
		r := &runner{t: t}
		defer r.logTimings()
		r.run("validate --strict", proj, nil, bin, "validate", "--strict", "build.toml")
		r.run("generate", proj, nil, bin, "generate-torch", "--backend", "cpu", "--ops-id", "e2e", "build.toml")

		r.run("cmake configure", proj, nil, "cmake", "-B", "build-ext", "-G", "Ninja", "-DPython3_EXECUTABLE="+systemPython)
		r.run("cmake build", proj, nil, "cmake", "--build", "build-ext")
		requireModule(t, filepath.Join(proj, "build-ext"), opsName, true)
		prefix := t.TempDir()
		r.run("cmake install", proj, nil, "cmake", "--install", "build-ext", "--prefix", prefix)
		requireModule(t, filepath.Join(prefix, opsName), opsName, false)

		venv := filepath.Join(t.TempDir(), "venv")
		r.run("venv", proj, nil, systemPython, "-m", "venv", "--system-site-packages", venv)
		python := filepath.Join(venv, "bin", "python")
		r.run("pip install -e", proj, nil, python, "-m", "pip", "install", "--no-build-isolation", "--no-deps", "--no-index", "-v", "-e", ".")
		// The suite's test_build_has_a_kernel fails when the build registered
		// no kernel at all, so the CPU tests cannot all skip unnoticed.
		r.run("pytest", proj, nil, python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")
	})

	// Today's layout: create-pyproject, local_install, and the build
	// variant holds the package and the extension.
	t.Run("create-pyproject", func(t *testing.T) {
		t.Parallel()
		today := create(t)
		r := &runner{t: t}
		defer r.logTimings()
		r.run("create-pyproject", today, nil, bin, "create-pyproject", "--unique-id", "e2e")
		r.run("cmake configure (today)", today, nil, "cmake", "-B", "cmake-build", "-G", "Ninja", "-DPython3_EXECUTABLE="+systemPython)
		r.run("local_install", today, nil, "cmake", "--build", "cmake-build", "--target", "local_install")
		variants, err := filepath.Glob(filepath.Join(today, "build", "torch*-cpu-*"))
		if err != nil || len(variants) != 1 {
			t.Fatalf("local_install made %q under build/, want one CPU variant (%v)", variants, err)
		}
		requireModule(t, variants[0], "_init_demo_cpu_e2e", false)
		if _, err := os.Stat(filepath.Join(variants[0], "__init__.py")); err != nil {
			t.Errorf("the variant has no __init__.py: %v", err)
		}
	})
}
