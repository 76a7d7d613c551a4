//go:build !unix

package outdir

import (
	"os"
	"syscall"
)

// dieOf ends the process with the conventional status of the signal,
// 128 plus its number (130 for an interrupt).
func dieOf(sig os.Signal) {
	if s, ok := sig.(syscall.Signal); ok {
		os.Exit(128 + int(s))
	}
	os.Exit(1)
}
