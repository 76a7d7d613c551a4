//go:build unix

package child

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/build2cmake-go/build2cmake/internal/testenv"
)

// script writes a shell script into a temporary folder and returns its
// path.
func script(t *testing.T, body string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		testenv.Missing(t, "the stand-in programs are shell scripts, which need a POSIX system")
	}
	path := filepath.Join(t.TempDir(), "prog")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// outputWithin runs Output and fails the test when it has not returned
// within limit: the bug this package exists for is a run that never ends.
func outputWithin(t *testing.T, limit time.Duration, path string, lim Limits) (Result, error) {
	t.Helper()
	type answer struct {
		res Result
		err error
	}
	done := make(chan answer, 1)
	go func() {
		res, err := Output(path, nil, lim)
		done <- answer{res, err}
	}()
	select {
	case a := <-done:
		return a.res, a.err
	case <-time.After(limit):
		t.Fatalf("Output(%s) still running after %s", path, limit)
		return Result{}, nil
	}
}

// alive reports whether the process whose id is in file still runs.
func alive(t *testing.T, file string) bool {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	if stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err == nil {
		// A killed process whose new parent has not reaped it yet is a
		// zombie: dead, though kill(pid, 0) still finds it.
		_, after, _ := strings.Cut(string(stat), ") ")
		return !strings.HasPrefix(after, "Z")
	}
	return syscall.Kill(pid, 0) == nil
}

// A wrapper whose child hangs: the child holds stdout open, so killing
// the wrapper alone never ends the run. The whole group goes at the
// deadline, and the error says so.
func TestDeadlineKillsTheWholeGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	wrapper := script(t, "echo starting\nsh -c 'echo $$ > "+pidFile+"; exec sleep 30'\necho never\n")
	start := time.Now()
	res, err := outputWithin(t, 10*time.Second, wrapper, Limits{Timeout: time.Second})
	var timeout *TimeoutError
	if !errors.As(err, &timeout) || err.Error() != "did not answer within 1 s" {
		t.Fatalf("got %v, want a TimeoutError", err)
	}
	if took := time.Since(start); took < time.Second {
		t.Errorf("returned after %s, before the deadline", took)
	}
	if string(res.Stdout) != "starting\n" {
		t.Errorf("stdout %q, want what came before the deadline", res.Stdout)
	}
	// SIGKILL is delivered at once, but reaping may lag a little.
	for i := 0; i < 50 && alive(t, pidFile); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	if alive(t, pidFile) {
		t.Error("the hanging child survived the deadline")
	}
}

// A descendant that leaves the group (setsid) survives the kill, and
// still holds the pipe: reading stops anyway, shortly after the deadline.
func TestDeadlineStopsReading(t *testing.T) {
	setsid := testenv.LookPath(t, "setsid")
	pidFile := filepath.Join(t.TempDir(), "escaped.pid")
	wrapper := script(t, setsid+" sh -c 'echo $$ > "+pidFile+"; exec sleep 30' &\nwait\n")
	_, err := outputWithin(t, 10*time.Second, wrapper, Limits{Timeout: time.Second})
	var timeout *TimeoutError
	if !errors.As(err, &timeout) {
		t.Fatalf("got %v, want a TimeoutError", err)
	}
	if alive(t, pidFile) {
		data, _ := os.ReadFile(pidFile)
		pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
		syscall.Kill(pid, syscall.SIGKILL)
	}
}

// A program that prints without end is stopped at the bound, and what
// was kept is exactly the bound.
func TestOutputIsBounded(t *testing.T) {
	for _, stream := range []string{"stdout", "stderr"} {
		redirect := ""
		if stream == "stderr" {
			redirect = " >&2"
		}
		flood := script(t, "while :; do echo 0123456789abcdef; done"+redirect+"\n")
		res, err := outputWithin(t, 30*time.Second, flood, Limits{Timeout: time.Minute, MaxOutput: 64 << 10})
		var tooMuch *TooMuchOutputError
		if !errors.As(err, &tooMuch) || err.Error() != "printed more than 64 KiB on "+stream {
			t.Fatalf("%s: got %v, want a TooMuchOutputError", stream, err)
		}
		kept := res.Stdout
		if stream == "stderr" {
			kept = res.Stderr
		}
		if len(kept) != 64<<10 {
			t.Errorf("%s: kept %d bytes, want %d", stream, len(kept), 64<<10)
		}
	}
}

func TestOutputOfAnOrdinaryRun(t *testing.T) {
	prog := script(t, "echo out\necho err >&2\nexit 3\n")
	res, err := Output(prog, nil, Limits{Timeout: time.Minute})
	if string(res.Stdout) != "out\n" || string(res.Stderr) != "err\n" {
		t.Errorf("got %q, %q", res.Stdout, res.Stderr)
	}
	if err == nil || err.Error() != "exit status 3" {
		t.Errorf("got %v, want exit status 3", err)
	}
	if _, err := Output(prog+"-missing", nil, Limits{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v, want not-exist", err)
	}
}

func TestMessages(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Seconds(120 * time.Second), "120 s"},
		{Seconds(1500 * time.Millisecond), "1.5 s"},
		{Size(1 << 20), "1 MiB"},
		{Size(64 << 10), "64 KiB"},
		{Size(100), "100 bytes"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
