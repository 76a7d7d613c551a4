package config

import (
	"os"
	"path/filepath"
	"testing"
)

// TestPathProbeAgreesWithStat: whichever way the probe learns about a
// path (a stat, a folder listing, a missing parent), it answers what a
// stat of that path would, links followed.
func TestPathProbeAgreesWithStat(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"k/include", "k/sub", "other"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"k/a.cu", "k/b.cu", "k/c.h", "other/x.cpp", "plain"} {
		if err := os.WriteFile(filepath.Join(root, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"k/link.cu":    "a.cu",        // to a file
		"k/linkdir":    "sub",         // to a folder
		"k/dangling":   "nowhere.cu",  // to nothing
		"linked":       "k",           // a folder reached through a link
		"k/sub/loop.h": "../../k/c.h", // relative, up and down again
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	paths := []string{
		"k/a.cu", "k/b.cu", "k/c.h", "k/include", "k/sub", "k/missing.cu", "k/link.cu", "k/linkdir",
		"k/dangling", "k/sub/loop.h", "k/up/a.cu", "k/up/b.cu", "k/up/c.cu",
		"linked/a.cu", "linked/missing.cu", "linked/include", "linked/b.cu",
		"gone/a.cu", "gone/b.cu", "gone/c.cu", "gone/deeper/d.cu",
		"plain/a.cu", "plain/b.cu", "plain/c.cu", // a file where a folder should be
		"other/x.cpp", "plain", "missing-top",
	}
	want := func(full string) pathState {
		info, err := os.Stat(full)
		switch {
		case err != nil:
			return pathMissing
		case info.IsDir():
			return pathDir
		}
		return pathFile
	}
	// Unclean and absolute paths take the slow way, and still agree.
	paths = append(paths, "k/./a.cu", "k/../k/b.cu", "k//c.h", filepath.Join(root, "k", "a.cu"), filepath.Join(root, "nowhere", "x.cu"))
	// Twice over: the second round answers from what the first learned.
	// The paths are asked for without notice (a stat first, a folder read
	// from the second question on) and announced (folders read at once).
	for _, announce := range []bool{false, true} {
		p := newPathProbe(root)
		if announce {
			p.want(paths)
		}
		for round := 0; round < 2; round++ {
			for _, rel := range paths {
				full := projectPath(root, rel)
				if got, w := p.state(rel), want(full); got != w {
					t.Errorf("announced %v, round %d: state(%s) = %d, stat says %d", announce, round, rel, got, w)
				}
			}
		}
	}
}

// TestProjectPathIsJoin: the shortcut gives filepath.Join's path.
func TestProjectPathIsJoin(t *testing.T) {
	roots := []string{"/tmp/project", "/", "project", "."}
	rels := []string{
		"a.cu", "k/a.cu", "k//a.cu", "./k/a.cu", "k/./a.cu", "k/../a.cu", "../a.cu", "k/", "k/..", ".", "..",
		"", "k/.hidden", "k/..a", "k/a..", `k\a.cu`, "...", "k/...",
	}
	for _, root := range roots {
		for _, rel := range rels {
			want := filepath.Join(root, filepath.FromSlash(rel))
			if got := projectPath(root, rel); got != want {
				t.Errorf("projectPath(%q, %q) = %q, want %q", root, rel, got, want)
			}
		}
	}
	if got := projectPath("/tmp/project", "/abs/a.cu"); got != "/abs/a.cu" {
		t.Errorf("absolute path = %q, want it unchanged", got)
	}
}
