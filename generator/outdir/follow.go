package outdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/build2cmake-go/build2cmake/generator"
)

// WriteFileFollow replaces the file at the slash-separated path rel inside
// dir with content, atomically, the way a user's own file is updated in
// place: when rel is a symbolic link, the file it leads to is replaced and
// the link stays. The link (and every directory on the way) must lead to a
// place inside dir; otherwise nothing is written. The file's permissions
// are kept.
//
// It takes Lock(dir, onWait) itself, so it must not be called while the
// caller holds that lock.
func WriteFileFollow(dir, rel string, content []byte, onWait func()) error {
	l, err := Lock(dir, onWait)
	if err != nil {
		return err
	}
	defer l.Unlock()
	r, err := openRoot(dir)
	if err != nil {
		return err
	}
	full, err := r.locate(rel)
	if err != nil {
		return during(opUpdate, err)
	}
	info, err := os.Lstat(full)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("inspect %q: %w", full, err)
	}
	if err == nil && info.Mode()&fs.ModeSymlink != 0 {
		if full, err = r.followFinal(rel, full); err != nil {
			return during(opUpdate, err)
		}
	}
	target, err := filepath.Rel(r.real, full)
	if err != nil {
		return fmt.Errorf("resolve %q: %w", rel, err)
	}
	p, err := Inspect(r.real, []generator.File{{Path: filepath.ToSlash(target), Content: content}})
	if err != nil {
		return err
	}
	_, err = p.Apply(true)
	return err
}
