package cli

import (
	"os"
	"testing"
)

// runMainEnv makes the test binary run build2cmake's Main on its
// arguments instead of the tests, so that a test can run the real command
// line as a process of its own (signals, exit statuses).
const runMainEnv = "BUILD2CMAKE_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
