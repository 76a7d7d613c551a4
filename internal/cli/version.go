package cli

import (
	"runtime/debug"
)

// version describes this build for --version.
func version() string {
	info, ok := debug.ReadBuildInfo()
	return versionFrom(info, ok)
}

// versionFrom formats the module version ("(devel)" for a build from a
// work tree) and, when the Go toolchain recorded it, the VCS revision and
// whether the tree had uncommitted changes.
func versionFrom(info *debug.BuildInfo, ok bool) string {
	v := "(devel)"
	if !ok {
		return v
	}
	if info.Main.Version != "" {
		v = info.Main.Version
	}
	var rev string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return v
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += ", dirty"
	}
	return v + " (" + rev + ")"
}
