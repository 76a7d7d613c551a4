// Package testenv decides what a test does when the machine lacks a
// program or permission the test needs. Outside CI the test skips and says
// what is missing; under CI=true, where scripts/install-deps.sh provides
// everything, it fails, so that a broken CI image cannot pass by skipping.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
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
