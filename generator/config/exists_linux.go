package config

import (
	"encoding/binary"
	"syscall"
)

// readDir lists dir with the system calls themselves: os.ReadDir costs
// five or more calls per folder (the runtime's poller tries to register
// the descriptor) and an allocation per entry, and a big build reads
// thousands of folders. missing reports that dir does not exist or is not
// a folder, so that nothing under it does; ok is false when dir cannot be
// read, and its paths are then stat'ed one by one.
func (p *pathProbe) readDir(dir string) (entries []dirEntry, missing, ok bool) {
	fd, err := syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, err == syscall.ENOENT || err == syscall.ENOTDIR, false
	}
	defer syscall.Close(fd)
	if p.buf == nil {
		p.buf = make([]byte, 16<<10)
	}
	for {
		n, err := syscall.Getdents(fd, p.buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, false, false
		}
		if n <= 0 {
			return entries, false, true
		}
		// struct linux_dirent64: ino (8 bytes), off (8), reclen (2),
		// type (1), name (NUL-terminated).
		for rec := p.buf[:n]; len(rec) >= 19; {
			size := int(binary.NativeEndian.Uint16(rec[16:18]))
			if size < 19 || size > len(rec) {
				return nil, false, false
			}
			name := rec[19:size]
			for i, c := range name {
				if c == 0 {
					name = name[:i]
					break
				}
			}
			if s := string(name); s != "." && s != ".." {
				state := pathFile
				switch rec[18] {
				case syscall.DT_DIR:
					state = pathDir
				case syscall.DT_LNK, syscall.DT_UNKNOWN:
					state = pathUnknown
				}
				entries = append(entries, dirEntry{s, state})
			}
			rec = rec[size:]
		}
	}
}
