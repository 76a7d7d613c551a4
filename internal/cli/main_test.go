package cli

import (
	"os"
	"testing"

	"github.com/build2cmake-go/build2cmake/internal/testproc"
)

// runMainEnv makes the test binary run build2cmake's Main on its
// arguments instead of the tests, so that a test can run the real command
// line as a process of its own (signals, exit statuses).
const runMainEnv = "BUILD2CMAKE_TEST_RUN_MAIN"

// TestMain runs the tests with every t.TempDir of the package in one
// scratch folder that goes away with the run, even one that go test's
// -timeout stops (internal/testproc).
func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(testproc.Main(m, "build2cmake-cli-"))
}
