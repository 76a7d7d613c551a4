package testenv

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Missing is run in a child process (this test binary again) so that its
// skip or failure can be observed from outside.
func TestMissingFailsUnderCI(t *testing.T) {
	if os.Getenv("TESTENV_CHILD") == "1" {
		Missing(t, "frobnicator is not on PATH")
		t.Log("Missing returned")
		return
	}
	for _, tc := range []struct {
		ci, want string
		fails    bool
	}{
		{"true", "frobnicator is not on PATH; CI=true, so this fails instead of skipping", true},
		{"", "skipping: frobnicator is not on PATH", false},
		{"false", "skipping: frobnicator is not on PATH", false},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMissingFailsUnderCI$", "-test.v")
		cmd.Env = append(os.Environ(), "TESTENV_CHILD=1", "CI="+tc.ci)
		out, err := cmd.CombinedOutput()
		if (err != nil) != tc.fails || !strings.Contains(string(out), tc.want) || strings.Contains(string(out), "Missing returned") {
			t.Errorf("CI=%q: err %v, output:\n%s\nwant it to contain %q (failing: %v)", tc.ci, err, out, tc.want, tc.fails)
		}
	}
}
