//go:build unix

package outdir

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// holdLockEnv makes the test binary a helper process that takes the lock
// on the folder it names, says "locked" and waits to be signalled.
const holdLockEnv = "BUILD2CMAKE_TEST_HOLD_LOCK"

func TestMain(m *testing.M) {
	if dir := os.Getenv(holdLockEnv); dir != "" {
		if _, err := Lock(dir, nil); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(3)
		}
		os.Stdout.WriteString("locked\n")
		time.Sleep(time.Minute)
		os.Exit(4)
	}
	os.Exit(m.Run())
}

// A run that holds the lock and is ended by SIGINT or SIGTERM removes the
// lock file, then dies of the signal as if it had not caught it.
func TestSignalRemovesTheLock(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), holdLockEnv+"="+dir)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			line, _ := bufio.NewReader(out).ReadString('\n')
			if line != "locked\n" {
				cmd.Wait()
				t.Fatalf("helper said %q, want locked", line)
			}
			if _, err := os.Lstat(filepath.Join(dir, LockName)); err != nil {
				t.Fatalf("no lock file while the helper holds the lock: %v", err)
			}
			cmd.Process.Signal(sig)
			err = cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != sig {
				t.Errorf("helper ended with %v, want death by %v", err, sig)
			}
			if _, err := os.Lstat(filepath.Join(dir, LockName)); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("lock file left after %v (%v)", sig, err)
			}
		})
	}
}

// A second Lock on a held folder calls onWait once, then gets the lock
// when the first is released.
func TestLockSaysItWaits(t *testing.T) {
	dir := t.TempDir()
	first, err := Lock(dir, func() { t.Error("the first Lock waited") })
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan struct{})
	got := make(chan error)
	go func() {
		l, err := Lock(dir, func() { close(waiting) })
		if err == nil {
			l.Unlock()
		}
		got <- err
	}()
	select {
	case <-waiting:
	case <-time.After(10 * time.Second):
		t.Fatal("the second Lock did not report that it waits")
	}
	first.Unlock()
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(filepath.Join(dir, LockName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("lock file left (%v)", err)
	}
}
