package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// requireCompileCommands checks the IDE support (docs/ide.md): after a
// configure, compile_commands.json at the project root links into the
// build folder under buildRoot and names the kernel source touch.
func requireCompileCommands(t *testing.T, proj, buildRoot, source string) {
	t.Helper()
	root := filepath.Join(proj, "compile_commands.json")
	target, err := os.Readlink(root)
	if err != nil {
		t.Fatalf("%s is not a link: %v", root, err)
	}
	if !strings.HasPrefix(target, filepath.Join(proj, buildRoot)+string(filepath.Separator)) || filepath.Base(target) != "compile_commands.json" {
		t.Errorf("%s links to %s, want a compile_commands.json under %s", root, target, filepath.Join(proj, buildRoot))
	}
	data, err := os.ReadFile(root)
	if err != nil {
		t.Fatalf("read %s: %v", root, err)
	}
	var entries []struct{ File string }
	if err := json.Unmarshal(data, &entries); err != nil {
		t.Fatalf("%s: %v", root, err)
	}
	for _, e := range entries {
		if e.File == filepath.Join(proj, source) {
			return
		}
	}
	t.Errorf("%s has no entry for %s:\n%s", root, source, data)
}
