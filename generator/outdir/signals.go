package outdir

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// While this process holds a lock (or is taking one), SIGINT and SIGTERM
// remove the lock files before the process dies of the signal, so that
// Ctrl-C or a CI runner's cancel leaves no .build2cmake.lock in the
// user's folder. Outside that window they keep their default action.
var watching struct {
	sync.Mutex
	count int
	ch    chan os.Signal
}

// stopSignals are the signals that end a run and remove its locks.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

func watchSignals() {
	watching.Lock()
	defer watching.Unlock()
	watching.count++
	if watching.count > 1 {
		return
	}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, stopSignals...)
	watching.ch = ch
	go func() {
		sig, ok := <-ch
		if !ok {
			return
		}
		removeHeldLockFiles()
		dieOf(sig)
	}()
}

func unwatchSignals() {
	watching.Lock()
	defer watching.Unlock()
	watching.count--
	if watching.count > 0 {
		return
	}
	// After Stop returns no signal is sent on ch, so closing it is safe
	// and ends the goroutine.
	signal.Stop(watching.ch)
	close(watching.ch)
	watching.ch = nil
}
