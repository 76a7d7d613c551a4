package outdir

import (
	"bytes"
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

// CleanPlan is what clean would do in a target directory.
type CleanPlan struct {
	// Dir is the target directory the paths are relative to.
	Dir string
	// Remove lists the existing files that will be deleted, sorted: the
	// generated files build2cmake wrote (or all, with force), then the
	// temporary files an interrupted run left behind. (A lock file left by
	// a killed run goes when clean, holding Lock, unlocks.)
	Remove []string
	// Kept lists existing files at generated paths that stay: files
	// build2cmake did not write (unless force), anything that is not a
	// regular file or symbolic link, and anything reached through a
	// symbolic link that leads outside Dir.
	Kept []string
	// Why says, for some entries of Kept, why they stay when it is not
	// that build2cmake did not write them.
	Why map[string]string

	root  *root
	stale map[string]bool // entries of Remove that are leftover temporary files
}

// PlanClean decides which of the generated paths to delete from dir; see
// PlanCleanFiles. Without the generated content, JSON files (which carry
// no header) cannot be told apart from the user's and are kept unless
// force.
func PlanClean(dir string, paths []string, force bool) (*CleanPlan, error) {
	files := make([]generator.File, len(paths))
	for i, p := range paths {
		files[i] = generator.File{Path: p}
	}
	return PlanCleanFiles(dir, files, force)
}

// PlanCleanFiles decides which generated files to delete from dir. files
// are what generation writes, possibly several versions of one path (one
// per backend). Only files that exist count. A file is deleted when force
// is set or build2cmake wrote it: its first lines are our exact header
// (generator.HasHeader), or, for JSON, which allows no comments, its
// content equals one of the generated versions.
//
// Nothing is read or deleted through a symbolic link that leads outside
// dir; a link at a generated path is deleted itself (never its target),
// and only with force.
func PlanCleanFiles(dir string, files []generator.File, force bool) (*CleanPlan, error) {
	r, err := openRoot(dir)
	if err != nil {
		return nil, err
	}
	p := &CleanPlan{Dir: dir, Why: map[string]string{}, root: r, stale: map[string]bool{}}
	versions := map[string][][]byte{}
	var paths []string
	for _, f := range files {
		if _, err := Resolve(dir, f.Path); err != nil {
			return nil, err
		}
		paths = append(paths, f.Path)
		if f.Content != nil {
			versions[f.Path] = append(versions[f.Path], f.Content)
		}
	}
	slices.Sort(paths)
	paths = slices.Compact(paths)
	for _, rel := range paths {
		full, err := r.locate(rel)
		var esc *escapeError
		switch {
		case errors.As(err, &esc):
			if _, lerr := os.Lstat(filepath.Join(dir, filepath.FromSlash(rel))); lerr == nil {
				p.Kept = append(p.Kept, rel)
				p.Why[rel] = during(opClean, err).Error()
			}
			continue
		case err != nil:
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
			ours = force || isOurs(rel, data, versions[rel])
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
	// Leftovers of interrupted runs are ours by their names.
	for _, full := range staleTemps(r, paths) {
		if rel, err := filepath.Rel(r.real, full); err == nil {
			p.Remove = append(p.Remove, filepath.ToSlash(rel))
			p.stale[filepath.ToSlash(rel)] = true
		}
	}
	slices.Sort(p.Remove)
	return p, nil
}

// isOurs reports whether data, found at the generated path rel, was
// written by build2cmake; versions are the contents generation would give
// it (used for JSON, which carries no header).
func isOurs(rel string, data []byte, versions [][]byte) bool {
	if path.Ext(rel) == ".json" {
		for _, v := range versions {
			if bytes.Equal(data, v) {
				return true
			}
		}
		return false
	}
	return generator.HasHeader(data)
}

// IsGenerated reports whether data, found at the generated path rel, was
// written by build2cmake: it starts with our exact header. JSON files have
// no header, so they never qualify here; PlanCleanFiles compares them with
// the generated content instead.
func IsGenerated(rel string, data []byte) bool {
	return isOurs(rel, data, nil)
}

// Apply deletes the files in Remove (leftover temporary files only when
// the caller holds Lock(p.Dir)), then every directory that held one of
// them and is now empty (deepest first; never Dir itself). It returns the
// directories it removed. It carries on past a failed deletion and reports
// all failures at the end.
func (p *CleanPlan) Apply() (removedDirs []string, err error) {
	var errs []error
	parents := map[string]bool{}
	r := p.root
	if r == nil {
		var err error
		if r, err = openRoot(p.Dir); err != nil {
			return nil, err
		}
	}
	for _, rel := range p.Remove {
		if p.stale[rel] && !locked(r.real) {
			// Without the lock it may be a concurrent run's work.
			errs = append(errs, fmt.Errorf("delete %q: a temporary file is only removed under Lock", rel))
			continue
		}
		// Located again: Apply may run a while after PlanClean (clean asks
		// first), and a link may have appeared meanwhile.
		full, rerr := r.locate(rel)
		if rerr == nil {
			rerr = os.Remove(full)
		}
		if rerr != nil {
			errs = append(errs, fmt.Errorf("delete %q: %w", rel, during(opClean, rerr)))
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
		full, rerr := r.locate(d)
		if rerr != nil {
			continue
		}
		// A link where a directory was expected is the user's: os.Remove
		// would delete the link itself.
		if info, err := os.Lstat(full); err != nil || !info.IsDir() {
			continue
		}
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
