package config

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
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
	want := statState // a plain stat of each path, following links
	// Unclean and absolute paths take the slow way, and still agree.
	paths = append(paths, "k/./a.cu", "k/../k/b.cu", "k//c.h", filepath.Join(root, "k", "a.cu"), filepath.Join(root, "nowhere", "x.cu"))
	// Twice over: the second round answers from what the first learned.
	// The paths are asked for without notice (a stat first, a folder read
	// from the second question on), announced (folders read at the first
	// question) and announced and read before the first question, as
	// MissingPaths does.
	for _, mode := range []string{"unannounced", "announced", "read first"} {
		p := newPathProbe(root)
		if mode != "unannounced" {
			p.want(paths)
		}
		if mode == "read first" {
			p.readAnnounced()
		}
		for round := 0; round < 2; round++ {
			for _, rel := range paths {
				full := projectPath(root, rel)
				if got, w := p.state(rel), want(full); got != w {
					t.Errorf("%s, round %d: state(%s) = %d, stat says %d", mode, round, rel, got, w)
				}
			}
		}
	}
}

// TestPathProbeReadsManyFolders: folders read by several readers at once,
// and a folder too big for one read, give the answers a stat would.
func TestPathProbeReadsManyFolders(t *testing.T) {
	root := t.TempDir()
	var paths []string
	// Enough folders for every reader there may be (run with -race).
	for i := range maxFolderReaders * foldersPerReader {
		dir := fmt.Sprintf("k%03d", i)
		if err := os.MkdirAll(filepath.Join(root, dir, "include"), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"a.cu", "b.cu"} {
			if err := os.WriteFile(filepath.Join(root, dir, f), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if i%7 == 0 {
			if err := os.Symlink("a.cu", filepath.Join(root, dir, "link.cu")); err != nil {
				t.Fatal(err)
			}
		}
		paths = append(paths, dir+"/a.cu", dir+"/b.cu", dir+"/link.cu", dir+"/include", dir+"/missing.cu")
		if i%10 == 0 {
			paths = append(paths, fmt.Sprintf("gone%03d/a.cu", i), fmt.Sprintf("gone%03d/b.cu", i), dir+"/a.cu/x.cu", dir+"/a.cu/y.cu")
		}
	}
	// A folder whose listing takes several reads: names of 200 bytes,
	// the last ones asked for.
	big := filepath.Join(root, "big")
	if err := os.Mkdir(big, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		name := fmt.Sprintf("%03d%s.cu", i, strings.Repeat("x", 200))
		if err := os.WriteFile(filepath.Join(big, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if i >= 290 {
			paths = append(paths, "big/"+name)
		}
	}
	paths = append(paths, "big/"+strings.Repeat("y", 200)+".cu")
	p := newPathProbe(root)
	p.want(paths)
	p.readAnnounced()
	if d := p.dirs["big"]; d == nil || !d.listed || len(d.entries) != 300 {
		t.Errorf("the big folder was not listed whole")
	}
	for _, rel := range paths {
		info, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel)))
		w := pathMissing
		switch {
		case err != nil:
		case info.IsDir():
			w = pathDir
		default:
			w = pathFile
		}
		if got := p.state(rel); got != w {
			t.Errorf("state(%s) = %d, stat says %d", rel, got, w)
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

// TestIsCleanRelative: a path is clean and relative exactly when cleaning
// leaves it as it is and it does not leave its folder.
func TestIsCleanRelative(t *testing.T) {
	for _, p := range []string{
		"a.cu", "k/a.cu", "k00000/src_0.cu", "a/b/c/d.h", "k//a.cu", "./k/a.cu", "k/./a.cu", "k/../a.cu", "../a.cu",
		"k/", "/k", "/", "k/..", ".", "..", "", "k/.hidden", ".hidden", "k/..a", "k/a..", `k\a.cu`, `\`, "...", "k/...",
		"a//", "//a", "a/.", "a/./", "k/.. /a",
	} {
		want := p != "" && !strings.Contains(p, `\`) && !path.IsAbs(p) && path.Clean(p) == p &&
			p != "." && p != ".." && !strings.HasPrefix(p, "../")
		if got := isCleanRelative(p); got != want {
			t.Errorf("isCleanRelative(%q) = %v, want %v", p, got, want)
		}
	}
}

// TestPathProbeDir: the folder and name of a path, whether or not it
// follows a path of the same folder, and nothing for a path that is not
// clean (it is stat'ed whole).
func TestPathProbeDir(t *testing.T) {
	p := newPathProbe(t.TempDir())
	for _, rel := range []string{
		"k/a.cu", "k/b.cu", "k/./a.cu", "k/b.cu", "k/../k/b.cu", "k/b.cu", "k//c.h", "k/b.cu", "k/", "k/b.cu", "k/..",
		"k/b.cu", "k/.", "k/b.cu", `k/a\b.cu`, "k/b.cu", "k/sub/x.cu", "k/sub/", "k/sub/y.cu", "kk/a.cu", "k/b.cu",
		"a.cu", "b.cu", "./b.cu", "k", ".", "..", "/abs.cu",
	} {
		d, name := p.dir(rel)
		switch {
		case !isCleanRelative(rel):
			if d != nil {
				t.Errorf("dir(%q) = %q, %q; want nothing for a path that is not clean", rel, d.path, name)
			}
		case d == nil:
			t.Errorf("dir(%q) = nothing, want its folder", rel)
		case d.path == "." && name != rel, d.path != "." && d.path+"/"+name != rel:
			t.Errorf("dir(%q) = %q, %q", rel, d.path, name)
		}
	}
}

// TestPathProbeReadsFoldersOfSeveralPaths: announced paths get their
// folder read when it holds two or more of them; a path alone in its
// folder (the project folder of a big build holds thousands of entries)
// is stat'ed, also when it is asked for twice.
func TestPathProbeReadsFoldersOfSeveralPaths(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"include", "k/include"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"k/a.cu", "k/b.cu"} {
		if err := os.WriteFile(filepath.Join(root, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	paths := []string{"include", "k/a.cu", "k/b.cu", "k/include"}
	p := newPathProbe(root)
	p.want(paths)
	p.readAnnounced()
	for round := 0; round < 2; round++ {
		for _, rel := range paths {
			if got := p.state(rel); got == pathMissing {
				t.Errorf("state(%s) = missing", rel)
			}
		}
	}
	if d := p.dirs["k"]; !d.listed {
		t.Errorf("folder k, with three of the paths, was not read")
	}
	if d := p.dirs["."]; d.tried {
		t.Errorf("the project folder, with one of the paths, was read")
	}
}
