package outdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// LockName is the lock file Lock creates in a target directory while a
// command writes there. It exists only while a run holds the lock: Unlock
// removes it, and so does a SIGINT or SIGTERM that ends the run (see
// signals.go). One left by a run killed outright (SIGKILL, a crash) is
// harmless: the lock is the open file's, not the file's existence, so the
// next run reuses it and removes it.
const LockName = ".build2cmake.lock"

// DirLock is an exclusive lock on a target directory, held by one
// build2cmake process at a time.
type DirLock struct {
	f    *os.File
	path string
	real string // the directory, links resolved: the key in heldLocks
}

// heldLocks maps the resolved directories this process holds Lock on to
// their *DirLock. Removing an interrupted run's temporary files is only
// safe under the lock (they might be a concurrent run's work in progress),
// so Apply checks here; the signal handler removes their lock files.
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

// Lock takes dir's lock, waiting while another build2cmake process holds
// it; onWait (when not nil) is called once before such a wait, so that the
// user learns why nothing happens. Commands hold the lock around writing
// only: from before Inspect (or PlanClean) until after Apply, never while
// they wait for the user. Two runs into one folder are serialised and the
// second sees the first's files like any existing file.
//
// The lock file is opened without following links, so a link planted at
// its name cannot make Lock create or truncate a file elsewhere. In a
// folder this process may not write to, Lock succeeds without locking.
func Lock(dir string, onWait func()) (*DirLock, error) {
	path := filepath.Join(dir, LockName)
	// Watched from before the file may be created, so that no signal
	// finds it created but not yet known to the handler.
	watchSignals()
	waited := false
	for {
		f, err := openLockFile(path)
		if errors.Is(err, fs.ErrPermission) || isReadOnlyFS(err) {
			// A folder we may not write to: this run cannot write either
			// (Apply will say so if it has to), and one that only finds
			// everything up to date should still succeed.
			unwatchSignals()
			return &DirLock{}, nil
		}
		if err != nil {
			unwatchSignals()
			return nil, fmt.Errorf("lock %q: %w", dir, err)
		}
		free, err := tryFlock(f)
		if err == nil && !free {
			if !waited && onWait != nil {
				onWait()
			}
			waited = true
			err = flock(f)
		}
		if err != nil {
			f.Close()
			unwatchSignals()
			return nil, fmt.Errorf("lock %q: %w", dir, err)
		}
		// The holder before us removes the file before it unlocks; when
		// that happened while we waited, our lock is on a file nobody else
		// will open again. Start over on the current one.
		held, err1 := f.Stat()
		now, err2 := os.Lstat(path)
		if err := errors.Join(err1, err2); err == nil && os.SameFile(held, now) {
			l := &DirLock{f: f, path: path, real: realDir(dir)}
			heldLocks.Store(l.real, l)
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
	unwatchSignals()
}

// removeHeldLockFiles removes the lock file of every lock this process
// holds, for a process about to die of a signal.
func removeHeldLockFiles() {
	heldLocks.Range(func(_, v any) bool {
		os.Remove(v.(*DirLock).path)
		return true
	})
}
