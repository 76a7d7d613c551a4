package outdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
)

// LockName is the lock file Lock creates in a target directory while a
// command writes there. It is removed again on Unlock; one left by a
// killed run is harmless and reused (the lock is the open file's, not the
// file's existence), and clean removes it.
const LockName = ".build2cmake.lock"

// DirLock is an exclusive lock on a target directory, held by one
// build2cmake process at a time.
type DirLock struct {
	f    *os.File
	path string
	real string // the directory, links resolved: the key in heldLocks
}

// heldLocks records the directories this process holds Lock on. Removing
// an interrupted run's temporary files is only safe under the lock (they
// might be a concurrent run's work in progress), so Apply checks here.
var heldLocks sync.Map

// locked reports whether this process holds the lock on the directory
// whose resolved path is real.
func locked(real string) bool {
	_, ok := heldLocks.Load(real)
	return ok
}

func realDir(dir string) string {
	if r, err := openRoot(dir); err == nil {
		return r.real
	}
	return dir
}

// Lock waits until no other build2cmake process holds dir's lock, then
// takes it. Commands that write into dir hold it from before Inspect (or
// PlanClean) until after Apply, so two runs into one folder are serialised
// and the second sees the first's files like any existing file.
//
// The lock file is opened without following links, so a link planted at
// its name cannot make Lock create or truncate a file elsewhere. In a
// folder this process may not write to, Lock succeeds without locking.
func Lock(dir string) (*DirLock, error) {
	path := filepath.Join(dir, LockName)
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o644)
		if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
			// A folder we may not write to: this run cannot write either
			// (Apply will say so if it has to), and one that only finds
			// everything up to date should still succeed.
			return &DirLock{}, nil
		}
		if err != nil {
			return nil, fmt.Errorf("lock %q: %w", dir, err)
		}
		if err := flock(f); err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %q: %w", dir, err)
		}
		// The holder before us removes the file before it unlocks; when
		// that happened while we waited, our lock is on a file nobody else
		// will open again. Start over on the current one.
		held, err1 := f.Stat()
		now, err2 := os.Lstat(path)
		if err := errors.Join(err1, err2); err == nil && os.SameFile(held, now) {
			l := &DirLock{f: f, path: path, real: realDir(dir)}
			heldLocks.Store(l.real, true)
			return l, nil
		}
		f.Close()
	}
}

// Unlock removes the lock file and releases the lock. Removing first means
// no file is left behind when the process ends normally.
func (l *DirLock) Unlock() {
	if l == nil || l.f == nil {
		return
	}
	heldLocks.Delete(l.real)
	os.Remove(l.path)
	l.f.Close()
	l.f = nil
}
