package config

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// pathState is what a path names on disk, links followed.
type pathState uint8

const (
	pathUnknown pathState = iota // in a listing: a link or an unknown type, to be stat'ed
	pathMissing
	pathFile // anything but a directory
	pathDir
)

// listFrom is the number of paths asked for in one folder from which the
// folder is read once instead of stat'ing each path: a kernel's ten
// sources cost one directory read, and a folder with one listed file in
// a big tree costs one stat.
const listFrom = 2

// pathProbe answers whether the paths build.toml lists exist under the
// project folder, with few system calls and allocations: a folder holding
// several listed paths is read once, a missing folder answers for
// everything under it, and every answer is kept. Big builds list tens of
// thousands of sources, and a stat each costs more than parsing the file.
// Folders and names are substrings of the paths as written, not new
// strings.
type pathProbe struct {
	root   string // the project folder, clean
	dirs   map[string]*probedDir
	order  []*probedDir // dirs in the order first met
	last   *probedDir   // the folder of the previous path: lists go folder by folder
	reader *folderReader
	// announced is set once paths were announced (want): questions then
	// do not count again, so that a folder of one listed path costs a
	// stat, not a read of a folder that may hold thousands of entries.
	announced bool
}

// probedDir is what the probe knows of one folder.
type probedDir struct {
	path    string // as written in build.toml, slash-separated; "." for the root
	asked   int    // paths asked for or announced (see want)
	tried   bool   // a listing was tried
	missing bool
	listed  bool
	// entries holds the folder's listing once read, and until then the
	// paths stat'ed in it; index finds them in a big folder.
	entries []dirEntry
	index   map[string]pathState
}

// dirEntry is a name in a folder and what it is.
type dirEntry struct {
	name  string
	state pathState
}

func newPathProbe(root string) *pathProbe {
	return &pathProbe{root: filepath.Clean(root), dirs: map[string]*probedDir{}}
}

// find returns the state of name in d, or pathUnknown.
func (d *probedDir) find(name string) (pathState, bool) {
	if len(d.entries) > smallFolder {
		if d.index == nil {
			d.index = make(map[string]pathState, len(d.entries))
			for _, e := range d.entries {
				d.index[e.name] = e.state
			}
		}
		s, ok := d.index[name]
		return s, ok
	}
	for _, e := range d.entries {
		if e.name == name {
			return e.state, true
		}
	}
	return pathUnknown, false
}

// smallFolder is the number of names up to which a folder's names are
// scanned instead of looked up in a map.
const smallFolder = 32

// setListing records the outcome of reading d (see folderReader.read).
func (d *probedDir) setListing(entries []dirEntry, missing, ok bool) {
	d.tried = true
	switch {
	case missing:
		d.missing, d.entries, d.index = true, nil, nil
	case ok:
		d.listed, d.entries, d.index = true, entries, nil
	}
}

// want announces the paths about to be asked for, so that a folder that
// holds several of them is read at the first question instead of after a
// stat, or by readAnnounced before the first question.
func (p *pathProbe) want(paths []string) {
	p.announced = true
	for _, path := range paths {
		if d, _ := p.dir(path); d != nil {
			d.asked++
		}
	}
}

// Reading folders concurrently: every reader takes the next folder from a
// shared counter. Each folder costs a few microseconds of system calls,
// most of it the file system's (ext4 hashes every name of a folder it
// lists), so a big build spends more time there than on anything else;
// with two readers on two free cores that time halves. Small builds read
// their few folders without starting a goroutine.
const (
	maxFolderReaders = 4  // more gain little: the file system shares locks
	foldersPerReader = 64 // a reader must have enough work to pay for itself
)

// readAnnounced reads, several at a time, every folder that was announced
// (want) for at least listFrom paths and not read yet, so that the
// questions that follow are answered from memory.
func (p *pathProbe) readAnnounced() {
	var todo []*probedDir
	for _, d := range p.order {
		if !d.tried && !d.missing && d.asked >= listFrom {
			todo = append(todo, d)
		}
	}
	if len(todo) == 0 {
		return
	}
	project := openProjectFolder(p.root)
	defer project.close()
	var next atomic.Int64
	read := func() {
		r := newFolderReader(project)
		for {
			i := int(next.Add(1)) - 1
			if i >= len(todo) {
				return
			}
			todo[i].setListing(r.read(todo[i].path))
		}
	}
	readers := min(runtime.GOMAXPROCS(0), maxFolderReaders, len(todo)/foldersPerReader)
	var wg sync.WaitGroup
	for range readers - 1 {
		wg.Go(read)
	}
	read()
	wg.Wait()
}

// dir returns the folder of path (as written in build.toml) and the name
// in it; nil for a path that is absolute or not clean, which is stat'ed
// on its own.
func (p *pathProbe) dir(path string) (*probedDir, string) {
	// Lists go folder by folder: a path in the folder of the previous
	// one (a clean folder) only needs its name checked. The project
	// folder itself is "." here, which no clean path starts with.
	if d := p.last; d != nil && d.path != "." && len(path) > len(d.path) && path[len(d.path)] == '/' && path[:len(d.path)] == d.path {
		if name := path[len(d.path)+1:]; isCleanName(name) {
			return d, name
		}
	}
	if !isCleanRelative(path) {
		return nil, ""
	}
	parent, name := ".", path
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		parent, name = path[:i], path[i+1:]
	}
	if p.last != nil && p.last.path == parent {
		return p.last, name
	}
	d := p.dirs[parent]
	if d == nil {
		d = &probedDir{path: parent}
		p.dirs[parent] = d
		p.order = append(p.order, d)
	}
	p.last = d
	return d, name
}

// state returns what path, as written in build.toml, names.
func (p *pathProbe) state(path string) pathState {
	d, name := p.dir(path)
	if d == nil {
		return statState(projectPath(p.root, path))
	}
	if d.missing {
		return pathMissing
	}
	if s, _ := d.find(name); s != pathUnknown {
		return s
	}
	if !p.announced {
		d.asked++
	}
	if !d.tried && d.asked >= listFrom {
		if p.reader == nil {
			p.reader = newFolderReader(projectFolder{root: p.root, fd: noFolder})
		}
		d.setListing(p.reader.read(d.path))
		if d.missing {
			return pathMissing
		}
		if s, _ := d.find(name); s != pathUnknown {
			return s
		}
	}
	// Not in the listing, or a link: stat, which also answers as a file
	// system that ignores case would ("Relu.cpp" opens "relu.cpp").
	s := statState(projectPath(p.root, path))
	if d.listed {
		return s
	}
	if s == pathMissing && d.path != "." && p.state(d.path) == pathMissing {
		d.missing = true
	}
	d.entries = append(d.entries, dirEntry{name, s})
	d.index = nil
	return s
}

// projectPath is the path a src or include entry p names: p itself when
// absolute, else root (a clean folder) and p joined and cleaned, as
// filepath.Join does. filepath.Join would clean the result again, which
// costs more than the lookup when a build lists tens of thousands of
// sources.
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
	// Part by part with IndexByte (as Cut does): a big build asks this of
	// every one of tens of thousands of paths, twice.
	if p == "" || strings.IndexByte(p, '\\') >= 0 {
		return false
	}
	for {
		part, rest, more := strings.Cut(p, "/")
		if part == "" || part == "." || part == ".." {
			return false
		}
		if !more {
			return true
		}
		p = rest
	}
}

// isCleanName reports whether name is one clean part of a path: not
// empty, "." or "..", and without a separator.
func isCleanName(name string) bool {
	for i := 0; i < len(name); i++ {
		if c := name[i]; c == '/' || c == '\\' {
			return false
		}
	}
	return name != "" && name != "." && name != ".."
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
