package cli

import (
	"io"
	"os"
	"testing"
)

// runMainEnv makes the test binary run build2cmake's Main on its
// arguments instead of the tests, so that a test can run the real command
// line as a process of its own (signals, exit statuses).
const runMainEnv = "BUILD2CMAKE_TEST_RUN_MAIN"

// typedEnv, with runMainEnv, takes stdin for a terminal, where a person
// answers clean's prompt; a test's pipe is not one.
const typedEnv = "BUILD2CMAKE_TEST_TYPED"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		a := newApp(os.Stdin, os.Stdout, os.Stderr)
		if os.Getenv(typedEnv) == "1" {
			a.isTerminal = func(io.Reader) bool { return true }
		}
		os.Exit(a.run(os.Args[1:]))
	}
	code := m.Run()
	if bigProjectDir != "" {
		os.RemoveAll(bigProjectDir)
	}
	os.Exit(code)
}
