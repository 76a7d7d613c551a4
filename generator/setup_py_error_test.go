package generator

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/build2cmake-go/build2cmake/generator/config"
)

// failingCMake configures, or fails to, as FAKE_CONFIGURE says, and fails
// every build with Ninja's output for a failed compile: the status lines,
// a FAILED: block of FAKE_ERROR_LINES compiler lines, another job's
// status line, and Ninja's closing words.
const failingCMake = `#!/bin/sh
if [ "$1" = "-S" ]; then
    if [ "$FAKE_CONFIGURE" = fail ]; then
        echo "-- The CXX compiler identification is GNU 12.2.0"
        echo "CMake Error at CMakeLists.txt:3 (find_package):"
        echo "  Could not find Torch"
        echo "-- Configuring incomplete, errors occurred!"
        exit 1
    fi
    mkdir -p "$4"
    exit 0
fi
echo "[1/3] Building CXX object relu.cpp.o"
echo "FAILED: relu.cpp.o"
echo "/usr/bin/c++ -c relu.cpp -o relu.cpp.o"
i=1
while [ $i -lt "$FAKE_ERROR_LINES" ]; do echo "relu.cpp: note: context line $i"; i=$((i + 1)); done
echo "relu.cpp:17:21: error: 'scael' was not declared in this scope"
echo "[2/3] Building CXX object torch_binding.cpp.o"
echo "ninja: build stopped: subcommand failed."
exit 1
`

// TestSetupEndsOnTheCompilerError: when CMake fails, the generated
// setup.py of either layout passes its output through and ends with the
// failing step and the failed compile's command and errors (the last 60
// of its lines), then exits 1; no traceback, which under pip install -e
// would end on setuptools' request to report a bug in setuptools. A failed
// configure ends on CMake's last lines.
func TestSetupEndsOnTheCompilerError(t *testing.T) {
	python := requireSetuptools(t)
	b := testBuild()
	early := mustRender(t, b, Options{Backend: config.CPU, OpsName: "_relu_test_x", TargetOS: "linux"})
	today, err := RenderPyproject(b, PyprojectOptions{UniqueID: "x"})
	if err != nil {
		t.Fatal(err)
	}
	for layout, files := range map[string][]File{"generate-torch": early, "create-pyproject": today} {
		for _, tc := range []struct {
			name, configure string
			errorLines      int
			// want are lines at the end, the first one naming the failed
			// step; last is the last line of all.
			want []string
			last string
		}{
			{"short compile error", "ok", 3, []string{
				"error: building _relu_test_* failed (`cmake --build $PROJECT/build/* --parallel 1` exited with status 1)",
				"FAILED: relu.cpp.o",
				"/usr/bin/c++ -c relu.cpp -o relu.cpp.o",
				"relu.cpp: note: context line 1",
				"relu.cpp: note: context line 2",
				"relu.cpp:17:21: error: 'scael' was not declared in this scope",
			}, "relu.cpp:17:21: error: 'scael' was not declared in this scope"},
			{"long compile error", "ok", 100, []string{
				"error: building _relu_test_* failed (`cmake --build $PROJECT/build/* --parallel 1` exited with status 1)",
				"FAILED: relu.cpp.o",
				"/usr/bin/c++ -c relu.cpp -o relu.cpp.o",
				"[...]",
				"relu.cpp: note: context line 41",
			}, "relu.cpp:17:21: error: 'scael' was not declared in this scope"},
			{"failed configure", "fail", 0, []string{
				"error: configuring _relu_test_* with CMake failed (`cmake -S $PROJECT -B $PROJECT/build/* *` exited with status 1)",
				"-- The CXX compiler identification is GNU 12.2.0",
				"CMake Error at CMakeLists.txt:3 (find_package):",
				"  Could not find Torch",
				"-- Configuring incomplete, errors occurred!",
			}, "-- Configuring incomplete, errors occurred!"},
		} {
			t.Run(layout+"/"+tc.name, func(t *testing.T) {
				dir := t.TempDir()
				for _, f := range files {
					writeTestFile(t, filepath.Join(dir, f.Path), string(f.Content))
				}
				writeTestFile(t, filepath.Join(dir, "torch-ext", "relu_test", "__init__.py"), "")
				bin := t.TempDir()
				writeTestFile(t, filepath.Join(bin, "cmake"), failingCMake)
				if err := os.Chmod(filepath.Join(bin, "cmake"), 0o755); err != nil {
					t.Fatal(err)
				}
				cmd := exec.Command(python, "setup.py", "-q", "build_ext", "--inplace")
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
					"MAX_JOBS=1", "CMAKE_ARGS=", "CMAKE_GENERATOR=", "BUILD2CMAKE_FRESH_BUILD=",
					"FAKE_CONFIGURE="+tc.configure, fmt.Sprintf("FAKE_ERROR_LINES=%d", tc.errorLines), "PYTHONDONTWRITEBYTECODE=1")
				out, err := cmd.CombinedOutput()
				if code := cmd.ProcessState.ExitCode(); err == nil || code != 1 {
					t.Fatalf("setup.py exited %d (%v), want 1:\n%s", code, err, out)
				}
				text := strings.ReplaceAll(string(out), dir, "$PROJECT")
				if strings.Contains(text, "Traceback") {
					t.Errorf("a traceback:\n%s", text)
				}
				// The summary is the output's last lines: want, in order,
				// after the last line naming the failed step, up to the end.
				lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
				start := len(lines) - 1
				for start >= 0 && !strings.HasPrefix(lines[start], "error: ") {
					start--
				}
				if start < 0 || !containsRun(lines[start+1:], tc.want[1:]) || !globMatch(tc.want[0], lines[start]) || lines[len(lines)-1] != tc.last {
					t.Errorf("the output does not end with\n%s\n[...]\n%s\n--- output\n%s", strings.Join(tc.want, "\n"), tc.last, text)
				}
			})
		}
	}
}

// containsRun reports whether lines start with run, each line matched
// with globMatch.
func containsRun(lines, run []string) bool {
	if len(lines) < len(run) {
		return false
	}
	for i, want := range run {
		if !globMatch(want, lines[i]) {
			return false
		}
	}
	return true
}

// globMatch matches s against pattern, where "*" stands for any run of
// characters.
func globMatch(pattern, s string) bool {
	re := "^" + strings.ReplaceAll(regexp.QuoteMeta(pattern), `\*`, ".*") + "$"
	return regexp.MustCompile(re).MatchString(s)
}
