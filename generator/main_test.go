package generator

import (
	"os"
	"testing"

	"github.com/build2cmake-go/build2cmake/internal/testproc"
)

// TestMain keeps every t.TempDir of the package in one scratch folder that
// goes away with the run, even one that go test's -timeout stops.
func TestMain(m *testing.M) {
	os.Exit(testproc.Main(m, "build2cmake-generator-"))
}
