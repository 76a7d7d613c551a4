//go:build !linux

package config

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// projectFolder is the project folder whose folders are read.
type projectFolder struct {
	root string // the project folder, clean
	fd   int    // unused: folders are opened by their whole path
}

// noFolder marks a projectFolder that is not open.
const noFolder = -1

func openProjectFolder(root string) projectFolder {
	return projectFolder{root: root, fd: noFolder}
}

func (projectFolder) close() {}

// folderReader lists folders of the project.
type folderReader struct {
	project projectFolder
}

func newFolderReader(project projectFolder) *folderReader {
	return &folderReader{project: project}
}

// read lists the folder rel, as written in build.toml (clean, relative).
// missing reports that it does not exist or is not a folder, so that
// nothing under it does; ok is false when it cannot be read, and its
// paths are then stat'ed one by one.
func (r *folderReader) read(rel string) (entries []dirEntry, missing, ok bool) {
	list, err := os.ReadDir(projectPath(r.project.root, rel))
	if err != nil {
		return nil, errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR), false
	}
	entries = make([]dirEntry, 0, len(list))
	for _, e := range list {
		name := e.Name()
		state := pathFile
		switch t := e.Type(); {
		case t&fs.ModeSymlink != 0:
			state = pathUnknown
		case t.IsDir():
			state = pathDir
		}
		entries = append(entries, dirEntry{name, state})
	}
	return entries, false, true
}
