//go:build unix

package outdir

import (
	"os"
	"os/signal"
	"syscall"
	"time"
)

// dieOf ends the process as the signal would have, had it not been
// caught: the shell then reports it as usual (exit status 130 for SIGINT,
// 143 for SIGTERM).
func dieOf(sig os.Signal) {
	signal.Reset(sig)
	if s, ok := sig.(syscall.Signal); ok {
		syscall.Kill(syscall.Getpid(), s)
		// Delivery is asynchronous; give it a moment before falling back.
		time.Sleep(time.Second)
		os.Exit(128 + int(s))
	}
	os.Exit(1)
}
