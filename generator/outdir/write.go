package outdir

import (
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
	var b strings.Builder
	noun := "files differ"
	if len(e.Paths) == 1 {
		noun = "file differs"
	}
	fmt.Fprintf(&b, "%d existing %s from the generated content in %q:\n", len(e.Paths), noun, e.Dir)
	for _, p := range e.Paths {
		fmt.Fprintf(&b, "  %s\n", p)
	}
	b.WriteString("nothing was written; use --force to overwrite, or --check to see the differences")
	return b.String()
}

// testHookBeforeWrite, when set by tests, runs before each temporary file
// is written; an error simulates a failure in the middle of Apply.
var testHookBeforeWrite func(path string) error

// Apply writes the new and changed files and returns how many it wrote.
// Unchanged files are not touched, so their modification times stay and
// build tools see nothing to redo.
//
// Without force, any changed file is a conflict and nothing is written.
//
// Every file is first written in full to a temporary sibling and synced;
// only when all of them are ready are they renamed over their targets. A
// failure before that point removes the temporary files (and directories
// Apply created), leaving the target directory as it was.
func (p *Plan) Apply(force bool) (int, error) {
	if conflicts := p.Conflicts(); len(conflicts) > 0 && !force {
		return 0, &ConflictError{Dir: p.Dir, Paths: conflicts}
	}
	pending := p.Pending()
	if len(pending) == 0 {
		return 0, nil
	}

	st := &stage{}
	for _, c := range pending {
		if err := st.add(p.Dir, c); err != nil {
			st.abort()
			return 0, err
		}
	}
	return st.commit()
}

// stage holds the temporary files of one Apply.
type stage struct {
	temps   []staged
	newDirs []string // directories created by this Apply, parents first
}

type staged struct{ temp, final string }

func (st *stage) add(dir string, c Change) error {
	final, err := Resolve(dir, c.Path)
	if err != nil {
		return err
	}
	if err := st.mkdirAll(filepath.Dir(final)); err != nil {
		return err
	}
	if testHookBeforeWrite != nil {
		if err := testHookBeforeWrite(c.Path); err != nil {
			return err
		}
	}
	temp, err := writeTemp(final, c.Content, fileMode(c))
	if err != nil {
		return err
	}
	st.temps = append(st.temps, staged{temp: temp, final: final})
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
// so that abort can remove them again.
func (st *stage) mkdirAll(dir string) error {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("inspect %q: %w", d, err)
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	for _, d := range slices.Backward(missing) {
		err := os.Mkdir(d, 0o755)
		switch {
		case err == nil:
			st.newDirs = append(st.newDirs, d)
		case errors.Is(err, fs.ErrExist):
			// Made meanwhile by someone else: use it, but never remove it.
		default:
			return fmt.Errorf("create directory %q: %w", d, err)
		}
	}
	return nil
}

// writeTemp writes data to a new temporary file next to final and syncs it,
// so that the rename in commit never exposes a partly written file.
func writeTemp(final string, data []byte, mode fs.FileMode) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(final), "."+filepath.Base(final)+".tmp*")
	if err != nil {
		return "", fmt.Errorf("write %q: %w", final, err)
	}
	_, err = f.Write(data)
	if err == nil {
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

// commit renames every temporary file over its target. A rename within one
// directory is atomic, so each file is either old or new, never partial.
func (st *stage) commit() (int, error) {
	dirs := map[string]bool{}
	for i, s := range st.temps {
		if err := os.Rename(s.temp, s.final); err != nil {
			for _, rest := range st.temps[i:] {
				os.Remove(rest.temp)
			}
			return i, fmt.Errorf("replace %q: %w (%d of %d files were updated)", s.final, err, i, len(st.temps))
		}
		dirs[filepath.Dir(s.final)] = true
	}
	for _, d := range slices.Sorted(maps.Keys(dirs)) {
		syncDir(d)
	}
	return len(st.temps), nil
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
