// Package testenv decides what a test does when the machine lacks a
// program or permission the test needs. Outside CI the test skips and says
// what is missing; under CI=true, where scripts/install-deps.sh provides
// everything, it fails, so that a broken CI image cannot pass by skipping.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
)

// InCI reports whether the suite runs under CI=true.
func InCI() bool { return os.Getenv("CI") == "true" }

// Missing ends the test because a prerequisite is missing: it skips, or
// fails under CI=true. The message says what is missing (and ideally how
// to get it).
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if InCI() {
		t.Fatalf("%s; CI=true, so this fails instead of skipping", msg)
	}
	t.Skipf("skipping: %s", msg)
}

// LookPath returns the path of program, or ends the test with Missing.
func LookPath(t testing.TB, program string) string {
	t.Helper()
	path, err := exec.LookPath(program)
	if err != nil {
		Missing(t, "%s is not on PATH (scripts/install-deps.sh installs it)", program)
	}
	return path
}

// SystemPython is Debian's interpreter, the one that has python3-torch
// (scripts/install-deps.sh). The python3 first on PATH may be another one
// (pyenv) without torch.
const SystemPython = "/usr/bin/python3"

// torchImport is the outcome of importing torch in SystemPython, asked once
// per test binary: the import alone takes seconds.
var torchImport struct {
	once sync.Once
	err  error
}

// TorchPython returns SystemPython when it can import torch, or ends the
// test with Missing.
func TorchPython(t testing.TB) string {
	t.Helper()
	torchImport.once.Do(func() {
		torchImport.err = exec.Command(SystemPython, "-c", "import torch").Run()
	})
	if torchImport.err != nil {
		Missing(t, "%s cannot import torch (%v); scripts/install-deps.sh installs python3-torch", SystemPython, torchImport.err)
	}
	return SystemPython
}
