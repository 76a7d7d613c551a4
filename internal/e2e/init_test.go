package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInitBuild creates a project with `build2cmake init` and runs every
// ```sh block of its README.md in order, in one bash, the way a newcomer
// pastes them: a virtual environment, today's layout built with CMake into
// build/<variant>/ and tested from there, `pip install -e .` and its
// tests, then the one-backend layout of generate-torch built with CMake
// alone. The CUDA tests skip. It uses the prerequisite check of
// TestCPUBuild, so it skips and fails under the same rules.
//
// The README is written for a machine whose python3 has Torch (Debian's
// python3-torch); here another python3 may come first on PATH, so a
// python3 that is Debian's comes first. Nothing else is set up for it.
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
	const name = "init-demo"
	// The README's commands must hold up in a path with a space.
	work := filepath.Join(t.TempDir(), awkwardFolder)
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	r := &runner{t: t}
	defer r.logTimings()
	r.run("init", work, nil, bin, "init", name)
	proj := filepath.Join(work, name)

	readme, err := os.ReadFile(filepath.Join(proj, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := fencedBlocks(string(readme), "sh")
	if len(blocks) < 4 {
		t.Fatalf("README.md has %d ```sh blocks, want the environment, both layouts and pip", len(blocks))
	}
	python := filepath.Join(t.TempDir(), "python3")
	if err := os.Symlink(systemPython, python); err != nil {
		t.Fatal(err)
	}
	path := filepath.Dir(bin) + string(os.PathListSeparator) + filepath.Dir(python) + string(os.PathListSeparator) + os.Getenv("PATH")
	// -x: a failure shows which command of the README failed.
	r.run("README.md", proj, []string{"PATH=" + path}, "bash", "-xc", "set -euo pipefail\n"+strings.Join(blocks, "\n"))

	// What the README promised is there: the variant with the package and
	// the extension, and the module of the CMake-alone build.
	variants, err := filepath.Glob(filepath.Join(proj, "build", "torch*-cpu-*"))
	if err != nil || len(variants) != 1 {
		t.Fatalf("local_install made %q under build/, want one CPU variant (%v)", variants, err)
	}
	for _, pattern := range []string{"__init__.py", "_ops.py", "metadata.json", "_init_demo_cpu_*.so"} {
		if found, _ := filepath.Glob(filepath.Join(variants[0], pattern)); len(found) != 1 {
			t.Errorf("the variant has no %s:\n%s", pattern, listTree(variants[0]))
		}
	}
	if found, _ := filepath.Glob(filepath.Join(proj, "build-ext", "install", "_init_demo_*", "_init_demo_*.so")); len(found) != 1 {
		t.Errorf("cmake --install put no module under build-ext/install:\n%s", listTree(filepath.Join(proj, "build-ext", "install")))
	}
}
