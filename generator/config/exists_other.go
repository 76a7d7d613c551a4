//go:build !linux

package config

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// readDir lists dir. missing reports that dir does not exist or is not a
// folder, so that nothing under it does; ok is false when dir cannot be
// read, and its paths are then stat'ed one by one.
func (p *pathProbe) readDir(dir string) (entries []dirEntry, missing, ok bool) {
	list, err := os.ReadDir(dir)
	if err != nil {
		return nil, errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR), false
	}
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
