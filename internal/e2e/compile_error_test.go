package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/internal/testproc"
)

// TestPipInstallCompileError: a `pip install -e .` whose compile fails
// ends on the compiler's error, as the kernel author needs it, not on
// setuptools' traceback and its PEP 660 request to report a setuptools
// bug. It builds the init scaffold with a typo in its CPU kernel, in
// today's layout, with pip as the README runs it (no -v: pip shows the
// build's output only because it failed). Both layouts' setup.py share
// the code, which generator's TestSetupEndsOnTheCompilerError checks for
// each against a stand-in cmake.
func TestPipInstallCompileError(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the failing real builds under -short")
	}
	t.Parallel()
	requirePrereqs(t)
	root := repoRoot(t)
	bin := buildBinary(t, root)
	for _, layout := range [][]string{{"create-pyproject"}} {
		t.Run(layout[0], func(t *testing.T) {
			proj := filepath.Join(t.TempDir(), "typo-kernel")
			r := &runner{t: t}
			defer r.logTimings()
			r.run("init", filepath.Dir(proj), nil, bin, "init", "typo-kernel")
			src := filepath.Join(proj, "scale_add_cpu", "scale_add_cpu.cpp")
			data, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			// out[i] = x[i] * scale + y[i];  becomes a use of an undeclared name.
			typo := strings.Replace(string(data), "out[i] = x[i] * scale + y[i];", "out[i] = x[i] * scael + y[i];", 1)
			if typo == string(data) {
				t.Fatal("the scaffold's CPU kernel changed; update the typo this test makes")
			}
			if err := os.WriteFile(src, []byte(typo), 0o644); err != nil {
				t.Fatal(err)
			}
			r.run(layout[0], proj, nil, bin, layout...)
			venv := filepath.Join(t.TempDir(), "venv")
			r.run("venv", proj, nil, systemPython, "-m", "venv", "--system-site-packages", venv)

			cmd := testproc.Command(filepath.Join(venv, "bin", "python"), "-m", "pip", "install", "--no-build-isolation", "--no-deps", "-e", ".")
			cmd.Dir = proj
			cmd.Env = append(commandEnv(), "MAX_JOBS=2")
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("pip install -e succeeded with a typo in the kernel:\n%s", out)
			}
			for _, bad := range []string{"Traceback", "please report", "PEP 660"} {
				if strings.Contains(string(out), bad) {
					t.Errorf("pip's output holds %q:\n%s", bad, out)
				}
			}
			// pip shows the build's output indented, up to "[end of
			// output]": it must end with our line naming the failed step,
			// then the failed compile, ending on the compiler's error.
			build, _, ok := strings.Cut(string(out), "[end of output]")
			if !ok {
				t.Fatalf("pip's output has no build output:\n%s", out)
			}
			lines := strings.Split(strings.TrimRight(build, " \n"), "\n")
			for i := range lines {
				lines[i] = strings.TrimSpace(lines[i])
			}
			// The last error line is the compiler's, about the typo, and
			// only its source excerpt (" 17 | ...", "    | ^~~~") follows.
			e := len(lines) - 1
			for e >= 0 && !strings.Contains(lines[e], ": error: ") {
				e--
			}
			if e < 0 || !strings.Contains(lines[e], "scale_add_cpu.cpp:") || !strings.Contains(lines[e], "scael") || !excerptOnly(lines[e+1:]) {
				t.Errorf("the build output does not end on the compiler's error; it ends:\n%s\n--- whole output\n%s",
					strings.Join(lines[max(0, len(lines)-6):], "\n"), out)
			}
			headline := "error: building _typo_kernel_"
			i := strings.LastIndex(build, headline)
			if i < 0 || !strings.Contains(build[i:], "FAILED: ") {
				t.Errorf("no %q line before the failed compile:\n%s", headline, out)
			}
		})
	}
}

// sourceExcerpt is a line of the source excerpt GCC and Clang print
// under a diagnostic: "17 | code", "   | ^~~~".
var sourceExcerpt = regexp.MustCompile(`^\d*\s*\|`)

func excerptOnly(lines []string) bool {
	for _, l := range lines {
		if !sourceExcerpt.MatchString(l) {
			return false
		}
	}
	return true
}
