package outdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// root is a target directory with its symbolic links resolved, so that
// every path inside it can be checked against where it really leads.
type root struct {
	dir  string // as given; used in messages
	real string // absolute, links resolved
}

func openRoot(dir string) (*root, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("resolve %q: %w", dir, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("resolve %q: %w", dir, err)
	}
	return &root{dir: dir, real: real}, nil
}

// inside reports whether the absolute, link-free path p is r.real or lies
// below it.
func (r *root) inside(p string) bool {
	rel, err := filepath.Rel(r.real, p)
	return err == nil && (rel == "." || filepath.IsLocal(rel))
}

// escapeError says that a path leads through a symbolic link to a place
// outside the target directory. What build2cmake refuses to do through it,
// and so the fix, depends on the operation; the entry points of the
// package set op before the error leaves it.
type escapeError struct {
	link, target, dir string
	op                escapeOp
}

type escapeOp int

const (
	// opGenerate: writing generated files (Inspect, Apply).
	opGenerate escapeOp = iota
	// opClean: deleting generated files (PlanCleanFiles).
	opClean
	// opUpdate: replacing a user's file in place (WriteFileFollow).
	opUpdate
)

func (e *escapeError) Error() string {
	var what string
	switch e.op {
	case opClean:
		what = "build2cmake deletes nothing through it (delete what it leads to yourself if it should go)"
	case opUpdate:
		what = fmt.Sprintf("build2cmake writes nothing through it (pass the file it leads to, %q, instead)", e.target)
	default:
		what = "build2cmake reads and writes nothing through it (replace the link by a directory, or generate into another TARGET_DIR)"
	}
	return fmt.Sprintf("%q is a symbolic link to %q, outside %q; %s", e.link, e.target, e.dir, what)
}

// during sets the operation of an escapeError in err, if any, and returns
// err.
func during(op escapeOp, err error) error {
	var esc *escapeError
	if errors.As(err, &esc) {
		esc.op = op
	}
	return err
}

// locate returns the real location of the generated slash-separated path
// rel: its directories are followed through symbolic links, each of which
// must lead to a place inside the target directory. The last component is
// not followed; the caller decides what a link there means. Components that
// do not exist yet are appended as they are (they hold no links).
func (r *root) locate(rel string) (string, error) {
	if _, err := Resolve(r.dir, rel); err != nil {
		return "", err
	}
	parts := strings.Split(filepath.ToSlash(filepath.Clean(filepath.FromSlash(rel))), "/")
	cur := r.real
	for i, part := range parts[:len(parts)-1] {
		next := filepath.Join(cur, part)
		info, err := os.Lstat(next)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return filepath.Join(append([]string{cur}, parts[i:]...)...), nil
		case err != nil:
			return "", fmt.Errorf("inspect %q: %w", next, err)
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := filepath.EvalSymlinks(next)
			if err != nil {
				return "", fmt.Errorf("%q is a symbolic link that leads nowhere; remove it or create its target: %w", r.show(parts[:i+1]), err)
			}
			if !r.inside(target) {
				return "", &escapeError{link: r.show(parts[:i+1]), target: target, dir: r.dir}
			}
			next = target
		}
		cur = next
	}
	return filepath.Join(cur, parts[len(parts)-1]), nil
}

// show names a path inside the target directory for messages.
func (r *root) show(parts []string) string {
	return filepath.Join(append([]string{r.dir}, parts...)...)
}

// followFinal resolves a symbolic link found at the real location full and
// returns where it leads, refusing targets outside the directory. A
// dangling link inside the directory resolves to the path it names.
func (r *root) followFinal(rel, full string) (string, error) {
	target, err := filepath.EvalSymlinks(full)
	if err != nil {
		// Dangling: resolve the link text by hand, one level, and let the
		// parent of what it names be resolved as usual.
		dest, rerr := os.Readlink(full)
		if rerr != nil {
			return "", fmt.Errorf("read link %q: %w", full, rerr)
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(full), dest)
		}
		parent, perr := filepath.EvalSymlinks(filepath.Dir(dest))
		if perr != nil {
			return "", fmt.Errorf("%q is a symbolic link that leads nowhere: %w", filepath.Join(r.dir, rel), err)
		}
		target = filepath.Join(parent, filepath.Base(dest))
	}
	if !r.inside(target) {
		return "", &escapeError{link: filepath.Join(r.dir, filepath.FromSlash(rel)), target: target, dir: r.dir}
	}
	return target, nil
}
