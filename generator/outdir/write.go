package outdir

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ConflictError is returned by Apply without force when existing files
// would be overwritten with different content.
type ConflictError struct {
	Dir   string
	Paths []string
}

func (e *ConflictError) Error() string {
	return e.Summary() + "\nnothing was written; use --force to overwrite, or --check to see the differences"
}

// Summary is the first part of Error: how many files differ, in which
// folder, and one line for each. Commands follow it with their own
// advice.
func (e *ConflictError) Summary() string {
	var b strings.Builder
	noun := "files differ"
	if len(e.Paths) == 1 {
		noun = "file differs"
	}
	fmt.Fprintf(&b, "%d existing %s from the generated content in %q:", len(e.Paths), noun, e.Dir)
	for _, p := range e.Paths {
		fmt.Fprintf(&b, "\n  %s", p)
	}
	return b.String()
}

// testHookBeforeWrite, when set by tests, runs before each temporary file
// is written; an error simulates a failure in the middle of Apply.
var testHookBeforeWrite func(path string) error

// Apply writes the new and changed files and returns how many it wrote.
// Unchanged files are not touched, so their modification times stay and
// build tools see nothing to redo.
//
// Without force, any changed file (a symbolic link at a generated path
// included) is a conflict and nothing is written.
//
// The write is all or nothing. Every file is first written in full to a
// temporary sibling and synced; only when all of them are ready are they
// renamed over their targets, each replaced file kept as a backup until the
// end. A failure at any point removes the temporary files, puts the backups
// back and removes the directories Apply created, so the target directory
// is as it was. When the caller holds Lock(dir), stale temporary files of
// an interrupted earlier run are removed first (without the lock they
// could be a concurrent run's).
func (p *Plan) Apply(force bool) (int, error) {
	if conflicts := p.Conflicts(); len(conflicts) > 0 && !force {
		return 0, &ConflictError{Dir: p.Dir, Paths: conflicts}
	}
	if p.root != nil && locked(p.root.real) {
		removeStale(p.root, changePaths(p.Changes))
	}
	pending := p.Pending()
	if len(pending) == 0 {
		return 0, nil
	}

	st := &stage{}
	for _, c := range pending {
		if err := st.add(p.root, c); err != nil {
			st.abort()
			return 0, err
		}
	}
	return st.commit()
}

func changePaths(cs []Change) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Path
	}
	return out
}

// stage holds the temporary files of one Apply.
type stage struct {
	temps   []staged
	newDirs []string // directories created by this Apply, parents first
}

type staged struct {
	rel, temp, final string
	existed          bool   // something was at final before
	backup           string // where it was kept during commit
}

func (st *stage) add(r *root, c Change) error {
	final := c.full
	if final == "" || r == nil {
		return fmt.Errorf("generated path %q was not inspected; build the Plan with Inspect", c.Path)
	}
	if err := st.mkdirAll(r, filepath.Dir(final)); err != nil {
		return err
	}
	if testHookBeforeWrite != nil {
		if err := testHookBeforeWrite(c.Path); err != nil {
			return err
		}
	}
	temp, err := writeTemp(final, c.Content, fileMode(c), c.owner)
	if err != nil {
		return err
	}
	st.temps = append(st.temps, staged{rel: c.Path, temp: temp, final: final, existed: c.Status != New})
	return nil
}

// fileMode is the permission for a written file: the existing file's when
// replacing one (the user may have changed it), else 0644 or 0755. An
// executable generated file keeps or gains execute bits where it is readable.
func fileMode(c Change) fs.FileMode {
	mode := c.mode
	if mode == 0 {
		mode = 0o644
	}
	if c.Executable {
		mode |= (mode & 0o444) >> 2
	}
	return mode
}

// mkdirAll creates dir and missing parents, remembering which ones it made
// so that abort can remove them again. dir is a real location (see
// locate); the directories it creates cannot be links.
func (st *stage) mkdirAll(r *root, dir string) error {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("inspect %q: %w", d, err)
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d || !r.inside(filepath.Dir(d)) {
			break
		}
	}
	for _, d := range slices.Backward(missing) {
		err := os.Mkdir(d, 0o755)
		switch {
		case err == nil:
			st.newDirs = append(st.newDirs, d)
		case errors.Is(err, fs.ErrExist):
			// Made meanwhile by someone else: use it if it is a real
			// directory, but never remove it.
			if info, lerr := os.Lstat(d); lerr != nil || !info.IsDir() {
				return fmt.Errorf("create directory %q: something else appeared there", d)
			}
		default:
			return fmt.Errorf("create directory %q: %w", d, err)
		}
	}
	return nil
}

// Temporary files are named after the file they stand in for, with a
// suffix nothing else uses, so that a later run can recognise and remove
// those an interrupted run left behind.
const (
	tempInfix   = ".build2cmake-tmp-"
	backupInfix = ".build2cmake-old-"
)

// writeTemp writes data to a new temporary file next to final and syncs it,
// so that the rename in commit never exposes a partly written file. The
// file gets mode and, where the process may, the owner of the file it
// replaces.
func writeTemp(final string, data []byte, mode fs.FileMode, o owner) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(final), "."+filepath.Base(final)+tempInfix+"*")
	if err != nil {
		return "", fmt.Errorf("write %q: %w", final, err)
	}
	_, err = f.Write(data)
	if err == nil {
		// Before Chmod: a change of owner clears setuid and setgid bits.
		giveTo(f, o)
		// CreateTemp makes 0600 files; Chmod is not subject to the umask,
		// which keeps the result the same on every machine.
		err = f.Chmod(mode)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("write %q: %w", final, err)
	}
	return f.Name(), nil
}

// abort removes the temporary files and the directories created for them.
func (st *stage) abort() {
	for _, s := range st.temps {
		os.Remove(s.temp)
	}
	for _, d := range slices.Backward(st.newDirs) {
		os.Remove(d) // fails, harmlessly, when not empty
	}
}

// testHookBeforeRename, when set by tests, runs before each rename in
// commit; an error simulates a file that cannot be replaced.
var testHookBeforeRename func(path string) error

// commit renames every temporary file over its target. A rename within one
// directory is atomic, so each file is either old or new, never partial.
// What stood at a replaced path is first hard-linked to a backup name (the
// path itself never goes missing); when a rename fails, the files already
// renamed get their backups back (or are removed when they were new), so
// the directory ends as it began.
func (st *stage) commit() (int, error) {
	dirs := map[string]bool{}
	for i := range st.temps {
		s := &st.temps[i]
		err := st.backup(s)
		if err == nil && testHookBeforeRename != nil {
			err = testHookBeforeRename(s.rel)
		}
		if err == nil {
			err = os.Rename(s.temp, s.final)
		}
		if err != nil {
			rerr := st.rollback(i)
			msg := fmt.Errorf("replace %q: %w; no file was changed", s.final, err)
			if rerr != nil {
				msg = fmt.Errorf("replace %q: %w; restoring the files already replaced failed too: %w", s.final, err, rerr)
			}
			return 0, msg
		}
		dirs[filepath.Dir(s.final)] = true
	}
	for _, s := range st.temps {
		if s.backup != "" {
			os.Remove(s.backup)
		}
	}
	for _, d := range slices.Sorted(maps.Keys(dirs)) {
		syncDir(d)
	}
	return len(st.temps), nil
}

// backup keeps what stands at s.final under a recognisable name, by a hard
// link so that final stays in place (a link at final is linked itself, not
// its target).
func (st *stage) backup(s *staged) error {
	if !s.existed {
		return nil
	}
	for range 10 {
		name := filepath.Join(filepath.Dir(s.final), "."+filepath.Base(s.final)+backupInfix+randomSuffix())
		err := os.Link(s.final, name)
		if err == nil {
			s.backup = name
			return nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("keep a backup of %q: %w", s.final, err)
		}
	}
	return fmt.Errorf("keep a backup of %q: no free name", s.final)
}

// rollback undoes the renames of st.temps[:n] and removes every temporary
// file, backup and created directory.
func (st *stage) rollback(n int) error {
	var errs []error
	for i := n; i >= 0; i-- {
		s := st.temps[i]
		if i < n {
			if s.backup != "" {
				if err := os.Rename(s.backup, s.final); err != nil {
					errs = append(errs, fmt.Errorf("restore %q from %q: %w", s.final, s.backup, err))
				}
			} else if err := os.Remove(s.final); err != nil {
				errs = append(errs, fmt.Errorf("remove new file %q: %w", s.final, err))
			}
		} else if s.backup != "" {
			os.Remove(s.backup)
		}
	}
	st.abort()
	return errors.Join(errs...)
}

func randomSuffix() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// syncDir asks the file system to persist the renames in dir, so they
// survive a crash. It is best effort: some systems (Windows) cannot sync a
// directory, and the files themselves are complete either way.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
