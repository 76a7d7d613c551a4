// Package outdir applies generated files to a target directory: it compares
// them with what is on disk, writes only what changed (atomically), shows
// the differences (--check, --dry-run) and removes generated files (clean).
//
// Rendering stays pure; every file system access of the generator lives here.
package outdir

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/build2cmake-go/build2cmake/generator"
)

// Status says how a generated file relates to the file on disk.
type Status int

const (
	// Unchanged: the file exists with exactly the generated content.
	Unchanged Status = iota
	// New: the file does not exist yet.
	New
	// Changed: the file exists with other content.
	Changed
)

// String returns the word used in listings: "unchanged", "new", "changed".
func (s Status) String() string {
	switch s {
	case Unchanged:
		return "unchanged"
	case New:
		return "new"
	case Changed:
		return "changed"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Change is one generated file together with what is on disk at its path.
type Change struct {
	generator.File
	Status Status
	// Old is the content on disk; nil unless Status is Changed.
	Old []byte
	// Link is set when a symbolic link stands at the path. It counts as an
	// existing file whatever it points to (a dangling one too): replacing
	// it needs --force, and replaces the link, never its target.
	Link bool
	// mode is the permission of the existing file and owner its owner,
	// both kept when it is replaced; zero for new files.
	mode  fs.FileMode
	owner owner
	// full is the real location, directories resolved through links.
	full string
}

// Plan is the result of comparing generated files with a target directory.
// Nothing is written until Apply.
type Plan struct {
	// Dir is the target directory the paths are relative to.
	Dir string
	// Changes has one entry per generated file, in the generator's order.
	Changes []Change

	root *root
}

// Inspect compares files with the content of dir. It reads nothing through
// a symbolic link that leads outside dir: a generated path whose directory
// is such a link is an error, and a link at the generated path itself is
// only read when it leads to a file inside dir.
//
// Callers that go on to Apply should hold Lock(dir) from before Inspect
// until after Apply, so that a concurrent run is seen like any other
// existing file.
func Inspect(dir string, files []generator.File) (*Plan, error) {
	r, err := openRoot(dir)
	if err != nil {
		return nil, err
	}
	p := &Plan{Dir: dir, Changes: make([]Change, 0, len(files)), root: r}
	for _, f := range files {
		c, err := inspect(r, f)
		if err != nil {
			return nil, err
		}
		p.Changes = append(p.Changes, c)
	}
	return p, nil
}

func inspect(r *root, f generator.File) (Change, error) {
	c := Change{File: f}
	full, err := r.locate(f.Path)
	if err != nil {
		return c, err
	}
	c.full = full
	info, err := os.Lstat(full)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		c.Status = New
		return c, nil
	case err != nil:
		return c, fmt.Errorf("inspect %q: %w", full, err)
	case info.Mode()&fs.ModeSymlink != 0:
		return inspectLink(r, c)
	case !info.Mode().IsRegular():
		return c, fmt.Errorf("cannot write %q: a %s is in the way", full, kind(info.Mode()))
	}
	c.mode, c.owner = info.Mode().Perm(), ownerOf(info)
	// Most files are unchanged: they are compared chunk by chunk, and read
	// whole only when they differ, for the diff.
	same, err := sameContent(full, info.Size(), f.Content)
	if err != nil {
		return c, fmt.Errorf("read %q: %w", full, err)
	}
	if same {
		c.Status = Unchanged
		return c, nil
	}
	old, err := os.ReadFile(full)
	if err != nil {
		return c, fmt.Errorf("read %q: %w", full, err)
	}
	if bytes.Equal(old, f.Content) {
		c.Status = Unchanged // it changed back meanwhile
	} else {
		c.Status, c.Old = Changed, old
	}
	return c, nil
}

// sameContent reports whether the file at path, of the given size, holds
// exactly want, reading it in chunks instead of whole: a big build's
// CMakeLists.txt is hundreds of kilobytes.
func sameContent(path string, size int64, want []byte) (bool, error) {
	if size != int64(len(want)) {
		return false, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	buf := make([]byte, min(len(want)+1, 64<<10))
	for {
		n, err := io.ReadFull(f, buf)
		if n > len(want) || !bytes.Equal(buf[:n], want[:n]) {
			return false, nil
		}
		want = want[n:]
		switch {
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			return len(want) == 0, nil
		case err != nil:
			return false, err
		}
	}
}

// inspectLink handles a symbolic link at a generated path: an existing file
// that differs from the generated one (so replacing it needs --force), even
// when it dangles. Its content is shown in diffs only when it leads to a
// regular file inside the target directory.
func inspectLink(r *root, c Change) (Change, error) {
	c.Link, c.Status = true, Changed
	target, err := r.followFinal(c.Path, c.full)
	if err != nil {
		return c, nil // outside or unresolvable: never read
	}
	if info, err := os.Stat(target); err == nil && info.Mode().IsRegular() {
		if old, err := os.ReadFile(target); err == nil {
			c.Old = old
		}
	}
	if c.Old == nil {
		c.Old = []byte{}
	}
	return c, nil
}

// kind names a non-regular file type for messages.
func kind(m fs.FileMode) string {
	if m.IsDir() {
		return "directory"
	}
	return "special file"
}

// Resolve joins a generated slash-separated path to dir. It refuses paths
// that would leave dir: a generator bug must never write or delete files
// outside the target directory.
func Resolve(dir, path string) (string, error) {
	rel := filepath.FromSlash(path)
	if !filepath.IsLocal(rel) {
		return "", fmt.Errorf("generated path %q is not inside the target directory", path)
	}
	return filepath.Join(dir, rel), nil
}

// Pending returns the changes that Apply would write: new and changed files.
func (p *Plan) Pending() []Change {
	var out []Change
	for _, c := range p.Changes {
		if c.Status != Unchanged {
			out = append(out, c)
		}
	}
	return out
}

// Conflicts returns the paths of existing files whose content would change.
// Existing files with identical content are no conflict: regenerating is
// always safe for them.
func (p *Plan) Conflicts() []string {
	var out []string
	for _, c := range p.Changes {
		if c.Status == Changed {
			out = append(out, c.Path)
		}
	}
	return out
}

// ReadGenerated returns the content of the file at the generated
// slash-separated path rel in dir, or nil when there is none. Like Inspect
// it reads nothing through a symbolic link that leads outside dir: such a
// path, a dangling link and anything but a regular file read as nil.
func ReadGenerated(dir, rel string) []byte {
	r, err := openRoot(dir)
	if err != nil {
		return nil
	}
	c, err := inspect(r, generator.File{Path: rel})
	if err != nil || c.Status == New {
		return nil
	}
	if c.Old == nil {
		return []byte{} // Unchanged from no content: an empty file
	}
	return c.Old
}
