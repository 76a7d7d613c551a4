package config

import (
	"bytes"
	"encoding/binary"
	"syscall"
)

// projectFolder is the project folder, held open while many of its
// folders are read: opening them relative to it (openat) spares the
// kernel walking the project's own path again for each of thousands of
// folders. Links are followed exactly as in a lookup of the whole path.
type projectFolder struct {
	root string // the project folder, clean
	fd   int    // noFolder: folders are opened by their whole path
}

// noFolder marks a projectFolder that is not open.
const noFolder = -1

func openProjectFolder(root string) projectFolder {
	fd, err := syscall.Open(root, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	if err != nil {
		fd = noFolder // its folders fail alike, whole paths say how
	}
	return projectFolder{root: root, fd: fd}
}

func (f projectFolder) close() {
	if f.fd != noFolder {
		syscall.Close(f.fd)
	}
}

// folderReader lists folders with the system calls themselves: os.ReadDir
// costs five or more calls per folder (the runtime's poller tries to
// register the descriptor) and an allocation per entry, and a big build
// reads thousands of folders. One reader serves one goroutine.
type folderReader struct {
	project projectFolder
	buf     []byte
	// slab holds the entries of the folders read: one allocation for
	// many folders.
	slab []dirEntry
	// names and ends gather the names of one read (see read).
	names []byte
	ends  []int
}

func newFolderReader(project projectFolder) *folderReader {
	return &folderReader{project: project, buf: make([]byte, 16<<10)}
}

// direntMax is the size of the largest record getdents returns (a
// 255-byte name), rounded up.
const direntMax = 19 + 256 + 5

// read lists the folder rel, as written in build.toml (clean, relative).
// missing reports that it does not exist or is not a folder, so that
// nothing under it does; ok is false when it cannot be read, and its paths
// are then stat'ed one by one.
//
// A folder is read with one getdents call when the answer leaves room for
// another record: local file systems fill the buffer as far as the folder
// goes, so that is the whole folder, and the call that would return
// nothing more is saved. Should a file system stop short, a name that is
// not in the listing is stat'ed, as every name absent from a listing is,
// so the answers stay right.
func (r *folderReader) read(rel string) (entries []dirEntry, missing, ok bool) {
	fd, err := r.project.openFolder(rel)
	if err != nil {
		return nil, err == syscall.ENOENT || err == syscall.ENOTDIR, false
	}
	defer syscall.Close(fd)
	if cap(r.slab)-len(r.slab) < 64 {
		r.slab = make([]dirEntry, 0, 1024)
	}
	start := len(r.slab)
	for {
		n, err := syscall.Getdents(fd, r.buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, false, false
		}
		if n <= 0 {
			break
		}
		// struct linux_dirent64: ino (8 bytes), off (8), reclen (2),
		// type (1), name (NUL-terminated). The names of a read are
		// gathered into one string, and the entries take substrings of
		// it: one allocation of a few hundred bytes per folder.
		first, names, ends := len(r.slab), r.names[:0], r.ends[:0]
		for rec := r.buf[:n]; len(rec) >= 19; {
			size := int(binary.NativeEndian.Uint16(rec[16:18]))
			if size < 19 || size > len(rec) {
				return nil, false, false
			}
			name := rec[19:size]
			if i := bytes.IndexByte(name, 0); i >= 0 {
				name = name[:i]
			}
			if string(name) != "." && string(name) != ".." {
				state := pathFile
				switch rec[18] {
				case syscall.DT_DIR:
					state = pathDir
				case syscall.DT_LNK, syscall.DT_UNKNOWN:
					state = pathUnknown
				}
				names = append(names, name...)
				ends = append(ends, len(names))
				r.slab = append(r.slab, dirEntry{state: state})
			}
			rec = rec[size:]
		}
		all, start := string(names), 0
		for i, end := range ends {
			r.slab[first+i].name = all[start:end]
			start = end
		}
		r.names, r.ends = names, ends
		if n <= len(r.buf)-direntMax {
			break
		}
	}
	// Capped, so that no append to this folder's entries can write over
	// the next folder's.
	return r.slab[start:len(r.slab):len(r.slab)], false, true
}

// openFolder opens the folder rel of the project for reading, following
// links, as open(2) of its whole path would.
func (f projectFolder) openFolder(rel string) (int, error) {
	const flags = syscall.O_RDONLY | syscall.O_DIRECTORY | syscall.O_CLOEXEC
	for {
		var fd int
		var err error
		if f.fd == noFolder {
			fd, err = syscall.Open(projectPath(f.root, rel), flags, 0)
		} else {
			fd, err = syscall.Openat(f.fd, rel, flags, 0)
		}
		if err != syscall.EINTR {
			return fd, err
		}
	}
}
