package outdir

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// staleTemps returns the temporary files an interrupted run left next to
// the generated paths: ".NAME.build2cmake-tmp-*" and ".NAME.build2cmake-old-*"
// for a generated NAME, and ".NAME.tmp<digits>" from versions that named
// them so. Only regular files count; directories reached through links
// that leave the target directory are not looked into. The result holds
// real locations, sorted.
func staleTemps(r *root, paths []string) []string {
	byDir := map[string][]string{}
	for _, rel := range paths {
		full, err := r.locate(rel)
		if err != nil {
			continue
		}
		d := filepath.Dir(full)
		byDir[d] = append(byDir[d], filepath.Base(full))
	}
	var out []string
	for d, names := range byDir {
		// Names only, unsorted: the project folder of a big build holds
		// thousands of entries, and only our temporary files need a look.
		f, err := os.Open(d)
		if err != nil {
			continue
		}
		entries, err := f.Readdirnames(-1)
		f.Close()
		if err != nil {
			continue
		}
		for _, name := range entries {
			if !isStaleName(name, names) {
				continue
			}
			full := filepath.Join(d, name)
			if info, err := os.Lstat(full); err == nil && info.Mode().IsRegular() {
				out = append(out, full)
			}
		}
	}
	slices.Sort(out)
	return out
}

// isStaleName reports whether name is a temporary file of ours for one of
// the generated base names.
func isStaleName(name string, bases []string) bool {
	for _, base := range bases {
		rest, ok := strings.CutPrefix(name, "."+base)
		if !ok {
			continue
		}
		if strings.HasPrefix(rest, tempInfix) || strings.HasPrefix(rest, backupInfix) {
			return true
		}
		if digits, ok := strings.CutPrefix(rest, ".tmp"); ok && digits != "" &&
			strings.Trim(digits, "0123456789") == "" {
			return true
		}
	}
	return false
}

// removeStale deletes staleTemps, best effort. Call it only under Lock:
// without it the files may be a concurrent run's work in progress.
func removeStale(r *root, paths []string) {
	for _, p := range staleTemps(r, paths) {
		os.Remove(p)
	}
}
