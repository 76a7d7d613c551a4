package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMECommands runs every ```bash ci block of README.md, each in a
// fresh bash from the repository root with the freshly built build2cmake
// first on PATH, so the commands the README shows are the commands that
// work. A block fails on its first failing command (set -euo pipefail).
func TestREADMECommands(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping under -short: the README's commands include a real build")
	}
	requirePrereqs(t)
	root := repoRoot(t)
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := ciBlocks(string(data))
	if len(blocks) == 0 {
		t.Fatal("README.md has no ```bash ci blocks; the README's commands would go untested")
	}
	bin := buildBinary(t, root)
	path := filepath.Dir(bin) + string(os.PathListSeparator) + os.Getenv("PATH")
	for i, block := range blocks {
		cmd := exec.Command("bash", "-c", "set -euo pipefail\n"+block)
		cmd.Dir = root
		cmd.Env = append(commandEnv(), "PATH="+path, "TMPDIR="+t.TempDir())
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("README block %d failed: %v\n%s\n--- output\n%s", i+1, err, block, out)
		}
	}
}

// ciBlocks returns the bodies of the fenced code blocks whose info string
// is "bash ci" (GitHub highlights them as bash and ignores the second word).
func ciBlocks(markdown string) []string {
	return fencedBlocks(markdown, "bash ci")
}

// fencedBlocks returns the bodies of the fenced code blocks whose info
// string is info.
func fencedBlocks(markdown, info string) []string {
	var blocks []string
	var cur []string
	in := false
	for _, line := range strings.Split(markdown, "\n") {
		switch {
		case !in && strings.TrimSpace(line) == "```"+info:
			in, cur = true, nil
		case in && strings.TrimSpace(line) == "```":
			in = false
			blocks = append(blocks, strings.Join(cur, "\n"))
		case in:
			cur = append(cur, line)
		}
	}
	return blocks
}
