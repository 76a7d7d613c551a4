package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// pathState is what a path names on disk, links followed.
type pathState uint8

const (
	pathMissing pathState = iota + 1
	pathFile              // anything but a directory
	pathDir
)

// listFrom is the number of paths asked for in one folder from which the
// folder is read once instead of stat'ing each path: a kernel's ten
// sources cost a stat and one directory read, and a folder with one
// listed file in a big tree costs one stat.
const listFrom = 2

// pathProbe answers whether the paths build.toml lists exist, with few
// system calls: each path is looked at once, a missing folder answers for
// everything under it, and a folder holding several listed paths is read
// once. Big builds list tens of thousands of sources, and a stat each
// would cost more than parsing the file.
type pathProbe struct {
	known map[string]pathState
	dirs  map[string]*probedDir
}

// probedDir is what the probe knows of one folder.
type probedDir struct {
	asked   int
	missing bool
	// entries is the folder's listing once read: the state of each entry,
	// or 0 for a link, whose target needs a stat.
	entries map[string]pathState
}

func newPathProbe() *pathProbe {
	return &pathProbe{known: map[string]pathState{}, dirs: map[string]*probedDir{}}
}

// state returns what full, a clean path, names.
func (p *pathProbe) state(full string) pathState {
	if s, ok := p.known[full]; ok {
		return s
	}
	s := p.look(full)
	p.known[full] = s
	return s
}

func (p *pathProbe) look(full string) pathState {
	i := strings.LastIndexByte(full, filepath.Separator)
	if i <= 0 || i == len(full)-1 || full[i-1] == ':' {
		// The root, a volume or a name without folder: nothing to share.
		return statState(full)
	}
	parent, name := full[:i], full[i+1:]
	d := p.dirs[parent]
	if d == nil {
		d = &probedDir{}
		p.dirs[parent] = d
	}
	d.asked++
	switch {
	case d.missing:
		return pathMissing
	case d.entries == nil && d.asked >= listFrom:
		d.entries, d.missing = readDirStates(parent)
		if d.missing {
			return pathMissing
		}
	}
	if d.entries != nil {
		// A name the listing lacks is still stat'ed: on a file system
		// that ignores case, "Relu.cpp" opens "relu.cpp".
		if s := d.entries[name]; s != 0 {
			return s
		}
	}
	s := statState(full)
	if s == pathMissing && d.entries == nil && p.state(parent) == pathMissing {
		d.missing = true
	}
	return s
}

// projectPath is the path a src or include entry p names: p itself when
// absolute, else root (a clean folder) and p joined and cleaned, as
// filepath.Join does. filepath.Join would clean the
// result again, which costs more than the lookup when a build lists tens
// of thousands of sources.
func projectPath(root, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	if !isCleanRelative(p) || root == "" {
		return filepath.Join(root, filepath.FromSlash(p))
	}
	if filepath.Separator != '/' {
		p = filepath.FromSlash(p)
	}
	switch {
	case root == ".":
		return p
	case root[len(root)-1] == filepath.Separator:
		return root + p
	}
	return root + string(filepath.Separator) + p
}

// isCleanRelative reports whether p is a relative slash-separated path
// that cleaning leaves as it is: no empty, "." or ".." parts and no
// backslash (a separator on Windows).
func isCleanRelative(p string) bool {
	if p == "" || p[0] == '/' {
		return false
	}
	start := 0
	for i := 0; i <= len(p); i++ {
		if i < len(p) && p[i] == '\\' {
			return false
		}
		if i < len(p) && p[i] != '/' {
			continue
		}
		switch p[start:i] {
		case "", ".", "..":
			return false
		}
		start = i + 1
	}
	return true
}

// statState stats path, following links.
func statState(path string) pathState {
	info, err := os.Stat(path)
	switch {
	case err != nil:
		return pathMissing
	case info.IsDir():
		return pathDir
	}
	return pathFile
}

// readDirStates lists dir. missing is true when dir does not exist (or is
// not a folder); a folder that cannot be read gives neither, and its
// paths are stat'ed one by one.
func readDirStates(dir string) (entries map[string]pathState, missing bool) {
	f, err := openDir(dir)
	if err != nil {
		return nil, errors.Is(err, fs.ErrNotExist)
	}
	defer f.Close()
	list, err := f.ReadDir(-1)
	if err != nil {
		// ENOTDIR: a file where the folder should be.
		info, serr := f.Stat()
		return nil, serr == nil && !info.IsDir()
	}
	entries = make(map[string]pathState, len(list))
	for _, e := range list {
		switch t := e.Type(); {
		case t&fs.ModeSymlink != 0:
			entries[e.Name()] = 0
		case t.IsDir():
			entries[e.Name()] = pathDir
		default:
			entries[e.Name()] = pathFile
		}
	}
	return entries, false
}
