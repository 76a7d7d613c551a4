package config

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// MissingPaths returns an error for every source file and include folder
// that build.toml names ([torch], [tvm-ffi] and every [kernel.*]) and that
// does not exist under root, the project folder the paths are relative
// to. Each error sits at the list entry and says which file of a close
// name exists, when one does. Every command that generates or plans a
// build stops on them: CMake would only fail later, with "Cannot find
// source file" far from the line to fix.
func MissingPaths(l *Loaded, root string) Errors {
	if l == nil || l.Build == nil {
		return nil
	}
	doc := l.positions()
	c := &pathChecker{root: root, probe: newPathProbe(root)}
	// Every list is announced first, so that the folders holding several
	// of the paths are read together (and concurrently) before the first
	// question.
	eachPathList(l, doc, func(_ *node, _ []string, _ string, list []string, _ pathKind) {
		c.probe.want(list)
	})
	c.probe.readAnnounced()
	eachPathList(l, doc, c.check)
	if len(c.errs) == 0 {
		return nil
	}
	return Errors(toDiagnostics(l.Path, doc.lines, c.errs, Error))
}

// eachPathList calls fn for every src and include list of the build
// ([torch], [tvm-ffi] and every [kernel.*]), with the table it is in.
func eachPathList(l *Loaded, doc *document, fn func(t *node, tablePath []string, key string, list []string, kind pathKind)) {
	l.eachKernel(doc, func(k *Kernel, t *node, p []string) {
		fn(t, p, "src", k.Src, sourceFile)
		fn(t, p, "include", k.Include, includeDir)
	})
	if t := l.Build.Torch; t != nil {
		fn(doc.root.get("torch"), []string{"torch"}, "src", t.Src, sourceFile)
		fn(doc.root.get("torch"), []string{"torch"}, "include", t.Include, includeDir)
	}
	if t := l.Build.TVMFFI; t != nil {
		fn(doc.root.get("tvm-ffi"), []string{"tvm-ffi"}, "src", t.Src, sourceFile)
		fn(doc.root.get("tvm-ffi"), []string{"tvm-ffi"}, "include", t.Include, includeDir)
	}
}

// pathKind is what a src or include entry must be.
type pathKind struct {
	what string // for messages
	dir  bool
}

var (
	sourceFile = pathKind{what: "source file"}
	includeDir = pathKind{what: "include directory", dir: true}
)

// pathChecker checks list entries against the file system, once per path
// (the ROCm twin of a v1 cuda-hipify kernel repeats its sources) and with
// a folder read for a folder holding several of them: a big build lists
// tens of thousands of sources, and a stat each would cost more than
// parsing the file.
type pathChecker struct {
	root  string
	probe *pathProbe
	// byName indexes the project's files and folders by base name for
	// did-you-mean hints; built on the first miss.
	byName map[string][]string
	// folders holds the folders read for hints (see folder).
	folders map[string][]fs.DirEntry
	errs    []posError
}

func (c *pathChecker) check(t *node, tablePath []string, key string, list []string, kind pathKind) {
	want := pathFile
	if kind.dir {
		want = pathDir
	}
	for i, p := range list {
		state := c.probe.state(p)
		if state == want {
			continue
		}
		msg := fmt.Sprintf("%s %s %s does not exist", kind.what, TOMLString(p), where(tablePath))
		if state != pathMissing {
			if kind.dir {
				msg = fmt.Sprintf("include directory %s %s is a file, not a directory", TOMLString(p), where(tablePath))
			} else {
				msg = fmt.Sprintf("source file %s %s is a directory; list the files in it", TOMLString(p), where(tablePath))
			}
		} else if near := c.near(p, kind); near != "" {
			msg += fmt.Sprintf("; did you mean %s?", TOMLString(near))
		}
		c.errs = append(c.errs, posError{off: offsetOf(t, key, i), msg: msg})
	}
}

// near returns the existing path that the missing entry p most likely
// meant, relative to the project like p, or "": an entry of p's folder
// with a close name (a typo), else the one file or folder in the project
// with p's base name (a file that moved).
func (c *pathChecker) near(p string, kind pathKind) string {
	if filepath.IsAbs(p) {
		return ""
	}
	dir, base := path.Split(filepath.ToSlash(p))
	var names []string
	for _, e := range c.folder(dir) {
		if e.IsDir() == kind.dir {
			names = append(names, e.Name())
		}
	}
	if s, ok := suggest(base, names); ok {
		return dir + s
	}
	if c.byName == nil {
		c.byName = indexProject(c.root)
	}
	var found []string
	for _, rel := range c.byName[base] {
		if info, err := os.Stat(filepath.Join(c.root, filepath.FromSlash(rel))); err == nil && info.IsDir() == kind.dir {
			found = append(found, rel)
		}
	}
	if len(found) == 1 {
		return found[0]
	}
	return ""
}

// folder returns the entries of the folder dir of the project, read once
// for all the missing paths in it (a project without its sources misses
// thousands of files in the same few folders); nil when it cannot be read.
func (c *pathChecker) folder(dir string) []fs.DirEntry {
	if entries, ok := c.folders[dir]; ok {
		return entries
	}
	entries, _ := os.ReadDir(filepath.Join(c.root, filepath.FromSlash(dir)))
	if c.folders == nil {
		c.folders = map[string][]fs.DirEntry{}
	}
	c.folders[dir] = entries
	return entries
}

// indexLimit bounds the walk of indexProject: a hint is not worth
// reading a huge tree for.
const indexLimit = 20000

// skipInIndex are folders that hold build output or tools' state, never
// sources a build.toml means.
var skipInIndex = []string{"build", "build-ext", "cmake-build", "node_modules", "__pycache__"}

// indexProject maps base names to the slash-separated paths under root
// that have them, leaving out hidden and build folders. Links are not
// followed.
func indexProject(root string) map[string][]string {
	index := map[string][]string{}
	n := 0
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return nil
		}
		if n++; n > indexLimit {
			return filepath.SkipAll
		}
		name := d.Name()
		if d.IsDir() && (strings.HasPrefix(name, ".") || slices.Contains(skipInIndex, name)) {
			return filepath.SkipDir
		}
		if rel, err := filepath.Rel(root, p); err == nil {
			index[name] = append(index[name], filepath.ToSlash(rel))
		}
		return nil
	})
	return index
}
