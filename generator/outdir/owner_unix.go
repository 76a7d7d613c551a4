//go:build unix

package outdir

import (
	"io/fs"
	"os"
	"syscall"
)

// owner is the user and group of an existing file.
type owner struct {
	uid, gid int
	known    bool
}

// ownerOf returns the owner of the file info describes.
func ownerOf(info fs.FileInfo) owner {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return owner{uid: int(st.Uid), gid: int(st.Gid), known: true}
	}
	return owner{}
}

// giveTo hands f to the owner of the file it replaces, as `sed -i` does,
// so that root running a command in a user's checkout leaves the user's
// file the user's. Only root may give a file away; another user may still
// set a group it belongs to. What the process may not do is left as it is.
func giveTo(f *os.File, o owner) {
	if !o.known {
		return
	}
	if f.Chown(o.uid, o.gid) != nil {
		f.Chown(-1, o.gid)
	}
}
