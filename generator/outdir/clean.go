package outdir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/build2cmake-go/build2cmake/generator"
)

// headerLines is how many lines at the top of a file may hold the marker:
// a shebang, then the header comment.
const headerLines = 5

// CleanPlan is what clean would do in a target directory.
type CleanPlan struct {
	// Dir is the target directory the paths are relative to.
	Dir string
	// Remove lists the existing files that will be deleted, sorted.
	Remove []string
	// Kept lists existing files at generated paths that stay: files
	// build2cmake did not write (unless force) and anything that is not a
	// regular file or symbolic link.
	Kept []string
}

// PlanClean decides which of the generated paths to delete from dir. Only
// files that exist count. A file is deleted when build2cmake wrote it (see
// IsGenerated) or when force is set.
func PlanClean(dir string, paths []string, force bool) (*CleanPlan, error) {
	p := &CleanPlan{Dir: dir}
	paths = slices.Clone(paths)
	slices.Sort(paths)
	for _, rel := range slices.Compact(paths) {
		full, err := Resolve(dir, rel)
		if err != nil {
			return nil, err
		}
		info, err := os.Lstat(full)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return nil, fmt.Errorf("inspect %q: %w", full, err)
		}
		ours := false
		switch {
		case info.Mode().IsRegular():
			data, err := os.ReadFile(full)
			if err != nil {
				return nil, fmt.Errorf("read %q: %w", full, err)
			}
			ours = force || IsGenerated(rel, data)
		case info.Mode()&fs.ModeSymlink != 0:
			// build2cmake never writes links; removing one leaves its
			// target alone, so --force may.
			ours = force
		}
		if ours {
			p.Remove = append(p.Remove, rel)
		} else {
			p.Kept = append(p.Kept, rel)
		}
	}
	return p, nil
}

// IsGenerated reports whether data, found at the generated path rel, was
// written by build2cmake: its first lines carry generator.Marker. JSON
// allows no comments, so metadata.json counts as generated when it is an
// object holding only "python-depends", which is all build2cmake writes.
func IsGenerated(rel string, data []byte) bool {
	if path.Base(rel) == "metadata.json" {
		var obj map[string]json.RawMessage
		if json.Unmarshal(data, &obj) != nil {
			return false
		}
		_, ok := obj["python-depends"]
		return ok && len(obj) == 1
	}
	head := data
	for i, n := 0, 0; i < len(data); i++ {
		if data[i] == '\n' {
			if n++; n == headerLines {
				head = data[:i]
				break
			}
		}
	}
	return bytes.Contains(head, []byte(generator.Marker))
}

// Apply deletes the files in Remove, then every directory that held one of
// them and is now empty (deepest first; never Dir itself). It returns the
// directories it removed. It carries on past a failed deletion and reports
// all failures at the end.
func (p *CleanPlan) Apply() (removedDirs []string, err error) {
	var errs []error
	parents := map[string]bool{}
	for _, rel := range p.Remove {
		full, rerr := Resolve(p.Dir, rel)
		if rerr == nil {
			rerr = os.Remove(full)
		}
		if rerr != nil {
			errs = append(errs, fmt.Errorf("delete %q: %w", rel, rerr))
			continue
		}
		for d := path.Dir(rel); d != "."; d = path.Dir(d) {
			parents[d] = true
		}
	}
	// Deeper paths first, so that a parent is tried after its children.
	dirs := make([]string, 0, len(parents))
	for d := range parents {
		dirs = append(dirs, d)
	}
	slices.SortFunc(dirs, func(a, b string) int {
		if c := strings.Count(b, "/") - strings.Count(a, "/"); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	for _, d := range dirs {
		full := filepath.Join(p.Dir, filepath.FromSlash(d))
		entries, rerr := os.ReadDir(full)
		if rerr != nil || len(entries) > 0 {
			continue
		}
		if rerr := os.Remove(full); rerr != nil {
			errs = append(errs, fmt.Errorf("remove empty directory %q: %w", d, rerr))
			continue
		}
		removedDirs = append(removedDirs, d)
	}
	return removedDirs, errors.Join(errs...)
}
