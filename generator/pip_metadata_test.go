package generator

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// setuptoolsMetadataWarning matches what setuptools prints when setup.py
// and the [project] table of pyproject.toml both speak of one field, or
// setup.py gives one that [project] neither has nor declares dynamic:
// _WouldIgnoreField (setuptools 61 to 68: used for now, ignored later),
// _MissingDynamic (since: ignored) and "... overwritten in
// `pyproject.toml`".
var setuptoolsMetadataWarning = regexp.MustCompile(`_WouldIgnoreField|_MissingDynamic|would be ignored|is ignored|overwritten in`)

// TestPipMetadata asks pip for the metadata of every kind of generated
// project, as `pip install --no-build-isolation -e .` does before it
// builds (--dry-run stops there, so nothing compiles): setuptools must
// not warn that setup.py and pyproject.toml disagree, and the package
// must depend on Torch, or tvm-ffi for a [tvm-ffi] kernel (and, without
// compiled code, on the kernel's Python dependencies).
func TestPipMetadata(t *testing.T) {
	python := requireSetuptools(t)
	if out, err := exec.Command(python, "-m", "pip", "--version").CombinedOutput(); err != nil {
		testenv.Missing(t, "%s has no pip: %v\n%s", python, err, out)
	}
	const native = `[general]
name = "pip-check"
version = 1
license = "Apache-2.0"
backends = ["cpu"]
python-depends = ["einops"]

[torch]
src = ["torch-ext/torch_binding.cpp"]

[kernel.pip_check]
backend = "cpu"
depends = ["torch"]
src = ["pip_check/kernel.cpp"]
`
	const noarch = `[general]
name = "pip-check"
version = 1
license = "Apache-2.0"
backends = ["cpu", "cuda"]
python-depends = ["einops"]

[torch-noarch]
`
	const tvmFFI = `[general]
name = "pip-check"
version = 1
edition = 5
license = "Apache-2.0"
backends = ["cpu"]

[tvm-ffi]
src = ["tvm-ffi-ext/binding.cpp"]

[kernel.pip_check]
backend = "cpu"
depends = []
src = ["pip_check/kernel.cpp"]
`
	for _, tc := range []struct {
		name, buildTOML string
		today           bool
		// want is Requires-Dist, sorted and without spaces and
		// parentheses, which setuptools writes in some releases.
		want []string
	}{
		{"generate-torch, kernels", native, false, []string{"torch"}},
		{"generate-torch, no kernels", noarch, false, []string{"einops", "torch>=2.8"}},
		{"create-pyproject, [torch]", native, true, []string{"torch"}},
		{"create-pyproject, [torch-noarch]", noarch, true, []string{"einops", "torch>=2.8"}},
		{"create-pyproject, [tvm-ffi]", tvmFFI, true, []string{"apache-tvm-ffi"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := config.Parse("build.toml", []byte(tc.buildTOML))
			if err != nil {
				t.Fatal(err)
			}
			var files []File
			if tc.today {
				files, err = RenderPyproject(l.Build, PyprojectOptions{UniqueID: "pip"})
			} else {
				files, err = Render(l.Build.EarlyLayout(), Options{Backend: config.CPU, OpsName: "_pip_check_pip", TargetOS: "linux"})
			}
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			for _, f := range files {
				writeTestFile(t, filepath.Join(dir, f.Path), string(f.Content))
			}
			packageDir := "torch-ext"
			if l.Build.Framework == config.FrameworkTVMFFI {
				packageDir = TVMFFIPackageDir
			}
			writeTestFile(t, filepath.Join(dir, packageDir, "pip_check", "__init__.py"), "")

			report := filepath.Join(t.TempDir(), "report.json")
			cmd := exec.Command(python, "-m", "pip", "install", "--verbose", "--dry-run", "--no-build-isolation",
				"--no-deps", "--no-index", "--editable", ".", "--report", report)
			cmd.Dir = dir
			// A dry run installs nothing, so Debian's refusal to install
			// into its own Python does not apply; the user's pip settings
			// do not either. setup.py of today's layout reads Torch's
			// version.
			cmd.Env = append(os.Environ(), "PIP_BREAK_SYSTEM_PACKAGES=1", "PIP_CONFIG_FILE="+os.DevNull,
				"PIP_DISABLE_PIP_VERSION_CHECK=1", "PYTHONDONTWRITEBYTECODE=1")
			cmd.Env = append(cmd.Env, fakeTorch{Version: "2.9.0"}.install(t, t.TempDir())...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("pip install --dry-run -e . failed: %v\n%s", err, out)
			}
			if m := setuptoolsMetadataWarning.Find(out); m != nil {
				t.Errorf("setuptools warns (%q) that setup.py and pyproject.toml disagree:\n%s", m, out)
			}
			data, err := os.ReadFile(report)
			if err != nil {
				t.Fatal(err)
			}
			var r struct {
				Install []struct {
					Metadata struct {
						Name         string   `json:"name"`
						RequiresDist []string `json:"requires_dist"`
					} `json:"metadata"`
				} `json:"install"`
			}
			if err := json.Unmarshal(data, &r); err != nil {
				t.Fatalf("pip's report: %v\n%s", err, data)
			}
			if len(r.Install) != 1 {
				t.Fatalf("pip would install %d packages, want 1:\n%s", len(r.Install), data)
			}
			meta := r.Install[0].Metadata
			if name := strings.ReplaceAll(meta.Name, "-", "_"); name != "pip_check" {
				t.Errorf("package name %q, want pip_check", meta.Name)
			}
			var requires []string
			for _, r := range meta.RequiresDist {
				requires = append(requires, strings.NewReplacer(" ", "", "(", "", ")", "").Replace(r))
			}
			slices.Sort(requires)
			if !slices.Equal(requires, tc.want) {
				t.Errorf("Requires-Dist %q, want %q", meta.RequiresDist, tc.want)
			}
		})
	}
}
