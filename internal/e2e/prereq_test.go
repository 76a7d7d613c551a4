package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// systemPython is Debian's interpreter, the one that has python3-torch.
const systemPython = testenv.SystemPython

// minCMake is the oldest CMake the generated CMakeLists.txt accepts.
var minCMake = [2]int{3, 26}

// pythonModules are what the builds import from systemPython: torch to build
// against, venv and ensurepip for the throwaway environment, setuptools and
// wheel for `pip install -e .` without build isolation, pytest for the
// projects' tests.
var pythonModules = []string{"torch", "venv", "ensurepip", "setuptools", "wheel", "pytest"}

// requirePrereqs skips the test (fails it when CI=true) if the machine lacks
// anything the real builds need, naming each missing piece. It looks once
// per package run: asking Python imports Torch, which takes seconds.
func requirePrereqs(t *testing.T) {
	t.Helper()
	prereqs.once.Do(func() { prereqs.missing = missingPrereqs() })
	if len(prereqs.missing) == 0 {
		return
	}
	testenv.Missing(t, "the real CPU builds need %s; scripts/install-deps.sh installs them", strings.Join(prereqs.missing, ", "))
}

var prereqs struct {
	once    sync.Once
	missing []string
}

// missingPrereqs describes each missing prerequisite in words a person can
// act on; it returns nil when everything is there.
func missingPrereqs() []string {
	var missing []string
	if out, err := exec.Command("cmake", "--version").Output(); err != nil {
		missing = append(missing, fmt.Sprintf("cmake >= %d.%d on PATH", minCMake[0], minCMake[1]))
	} else if v, ok := parseCMakeVersion(string(out)); !ok || v[0] < minCMake[0] || v[0] == minCMake[0] && v[1] < minCMake[1] {
		missing = append(missing, fmt.Sprintf("cmake >= %d.%d (found %q)", minCMake[0], minCMake[1], firstLine(string(out))))
	}
	if _, err := exec.LookPath("ninja"); err != nil {
		missing = append(missing, "ninja on PATH")
	}
	if _, err := exec.LookPath("c++"); err != nil {
		if _, err := exec.LookPath("g++"); err != nil {
			missing = append(missing, "a C++ compiler (c++ or g++) on PATH")
		}
	}
	if _, err := os.Stat(systemPython); err != nil {
		return append(missing, systemPython+" (Debian's python3 with torch)")
	}
	missing = append(missing, missingPython()...)
	return missing
}

// missingPython asks systemPython, in one run since importing torch takes
// seconds, which modules and headers it lacks.
func missingPython() []string {
	script := `
import importlib, os, sys, sysconfig
missing = []
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except Exception:
        missing.append(name)
if not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")):
    missing.append("Python.h")
print(" ".join(missing))
`
	out, err := exec.Command(systemPython, append([]string{"-c", script}, pythonModules...)...).Output()
	if err != nil {
		return []string{fmt.Sprintf("a working %s (running it failed: %v)", systemPython, err)}
	}
	var missing []string
	for _, name := range strings.Fields(string(out)) {
		if name == "Python.h" {
			missing = append(missing, "the Python headers (python3-dev)")
			continue
		}
		missing = append(missing, fmt.Sprintf("the Python module %q for %s", name, systemPython))
	}
	return missing
}

var cmakeVersionRE = regexp.MustCompile(`version (\d+)\.(\d+)`)

// parseCMakeVersion reads major and minor from `cmake --version` output.
func parseCMakeVersion(out string) ([2]int, bool) {
	m := cmakeVersionRE.FindStringSubmatch(out)
	if m == nil {
		return [2]int{}, false
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	return [2]int{major, minor}, true
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(line)
}

func TestParseCMakeVersion(t *testing.T) {
	for _, tc := range []struct {
		out  string
		want [2]int
		ok   bool
	}{
		{"cmake version 3.31.6\n\nCMake suite maintained and supported by Kitware (kitware.com/cmake).\n", [2]int{3, 31}, true},
		{"cmake version 3.25.1\n", [2]int{3, 25}, true},
		{"cmake3 version 3.26.0-rc1\n", [2]int{3, 26}, true},
		{"something else\n", [2]int{}, false},
	} {
		got, ok := parseCMakeVersion(tc.out)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseCMakeVersion(%q) = %v, %v; want %v, %v", tc.out, got, ok, tc.want, tc.ok)
		}
	}
}
