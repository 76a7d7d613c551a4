package e2e

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// checkDevLoop checks the fast rebuilds of docs/design.md on a project that
// pip has just installed once:
// the generated setup.py builds in one persistent folder under build/, so
// installing again unchanged compiles nothing, and touching one kernel
// source recompiles that one file. It asserts on what the build left behind
// (object files and Ninja's log), never on timing.
func checkDevLoop(t *testing.T, proj, touch string, pipInstall func(label string)) {
	buildDir := persistentBuildDir(t, proj)
	first := snapshot(t, buildDir)
	if len(first.objects) == 0 {
		t.Fatalf("no object files in the persistent build folder %s:\n%s", buildDir, listTree(buildDir))
	}

	pipInstall("pip install -e (again)")
	second := snapshot(t, buildDir)
	if changed := changedObjects(first, second); len(changed) != 0 {
		t.Errorf("reinstalling an unchanged project recompiled %s", strings.Join(changed, ", "))
	}
	if added := newLogEntries(t, first, second); len(added) != 0 {
		t.Errorf("reinstalling an unchanged project ran Ninja edges for %s", strings.Join(added, ", "))
	}

	// Newer than every object, even on a file system with coarse timestamps,
	// so Ninja must see the source as changed.
	stamp := time.Now()
	if newest := second.newestObject().Add(time.Second); stamp.Before(newest) {
		stamp = newest
	}
	if err := os.Chtimes(filepath.Join(proj, touch), stamp, stamp); err != nil {
		t.Fatal(err)
	}
	pipInstall("pip install -e (touched)")
	third := snapshot(t, buildDir)
	// CMake names an object after its source: CMakeFiles/<target>.dir/<source>.o.
	wantSuffix := "/" + touch + ".o"
	changed := changedObjects(second, third)
	if len(changed) != 1 || !strings.HasSuffix(filepath.ToSlash(changed[0]), wantSuffix) {
		t.Errorf("after touching %s, recompiled objects are [%s]; want exactly the one ending in %s",
			touch, strings.Join(changed, ", "), wantSuffix)
	}
	var compiled []string
	for _, out := range newLogEntries(t, second, third) {
		if strings.HasSuffix(out, ".o") {
			compiled = append(compiled, out)
		}
	}
	if len(compiled) != 1 || !strings.HasSuffix(compiled[0], wantSuffix) {
		t.Errorf("after touching %s, Ninja compiled [%s]; want exactly the object ending in %s",
			touch, strings.Join(compiled, ", "), wantSuffix)
	}
}

// persistentBuildDir finds the one CMake build folder that setup.py keeps
// under build/ (build/<key>/, key naming what changes the build).
func persistentBuildDir(t *testing.T, proj string) string {
	t.Helper()
	var dirs []string
	root := filepath.Join(proj, "build")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && d.Name() == "CMakeCache.txt" {
			dirs = append(dirs, filepath.Dir(path))
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if len(dirs) != 1 {
		t.Fatalf("want exactly one CMake build folder under %s after pip install -e ., found %d %v; contents:\n%s",
			root, len(dirs), dirs, listTree(root))
	}
	if _, err := os.Stat(filepath.Join(dirs[0], ".ninja_log")); err != nil {
		t.Fatalf("the build folder %s has no .ninja_log: setup.py should use Ninja when it is on PATH", dirs[0])
	}
	return dirs[0]
}

// buildState is what a build left in its folder.
type buildState struct {
	// objects maps each object file (relative to the build folder) to its
	// modification time.
	objects map[string]time.Time
	// log holds Ninja's log entries, oldest first: Ninja appends one for
	// every edge it runs.
	log []logEntry
}

// logEntry is one line of .ninja_log, "start\tend\tmtime\toutput\thash".
type logEntry struct {
	line, output string
}

func snapshot(t *testing.T, buildDir string) buildState {
	t.Helper()
	s := buildState{objects: map[string]time.Time{}}
	err := filepath.WalkDir(buildDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(d.Name(), ".o") {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(buildDir, path)
		s.objects[rel] = info.ModTime()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(buildDir, ".ninja_log"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Split(line, "\t")
		if strings.HasPrefix(line, "#") || len(fields) < 4 {
			continue // the "# ninja log vN" header, the final newline
		}
		s.log = append(s.log, logEntry{line: line, output: fields[3]})
	}
	return s
}

func (s buildState) newestObject() time.Time {
	var newest time.Time
	for _, mtime := range s.objects {
		if mtime.After(newest) {
			newest = mtime
		}
	}
	return newest
}

// changedObjects lists the objects that appeared, vanished or got a new
// modification time between two snapshots, sorted.
func changedObjects(before, after buildState) []string {
	var changed []string
	for name, mtime := range after.objects {
		if old, ok := before.objects[name]; !ok || !old.Equal(mtime) {
			changed = append(changed, name)
		}
	}
	for name := range before.objects {
		if _, ok := after.objects[name]; !ok {
			changed = append(changed, name+" (removed)")
		}
	}
	slices.Sort(changed)
	return changed
}

// newLogEntries returns the outputs Ninja logged after the before snapshot.
func newLogEntries(t *testing.T, before, after buildState) []string {
	t.Helper()
	// Ninja only appends, except when it recompacts a log full of stale
	// entries, which a build this small never triggers. A log that lost its
	// old entries means the folder was recreated or cleaned.
	if len(after.log) < len(before.log) || !slices.Equal(after.log[:len(before.log)], before.log) {
		t.Fatalf("Ninja's log was replaced rather than appended to: the build folder was recreated or cleaned")
	}
	var outputs []string
	for _, e := range after.log[len(before.log):] {
		outputs = append(outputs, e.output)
	}
	return outputs
}
