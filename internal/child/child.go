// Package child runs the programs build2cmake asks questions of (the
// build's Python about its Torch, cmake --version, ...) so that none of
// them can hang or flood build2cmake, and makes what they print safe to
// echo on a terminal.
//
// A program is started in a process group of its own. At the deadline the
// whole group is killed, not just the program: a wrapper script (pyenv
// shims, conda's python, a module system) whose child hangs would
// otherwise keep the output pipe open and build2cmake would wait forever.
// Reading stops at the deadline too, also if some descendant left the
// group. Output is kept up to a bound; a program that prints more is
// stopped the same way.
package child

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

// DefaultMaxOutput bounds what is kept of each of a program's streams
// when Limits.MaxOutput is 0.
const DefaultMaxOutput = 1 << 20

// waitDelay is how long Output still reads after the group was killed,
// for output already in the pipe; a descendant that left the group and
// holds the pipe open is then abandoned.
const waitDelay = 500 * time.Millisecond

// Limits bound one run.
type Limits struct {
	// Timeout is the deadline; 0 means none.
	Timeout time.Duration
	// MaxOutput bounds, in bytes, what is read of stdout and of stderr
	// each; 0 means DefaultMaxOutput.
	MaxOutput int
}

// TimeoutError says that a program was stopped at its deadline.
type TimeoutError struct {
	After time.Duration
}

func (e *TimeoutError) Error() string {
	return "did not answer within " + Seconds(e.After)
}

// TooMuchOutputError says that a program was stopped because it printed
// more than the bound on one of its streams.
type TooMuchOutputError struct {
	// Stream is "stdout" or "stderr".
	Stream string
	Limit  int
}

func (e *TooMuchOutputError) Error() string {
	return fmt.Sprintf("printed more than %s on %s", Size(e.Limit), e.Stream)
}

// Result is what a program printed.
type Result struct {
	Stdout, Stderr []byte
}

// Output runs path with args (stdin empty) within lim and returns what
// it printed. The error is a *TimeoutError or *TooMuchOutputError when
// build2cmake stopped it, else what exec reports (an *exec.ExitError
// for a non-zero exit).
func Output(path string, args []string, lim Limits) (Result, error) {
	limit := lim.MaxOutput
	if limit <= 0 {
		limit = DefaultMaxOutput
	}
	ctx, stop := context.WithCancelCause(context.Background())
	defer stop(nil)
	if lim.Timeout > 0 {
		timer := time.AfterFunc(lim.Timeout, func() { stop(&TimeoutError{After: lim.Timeout}) })
		defer timer.Stop()
	}
	cmd := exec.CommandContext(ctx, path, args...)
	startGroup(cmd)
	cmd.Cancel = func() error { return killGroup(cmd.Process) }
	cmd.WaitDelay = waitDelay
	stdout := &capped{stream: "stdout", limit: limit, stop: stop}
	stderr := &capped{stream: "stderr", limit: limit, stop: stop}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	res := Result{Stdout: stdout.bytes(), Stderr: stderr.bytes()}
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		return res, cause
	}
	return res, err
}

// capped keeps the first limit bytes written to it. Past the limit it
// stops the run and discards the rest, still accepting writes so that the
// copying goroutine drains the pipe until the program is gone.
type capped struct {
	stream string
	limit  int
	stop   context.CancelCauseFunc

	mu  sync.Mutex
	buf bytes.Buffer
}

func (c *capped) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	room := c.limit - c.buf.Len()
	if len(p) > room {
		c.buf.Write(p[:max(room, 0)])
		c.stop(&TooMuchOutputError{Stream: c.stream, Limit: c.limit})
		return len(p), nil
	}
	c.buf.Write(p)
	return len(p), nil
}

func (c *capped) bytes() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.buf.Bytes())
}

// Seconds writes d for messages: "120 s", "1.5 s".
func Seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + " s"
}

// Size writes a byte count for messages: "1 MiB", "64 KiB", "100 bytes".
func Size(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.Itoa(n>>20) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.Itoa(n>>10) + " KiB"
	}
	return strconv.Itoa(n) + " bytes"
}
