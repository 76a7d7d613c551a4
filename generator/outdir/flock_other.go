//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package outdir

import (
	"fmt"
	"io/fs"
	"os"
)

// openLockFile opens (creating it) the lock file at path. Without
// O_NOFOLLOW, a link at path is refused after a look first; a link
// planted between the look and the open is not caught here.
func openLockFile(path string) (*os.File, error) {
	if info, err := os.Lstat(path); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		return nil, fmt.Errorf("%s is a symbolic link", path)
	}
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
}

func isReadOnlyFS(error) bool { return false }

// tryFlock takes nothing where the system has no flock(2): runs into one
// folder are not serialised there.
func tryFlock(*os.File) (bool, error) { return true, nil }

func flock(*os.File) error { return nil }
