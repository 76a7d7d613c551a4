//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package outdir

import "os"

// flock is a no-op where the system has no flock(2): runs into one folder
// are not serialised there.
func flock(*os.File) error { return nil }
