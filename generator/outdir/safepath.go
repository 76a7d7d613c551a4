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

// escapeError says that a generated path leads through a symbolic link to a
// place outside the target directory.
type escapeError struct {
	link, target, dir string
}

func (e *escapeError) Error() string {
	return fmt.Sprintf("%q is a symbolic link to %q, outside %q; build2cmake reads, writes and deletes nothing through it (replace the link by a directory, or generate into another folder)",
		e.link, e.target, e.dir)
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
